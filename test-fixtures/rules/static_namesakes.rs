// Statics are resolved module by module: two statics of one name in different modules are two
// statics, and a `static mut` of a lazy type is both a mutable global and a lazy global.
use std::sync::{LazyLock, Mutex, OnceLock};

static LAZY_BAZ: LazyLock<String> = LazyLock::new(|| "baz".to_string()); //~ intentional-static lazy-global

mod inner {
    pub static mut LAZY_BAZ: u32 = 0; //~ intentional-static static-mut

    pub fn bump() -> u32 {
        unsafe {
            LAZY_BAZ += 1;
            let r = &LAZY_BAZ; //~ intentional-static static-mut
            *r
        }
    }

    pub mod deeper {
        // Not in scope here without a `use`: this is the block's own local static.
        pub fn read() -> usize {
            static LAZY_BAZ: &str = "local";
            let r = &LAZY_BAZ;
            r.len()
        }
    }
}

mod reader {
    use super::*;

    // The crate root's `LazyLock`, through the glob import: a shared borrow of a safe static.
    pub fn read() -> usize {
        let s = &LAZY_BAZ;
        s.len() + LAZY_BAZ.len()
    }
}

mod importer {
    use super::inner::LAZY_BAZ;

    pub fn peek() -> u32 {
        unsafe {
            let r = &LAZY_BAZ; //~ intentional-static static-mut
            *r + super::inner::LAZY_BAZ
        }
    }

    pub fn path() -> usize {
        crate::LAZY_BAZ.len()
    }
}

static mut CACHE: LazyLock<Vec<u8>> = LazyLock::new(Vec::new); //~ intentional-static static-mut
//~^ intentional-static lazy-global
static mut SLOT: OnceLock<Mutex<u32>> = OnceLock::new(); //~ intentional-static static-mut
//~^ intentional-static lazy-global

pub fn use_them() -> usize {
    unsafe {
        let bytes = &*CACHE; // an overloaded deref, not a reference rustc flags
        bytes.len() + SLOT.get().map_or(0, |m| *m.lock().unwrap() as usize) //~ intentional-static static-mut
    }
}
