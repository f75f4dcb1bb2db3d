// A crate whose types, constructors and `Drop` impls live in different files.
mod buffer;
mod handle;
mod handle_drop;

pub use buffer::Buffer;
pub use handle::Handle;
