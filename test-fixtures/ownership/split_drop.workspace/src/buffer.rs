// `Handle`'s `Drop` frees a `Box` pointer too, but not this one: `Buffer` has no `Drop` of its own.
pub struct Buffer {
    data: *mut Vec<u8>,
}

impl Buffer {
    pub fn with_capacity(n: usize) -> Buffer {
        Buffer { data: Box::into_raw(Box::new(Vec::with_capacity(n))) } //~ real-leak into-raw
    }

    pub fn len(&self) -> usize {
        unsafe { (*self.data).len() }
    }
}
