// ownership: a struct that keeps a raw pointer owns it. Only its `Drop` (or a method consuming it)
// can give it back; another type's `from_raw` does not.
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, Ordering};

struct Config {
    name: String,
}

// No `Drop`: every `Handle` dropped leaks its `Config`.
pub struct Handle {
    raw: *mut Config,
}

impl Handle {
    pub fn new(name: &str) -> Handle {
        Handle { raw: Box::into_raw(Box::new(Config { name: name.to_owned() })) } //~ real-leak into-raw
    }
    pub fn name(&self) -> &str {
        unsafe { &(*self.raw).name }
    }
}

// `Drop` gives the pointer back: nothing leaks.
pub struct Owned {
    raw: NonNull<Config>,
}

impl Owned {
    pub fn new(name: &str) -> Owned {
        let raw = Box::into_raw(Box::new(Config { name: name.to_owned() })); //~ reclaimed into-raw
        Owned { raw: unsafe { NonNull::new_unchecked(raw) } }
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        unsafe { drop(Box::from_raw(self.raw.as_ptr())) };
    }
}

// `swap` frees the value it replaces, but nothing frees the last one: no `Drop`.
pub struct Slot {
    current: AtomicPtr<Config>,
}

impl Slot {
    pub fn new() -> Slot {
        Slot { current: AtomicPtr::new(ptr::null_mut()) }
    }
    pub fn replace(&self, name: &str) {
        let fresh = Box::into_raw(Box::new(Config { name: name.to_owned() })); //~ real-leak into-raw
        let old = self.current.swap(fresh, Ordering::AcqRel);
        if !old.is_null() {
            unsafe { drop(Box::from_raw(old)) };
        }
    }
}

// A `Drop` that frees one field and forgets the other.
pub struct Pair {
    left: Option<*mut Config>,
    right: *mut Config,
}

impl Pair {
    pub fn new() -> Pair {
        Pair {
            left: Some(Box::into_raw(Box::new(Config { name: "l".into() }))), //~ reclaimed into-raw
            right: Box::into_raw(Box::new(Config { name: "r".into() })), //~ real-leak into-raw
        }
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        if let Some(l) = self.left.take() {
            unsafe { drop(Box::from_raw(l)) };
        }
    }
}

// Given back by a method that consumes the value.
pub struct Token {
    raw: *mut Config,
}

impl Token {
    pub fn new() -> Token {
        Token { raw: Box::into_raw(Box::new(Config { name: String::new() })) } //~ reclaimed into-raw
    }
    pub fn into_config(self) -> Config {
        *unsafe { Box::from_raw(self.raw) }
    }
}

// Released by an explicit call instead of a `Drop`: freed where that call is made.
pub struct Manual {
    raw: *mut Config,
}

impl Manual {
    pub fn new() -> Manual {
        Manual { raw: Box::into_raw(Box::new(Config { name: String::new() })) } //~ reclaimed into-raw
    }
    pub fn free(&mut self) {
        if !self.raw.is_null() {
            unsafe { drop(Box::from_raw(self.raw)) };
            self.raw = ptr::null_mut();
        }
    }
}

// Tuple structs own their fields the same way.
pub struct Raw(*mut Config);

impl Raw {
    pub fn new() -> Self {
        Self(Box::into_raw(Box::new(Config { name: String::new() }))) //~ real-leak into-raw
    }
}

pub struct RawOwned(NonNull<Config>);

impl RawOwned {
    pub fn new() -> RawOwned {
        RawOwned(NonNull::from(Box::leak(Box::new(Config { name: String::new() })))) //~ reclaimed box-leak
    }
}

impl Drop for RawOwned {
    fn drop(&mut self) {
        unsafe { drop(Box::from_raw(self.0.as_ptr())) };
    }
}

fn main() {
    let h = Handle::new("a");
    println!("{}", h.name());
    let _o = Owned::new("b");
    let s = Slot::new();
    for n in ["c", "d"] {
        s.replace(n);
    }
    let _p = Pair::new();
    println!("{}", Token::new().into_config().name);
    Manual::new().free();
}
