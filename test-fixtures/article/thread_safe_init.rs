// Article: "Thread safe initialization".
use once_cell::sync::OnceCell;
use std::thread;

static GLOBAL_CONFIG: OnceCell<String> = OnceCell::new(); //~ intentional-static lazy-global

fn main() {
    let handle = thread::spawn(|| {
        GLOBAL_CONFIG.set("Config set by thread".to_string()).unwrap();
    });

    handle.join().unwrap();
    println!("Global config: {}", GLOBAL_CONFIG.get().unwrap());
}
