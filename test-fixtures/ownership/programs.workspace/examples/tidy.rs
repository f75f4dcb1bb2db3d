// Another program in the same folder: its `from_raw` frees only its own pointer.
struct Node {
    value: u32,
}

fn main() {
    let p = Box::into_raw(Box::new(Node { value: 7 })); //~ reclaimed into-raw
    let back = unsafe { Box::from_raw(p) };
    println!("{}", back.value);
}
