// From futures-util's FuturesUnordered and typical waker vtables: an Arc count handed to a raw
// pointer and given back with `Arc::from_raw` elsewhere in the file.
use std::mem;
use std::sync::Arc;

struct Task {
    id: u32,
}

fn release_task(task: Arc<Task>, queued: bool) {
    if queued {
        // The ready-to-run queue owns our count now and frees it later.
        mem::forget(task); //~ ownership-transfer mem-forget
    }
}

fn to_raw(task: Arc<Task>) -> *const Task {
    Arc::into_raw(task) //~ reclaimed into-raw
}

unsafe fn from_raw(ptr: *const Task) -> Arc<Task> {
    Arc::from_raw(ptr)
}

fn main() {
    let t = Arc::new(Task { id: 1 });
    release_task(t.clone(), false);
    let raw = to_raw(t);
    let back = unsafe { from_raw(raw) };
    println!("{}", back.id);
}
