#![allow(dead_code)]
// The `Once` + `static mut` pattern inside a module, and one whose value is not `Sync`.

pub mod config {
    use std::sync::Once;

    static INIT: Once = Once::new();
    static mut VALUE: Option<String> = None; //@ fixes static-mut: none

    pub fn get() -> &'static str {
        unsafe {
            INIT.call_once(|| { //@ fixes once-static-mut: Replace
                VALUE = Some(String::from("configured"));
            });
            VALUE.as_ref().unwrap()
        }
    }
}

pub mod raw {
    use std::sync::Once;

    static INIT: Once = Once::new();
    static mut PTR: Option<*mut u8> = None; //@ fixes static-mut: none

    pub fn get() -> bool {
        unsafe {
            INIT.call_once(|| { //@ fixes once-static-mut: none
                PTR = Some(Box::into_raw(Box::new(0u8)));
            });
            PTR.is_some()
        }
    }
}
