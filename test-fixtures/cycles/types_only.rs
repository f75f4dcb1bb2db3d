// Types that allow a strong cycle, with no code here that closes one: possible leaks, on the edge
// that closes each loop.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

pub struct Owner {
    pub pet: Option<Rc<RefCell<Pet>>>,
}

pub struct Pet {
    pub owner: Option<Rc<RefCell<Owner>>>, //~ possible-leak rc-cycle
}

// A chain through a cell can be made to loop.
pub struct ListNode {
    pub next: Option<Rc<RefCell<ListNode>>>, //~ possible-leak rc-cycle
}

// Without a cell nothing can point back once shared: `Rc::new` moves the value in for good.
pub struct Frozen {
    pub next: Option<Rc<Frozen>>,
}

// Owned recursion is a tree of boxes, not a cycle.
pub enum Expr {
    Num(i64),
    Add(Box<Expr>, Box<Expr>),
}

// Through an inline value, a `Vec` and an `Arc<Mutex<..>>`.
pub struct Scheduler {
    pub inner: Inner,
}

pub struct Inner {
    pub tasks: Vec<Arc<Mutex<Task>>>,
}

pub struct Task {
    pub scheduler: Option<Arc<Scheduler>>, //~ possible-leak rc-cycle
}

// A type alias, followed through.
pub type StateRef = Rc<RefCell<State>>;

pub struct State {
    pub children: Vec<StateRef>,
    pub parent: Option<StateRef>, //~ possible-leak rc-cycle
}
