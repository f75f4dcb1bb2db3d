// ownership: a pointer handed to a `*mut T` parameter of a workspace function has the owner that
// function gives it. Functions are known by name: `f(p)` and `x.f(p)` are this crate's.
pub struct Job {
    pub id: u32,
}

// No `Drop`: the pointer `register` keeps here is never given back.
pub struct Registry {
    slot: *mut Job,
}

pub fn register(reg: &mut Registry, job: *mut Job) {
    reg.slot = job;
}

pub fn submit(reg: &mut Registry, id: u32) {
    let job = Box::into_raw(Box::new(Job { id })); //~ real-leak into-raw
    register(reg, job);
}

// `adopt` keeps it in a field that `Drop` frees.
pub struct Keeper {
    held: *mut Job,
}

impl Keeper {
    pub fn adopt(&mut self, job: *mut Job) {
        self.held = job;
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        unsafe { drop(Box::from_raw(self.held)) };
    }
}

pub fn keep(k: &mut Keeper, id: u32) {
    k.adopt(Box::into_raw(Box::new(Job { id }))); //~ reclaimed into-raw
}

// A `*const T` parameter is only read through: the caller still owns the pointer, and frees it.
pub fn peek(job: *const Job) -> u32 {
    unsafe { (*job).id }
}

pub fn inspect(id: u32) -> u32 {
    let job = Box::into_raw(Box::new(Job { id })); //~ reclaimed into-raw
    let seen = peek(job);
    unsafe { drop(Box::from_raw(job)) };
    seen
}

// The pointer moves on from the field it was stored in (`take` copies it into a `Token`, whose
// pointer `finish` frees): the field is not its last owner, so this is no confident leak.
pub struct Entry {
    packet: *mut Job,
}

pub struct Token {
    packet: *mut Job,
}

pub fn enqueue(e: &mut Entry, p: *mut Job) {
    e.packet = p;
}

pub fn send(e: &mut Entry, id: u32) {
    let p = Box::into_raw(Box::new(Job { id })); //~ reclaimed into-raw
    enqueue(e, p);
}

pub fn take(e: &Entry, t: &mut Token) {
    t.packet = e.packet;
}

pub fn finish(t: &mut Token) {
    unsafe { drop(Box::from_raw(t.packet)) };
}
