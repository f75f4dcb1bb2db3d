// rc-cycle: strong back-edges and mutual strong pointers; downward links are fine.
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

struct TreeNode {
    children: RefCell<Vec<Rc<TreeNode>>>,
    parent: RefCell<Option<Rc<TreeNode>>>, //~ real-leak rc-cycle
}

struct GoodNode {
    children: RefCell<Vec<Rc<GoodNode>>>,
    parent: RefCell<Weak<GoodNode>>,
}

struct ListNode {
    next: Option<Rc<RefCell<ListNode>>>,
}

struct Owner {
    pet: Option<Rc<RefCell<Pet>>>,
}

struct Pet {
    owner: Option<Rc<RefCell<Owner>>>, //~ real-leak rc-cycle
}

struct Session {
    server: Arc<Server>,
}

struct Server {
    sessions: Vec<std::sync::Weak<Session>>,
}

fn main() {
    let _ = (TreeNode { children: RefCell::new(vec![]), parent: RefCell::new(None) }, ListNode { next: None });
}
