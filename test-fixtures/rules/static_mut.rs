// static-mut: the items, and every reference taken to them.
static mut COUNTER: u32 = 0; //~ intentional-static static-mut
static mut NAMES: Vec<String> = Vec::new(); //~ intentional-static static-mut
static PLAIN: u32 = 7;

fn bump() {
    unsafe {
        COUNTER += 1;
        let copy = COUNTER;
        let r = &COUNTER; //~ intentional-static static-mut
        let m = &mut COUNTER; //~ intentional-static static-mut
        *m += copy + *r;
        NAMES.push(String::from("x")); //~ intentional-static static-mut
        let len = NAMES.len(); //~ intentional-static static-mut
        let p = &raw const COUNTER;
        let q = std::ptr::addr_of_mut!(NAMES);
        println!("{} {:?} {:?} {}", len, p, q, PLAIN);
    }
}

fn main() {
    bump();
}
