// Re-exports define nothing: a call through `prelude::label` is a call of `labels::label`.
pub use crate::labels::label;
