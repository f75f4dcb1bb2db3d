// Suppression comments silence one rule on their line or the line below.
fn main() {
    for i in 0..3 {
        // leak-lens: allow(box-leak) deliberate: the benchmark measures leaking
        Box::leak(Box::new(i));
        Box::leak(Box::new(i)); // leak-lens: allow(box-leak)
        Box::leak(Box::new(i)); // leak-lens: allow(static-mut) wrong rule, still reported //~ real-leak box-leak
        std::mem::forget(vec![i]); // leak-lens: allow(all)
    }
}
