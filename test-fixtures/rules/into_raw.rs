// into-raw: pairing with from_raw, foreign ownership, and pointers nobody takes back.
use std::ffi::CString;
use std::os::raw::c_char;
use std::os::unix::io::IntoRawFd;
use std::sync::Arc;

extern "C" {
    fn consume_name(name: *mut c_char);
    fn set_label(label: *mut c_char);
    fn register_node(node: *mut Node, release: extern "C" fn(*mut Node));
}

struct Node {
    value: u32,
}

fn lost() {
    let node = Box::new(Node { value: 1 });
    let raw = Box::into_raw(node); //~ real-leak into-raw
    unsafe { println!("{}", (*raw).value) };
}

fn lost_in_a_loop(names: &[&str]) {
    for n in names {
        let c = CString::new(*n).unwrap();
        let p = c.into_raw(); //~ real-leak into-raw
        let _ = p;
    }
}

fn discarded(a: Arc<u8>) {
    let _ = Arc::into_raw(a); //~ real-leak into-raw
}

fn paired() {
    let b = Box::new(Node { value: 2 });
    let raw = Box::into_raw(b); //~ reclaimed into-raw
    let back = unsafe { Box::from_raw(raw) };
    println!("{}", back.value);
}

// C cannot free Rust's memory: a pointer handed to C comes back only through a callback.
fn to_foreign_code(name: &str) {
    let c = CString::new(name).unwrap();
    unsafe { consume_name(c.into_raw()) }; //~ intentional-static into-raw
}

pub fn relabel(labels: &[&str]) {
    for l in labels {
        unsafe { set_label(CString::new(*l).unwrap().into_raw()) }; //~ real-leak into-raw
    }
}

extern "C" fn release_node(node: *mut Node) {
    drop(unsafe { Box::from_raw(node) });
}

pub fn register(value: u32) {
    let node = Box::into_raw(Box::new(Node { value })); //~ ownership-transfer into-raw
    unsafe { register_node(node, release_node) };
}

#[no_mangle]
pub extern "C" fn make_node() -> *mut Node {
    Box::into_raw(Box::new(Node { value: 3 })) //~ ownership-transfer into-raw
}

#[no_mangle]
pub extern "C" fn node_free(node: *mut Node) {
    if !node.is_null() {
        drop(unsafe { Box::from_raw(node) });
    }
}

#[no_mangle]
pub extern "C" fn make_name() -> *mut c_char {
    CString::new("x").unwrap().into_raw() //~ real-leak into-raw
}

fn handle(file: std::fs::File) -> i32 {
    file.into_raw_fd() //~ ownership-transfer into-raw
}

fn main() {
    lost();
    lost_in_a_loop(&[]);
    discarded(Arc::new(1));
    paired();
    to_foreign_code("x");
    let _ = make_node();
    let _ = handle(std::fs::File::open("/dev/null").unwrap());
}
