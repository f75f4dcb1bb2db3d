// The Rust book's tree: children are strong, the parent link is `Weak`. No cycle.
use std::cell::RefCell;
use std::rc::{Rc, Weak};

struct Node {
    value: i32,
    parent: RefCell<Weak<Node>>,
    children: RefCell<Vec<Rc<Node>>>,
}

fn main() {
    let leaf = Rc::new(Node { value: 3, parent: RefCell::new(Weak::new()), children: RefCell::new(vec![]) });
    let branch = Rc::new(Node { value: 5, parent: RefCell::new(Weak::new()), children: RefCell::new(vec![Rc::clone(&leaf)]) });
    *leaf.parent.borrow_mut() = Rc::downgrade(&branch);
    // Climbing to the parent and adding to its children is fine: `leaf` holds it only weakly.
    if let Some(parent) = leaf.parent.borrow().upgrade() {
        parent.children.borrow_mut().push(Rc::clone(&leaf));
    }
    println!("{} {}", leaf.value, branch.value);
}
