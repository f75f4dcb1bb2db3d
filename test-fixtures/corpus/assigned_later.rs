// From once_cell's race.rs and erased-serde's any.rs: the raw pointer is assigned to a variable
// declared earlier, then published with compare_exchange or stored in a struct that frees it.
// Both were false "real leaks" before assignments were followed like `let` bindings.
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

pub struct OnceBox<T> {
    inner: AtomicPtr<T>,
}

impl<T> OnceBox<T> {
    pub fn get_or_init(&self, f: impl FnOnce() -> Box<T>) -> &T {
        let mut ptr = self.inner.load(Ordering::Acquire);
        if ptr.is_null() {
            ptr = Box::into_raw(f()); //~ reclaimed into-raw
            if let Err(old) = self.inner.compare_exchange(ptr::null_mut(), ptr, Ordering::AcqRel, Ordering::Acquire) {
                drop(unsafe { Box::from_raw(ptr) });
                ptr = old;
            }
        }
        unsafe { &*ptr }
    }
}

struct Value {
    ptr: *mut (),
    drop: unsafe fn(&mut *mut ()),
}

impl Drop for Value {
    fn drop(&mut self) {
        unsafe { (self.drop)(&mut self.ptr) }
    }
}

unsafe fn drop_box<T>(ptr: &mut *mut ()) {
    drop(Box::from_raw(*ptr as *mut T));
}

fn erase<T>(t: T) -> Value {
    let value;
    let ptr = Box::into_raw(Box::new(t)) as *mut (); //~ reclaimed into-raw
    value = Value { ptr, drop: drop_box::<T> };
    value
}

fn main() {
    let cell = OnceBox { inner: AtomicPtr::new(ptr::null_mut()) };
    println!("{}", cell.get_or_init(|| Box::new(1)));
    let _ = erase(5u8);
}
