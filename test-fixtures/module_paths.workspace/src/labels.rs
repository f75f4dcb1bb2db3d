// Leaks a label per call; `main` calls it for every item, through the prelude's re-export.
pub fn label(s: &str) -> &'static str {
    Box::leak(format!("[{s}]").into_boxed_str()) //~ real-leak box-leak
}
