// Leaks in loops whose reference may or may not outlive the value's owner. `//@ fixes RULE: …`
// lists the rewrites that must be offered for the finding on that line (by a word of their title).
pub fn stored(names: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for name in names {
        let s: &'static str = Box::leak(name.clone().into_boxed_str()); //@ fixes box-leak: none
        out.push(s);
    }
    out
}

pub fn returned_from_loop(lines: &[String]) -> &'static str {
    for line in lines {
        let s: &'static str = Box::leak(line.clone().into_boxed_str()); //@ fixes box-leak: none
        if s.len() > 3 {
            return s;
        }
    }
    ""
}

pub fn while_let(mut it: std::vec::IntoIter<String>) {
    while let Some(line) = it.next() {
        let s: &'static mut String = Box::leak(Box::new(line.clone())); //@ fixes box-leak: Keep
        s.push('!');
        println!("{}", s);
    }
}

pub fn spawned(count: u32) {
    for i in 0..count {
        let s: &'static str = Box::leak(format!("worker {}", i).into_boxed_str()); //@ fixes box-leak: none
        std::thread::spawn(move || println!("{}", s));
    }
}

pub fn borrowed_in_scope(requests: &[u32]) {
    for request in requests {
        let greeting: &'static String = Box::leak(Box::new(String::from("hello"))); //@ fixes box-leak: Keep, Hoist
        if greeting.len() > *request as usize {
            println!("{} {}", greeting, request);
        }
        let copy = greeting.clone();
        drop(copy);
    }
}

pub fn bound_in_a_match(items: &[Option<u32>]) {
    for item in items {
        match item {
            Some(v) => {
                let label: &'static mut String = Box::leak(Box::new(v.to_string())); //@ fixes box-leak: Keep
                label.push('!');
            }
            None => {}
        }
    }
}

fn consume(s: &'static mut String) {
    s.push('x');
}

pub fn moved_each_time(n: u32) {
    for _ in 0..n {
        let s: &'static mut String = Box::leak(Box::new(String::new())); //@ fixes box-leak: none
        consume(s);
    }
}

pub fn kept_in_a_struct(n: u32) -> usize {
    struct Holder<'a> {
        name: &'a str,
    }
    let mut total = 0;
    for _ in 0..n {
        let name: &'static str = Box::leak(String::from("held").into_boxed_str()); //@ fixes box-leak: Hoist
        let holder = Holder { name };
        total += holder.name.len();
    }
    total
}
