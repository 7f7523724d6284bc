//! The README's first example, run wherever the suite runs (Linux, and Windows under Wine in
//! CI). Its code is `examples/readme.rs`, which must be the README's text to the letter.

mod readme {
    include!("../examples/readme.rs");

    pub(crate) fn run() -> Result<(), wsaevents::Error> {
        main()
    }
}

#[test]
fn readme_first_example_runs() {
    readme::run().unwrap();
}

#[test]
fn readme_first_example_is_the_readmes_text() {
    let readme = include_str!("../README.md");
    let example = include_str!("../examples/readme.rs");
    let block = readme
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a Rust example");
    assert_eq!(
        block, example,
        "examples/readme.rs differs from the README's first example"
    );
}
