// The quick-fix scenario rewrites this file through the light bulb and saves it.
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

static REQUESTS: AtomicU64 = AtomicU64::new(0);

fn count_request() -> u64 {
    unsafe {
        REQUESTS.fetch_add(1, Ordering::Relaxed);
        REQUESTS.load(Ordering::Relaxed)
    }
}

fn remember_names(names: &[String]) -> HashSet<&'static str> {
    let mut seen = HashSet::new();
    for name in names {
        // leak-lens: allow(box-leak)
        let kept: &'static str = Box::leak(name.clone().into_boxed_str());
        seen.insert(kept);
    }
    seen
}

fn main() {
    println!("{}", count_request());
    println!("{}", remember_names(&[]).len());
}
