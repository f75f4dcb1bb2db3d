// A value storing a clone of itself: its strong count can never fall to zero.
use std::cell::RefCell;
use std::rc::Rc;

struct Node {
    value: i32,
    next: Option<Rc<RefCell<Node>>>,
}

fn main() {
    let me = Rc::new(RefCell::new(Node { value: 1, next: None }));
    let again = Rc::clone(&me);
    me.borrow_mut().next = Some(again); //~ real-leak rc-cycle
    println!("{}", me.borrow().value);
}
