// raw-alloc: memory from std::alloc must reach dealloc or an owner that frees it.
use std::alloc::{alloc, alloc_zeroed, dealloc, Layout};

fn lost() {
    let layout = Layout::new::<[u8; 64]>();
    unsafe {
        let p = alloc(layout); //~ real-leak raw-alloc
        *p = 1;
    }
}

fn freed() {
    let layout = Layout::new::<u64>();
    unsafe {
        let p = alloc_zeroed(layout); //~ reclaimed raw-alloc
        dealloc(p, layout);
    }
}

fn adopted_by_box() -> Box<u64> {
    unsafe {
        let p = std::alloc::alloc(Layout::new::<u64>()) as *mut u64; //~ reclaimed raw-alloc
        p.write(7);
        Box::from_raw(p)
    }
}

fn main() {
    lost();
    freed();
    let _ = adopted_by_box();
}
