// shared-to-mut-cast: writing through a *mut made from a shared reference.
struct Counter {
    n: u32,
}

impl Counter {
    fn bump(&self) {
        let p = self as *const Counter as *mut Counter; //~ intentional-static shared-to-mut-cast
        unsafe { (*p).n += 1 };
    }
}

fn through_param(c: &Counter) {
    unsafe {
        let p = c as *const Counter as *mut Counter; //~ intentional-static shared-to-mut-cast
        *p = Counter { n: 0 };
    }
}

fn read_only(c: &Counter) -> u32 {
    // Casting without writing is allowed.
    let p = c as *const Counter as *mut Counter;
    unsafe { (*p).n }
}

fn from_exclusive(c: &mut Counter) {
    let p = c as *const Counter as *mut Counter;
    unsafe { (*p).n = 3 };
}

fn main() {
    let c = Counter { n: 0 };
    c.bump();
    through_param(&c);
    let mut d = Counter { n: read_only(&c) };
    from_exclusive(&mut d);
}
