// Article: "Global config example" — a config leaked once and kept in a OnceCell.
use once_cell::sync::OnceCell;

static GLOBAL_CONFIG: OnceCell<&'static AppConfig> = OnceCell::new(); //~ intentional-static lazy-global

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

fn setup_global_config() {
    let config = Box::new(AppConfig::load());
    let static_ref = Box::leak(config); // Leak the Box to get a static reference //~ intentional-static box-leak
    GLOBAL_CONFIG.set(static_ref).expect("Failed to set global configuration");
}

fn main() {
    setup_global_config();

    // Access the global configuration
    if let Some(config) = GLOBAL_CONFIG.get() {
        println!("Database URL: {}", config.database_url);
        println!("App Mode: {}", config.app_mode);
    }
}
