pub struct Inner {
    pub id: u32,
}

pub struct Handle {
    pub(crate) raw: *mut Inner,
}

impl Handle {
    pub fn new(id: u32) -> Handle {
        Handle { raw: Box::into_raw(Box::new(Inner { id })) } //~ reclaimed into-raw
    }
}
