// box-leak through methods: `x.name(…)` is a call of the type the code says `x` has, so a method of
// another type with the same name does not decide how often this one runs.
struct Names;

struct Counter {
    n: u32,
}

struct Labels;

// Its `counter` field is a `Counter`: `self.counter.intern(…)` is `Counter::intern`.
struct App {
    counter: Counter,
    labels: Labels,
}

impl Names {
    // Called once, from `main`; every loop below calls `Counter::intern`.
    fn intern(&self, s: String) -> &'static str {
        Box::leak(s.into_boxed_str()) //~ intentional-static box-leak
    }
}

impl Counter {
    fn new() -> Self {
        Counter { n: 0 }
    }

    fn intern(&mut self, _s: &str) -> u32 {
        self.n += 1;
        self.n
    }

    fn count_all(&mut self, words: &[&str]) {
        for w in words {
            self.intern(w);
        }
    }

    fn fresh_counts(words: &[&str]) -> u32 {
        words.iter().map(|w| Self::new().intern(w)).sum()
    }

    fn reset_all(counters: &mut [Counter]) {
        for c in counters {
            *c = Self::new();
        }
    }
}

impl Labels {
    // Called per item through a `Box<Labels>`: a leak per call.
    fn label(&self, s: &str) -> &'static str {
        Box::leak(format!("[{s}]").into_boxed_str()) //~ real-leak box-leak
    }
}

impl App {
    fn run(&mut self, words: &[&str]) {
        for w in words {
            self.counter.intern(w);
            let _ = self.labels.label(w);
        }
    }
}

fn count(c: &mut Counter, words: &[&str]) {
    for w in words {
        c.intern(w);
    }
}

fn main() {
    let names = Names;
    let app = names.intern(String::from("app"));
    let mut c = Counter { n: 0 };
    for w in ["a", "b"] {
        c.intern(w);
    }
    let mut d = Counter::new();
    d.count_all(&["x"]);
    count(&mut d, &["y"]);
    let _ = Counter::fresh_counts(&["z"]);
    Counter::reset_all(&mut [d]);
    let mut application = App { counter: Counter::new(), labels: Labels };
    application.run(&["r"]);
    let boxed: Box<Labels> = Box::new(Labels);
    for item in ["p", "q"] {
        println!("{} {}", app, boxed.label(item));
    }
}
