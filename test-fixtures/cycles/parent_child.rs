// A child given `Rc::clone(&parent)`, then pushed into that parent's children.
use std::cell::RefCell;
use std::rc::Rc;

struct TreeNode {
    value: i32,
    parent: RefCell<Option<Rc<TreeNode>>>,
    children: RefCell<Vec<Rc<TreeNode>>>,
}

fn main() {
    let parent = Rc::new(TreeNode { value: 1, parent: RefCell::new(None), children: RefCell::new(vec![]) });
    let child = Rc::new(TreeNode {
        value: 2,
        parent: RefCell::new(Some(Rc::clone(&parent))),
        children: RefCell::new(vec![]),
    });
    parent.children.borrow_mut().push(Rc::clone(&child)); //~ real-leak rc-cycle
    println!("{} {}", parent.value, child.value);
}

// The same cycle closed from the other side, in a function of its own.
fn adopt(parent: &Rc<TreeNode>, child: Rc<TreeNode>) {
    parent.children.borrow_mut().push(child.clone());
    *child.parent.borrow_mut() = Some(parent.clone()); //~ real-leak rc-cycle
}
