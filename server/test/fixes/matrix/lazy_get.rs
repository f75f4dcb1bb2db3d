#![allow(dead_code)]
// `Lazy::get`, `Lazy::get_mut` and `Lazy::force_mut` have no stable `LazyLock` counterpart:
// no rewrite of the file is offered.
use once_cell::sync::Lazy;

static PEEKED: Lazy<u32> = Lazy::new(|| 1); //@ fixes lazy-global: none

pub fn peek() -> Option<&'static u32> {
    Lazy::get(&PEEKED)
}

pub fn tweak(local: &mut Lazy<Vec<u8>>) {
    if let Some(v) = Lazy::get_mut(local) {
        v.push(1);
    }
    Lazy::force_mut(local).push(2);
}
