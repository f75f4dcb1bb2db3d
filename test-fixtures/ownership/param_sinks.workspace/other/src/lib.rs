// Another crate's namesakes of `app`'s functions: they free their `*mut` parameter, but `app`'s
// calls of `register` and `adopt` are of its own functions, so they free nothing of `app`'s.
pub struct Job;

pub fn register(_reg: &mut u8, job: *mut Job) {
    unsafe { drop(Box::from_raw(job)) };
}

pub struct Keeper;

impl Keeper {
    pub fn adopt(&mut self, job: *mut Job) {
        unsafe { drop(Box::from_raw(job)) };
    }
}
