// mem-forget: forgetting owning values leaks; forgetting values with no destructor does nothing.
use std::mem;
use std::mem::forget;

fn make_buffer() -> Vec<u8> {
    vec![0; 1024]
}

fn leaks_owned(n: usize) {
    let buf = vec![0u8; n];
    mem::forget(buf); //~ real-leak mem-forget
    let name = String::from("x");
    forget(name); //~ real-leak mem-forget
    std::mem::forget(make_buffer()); //~ real-leak mem-forget
    for _ in 0..n {
        core::mem::forget(Box::new(1)); //~ real-leak mem-forget
    }
}

fn nothing_to_leak(x: u32, r: &String) {
    let n = 5;
    mem::forget(n);
    mem::forget(x);
    mem::forget(r);
    mem::forget(&n);
    mem::forget(42);
}

// The `Vec::from_raw_parts` round trip: the contents are handed to raw parts before forgetting.
fn into_parts(mut v: Vec<u32>) -> (*mut u32, usize, usize) {
    let parts = (v.as_mut_ptr(), v.len(), v.capacity());
    mem::forget(v); //~ ownership-transfer mem-forget
    parts
}

struct Guard<'a> {
    flag: &'a mut bool,
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        *self.flag = false;
    }
}

// A drop guard defused on success: no memory involved, and we cannot prove otherwise.
fn defuse(flag: &mut bool) {
    let guard = Guard { flag };
    mem::forget(guard); //~ ownership-transfer mem-forget
}

// A `for` binds each element by value: forgetting one leaks what it owns, on every iteration.
fn forget_each(items: Vec<Vec<u8>>, mut names: Vec<String>, boxes: [Box<u32>; 2]) {
    for v in items {
        mem::forget(v); //~ real-leak mem-forget
    }
    for name in names.drain(..) {
        mem::forget(name); //~ real-leak mem-forget
    }
    for b in boxes.into_iter() {
        forget(b); //~ real-leak mem-forget
    }
}

// Iterating by reference, over a range or with a borrowing iterator yields nothing to free.
fn forget_borrowed(items: &Vec<String>, more: Vec<String>, text: &str) {
    for s in items {
        mem::forget(s);
    }
    for s in &more {
        mem::forget(s);
    }
    for s in more.iter() {
        mem::forget(s);
    }
    for word in text.split(' ') {
        mem::forget(word);
    }
    for i in 0..3 {
        mem::forget(i);
    }
    // The `let` inside the loop shadows the element: a `u32` has no destructor.
    for v in more {
        let v = v.len() as u32;
        mem::forget(v);
    }
}

// Bound by a pattern whose type cannot be read: assumed deliberate, as for any unknown value.
fn forget_matched(slot: Option<Guard<'_>>) {
    if let Some(g) = slot {
        mem::forget(g); //~ ownership-transfer mem-forget
    }
}

fn main() {
    leaks_owned(1);
    nothing_to_leak(1, &String::new());
    let _ = into_parts(vec![1]);
    defuse(&mut true);
    forget_each(vec![vec![1]], vec![String::new()], [Box::new(1), Box::new(2)]);
    forget_borrowed(&vec![], vec![String::new()], "a b");
    forget_matched(Some(Guard { flag: &mut true }));
}
