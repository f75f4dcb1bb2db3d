static mut COUNTER: usize = 0;

fn main() {
    for i in 0..3 {
        let name: &'static str = Box::leak(format!("job {i}").into_boxed_str());
        println!("{name}");
    }
    unsafe {
        COUNTER += 1;
    }
}
