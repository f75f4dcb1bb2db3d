#![allow(dead_code)]
// lazy_static! in nested modules: each rewrite imports `LazyLock` into its own module.

mod outer {
    use lazy_static::lazy_static;

    lazy_static! {
        static ref FIRST: Vec<u8> = vec![1, 2]; //@ fixes lazy-global: Replace
    }

    lazy_static! {
        /// Documented.
        pub(crate) static ref SECOND: String = String::from("second"); //@ fixes lazy-global: Replace
    }

    pub mod inner {
        lazy_static::lazy_static! {
            pub static ref THIRD: usize = 3; //@ fixes lazy-global: Replace
        }
    }

    pub fn total() -> usize {
        FIRST.len() + SECOND.len() + *inner::THIRD
    }
}

pub fn total() -> usize {
    outer::total()
}
