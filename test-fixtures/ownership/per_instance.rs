// ownership: a `Box::leak` whose reference goes into a struct field, or is returned from a
// constructor or a trait method, leaks once per value built, not once per program. Only a value
// kept in a static, or code that provably runs once, makes it an intentional static.
use std::sync::OnceLock;

pub struct Registry {
    label: &'static str,
}

impl Registry {
    // No caller in the workspace: every `Registry::new` leaks its label.
    pub fn new(label: &str) -> Registry {
        Registry { label: Box::leak(label.to_owned().into_boxed_str()) } //~ real-leak box-leak
    }

    pub fn rename(&mut self, label: &str) {
        self.label = Box::leak(label.to_owned().into_boxed_str()); //~ real-leak box-leak
    }
}

pub struct Settings {
    path: &'static str,
}

impl Default for Settings {
    fn default() -> Settings {
        let path: &'static str = Box::leak(String::from("/etc/app").into_boxed_str()); //~ real-leak box-leak
        Settings { path }
    }
}

pub struct Names {
    all: &'static [&'static str],
}

// A trait method: its callers cannot be found by name.
impl From<Vec<&'static str>> for Names {
    fn from(v: Vec<&'static str>) -> Names {
        Names { all: v.leak() } //~ real-leak box-leak
    }
}

static GLOBAL: OnceLock<Registry> = OnceLock::new(); //~ intentional-static lazy-global

// The instance itself lives in a static: kept for the whole program.
pub fn install(label: &str) {
    let _ = GLOBAL.set(Registry { label: Box::leak(label.to_owned().into_boxed_str()) }); //~ intentional-static box-leak
}

pub struct App {
    title: &'static str,
}

impl App {
    fn build(title: &str) -> App {
        App { title: Box::leak(title.to_owned().into_boxed_str()) } //~ intentional-static box-leak
    }
}

fn main() {
    // `App::build` provably runs once.
    let app = App::build("demo");
    println!("{}", app.title);
}
