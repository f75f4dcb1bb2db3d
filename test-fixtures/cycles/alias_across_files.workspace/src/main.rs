mod handles;
mod state;

fn main() {
    let s = handles::new_ref(state::State { name: "start".into(), next: vec![], back: None });
    println!("{}", state::shared_name(&s));
}
