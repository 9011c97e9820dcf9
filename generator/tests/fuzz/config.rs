//! Settings read from the environment and the places the fuzz test reads and writes.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Stack of the thread that runs one call: what a CLI's main thread gets.
pub(crate) const CALL_STACK: usize = 8 << 20;
/// Calls slower than this are listed as slow (not a failure).
pub(crate) const SLOW: Duration = Duration::from_secs(2);
/// Files saved per finding key and worker.
pub(crate) const SAVE_PER_KEY: usize = 3;

pub(crate) fn env_num(name: &str, default: f64) -> f64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

pub(crate) fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

pub(crate) fn hang_limit() -> Duration {
    Duration::from_secs_f64(env_num("FUZZ_HANG_SECONDS", 10.0))
}

pub(crate) fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace target directory.
fn target_dir() -> PathBuf {
    let workspace = manifest_dir().parent().map_or_else(manifest_dir, Path::to_path_buf);
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

pub(crate) fn failures_dir() -> PathBuf {
    let dir = target_dir().join("fuzz-failures");
    std::fs::create_dir_all(&dir).expect("create target/fuzz-failures");
    dir
}
