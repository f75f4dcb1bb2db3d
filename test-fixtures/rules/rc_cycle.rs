// rc-cycle on types alone (nothing here closes a cycle): strong back-edges and mutual strong
// pointers are possible leaks; a `Weak` back-edge breaks the loop. More shapes: test-fixtures/cycles/.
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;

struct TreeNode {
    children: RefCell<Vec<Rc<TreeNode>>>,
    parent: RefCell<Option<Rc<TreeNode>>>, //~ possible-leak rc-cycle
}

struct GoodNode {
    children: RefCell<Vec<Rc<GoodNode>>>,
    parent: RefCell<Weak<GoodNode>>,
}

struct ListNode {
    next: Option<Rc<RefCell<ListNode>>>, //~ possible-leak rc-cycle
}

struct Owner {
    pet: Option<Rc<RefCell<Pet>>>,
}

struct Pet {
    owner: Option<Rc<RefCell<Owner>>>, //~ possible-leak rc-cycle
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
