// ownership: smaller shapes seen in real leaks — renamed imports, tuple bindings, thread-local
// statics, long chains of copies, `dealloc`, a static `AtomicPtr`, zero-sized boxes.
#![feature(thread_local)]
use std::alloc::{dealloc, Layout};
use std::mem::forget as skip_drop;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::mpsc::channel;

struct Node {
    value: u64,
}

pub fn renamed(v: Vec<u8>) {
    skip_drop(v); //~ real-leak mem-forget
}

pub fn tuple_ends() {
    let (tx, rx) = channel::<u32>();
    drop(rx);
    std::mem::forget(tx); //~ real-leak mem-forget
}

#[thread_local]
static mut LAST: Option<&'static str> = None; //~ intentional-static static-mut

pub fn remember(s: &str) {
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str()); //~ real-leak box-leak
    unsafe { LAST = Some(leaked) };
}

pub fn copies() {
    let a = Box::into_raw(Box::new(Node { value: 1 })); //~ reclaimed into-raw
    let b = a;
    let c = b;
    let d = c;
    let e = d;
    unsafe {
        ptr::drop_in_place(e);
        dealloc(e as *mut u8, Layout::new::<Node>());
    }
}

pub fn freed_by_dealloc() {
    let p = Box::into_raw(Box::new(Node { value: 2 })); //~ reclaimed into-raw
    unsafe {
        ptr::drop_in_place(p);
        dealloc(p as *mut u8, Layout::new::<Node>());
    }
}

static CURRENT: AtomicPtr<Node> = AtomicPtr::new(ptr::null_mut());

pub fn publish(value: u64) {
    let p = Box::into_raw(Box::new(Node { value })); //~ intentional-static into-raw
    CURRENT.store(p, Ordering::Release);
}

pub fn unit() -> &'static mut () {
    Box::leak(Box::new(()))
}
