// The article's examples in one file: what the end-to-end scenarios open first.
use once_cell::sync::OnceCell;
use std::thread;

static APP_CONFIG: OnceCell<&'static AppConfig> = OnceCell::new();
static mut HITS: u32 = 0;

#[derive(Debug)]
struct AppConfig {
    database_url: String,
    app_mode: String,
}

impl AppConfig {
    // Simulates loading a configuration
    fn load() -> Self {
        AppConfig {
            database_url: "https://example.com/mydb".to_string(),
            app_mode: "production".to_string(),
        }
    }
}

// Global config example: leaked once and kept in a OnceCell for the whole program.
fn setup_app_config() {
    let config = Box::new(AppConfig::load());
    let static_ref = Box::leak(config);
    APP_CONFIG.set(static_ref).expect("Failed to set global configuration");
}

// One leak per line: each iteration's reference dies, its memory does not.
fn echo_lines(lines: &[String]) {
    for line in lines {
        let echoed: &'static str = Box::leak(line.clone().into_boxed_str());
        println!("{}", echoed);
    }
}

// Real data leaking in Rust: the reference dies with the thread, the memory does not.
fn leak_in_thread() {
    thread::spawn(|| {
        let leaked_data: &'static str = Box::leak(Box::new(String::from("I leak!")));
        println!("{}", leaked_data);
    })
    .join()
    .unwrap();
}

fn record_hit() -> u32 {
    unsafe {
        HITS += 1;
        HITS
    }
}

fn main() {
    setup_app_config();
    echo_lines(&["a".to_string(), "b".to_string()]);
    leak_in_thread();
    println!("hits: {}", record_hit());
    if let Some(config) = APP_CONFIG.get() {
        println!("{} {}", config.database_url, config.app_mode);
    }
}
