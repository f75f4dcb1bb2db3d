use crate::other::intern;

// `intern` here is the one imported from `other`, not the leaking `names::intern`.
pub fn run(n: u32) -> u32 {
    let mut total = 0;
    for i in 0..n {
        total += intern(i);
    }
    total
}
