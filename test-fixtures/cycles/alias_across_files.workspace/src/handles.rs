// The handle type the rest of the crate uses, declared apart from the state it points to.
use std::cell::RefCell;
use std::rc::Rc;

use crate::state::State;

pub type StateRef = Rc<RefCell<State>>;

pub fn new_ref(state: State) -> StateRef {
    Rc::new(RefCell::new(state))
}
