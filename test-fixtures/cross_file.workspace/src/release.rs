use crate::handle::Handle;

pub unsafe fn close(h: *mut Handle) {
    drop(Box::from_raw(h));
}
