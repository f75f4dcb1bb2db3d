// Article: leaking a closure to get a 'static callback, once, in main.
use std::thread;

fn setup_callback<F: FnOnce() + Send + 'static>(f: F) {
    thread::spawn(move || {
        // Simulate doing some work...
        f(); // Execute the callback
    });
}

fn main() {
    let my_data = Box::new(|| println!("This is a callback!"));
    let static_callback = Box::leak(my_data); //~ intentional-static box-leak
    setup_callback(*static_callback);
}
