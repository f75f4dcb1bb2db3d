// From the Rust standard library's collections (alloc/src/collections/linked_list.rs, btree/node.rs,
// boxed.rs): `Box::leak` used as a non-null `Box::into_raw`, freed by `Box::from_raw` on removal.
// Reviewed as false alarms in the corpus run; they are ownership moves into raw pointers.
use std::ptr::NonNull;

struct Node<T> {
    next: Option<NonNull<Node<T>>>,
    element: T,
}

pub struct List<T> {
    head: Option<NonNull<Node<T>>>,
}

impl<T> List<T> {
    pub fn push_front(&mut self, element: T) {
        let node = Box::new(Node { next: self.head, element });
        let node = Some(Box::leak(node).into()); //~ reclaimed box-leak
        self.head = node;
    }

    pub fn push_leaf(&mut self, element: T) {
        let leaf = Box::new(Node { next: None, element });
        self.head = Some(NonNull::from(Box::leak(leaf))); //~ reclaimed box-leak
    }

    pub fn pop_front(&mut self) -> Option<T> {
        self.head.map(|node| unsafe {
            let node = Box::from_raw(node.as_ptr());
            self.head = node.next;
            node.element
        })
    }
}

impl<T> Drop for List<T> {
    fn drop(&mut self) {
        while self.pop_front().is_some() {}
    }
}

// bumpalo-style `leak` written with into_raw: the reference is the function's value.
pub fn leak<T>(b: Box<T>) -> &'static mut T {
    unsafe { &mut *Box::into_raw(b) } //~ reclaimed into-raw
}
