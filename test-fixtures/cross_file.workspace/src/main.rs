mod handle;
mod release;

// Per-request config loader: called in a loop in another function of this workspace.
fn load_config(path: &str) -> &'static str {
    Box::leak(path.to_owned().into_boxed_str()) //~ real-leak box-leak
}

fn serve(paths: &[&str]) {
    for p in paths {
        let cfg = load_config(p);
        let h = handle::open(cfg.len() as u32);
        unsafe { release::close(h) };
    }
}

fn main() {
    serve(&["a"]);
}
