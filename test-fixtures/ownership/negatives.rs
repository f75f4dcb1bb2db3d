// ownership: correct code that must stay quiet — raw parts rebuilt into a `Vec`, a C API whose
// buffers come back through an exported free, and a waker vtable balancing `Arc` counts.
use std::mem::{self, ManuallyDrop};
use std::os::raw::c_void;
use std::sync::Arc;
use std::task::{RawWaker, RawWakerVTable, Waker};

#[repr(C)]
pub struct Bytes {
    ptr: *mut u8,
    len: usize,
    cap: usize,
}

// The parts go to C inside a struct, and come back through `bytes_free`.
#[no_mangle]
pub extern "C" fn bytes_new(len: usize) -> Bytes {
    let mut v = vec![0u8; len];
    let b = Bytes { ptr: v.as_mut_ptr(), len: v.len(), cap: v.capacity() };
    mem::forget(v); //~ ownership-transfer mem-forget
    b
}

#[no_mangle]
pub unsafe extern "C" fn bytes_free(b: Bytes) {
    drop(Vec::from_raw_parts(b.ptr, b.len, b.cap));
}

// Rust code keeps the parts and rebuilds them.
pub fn round_trip(v: Vec<u32>) -> Vec<u32> {
    let mut v = ManuallyDrop::new(v); //~ reclaimed manually-drop
    let (ptr, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
    unsafe { Vec::from_raw_parts(ptr, len, cap) }
}

struct Task {
    id: u32,
}

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

unsafe fn clone(data: *const ()) -> RawWaker {
    Arc::increment_strong_count(data as *const Task);
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    let task = Arc::from_raw(data as *const Task);
    println!("wake {}", task.id);
}

unsafe fn wake_by_ref(data: *const ()) {
    let task = ManuallyDrop::new(Arc::from_raw(data as *const Task)); //~ ownership-transfer manually-drop
    println!("wake {}", task.id);
}

unsafe fn drop_waker(data: *const ()) {
    Arc::decrement_strong_count(data as *const Task);
}

pub fn waker_for(task: Arc<Task>) -> Waker {
    let data = Arc::into_raw(task) as *const (); //~ reclaimed into-raw
    unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) }
}

pub fn opaque(p: *mut c_void) -> *mut c_void {
    p
}
