// A cancellation tree (as in tokio-util): a child holds its parent strongly and the parent its
// children, on purpose; `disconnect` breaks both links when a node is cancelled. Whether the memory
// is freed depends on that running, which the code does not show: a possible leak, not a real one.
use std::sync::{Arc, Mutex};

struct TreeNode {
    inner: Mutex<Inner>,
}

struct Inner {
    parent: Option<Arc<TreeNode>>,
    children: Vec<Arc<TreeNode>>,
}

fn child_node(parent: &Arc<TreeNode>) -> Arc<TreeNode> {
    let mut locked_parent = parent.inner.lock().unwrap();
    let child = Arc::new(TreeNode { inner: Mutex::new(Inner { parent: Some(parent.clone()), children: vec![] }) });
    locked_parent.children.push(child.clone()); //~ possible-leak rc-cycle
    child
}

fn disconnect(node: &mut Inner) {
    for child in std::mem::take(&mut node.children) {
        child.inner.lock().unwrap().parent = None;
    }
}

fn main() {
    let root = Arc::new(TreeNode { inner: Mutex::new(Inner { parent: None, children: vec![] }) });
    let _child = child_node(&root);
    disconnect(&mut root.inner.lock().unwrap());
}
