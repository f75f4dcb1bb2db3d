// ownership: `mem::forget(self)` and `ManuallyDrop::new(self)` skip `Self`'s destructor. Every field
// that owns memory and is not moved out first leaks.
use std::mem::{self, ManuallyDrop};
use std::ptr;
use std::sync::Arc;

struct Shared {
    count: u32,
}

pub struct Sender {
    inner: Arc<Shared>,
    id: u32,
}

impl Sender {
    // Forgets `inner`: the shared state is never freed.
    pub fn disconnect(self) -> u32 {
        let id = self.id;
        mem::forget(self); //~ real-leak mem-forget
        id
    }

    // Moves `inner` out first, then forgets the shell: nothing leaks.
    pub fn into_inner(self) -> Arc<Shared> {
        let inner = unsafe { ptr::read(&self.inner) };
        mem::forget(self); //~ ownership-transfer mem-forget
        inner
    }
}

impl Drop for Sender {
    fn drop(&mut self) {
        println!("sender {} dropped", self.id);
    }
}

pub struct Buffer {
    data: Vec<u8>,
    name: String,
}

impl Buffer {
    // `data` is taken out of the wrapper, `name` is not.
    pub fn into_data(self) -> Vec<u8> {
        let mut this = ManuallyDrop::new(self); //~ real-leak manually-drop
        mem::take(&mut this.data)
    }

    // Both owning fields are moved out first.
    pub fn into_parts(self) -> (Vec<u8>, String) {
        let mut this = ManuallyDrop::new(self); //~ ownership-transfer manually-drop
        (mem::take(&mut this.data), mem::take(&mut this.name))
    }
}

fn main() {
    let s = Sender { inner: Arc::new(Shared { count: 0 }), id: 1 };
    println!("{}", s.disconnect());
    let t = Sender { inner: Arc::new(Shared { count: 1 }), id: 2 };
    println!("{}", t.into_inner().count);
    let b = Buffer { data: vec![1], name: "b".into() };
    println!("{:?}", b.into_data());
    let c = Buffer { data: vec![2], name: "c".into() };
    println!("{:?}", c.into_parts());
}
