// An arena: nodes refer to each other by index, and the arena owns them all. No `Rc`, no cycle.
use std::rc::Rc;

struct Node {
    value: i32,
    parent: Option<usize>,
    children: Vec<usize>,
}

struct Arena {
    nodes: Vec<Node>,
}

impl Arena {
    fn add(&mut self, value: i32, parent: Option<usize>) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node { value, parent, children: vec![] });
        if let Some(p) = parent {
            self.nodes[p].children.push(id);
        }
        id
    }
}

fn main() {
    let mut arena = Arena { nodes: vec![] };
    let root = arena.add(1, None);
    let child = arena.add(2, Some(root));
    arena.nodes[child].parent = Some(root);
    let shared = Rc::new(arena);
    println!("{}", shared.nodes[root].value);
}
