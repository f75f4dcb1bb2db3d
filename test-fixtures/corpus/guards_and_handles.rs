// From alloc's binary_heap.rs/slice.rs (drop guards), std's sys/*/stdio.rs (borrowed handles),
// bytes' bytes_mut.rs (a Vec rebuilt from raw parts) and rayon-core's scope (a Box whose pointer
// was stored first). All were reported as real leaks before the corpus review; none leaks.
use std::mem::{self, ManuallyDrop};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

struct Hole<'a> {
    data: &'a mut [u32],
    pos: usize,
}

impl Drop for Hole<'_> {
    fn drop(&mut self) {
        self.data[self.pos] = 0;
    }
}

fn sift(data: &mut [u32]) {
    let mut pos = 0;
    while pos < data.len() {
        let guard = Hole { data: &mut *data, pos };
        mem::forget(guard); //~ ownership-transfer mem-forget
        pos += 1;
    }
}

struct Fd(i32);

impl Fd {
    fn write(&self, buf: &[u8]) -> usize {
        buf.len() + self.0 as usize
    }
}

fn handle() -> Fd {
    Fd(1)
}

fn write_stdout(buf: &[u8]) -> usize {
    ManuallyDrop::new(handle()).write(buf) //~ ownership-transfer manually-drop
}

unsafe fn rebuild_vec(ptr: *mut u8, len: usize, cap: usize) -> Vec<u8> {
    Vec::from_raw_parts(ptr, len, cap)
}

unsafe fn peek(ptr: *mut u8, len: usize, cap: usize) {
    let v = rebuild_vec(ptr, len, cap);
    println!("{}", v.len());
    ManuallyDrop::new(v); //~ ownership-transfer manually-drop
}

struct Scope {
    panic: AtomicPtr<Box<u32>>,
}

impl Scope {
    fn job_panicked(&self, err: Box<u32>) {
        let nil = ptr::null_mut();
        let mut err = Box::new(err);
        if self.panic.compare_exchange(nil, &mut *err, Ordering::Release, Ordering::Relaxed).is_ok() {
            mem::forget(err); //~ ownership-transfer mem-forget
        }
    }
}

fn main() {
    sift(&mut [1, 2]);
    write_stdout(b"x");
    Scope { panic: AtomicPtr::new(ptr::null_mut()) }.job_panicked(Box::new(1));
}
