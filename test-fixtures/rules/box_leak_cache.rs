// box-leak: a leak kept in a global cache is leaked once per distinct key however often the
// function runs; one kept in a copy of the cache dies with the copy.
use std::collections::HashMap;
use std::sync::Mutex;

static INTERNED: Mutex<Option<HashMap<String, &'static str>>> = Mutex::new(None);

// The classic interner: the map behind the lock keeps every leaked name for the whole program.
fn intern(s: &str) -> &'static str {
    let mut guard = INTERNED.lock().unwrap();
    let map = guard.get_or_insert_with(HashMap::new);
    if let Some(&v) = map.get(s) {
        return v;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str()); //~ intentional-static box-leak
    map.insert(s.to_owned(), leaked);
    leaked
}

// A clone of the map is not the map: what goes into it is lost when it is dropped.
fn insert_into_copy(s: &str) {
    let mut copy = INTERNED.lock().unwrap().clone().unwrap_or_default();
    copy.insert(s.to_owned(), Box::leak(s.to_owned().into_boxed_str())); //~ real-leak box-leak
}

fn main() {
    for word in ["a", "b", "a"] {
        println!("{}", intern(word));
        insert_into_copy(word);
    }
}
