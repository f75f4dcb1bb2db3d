// Article: `Once` + `static mut`. INIT itself is a plain static: nothing to report on it.
use std::sync::Once;

static INIT: Once = Once::new();
static mut VALUE: Option<String> = None; //~ intentional-static static-mut

fn main() {
    unsafe {
        INIT.call_once(|| { //~ intentional-static once-static-mut
            VALUE = Some("Hello, world!".to_string());
        });
        println!("{}", VALUE.as_ref().unwrap()); //~ intentional-static static-mut
    }
}
