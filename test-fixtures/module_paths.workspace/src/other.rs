// A function of the same name in another module: the loops in `main` and `worker` call this one.
pub fn intern(x: u32) -> u32 {
    x + 1
}
