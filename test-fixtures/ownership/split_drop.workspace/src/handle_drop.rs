use crate::handle::Handle;

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { drop(Box::from_raw(self.raw)) };
    }
}
