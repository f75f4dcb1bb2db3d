// Cycles the code breaks by hand before the values go: a `take()` in the same function, and a
// `Drop` of the graph that owns the nodes, which clears their edges.
use std::cell::RefCell;
use std::rc::Rc;

struct Node {
    id: u32,
    next: RefCell<Option<Rc<Node>>>,
}

fn ring_then_break() {
    let a = Rc::new(Node { id: 1, next: RefCell::new(None) });
    let b = Rc::new(Node { id: 2, next: RefCell::new(Some(Rc::clone(&a))) });
    *a.next.borrow_mut() = Some(Rc::clone(&b));
    println!("{} {}", a.id, b.id);
    a.next.borrow_mut().take();
}

struct Vertex {
    edges: RefCell<Vec<Rc<Vertex>>>,
}

struct Graph {
    vertices: Vec<Rc<Vertex>>,
}

impl Drop for Graph {
    fn drop(&mut self) {
        for v in &self.vertices {
            v.edges.borrow_mut().clear();
        }
    }
}

fn graph() -> Graph {
    let x = Rc::new(Vertex { edges: RefCell::new(vec![]) });
    let y = Rc::new(Vertex { edges: RefCell::new(vec![]) });
    x.edges.borrow_mut().push(Rc::clone(&y));
    y.edges.borrow_mut().push(Rc::clone(&x)); //~ reclaimed rc-cycle
    Graph { vertices: vec![x, y] }
}

fn main() {
    ring_then_break();
    drop(graph());
}
