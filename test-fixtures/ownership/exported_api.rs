// ownership: a C API exported by Rust. What it returns is freed only by the exported function that
// takes it back; foreign code cannot free it otherwise.
use std::ffi::CString;
use std::os::raw::c_char;

pub struct Parser {
    depth: u32,
}

#[no_mangle]
pub extern "C" fn parser_new() -> *mut Parser {
    Box::into_raw(Box::new(Parser { depth: 0 })) //~ ownership-transfer into-raw
}

#[no_mangle]
pub unsafe extern "C" fn parser_free(p: *mut Parser) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}

#[no_mangle]
pub extern "C" fn parser_depth(p: *const Parser) -> u32 {
    unsafe { (*p).depth }
}

// Nothing exported takes a string back: each call leaks one.
#[no_mangle]
pub extern "C" fn parser_version() -> *mut c_char {
    CString::new("1.0").unwrap().into_raw() //~ real-leak into-raw
}
