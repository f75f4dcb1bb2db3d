// Stand-in for the once_cell crate in the fix matrix: the API surface the fixtures use, type-checked only.
pub mod sync {
    use std::ops::Deref;
    pub struct Lazy<T, F = fn() -> T>(std::sync::LazyLock<T, F>);
    impl<T, F: FnOnce() -> T> Lazy<T, F> {
        pub const fn new(f: F) -> Self { Lazy(std::sync::LazyLock::new(f)) }
        pub fn force(this: &Self) -> &T { &this.0 }
        pub fn get(_this: &Self) -> Option<&T> { unimplemented!() }
        pub fn get_mut(_this: &mut Self) -> Option<&mut T> { unimplemented!() }
        pub fn force_mut(_this: &mut Self) -> &mut T { unimplemented!() }
    }
    impl<T, F: FnOnce() -> T> Deref for Lazy<T, F> {
        type Target = T;
        fn deref(&self) -> &T { &self.0 }
    }
    pub struct OnceCell<T>(std::sync::OnceLock<T>);
    impl<T> OnceCell<T> {
        pub const fn new() -> Self { OnceCell(std::sync::OnceLock::new()) }
        pub fn get(&self) -> Option<&T> { self.0.get() }
        pub fn get_mut(&mut self) -> Option<&mut T> { self.0.get_mut() }
        pub fn set(&self, value: T) -> Result<(), T> { self.0.set(value) }
        pub fn get_or_init<F: FnOnce() -> T>(&self, f: F) -> &T { self.0.get_or_init(f) }
        pub fn get_or_try_init<F: FnOnce() -> Result<T, E>, E>(&self, _f: F) -> Result<&T, E> { unimplemented!() }
        pub fn take(&mut self) -> Option<T> { self.0.take() }
        pub fn into_inner(self) -> Option<T> { self.0.into_inner() }
        pub fn wait(&self) -> &T { unimplemented!() }
        pub fn with_value(value: T) -> Self { let c = Self::new(); let _ = c.set(value); c }
    }
}
pub mod unsync {
    pub use std::cell::LazyCell as Lazy;
    pub use std::cell::OnceCell;
}
pub mod race {
    pub struct OnceBox<T>(std::sync::OnceLock<Box<T>>);
    impl<T> OnceBox<T> {
        pub const fn new() -> Self { OnceBox(std::sync::OnceLock::new()) }
        pub fn get(&self) -> Option<&T> { self.0.get().map(|b| &**b) }
    }
}
