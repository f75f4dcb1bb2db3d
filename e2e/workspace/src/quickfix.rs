// The quick-fix scenario rewrites this file through the light bulb and saves it.
use std::collections::HashSet;

static mut REQUESTS: u64 = 0;

fn count_request() -> u64 {
    unsafe {
        REQUESTS += 1;
        REQUESTS
    }
}

fn remember_names(names: &[String]) -> HashSet<&'static str> {
    let mut seen = HashSet::new();
    for name in names {
        let kept: &'static str = Box::leak(name.clone().into_boxed_str());
        seen.insert(kept);
    }
    seen
}

fn main() {
    println!("{}", count_request());
    println!("{}", remember_names(&[]).len());
}
