#![warn(unused)]
#![allow(dead_code)]
//! once_cell globals at the crate root and in nested modules, each module with its own imports.

use once_cell::sync::Lazy;

static LAZY_FOO: Lazy<String> = Lazy::new(|| "foo".to_uppercase()); //@ fixes lazy-global: Use
static LAZY_BAR: Lazy<String> = Lazy::new(|| {
    let x = "bar";
    x.to_uppercase()
});
static LAZY_BAZ: Lazy<Vec<u8>> = Lazy::new(Vec::new);

mod with_own_import {
    use once_cell::sync::{Lazy, OnceCell};

    static LAZY_FOO: Lazy<String> = Lazy::new(|| "inner foo".to_uppercase()); //@ fixes lazy-global: Use
    pub static CELL: OnceCell<u32> = OnceCell::new();

    pub fn read() -> usize {
        let _ = CELL.set(1);
        LAZY_FOO.len() + *CELL.get().unwrap_or(&0) as usize
    }
}

pub mod nested {
    use super::*;

    // `Lazy` is the crate root's import, seen through the glob.
    pub static LOCAL: Lazy<u8> = Lazy::new(|| 1); //@ fixes lazy-global: Use

    pub mod deeper {
        pub static FULL: once_cell::sync::Lazy<u16> = once_cell::sync::Lazy::new(|| 2); //@ fixes lazy-global: Use
    }

    pub fn read() -> usize {
        LAZY_FOO.len() + *LOCAL as usize + *deeper::FULL as usize
    }
}

pub fn first() -> usize {
    LAZY_FOO.len() + LAZY_BAR.len() + LAZY_BAZ.len() + with_own_import::read() + nested::read()
}
