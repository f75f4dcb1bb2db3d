// Cycles closed through the type's own methods: `set_next` stores its argument inside `self`, so
// each call is a store, and the second one closes the loop. Values come from a constructor that
// returns an `Rc`.
use std::cell::RefCell;
use std::rc::Rc;

struct Node {
    name: String,
    next: RefCell<Option<Rc<Node>>>,
    children: RefCell<Vec<Rc<Node>>>,
}

impl Node {
    fn new(name: &str) -> Rc<Node> {
        Rc::new(Node { name: name.to_string(), next: RefCell::new(None), children: RefCell::new(vec![]) })
    }

    fn set_next(&self, next: Rc<Node>) {
        *self.next.borrow_mut() = Some(next);
    }

    fn add_child(&self, child: Rc<Node>) {
        self.children.borrow_mut().push(child);
    }

    // Reads only: calling it stores nothing.
    fn name_of_next(&self) -> Option<String> {
        self.next.borrow().as_ref().map(|n| n.name.clone())
    }
}

fn main() {
    let a = Node::new("a");
    let b = Node::new("b");
    a.set_next(b.clone());
    b.set_next(a.clone()); //~ real-leak rc-cycle
    println!("{:?}", a.name_of_next());
}

fn own_child() {
    let root = Node::new("root");
    root.add_child(Rc::clone(&root)); //~ real-leak rc-cycle
}

fn a_tree_is_fine() {
    let root = Node::new("root");
    let leaf = Node::new("leaf");
    root.add_child(leaf.clone());
    leaf.set_next(Node::new("sibling"));
}
