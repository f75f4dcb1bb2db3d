// A program of its own: nothing another example does can free its memory.
struct Node {
    value: u32,
}

fn main() {
    let mut table = Vec::new();
    for value in 0..3 {
        let p = Box::into_raw(Box::new(Node { value })); //~ real-leak into-raw
        table.push(p);
    }
    println!("{}", table.len());
}
