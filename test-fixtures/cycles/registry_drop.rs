// A registry of entries that point back at their owner. Only the owner's `Drop` empties it, and
// that `Drop` never runs: every entry keeps the owner alive.
use std::sync::{Arc, Mutex};

struct Owner {
    name: String,
    registry: Mutex<Vec<Arc<Entry>>>,
}

struct Entry {
    owner: Arc<Owner>,
}

impl Owner {
    fn register(self: &Arc<Self>) {
        let entry = Arc::new(Entry { owner: Arc::clone(self) });
        self.registry.lock().unwrap().push(entry); //~ real-leak rc-cycle
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.registry.lock().unwrap().clear();
    }
}

fn main() {
    let owner = Arc::new(Owner { name: "o".into(), registry: Mutex::new(Vec::new()) });
    owner.register();
    println!("{}", owner.name);
}
