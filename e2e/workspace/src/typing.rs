// The as-you-type scenario edits this file without saving it.
fn main() {
    let names = ["alpha", "beta"];
    for name in names {
        println!("{}", name);
    }
}
