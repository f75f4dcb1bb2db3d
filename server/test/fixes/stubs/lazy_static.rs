// Stand-in for the lazy_static crate in the fix matrix: the macro expands to a Deref wrapper, as the real one does.
#[macro_export]
macro_rules! lazy_static {
    ($(#[$attr:meta])* $vis:vis static ref $name:ident : $t:ty = $init:expr; $($rest:tt)*) => {
        $(#[$attr])* $vis static $name: $crate::Lazy<$t> = $crate::Lazy::new(|| $init);
        $crate::lazy_static!($($rest)*);
    };
    () => {};
}
pub struct Lazy<T>(std::sync::LazyLock<T>);
impl<T> Lazy<T> {
    pub const fn new(f: fn() -> T) -> Self { Lazy(std::sync::LazyLock::new(f)) }
}
impl<T> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T { &self.0 }
}
pub trait LazyStatic { fn initialize(lazy: &Self); }
impl<T> LazyStatic for Lazy<T> { fn initialize(lazy: &Self) { let _ = &**lazy; } }
pub fn initialize<T: LazyStatic>(lazy: &T) { LazyStatic::initialize(lazy); }
