//! Processes and steps: a command run to completion, `cargo` in a directory, a named
//! step and a run of steps that lists every failure. Every xtask module may use this
//! one; it uses none of them. And where the workspace is ([`root`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Runs one step, printing its name and duration.
pub(crate) fn step(name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    println!("==> {name}");
    let started = Instant::now();
    let result = f();
    println!(
        "<== {name}: {} in {:.1} s",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    result.map_err(|e| format!("step `{name}` failed: {e}"))
}

/// Steps run in order without stopping at a failure: [`Steps::finish`] lists them all.
#[derive(Default)]
pub(crate) struct Steps {
    failed: Vec<String>,
    timings: Vec<(String, f64, bool)>,
}

impl Steps {
    /// Runs one step, recording its failure.
    pub(crate) fn run(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) {
        let started = Instant::now();
        let result = step(name, f);
        self.timings.push((name.to_string(), started.elapsed().as_secs_f64(), result.is_ok()));
        if let Err(error) = result {
            eprintln!("{error}");
            self.failed.push(error);
        }
    }

    /// Runs a step that makes what later steps need: `None` when it failed.
    pub(crate) fn value<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T, String>) -> Option<T> {
        let mut value = None;
        self.run(name, || f().map(|v| value = Some(v)));
        value
    }

    /// Records a step that cannot run because `missing` failed.
    pub(crate) fn skip(&mut self, name: &str, missing: &str) {
        println!("==> {name}: skipped ({missing} failed)");
        self.failed.push(format!("step `{name}` skipped: it needs {missing}"));
    }

    /// `Ok` when every step passed; else every failure, in order.
    pub(crate) fn finish(self) -> Result<(), String> {
        println!("\nsteps:");
        for (name, seconds, ok) in &self.timings {
            println!("  {:>7.1} s  {}  {name}", seconds, if *ok { "ok    " } else { "FAILED" });
        }
        if self.failed.is_empty() {
            return Ok(());
        }
        Err(format!("{} failure(s):\n- {}", self.failed.len(), self.failed.join("\n- ")))
    }
}

/// Runs a command to completion, inheriting output.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} exited with {status}")) }
}

pub(crate) fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

/// The shared target directory of every generated crate built by the tests.
pub(crate) fn generated_target(root: &Path) -> PathBuf {
    root.join("target/generated-crates-target")
}

/// The workspace root (xtask's parent).
///
/// `XTASK_ROOT` replaces it (tests run commands on a copy of `spec/` and `generated/`).
pub(crate) fn root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_ROOT") {
        return PathBuf::from(root);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}
