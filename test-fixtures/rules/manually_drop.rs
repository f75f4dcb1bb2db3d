// manually-drop: a ManuallyDrop must be dropped, unwrapped or taken again by someone.
use std::mem::ManuallyDrop;
use std::fs::File;
use std::io::Write;
use std::os::unix::io::FromRawFd;
use std::sync::Arc;

struct Holder {
    inner: ManuallyDrop<Vec<u8>>,
}

impl Holder {
    fn new() -> Self {
        Holder { inner: ManuallyDrop::new(Vec::new()) } //~ reclaimed manually-drop
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        unsafe { ManuallyDrop::drop(&mut self.inner) };
    }
}

fn never_dropped() {
    let slot = ManuallyDrop::new(String::from("lost")); //~ real-leak manually-drop
    println!("{}", *slot);
}

fn unwrapped() -> String {
    let slot = ManuallyDrop::new(String::from("kept")); //~ reclaimed manually-drop
    ManuallyDrop::into_inner(slot)
}

// Borrowing a file descriptor we do not own: the destructor must not close it.
fn write_to_stdout(data: &[u8]) {
    let mut out = ManuallyDrop::new(unsafe { File::from_raw_fd(1) }); //~ ownership-transfer manually-drop
    let _ = out.write_all(data);
}

// A waker-style borrow of an Arc whose count belongs to a raw pointer.
unsafe fn wake_by_ref(ptr: *const u8) {
    let arc = ManuallyDrop::new(Arc::from_raw(ptr)); //~ ownership-transfer manually-drop
    println!("{}", **arc);
}

fn nothing_to_drop() {
    let n = ManuallyDrop::new(5u8);
    println!("{}", *n);
}

fn main() {
    let _ = Holder::new();
    never_dropped();
    let _ = unwrapped();
    write_to_stdout(b"hi");
    nothing_to_drop();
    unsafe { wake_by_ref(std::ptr::null()) };
}
