// lazy-global: every flavour of lazily initialised global; locals are not globals.
use std::cell::{Cell, OnceCell};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, OnceLock};

#[macro_use]
extern crate lazy_static;

static CONFIG: LazyLock<String> = LazyLock::new(|| "config".to_string()); //~ intentional-static lazy-global
static REGISTRY: OnceLock<Mutex<HashMap<String, u32>>> = OnceLock::new(); //~ intentional-static lazy-global
static CACHE: once_cell::sync::Lazy<Vec<u8>> = once_cell::sync::Lazy::new(Vec::new); //~ intentional-static lazy-global

lazy_static! {
    static ref TABLE: HashMap<u32, &'static str> = HashMap::new(); //~ intentional-static lazy-global
    static ref SEEN: Mutex<Vec<u32>> = Mutex::new(Vec::new()); //~ intentional-static lazy-global
}

thread_local! {
    static DEPTH: Cell<u32> = Cell::new(0); //~ intentional-static lazy-global
}

fn main() {
    let local = OnceCell::new();
    local.set(1).unwrap();
    println!("{} {:?} {:?} {} {:?}", *CONFIG, REGISTRY.get().is_some(), CACHE.len(), TABLE.len(), local.get());
    DEPTH.with(|d| d.set(d.get() + 1));
    SEEN.lock().unwrap().push(1);
}
