// From the standard library (alloc/src/ffi/c_str.rs, std/src/io/error/repr_bitpacked.rs,
// core/tests/ptr.rs): raw pointers that travel on through a tuple, a cast or a wrapper type before
// being reclaimed. Each was a false "real leak" in the corpus run.
use std::ptr::NonNull;

fn transmute_vec(v: Vec<i8>) -> Vec<u8> {
    let (ptr, len, cap) = v.into_raw_parts(); //~ reclaimed into-raw
    unsafe { Vec::from_raw_parts(ptr.cast::<u8>(), len, cap) }
}

struct Repr(NonNull<()>);

fn new_custom(b: Box<u64>) -> Repr {
    let p = Box::into_raw(b).cast::<u8>(); //~ reclaimed into-raw
    let tagged = p.wrapping_add(1).cast::<()>();
    Repr(unsafe { NonNull::new_unchecked(tagged) })
}

struct Tagged<T>(NonNull<T>);

impl<T> Tagged<T> {
    fn new(p: *mut T) -> Option<Self> {
        NonNull::new(p).map(Tagged)
    }
    fn pointer(&self) -> NonNull<T> {
        self.0
    }
}

fn tagged_round_trip() {
    let raw_pointer = Box::into_raw(Box::new(10)); //~ reclaimed into-raw
    let p = Tagged::new(raw_pointer).unwrap();
    unsafe { drop(Box::from_raw(p.pointer().as_ptr())) };
}

fn main() {
    let _ = transmute_vec(vec![1]);
    let _ = new_custom(Box::new(1));
    tagged_round_trip();
}
