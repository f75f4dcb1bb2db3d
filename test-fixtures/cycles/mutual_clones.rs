// Two values each given a clone of the other: the second store closes the cycle.
use std::cell::RefCell;
use std::rc::Rc;

struct Node {
    name: &'static str,
    next: Option<Rc<RefCell<Node>>>,
}

fn main() {
    let a = Rc::new(RefCell::new(Node { name: "a", next: None }));
    let b = Rc::new(RefCell::new(Node { name: "b", next: None }));
    a.borrow_mut().next = Some(b.clone());
    b.borrow_mut().next = Some(a.clone()); //~ real-leak rc-cycle
    println!("{} {}", a.borrow().name, b.borrow().name);
}
