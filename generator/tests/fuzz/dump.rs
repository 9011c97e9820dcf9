//! `FUZZ_DUMP=dir`: every input a run makes is also written to `dir`, so that two runs
//! (before and after a change to this test) can be diffed input by input.

use std::path::{Path, PathBuf};

use crate::case::Case;

/// The dump directory (created), when `FUZZ_DUMP` is set.
pub(crate) fn dump_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("FUZZ_DUMP").filter(|d| !d.is_empty())?);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    Some(dir)
}

/// Writes `<iteration>.yaml` (the input as saved) and `<iteration>.txt` (its seed and mutations).
pub(crate) fn dump_case(dir: &Path, iteration: u64, seed: &str, case: &Case) {
    let _ = std::fs::write(dir.join(format!("{iteration}.yaml")), case.saved_text());
    let _ = std::fs::write(
        dir.join(format!("{iteration}.txt")),
        format!("seed: {seed}\nmutations:\n  {}\n", case.mutations.join("\n  ")),
    );
}
