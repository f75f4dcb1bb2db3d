// From log + env_logger + once_cell: `Box::leak` in a logger setup whose callers the engine
// cannot all see. A call `cell.init()` on an unrelated type in a loop must not count as a call of
// `Builder::init` (it did before the corpus review, making this a "real leak").
use std::sync::Once;

trait Log {}
struct Logger;
impl Log for Logger {}

static mut LOGGER: Option<&'static dyn Log> = None; //~ intentional-static static-mut

fn set_logger_inner<F: FnOnce() -> &'static dyn Log>(make: F) {
    unsafe { LOGGER = Some(make()) };
}

pub fn set_boxed_logger(logger: Box<dyn Log>) {
    set_logger_inner(|| Box::leak(logger)) //~ intentional-static box-leak
}

pub struct Builder;

impl Builder {
    pub fn init(&mut self) {
        set_boxed_logger(Box::new(Logger));
    }
}

struct Cell {
    once: Once,
}

impl Cell2 {}
struct Cell2;

fn warm(cells: &[Cell]) {
    for cell in cells {
        cell.once.call_once(|| {});
    }
}
