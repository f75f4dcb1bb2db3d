// A call written `module::name(…)`, or a bare `name` imported from a module, is of the `fn name`
// that module defines, whatever leaking function of that name lives in another module.
mod labels;
mod names;
mod other;
mod prelude;
mod worker;

fn main() {
    let app = names::intern(String::from("app"));
    let mut n = 0;
    while other::intern(n) < 10 {
        n += 1;
    }
    for item in ["a", "b"] {
        println!("{} {}", app, prelude::label(item));
    }
    println!("{}", worker::run(n));
}
