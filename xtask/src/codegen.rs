//! `cargo xtask codegen [--check]`: the generator's own generated data, written from
//! the generator. Today one file: `generator/src/vocabulary.rs`, the names the rendered
//! crate uses itself and the runtime's facts the IR states (see `generator::vocabulary_table`).

use std::path::Path;

/// Writes (or with `check`, compares) every generated file of the generator.
pub(crate) fn run(root: &Path, check: bool) -> Result<(), String> {
    let path = root.join("generator/src/vocabulary.rs");
    let fresh = generator::vocabulary_table();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == fresh {
        println!("generator/src/vocabulary.rs is up to date");
        return Ok(());
    }
    if check {
        return Err("generator/src/vocabulary.rs is stale: run `cargo xtask codegen`".to_string());
    }
    crate::write::atomic(&path, &fresh)?;
    println!("wrote generator/src/vocabulary.rs (then rebuild: the generator reads it)");
    Ok(())
}
