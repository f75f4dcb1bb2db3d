// mem-forget: forgetting a value with no destructor does nothing, so it is no finding (rustc's own
// `forgetting_copy_types` lint covers it); a type with a destructor still is one.
use std::mem;

#[derive(Clone, Copy)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(Clone)]
struct Named {
    name: String,
}

struct Id(u32);

impl Clone for Id {
    fn clone(&self) -> Id {
        Id(self.0)
    }
}

impl Copy for Id {}

fn main() {
    let p = Point { x: 1, y: 2 };
    mem::forget(p);
    mem::forget(Point { x: 3, y: 4 });
    let typed: Point = p;
    mem::forget(typed);
    let id = Id(7);
    let same: Id = id;
    mem::forget(same);
    mem::forget(5u8);
    let n = Named { name: String::from("n") };
    mem::forget(vec![n.clone()]); //~ real-leak mem-forget
    println!("{} {} {}", p.x, p.y, n.name);
}
