// A bare `name(…)` calls the `fn name` of its own module (or block) when there is one, whatever
// leaking function of that name lives in another file.
mod labels;
mod names;

// Same name as `names::intern`: the loop in `main` calls this one, not the leaking one.
fn intern(x: u32) -> u32 {
    x + 1
}

// Same name as `labels::label`, but only this file's top-level module sees it: `worker` does not.
fn label(x: u32) -> u32 {
    x * 2
}

mod worker {
    use crate::labels::label;

    pub fn run(items: &[String]) {
        for s in items {
            println!("{}", label(s));
        }
    }
}

fn main() {
    let app = names::intern(String::from("app"));
    let mut n = 1;
    while intern(n) < 10 {
        n = label(n);
    }
    for i in 0..3 {
        n += self::intern(i);
    }
    worker::run(&[app.to_owned(), n.to_string()]);
}
