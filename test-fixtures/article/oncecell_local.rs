// Article: "OnceCell in a classical manner" — a local cell is not a global: nothing to report.
use once_cell::unsync::OnceCell;

fn main() {
    let cell = OnceCell::new();

    // Set the value
    cell.set(42).expect("Value has already been set");

    // Access the value
    if let Some(value) = cell.get() {
        println!("The value is: {}", value);
    }

    // Trying to set the value again will result in an error
    assert!(cell.set(100).is_err());
}
