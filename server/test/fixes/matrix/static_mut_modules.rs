#![allow(dead_code)]
// `static mut` in nested modules, with a namesake at the crate root and a name (`Ordering`) that is
// already taken where the rewrite would import it.

static mut HITS: bool = false; //@ fixes static-mut: AtomicBool, Mutex

pub mod counters {
    use std::cmp::Ordering;

    pub static mut HITS: usize = 0; //@ fixes static-mut: AtomicUsize, Mutex

    pub fn hit() {
        unsafe {
            HITS += 1;
        }
    }

    pub fn compare(a: usize, b: usize) -> Ordering {
        a.cmp(&b)
    }
}

pub mod reader {
    use super::counters::HITS;

    pub fn read() -> usize {
        unsafe { HITS }
    }
}

pub fn report() -> usize {
    unsafe {
        HITS = true;
        counters::HITS
    }
}

pub mod cells {
    use std::sync::{LazyLock, Mutex};

    pub static mut CACHE: LazyLock<Vec<u8>> = LazyLock::new(|| vec![1, 2, 3]); //@ fixes static-mut: Remove
    //@^ fixes lazy-global: none
    pub static mut SLOT: LazyLock<Mutex<u32>> = LazyLock::new(|| Mutex::new(0)); //@ fixes static-mut: Remove

    pub fn read() -> usize {
        unsafe { CACHE.len() + *SLOT.lock().unwrap() as usize }
    }
}
