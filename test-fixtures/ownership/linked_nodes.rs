// ownership: pointers kept in a collection field of a pointee. Freeing the root frees only the
// root, unless something walks its children.
pub struct Tree {
    root: *mut Node,
}

struct Node {
    children: Vec<*mut Node>,
}

impl Tree {
    pub fn new() -> Tree {
        Tree { root: Box::into_raw(Box::new(Node { children: Vec::new() })) } //~ reclaimed into-raw
    }

    // `Node` has no `Drop`: the children are lost with the root.
    pub fn add(&mut self) {
        let child = Box::into_raw(Box::new(Node { children: Vec::new() })); //~ real-leak into-raw
        unsafe { (*self.root).children.push(child) };
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        unsafe { drop(Box::from_raw(self.root)) };
    }
}

pub struct Forest {
    root: *mut Leaf,
}

struct Leaf {
    kids: Vec<*mut Leaf>,
}

impl Forest {
    pub fn new() -> Forest {
        Forest { root: Box::into_raw(Box::new(Leaf { kids: Vec::new() })) } //~ reclaimed into-raw
    }

    pub fn add(&mut self) {
        let kid = Box::into_raw(Box::new(Leaf { kids: Vec::new() })); //~ reclaimed into-raw
        unsafe { (*self.root).kids.push(kid) };
    }
}

// Walks the kids before freeing each leaf.
unsafe fn free_leaf(leaf: *mut Leaf) {
    for kid in (*leaf).kids.iter() {
        free_leaf(*kid);
    }
    drop(Box::from_raw(leaf));
}

impl Drop for Forest {
    fn drop(&mut self) {
        unsafe { free_leaf(self.root) };
    }
}
