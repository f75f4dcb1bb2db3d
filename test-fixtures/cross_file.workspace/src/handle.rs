// A handle type hands out raw pointers; `release.rs` takes them back with `Box::from_raw`.
pub struct Handle {
    pub id: u32,
}

pub fn open(id: u32) -> *mut Handle {
    Box::into_raw(Box::new(Handle { id })) //~ reclaimed into-raw
}

pub fn open_many(n: u32) -> Vec<*mut Handle> {
    (0..n).map(|id| Box::into_raw(Box::new(Handle { id }))).collect() //~ reclaimed into-raw
}

// `Rc` pointers are never reclaimed anywhere in this workspace.
pub fn share(v: std::rc::Rc<u32>) -> *const u32 {
    std::rc::Rc::into_raw(v) //~ real-leak into-raw
}
