// A closure stored in the object whose `Rc` it captured: the object keeps the closure, the closure
// keeps the object.
use std::cell::RefCell;
use std::rc::Rc;

struct Button {
    label: String,
    on_click: RefCell<Option<Box<dyn Fn()>>>,
}

fn main() {
    let button = Rc::new(Button { label: "ok".to_string(), on_click: RefCell::new(None) });
    let handle = button.clone();
    *button.on_click.borrow_mut() = Some(Box::new(move || println!("{}", handle.label))); //~ real-leak rc-cycle
}

// The animation-frame loop of wasm code: the closure lives in the cell whose `Rc` it captured.
fn request_loop() {
    let f: Rc<RefCell<Option<Box<dyn FnMut()>>>> = Rc::new(RefCell::new(None));
    let g = f.clone();
    *g.borrow_mut() = Some(Box::new(move || { //~ real-leak rc-cycle
        let _again = f.borrow();
    }));
}

// A closure that captures something else is fine.
fn unrelated() {
    let button = Rc::new(Button { label: "ok".to_string(), on_click: RefCell::new(None) });
    let counter = Rc::new(RefCell::new(0));
    let c = counter.clone();
    *button.on_click.borrow_mut() = Some(Box::new(move || *c.borrow_mut() += 1));
}
