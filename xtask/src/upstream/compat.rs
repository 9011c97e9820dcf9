//! Step 3: 17.11.0 → 17.12.1 is additive for users of the generated crate.
//!
//! Both versions are generated with identical options (package, spec file name, the
//! project overlay) into `target/compat/crates/`, so that their difference is the API
//! change alone. The program `xtask/compat/main.rs`, written against 17.11.0, is then
//! type-checked as a binary crate under `target/compat/` twice: with its
//! `sunshine-conversations` dependency pointing at the 17.11.0 crate, then at the 17.12.1
//! crate. Both must compile without warnings. Also prints the size of the spec change
//! next to the size of the generated change.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::{spec_path, write_if_changed};

/// The version the compat program is written against.
const OLD: &str = "17.11.0";
/// The version it must still compile against.
const NEW: &str = "17.12.1";

/// Generates both crates, checks the program against each and prints the diff sizes.
pub(crate) fn run(root: &Path, upstream: &Path, overlays: &[generator::Overlay]) -> Result<(), String> {
    let base = root.join("target/compat");
    let crates = base.join("crates");
    for version in [OLD, NEW] {
        let spec = spec_path(upstream, version);
        // The same file name for both versions: the upstream repository's.
        let options = generator::Options {
            standalone: false,
            overlays: overlays.to_vec(),
            ..generator::Options::new("sunshine-conversations", "openapi.yaml")
        };
        let text = fs::read_to_string(&spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let output = generator::generate(&text, &options).map_err(|f| format!("{version}: {f}"))?;
        crate::write::sync(&crates.join(version), &output.files, false)?;
    }

    let program = root.join("xtask/compat/main.rs");
    let mut results = Vec::new();
    for version in [OLD, NEW] {
        let dir = base.join(format!("against-{version}"));
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let manifest = format!(
            "# Written by `cargo xtask ci-upstream` (xtask/src/upstream/compat.rs).\n\
             [package]\n\
             name = \"compat-{package}\"\n\
             version = \"0.0.0\"\n\
             edition = \"2024\"\n\
             publish = false\n\n\
             [[bin]]\n\
             name = \"compat\"\n\
             path = {program:?}\n\n\
             [dependencies]\n\
             sunshine-conversations = {{ path = \"../crates/{version}\" }}\n\
             serde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"rt\"] }}\n\n\
             [workspace]\n",
            package = version.replace('.', "-"),
            program = program.to_string_lossy(),
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
        write_if_changed(&dir.join("Cargo.lock"), &lock)?;
        let output = super::cargo(root, &dir)
            .args(["check", "--message-format", "short"])
            .output()
            .map_err(|e| format!("cannot run cargo check: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let diagnostic = |l: &&str| l.contains("warning:") || l.contains("error:") || l.contains("error[");
        let warnings: Vec<&str> = stderr.lines().filter(diagnostic).collect();
        let ok = output.status.success() && warnings.is_empty();
        println!("  compat program against {version}: {}", if ok { "compiles, no warnings" } else { "FAILS" });
        if !ok {
            eprint!("{stderr}");
        }
        results.push((version, ok));
    }

    print!("{}", measure(upstream, &crates)?);
    let failed: Vec<&str> = results.iter().filter(|(_, ok)| !ok).map(|(v, _)| *v).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        let failed = failed.join(", ");
        Err(format!("xtask/compat/main.rs (written against {OLD}) does not compile cleanly against {failed}"))
    }
}

/// `diff` output (exit status 1 means "differ", not failure).
fn diff(args: &[&str], a: &Path, b: &Path) -> Result<String, String> {
    let output = Command::new("diff").args(args).arg(a).arg(b).output().map_err(|e| format!("cannot run diff: {e}"))?;
    match output.status.code() {
        Some(0 | 1) => Ok(String::from_utf8_lossy(&output.stdout).into_owned()),
        _ => Err(format!("diff {args:?} failed: {}", String::from_utf8_lossy(&output.stderr))),
    }
}

/// Line count of a unified diff, and its changed (`+`/`-`, not `+++`/`---`) lines.
fn sizes(diff: &str) -> (usize, usize, usize) {
    let lines = diff.lines().count();
    let added = diff.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).count();
    let removed = diff.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).count();
    (lines, added, removed)
}

/// The spec diff next to the generated diff.
fn measure(upstream: &Path, crates: &Path) -> Result<String, String> {
    let mut out = String::new();
    let spec = diff(&["-u"], &spec_path(upstream, OLD), &spec_path(upstream, NEW))?;
    let (lines, added, removed) = sizes(&spec);
    let _ = writeln!(out, "  spec diff (diff -u {OLD} {NEW} YAML): {lines} lines (+{added} -{removed})");
    let (old, new) = (crates.join(OLD), crates.join(NEW));
    let src = diff(&["-ru"], &old.join("src"), &new.join("src"))?;
    let (lines, added, removed) = sizes(&src);
    let changed = diff(&["-rq"], &old.join("src"), &new.join("src"))?.lines().count();
    let total = count_files(&new.join("src"))?;
    let _ = writeln!(
        out,
        "  generated diff (diff -ru src/): {lines} lines (+{added} -{removed}), {changed} of {total} files changed"
    );
    let whole = diff(&["-ru"], &old, &new)?;
    let (lines, added, removed) = sizes(&whole);
    let changed = diff(&["-rq"], &old, &new)?.lines().count();
    let _ = writeln!(
        out,
        "  generated diff (whole crate, incl. README): {lines} lines (+{added} -{removed}), {changed} files changed"
    );
    Ok(out)
}

fn count_files(dir: &Path) -> Result<usize, String> {
    let mut count = 0;
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        count += if path.is_dir() { count_files(&path)? } else { 1 };
    }
    Ok(count)
}
