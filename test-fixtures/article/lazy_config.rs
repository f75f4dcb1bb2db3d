// Article: "Lazy example".
use once_cell::sync::Lazy;

// Lazily initialize a static value
static CONFIG: Lazy<String> = Lazy::new(|| { //~ intentional-static lazy-global
    println!("Initializing configuration...");
    "Config data".to_string()
});

fn main() {
    // The closure is only executed once, on the first access
    println!("CONFIG: {}", *CONFIG);
    println!("CONFIG: {}", *CONFIG); // The closure will not run again
}
