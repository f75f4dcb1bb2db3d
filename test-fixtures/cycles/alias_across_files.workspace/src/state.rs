// A state machine whose states hold each other through the alias of another file: `StateRef` is a
// strong `Rc`, so `next` and `back` form a cycle. (This file names `Rc` in its constructor.)
use std::rc::Rc;

use crate::handles::StateRef;

pub struct State {
    pub name: String,
    pub next: Vec<StateRef>,
    pub back: Option<StateRef>, //~ possible-leak rc-cycle
}

pub fn shared_name(s: &StateRef) -> usize {
    Rc::strong_count(s)
}
