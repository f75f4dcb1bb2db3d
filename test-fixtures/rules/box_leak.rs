// box-leak: every form of the call, and each way the leaked reference can live or die.
use std::boxed::Box as Owned;
use std::sync::OnceLock;

static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new(); //~ intentional-static lazy-global
static mut LAST: Option<&'static str> = None; //~ intentional-static static-mut

struct Request {
    path: String,
}

fn per_iteration(lines: &[String]) {
    for line in lines {
        let s: &'static str = Box::leak(line.clone().into_boxed_str()); //~ real-leak box-leak
        println!("{}", s);
    }
    let mut i = 0;
    while i < 3 {
        std::boxed::Box::leak(Box::new(i)); //~ real-leak box-leak
        i += 1;
    }
    loop {
        let v = vec![1, 2, 3].leak(); //~ real-leak box-leak
        if v.len() == 3 {
            break;
        }
    }
}

fn per_element(items: Vec<String>) -> Vec<&'static str> {
    items.into_iter().map(|s| &*s.leak()).collect() //~ real-leak box-leak
}

fn as_function_value(items: Vec<Box<u32>>) -> Vec<&'static mut u32> {
    items.into_iter().map(Box::leak).collect() //~ real-leak box-leak
}

fn discarded() {
    Box::leak(Box::new([0u8; 64])); //~ real-leak box-leak
    let _ = Owned::leak(Box::new(1u64)); //~ real-leak box-leak
}

fn dies_with_the_function() {
    let greeting = String::from("hello").leak(); //~ real-leak box-leak
    println!("{}", greeting);
}

// Called once per request from `serve`'s loop: a leak per request.
fn handle(req: &Request) -> &'static str {
    Box::leak(req.path.clone().into_boxed_str()) //~ real-leak box-leak
}

fn serve(requests: Vec<Request>) {
    for req in &requests {
        // A call inside a macro's arguments is still a call per iteration.
        println!("{}", handle(req));
    }
}

// Called with a turbofish inside a loop: still a leak per iteration.
fn intern<T: ToString>(value: T) -> &'static str {
    Box::leak(value.to_string().into_boxed_str()) //~ real-leak box-leak
}

fn intern_all(ids: &[u32]) {
    for id in ids {
        let name = intern::<u32>(*id);
        println!("{}", name);
    }
}

// Called from `main` only: the leaked table lives for the whole program.
fn build_table() -> &'static [u32] {
    let table: Vec<u32> = (0..256).collect();
    Box::leak(table.into_boxed_slice()) //~ intentional-static box-leak
}

fn names() -> &'static Vec<&'static str> {
    NAMES.get_or_init(|| {
        // Inside a once-initialiser, even the loop runs only once per program.
        ["a", "b"].iter().map(|n| &*Box::leak(n.to_string().into_boxed_str())).collect() //~ intentional-static box-leak
    })
}

fn remember(name: String) {
    unsafe {
        LAST = Some(Box::leak(name.into_boxed_str())); //~ intentional-static box-leak
    }
}

// The caller uses the name only through inline format arguments (Rust 2021): it keeps it.
fn app_name() -> &'static str {
    Box::leak(String::from("leak-lens").into_boxed_str()) //~ intentional-static box-leak
}

// The caller's only mention is inside escaped braces, which print `{tag}` literally: it is lost.
fn label() -> &'static str {
    Box::leak(String::from("label").into_boxed_str()) //~ real-leak box-leak
}

fn print_names() {
    let app = app_name();
    println!("{app} {app:>12}");
    let tag = label();
    println!("{{tag}}");
}

fn main() {
    let table = build_table();
    let config: &'static mut Vec<u8> = Box::leak(Box::new(Vec::new())); //~ intentional-static box-leak
    config.push(table[0] as u8);
    per_iteration(&[]);
    per_element(vec![]);
    as_function_value(vec![]);
    discarded();
    dies_with_the_function();
    serve(vec![]);
    intern_all(&[]);
    names();
    remember(String::new());
    print_names();
}
