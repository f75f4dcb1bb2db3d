#![warn(unused)]
// `#[macro_use] extern crate lazy_static` at the crate root makes the macro visible everywhere.
#[macro_use]
extern crate lazy_static;

use std::collections::HashMap;

lazy_static! {
    static ref TABLE: HashMap<&'static str, u32> = { //@ fixes lazy-global: Replace
        let mut m = HashMap::new();
        m.insert("one", 1);
        m
    };
}

mod counters {
    lazy_static! {
        pub static ref NAMES: Vec<&'static str> = vec!["a", "b"]; //@ fixes lazy-global: Replace
    }
}

pub fn lookup(name: &str) -> Option<u32> {
    TABLE.get(name).copied().or(Some(counters::NAMES.len() as u32))
}
