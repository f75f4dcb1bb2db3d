// box-leak in async tasks: a task's locals die with it, like a thread's.
use std::sync::OnceLock;

static SHARED: OnceLock<&'static str> = OnceLock::new(); //~ intentional-static lazy-global

async fn run() {
    tokio::spawn(async move {
        let name: &'static str = Box::leak(String::from("task").into_boxed_str()); //~ real-leak box-leak
        println!("{}", name);
    });
    tokio::spawn(async move {
        let name: &'static str = Box::leak(String::from("kept").into_boxed_str()); //~ intentional-static box-leak
        SHARED.set(name).ok();
    });
    std::thread::Builder::new()
        .spawn(|| {
            let _ = Box::leak(Box::new(1)); //~ real-leak box-leak
        })
        .unwrap();
}

fn main() {
    let _ = run();
}
