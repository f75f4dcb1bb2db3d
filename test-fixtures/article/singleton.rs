// Article: the `Lazy<Mutex<T>>` singleton.
use once_cell::sync::Lazy;
use std::sync::Mutex;

struct MySingleton {
    // Example fields
    pub data: String,
}

// Global singleton instance
static SINGLETON: Lazy<Mutex<MySingleton>> = Lazy::new(|| { //~ intentional-static lazy-global
    Mutex::new(MySingleton {
        data: "Initial data".to_string(),
    })
});

fn main() {
    // Access the singleton
    let singleton = SINGLETON.lock().unwrap();
    println!("Singleton data: {}", singleton.data);
}
