// A doubly linked list whose `prev` is `Weak`: `next` owns, `prev` only observes. No cycle.
use std::cell::RefCell;
use std::rc::{Rc, Weak};

type Link = Option<Rc<RefCell<Node>>>;

struct Node {
    value: i32,
    next: Link,
    prev: Option<Weak<RefCell<Node>>>,
}

struct List {
    head: Link,
    tail: Link,
}

impl List {
    fn push_back(&mut self, value: i32) {
        let node = Rc::new(RefCell::new(Node { value, next: None, prev: None }));
        match self.tail.take() {
            Some(old) => {
                node.borrow_mut().prev = Some(Rc::downgrade(&old));
                old.borrow_mut().next = Some(Rc::clone(&node));
            }
            None => self.head = Some(Rc::clone(&node)),
        }
        self.tail = Some(node);
    }
}

fn main() {
    let mut list = List { head: None, tail: None };
    list.push_back(1);
    list.push_back(2);
    println!("{}", list.head.as_ref().map(|n| n.borrow().value).unwrap_or(0));
}
