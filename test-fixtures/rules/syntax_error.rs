// A file with a syntax error is analyzed as far as tree-sitter recovers.
fn broken( {
    let x = ;
}

fn main() {
    loop {
        Box::leak(Box::new(1)); //~ real-leak box-leak
    }
}
