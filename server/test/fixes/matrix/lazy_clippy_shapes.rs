#![warn(unused)]
#![allow(static_mut_refs)]
//! The shapes clippy's `non_std_lazy_statics` tests use: block initialisers, a `static mut` of a
//! lazy type, full paths in a nested module, another once_cell type, and a `lazy_static!` beside.

use lazy_static::lazy_static;
use once_cell::race::OnceBox;
use once_cell::sync::Lazy;

static LAZY_FOO: Lazy<String> = Lazy::new(|| "foo".to_uppercase()); //@ fixes lazy-global: Use
static LAZY_BAZ: Lazy<String> = { Lazy::new(|| "baz".to_uppercase()) }; //@ fixes lazy-global: Use
static LAZY_QUX: Lazy<String> = {
    if "qux".len() == 3 {
        Lazy::new(|| "qux".to_uppercase())
    } else {
        Lazy::new(|| "other".to_uppercase())
    }
};
static mut LAZY_MUT: Lazy<String> = Lazy::new(|| "mut".to_uppercase()); //@ fixes lazy-global: Use
//@^ fixes static-mut: Remove

lazy_static! {
    static ref LAZY_STATIC: Vec<u16> = vec![1, 2, 3]; //@ fixes lazy-global: Replace
}

fn uses_another_once_cell_type(x: OnceBox<String>) -> bool {
    x.get().is_some()
}

pub mod in_full {
    pub static IN_FULL: once_cell::sync::Lazy<Vec<u8>> = once_cell::sync::Lazy::new(Vec::new); //@ fixes lazy-global: Use

    pub fn len() -> usize {
        IN_FULL.len()
    }
}

pub fn all() -> usize {
    let total = LAZY_FOO.len() + LAZY_BAZ.len() + LAZY_QUX.len() + LAZY_STATIC.len() + in_full::len();
    unsafe { total + LAZY_MUT.len() }
}
