// Interns a name for the rest of the program; `main` calls it once.
pub fn intern(s: String) -> &'static str {
    Box::leak(s.into_boxed_str()) //~ intentional-static box-leak
}
