//! "Build the output" mode (`FUZZ_BUILD_DIR`): a sample of the crates generated from
//! accepted mutated specs, saved for `cargo xtask ci-upstream` to compile and doc-test.

use std::path::PathBuf;
use std::thread;

use crate::case::Case;
use crate::config::{CALL_STACK, env_num};

/// "Build the output" mode (`FUZZ_BUILD_DIR`): every 8th accepted mutated spec, up to
/// `FUZZ_BUILD_SAMPLE` (default 12), is generated again as the crate
/// `fuzz-sample-<iteration>` into `FUZZ_BUILD_DIR/<iteration>/` (with the spec as
/// `spec.yaml`), for `cargo xtask ci-upstream` to compile and doc-test: an accepted
/// spec must give a crate that builds and runs no doctest.
pub(crate) fn save_build_sample(iteration: u64, case: &Case) {
    let Some(dir) = std::env::var_os("FUZZ_BUILD_DIR").map(PathBuf::from) else { return };
    if !iteration.is_multiple_of(8) {
        return;
    }
    let sample = env_num("FUZZ_BUILD_SAMPLE", 12.0) as usize;
    let _ = std::fs::create_dir_all(&dir);
    let taken = std::fs::read_dir(&dir).map(|entries| entries.filter_map(Result::ok).count()).unwrap_or(usize::MAX);
    if taken >= sample {
        return;
    }
    let mut options = case.options.clone();
    options.package = format!("fuzz-sample-{iteration}");
    options.standalone = false;
    let text = case.text.clone();
    let generated = thread::Builder::new()
        .stack_size(CALL_STACK)
        .spawn(move || generator::generate(&text, &options).ok())
        .ok()
        .and_then(|handle| handle.join().ok())
        .flatten();
    let Some(files) = generated else { return };
    let out = dir.join(iteration.to_string());
    for (path, text) in &files.files {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }
    let _ = std::fs::write(out.join("spec.yaml"), case.saved_text());
}
