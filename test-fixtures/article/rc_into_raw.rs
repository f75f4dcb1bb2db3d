// Article: `Rc::into_raw` reclaimed with `Rc::from_raw` in the same function.
use std::rc::Rc;

fn main() {
    let data: Rc<i32> = Rc::new(123);
    let raw: *const i32 = Rc::into_raw(data); //~ reclaimed into-raw

    // Later, convert back to an Rc to avoid memory leak
    unsafe {
        let reconstructed = Rc::from_raw(raw);
        println!("{}", *reconstructed);
        // Rc is dropped here, and memory is deallocated
    }
}
