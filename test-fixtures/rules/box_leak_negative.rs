// Not box-leak: a function of our own named `leak`, and the word in strings and comments.
struct Pool {
    items: Vec<u8>,
}

impl Pool {
    // Our own `leak` method: it takes no allocation out of a Box.
    fn leak(&mut self) -> usize {
        self.items.len()
    }
}

fn leak(x: u32) -> u32 {
    x + 1
}

fn main() {
    let mut pool = Pool { items: vec![1] };
    let n = pool.leak();
    let m = leak(2);
    // Box::leak(Box::new(1)) in a comment is not code.
    let s = "Box::leak(Box::new(1)) in a string is not code either";
    println!("{} {} {}", n, m, s);
}
