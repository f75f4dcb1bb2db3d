// Article: `std::alloc::alloc` paired with `dealloc`.
use std::ptr;

fn main() {
    unsafe {
        let layout = std::alloc::Layout::from_size_align(1024, 1).unwrap();
        let buffer = std::alloc::alloc(layout); //~ reclaimed raw-alloc
        ptr::write(buffer, 42u8); // Example write
        println!("{}", *buffer);
        // Manually deallocate if needed, or "leak" by never deallocating
        std::alloc::dealloc(buffer, layout);
    }
}
