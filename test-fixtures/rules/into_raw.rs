// into-raw: pairing with from_raw, foreign ownership, and pointers nobody takes back.
use std::ffi::CString;
use std::os::raw::c_char;
use std::os::unix::io::IntoRawFd;
use std::sync::Arc;

extern "C" {
    fn consume_name(name: *mut c_char);
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

fn to_foreign_code(name: &str) {
    let c = CString::new(name).unwrap();
    unsafe { consume_name(c.into_raw()) }; //~ ownership-transfer into-raw
}

#[no_mangle]
pub extern "C" fn make_node() -> *mut Node {
    Box::into_raw(Box::new(Node { value: 3 })) //~ ownership-transfer into-raw
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
