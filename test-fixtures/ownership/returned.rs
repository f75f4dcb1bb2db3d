// ownership: a pointer returned to Rust callers is theirs. Each call says where it goes.
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

struct Node {
    value: u32,
    next: AtomicPtr<Node>,
}

fn alloc_node(value: u32) -> *mut Node {
    Box::into_raw(Box::new(Node { value, next: AtomicPtr::new(ptr::null_mut()) })) //~ real-leak into-raw
}

// Keeps every node in `last`, and has no `Drop`.
pub struct Recent {
    last: *mut Node,
}

impl Recent {
    pub fn record(&mut self, value: u32) {
        self.last = alloc_node(value);
    }
}

fn make_scratch() -> *mut u8 {
    Box::into_raw(Box::new(0u8)) //~ real-leak into-raw
}

pub fn warm_up() {
    make_scratch();
}

fn boxed(value: u32) -> *mut u32 {
    Box::into_raw(Box::new(value)) //~ reclaimed into-raw
}

pub fn sum(values: &[u32]) -> u32 {
    let mut total = 0;
    for v in values {
        let p = boxed(*v);
        total += unsafe { *Box::from_raw(p) };
    }
    total
}

// A queue keeps its first node in `head` and `tail`; its `Drop` walks the list from `head`.
pub struct Queue {
    head: *mut Node,
    tail: *mut Node,
}

fn stub() -> *mut Node {
    Box::into_raw(Box::new(Node { value: 0, next: AtomicPtr::new(ptr::null_mut()) })) //~ reclaimed into-raw
}

impl Queue {
    pub fn new() -> Queue {
        let first = stub();
        Queue { head: first, tail: first }
    }
}

impl Drop for Queue {
    fn drop(&mut self) {
        let mut cur = self.head;
        while !cur.is_null() {
            let next = unsafe { (*cur).next.load(Ordering::Relaxed) };
            drop(unsafe { Box::from_raw(cur) });
            cur = next;
        }
    }
}
