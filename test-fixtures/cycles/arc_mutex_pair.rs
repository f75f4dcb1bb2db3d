// Two `Arc<Mutex<..>>` peers pointing at each other through their locks.
use std::sync::{Arc, Mutex};

struct Peer {
    id: u32,
    other: Option<Arc<Mutex<Peer>>>,
}

fn main() {
    let a = Arc::new(Mutex::new(Peer { id: 1, other: None }));
    let b = Arc::new(Mutex::new(Peer { id: 2, other: None }));
    a.lock().unwrap().other = Some(Arc::clone(&b));
    let mut guard = b.lock().unwrap();
    guard.other = Some(Arc::clone(&a)); //~ real-leak rc-cycle
    println!("{}", guard.id);
}
