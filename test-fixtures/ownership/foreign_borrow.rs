// ownership: C cannot free memory from Rust's allocator. A pointer given to a foreign function is
// freed only if it comes back to Rust (a callback, an exported `*_free`); otherwise it leaks as
// often as the code runs.
use std::ffi::CString;
use std::os::raw::{c_char, c_void};

extern "C" {
    fn log_message(msg: *const c_char);
    fn putenv(s: *mut c_char) -> i32;
    fn write_buf(buf: *mut u8, len: usize);
    fn attach(data: *mut c_void, destroy: extern "C" fn(*mut c_void));
    fn on_click(data: *mut c_void, destroy: extern "C" fn(*mut c_void));
}

#[derive(Debug)]
pub struct Error;

// Per call: the C function only copies the string.
pub fn log(msg: &str) -> Result<(), Error> {
    let c = CString::new(msg).map_err(|_| Error)?.into_raw(); //~ real-leak into-raw
    unsafe { log_message(c) };
    Ok(())
}

// The buffer is given to C and forgotten: its memory is never freed.
pub fn send(data: &[u8]) {
    let mut v = data.to_vec();
    let p = v.as_mut_ptr();
    let len = v.len();
    std::mem::forget(v); //~ real-leak mem-forget
    unsafe { write_buf(p, len) };
}

struct State {
    hits: u32,
}

extern "C" fn destroy_state(data: *mut c_void) {
    drop(unsafe { Box::from_raw(data as *mut State) });
}

// C calls `destroy_state` when it is done: ownership really moves.
pub fn attach_state() {
    let state = Box::into_raw(Box::new(State { hits: 0 })) as *mut c_void; //~ ownership-transfer into-raw
    unsafe { attach(state, destroy_state) };
}

struct Handler {
    id: u32,
}

// The destroy callback forgets to take the `Handler` back.
extern "C" fn forget_handler(_data: *mut c_void) {}

pub fn listen(id: u32) {
    let h = Box::into_raw(Box::new(Handler { id })) as *mut c_void; //~ real-leak into-raw
    unsafe { on_click(h, forget_handler) };
}

fn main() {
    // Once, in `main`: the environment keeps the string for the life of the program.
    let var = CString::new("MODE=fast").unwrap();
    unsafe { putenv(var.into_raw()) }; //~ intentional-static into-raw
    for line in ["a", "b"] {
        log(line).unwrap();
    }
    for chunk in [&b"xyz"[..], b"uvw"] {
        send(chunk);
    }
    attach_state();
    for id in 0..3 {
        listen(id);
    }
}
