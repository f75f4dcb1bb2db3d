// Article: "Real data leaking in Rust" — the reference dies with the thread, the memory does not.
use std::thread;

fn main() {
    thread::spawn(|| {
        let leaked_data: &'static str = Box::leak(Box::new(String::from("I leak!"))); //~ real-leak box-leak
        println!("{}", leaked_data);
    })
    .join()
    .unwrap();
}
