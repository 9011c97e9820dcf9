//! Compile cost of the generated crates: incremental build time of the crate alone
//! (dependencies built), lines of code and dependency count.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use super::Plan;
use super::generation::{generate_options, upstream};
use crate::{process, regen};

/// One generated crate.
#[derive(Debug, Clone)]
pub(crate) struct CrateCost {
    pub label: String,
    /// Where it was built, relative to the workspace root.
    pub dir: String,
    /// Non-blank lines of .rs under src/, outside and inside src/runtime/.
    pub generated_lines: usize,
    pub runtime_lines: usize,
    /// Distinct normal (non-dev, non-build) dependencies, transitively, itself excluded.
    pub dependencies: usize,
    /// Timed builds in seconds; `None` when skipped.
    pub debug: Option<Vec<f64>>,
    pub release: Option<Vec<f64>>,
    /// Debug target for the best build, in seconds.
    pub debug_target: Option<f64>,
}

pub(crate) fn measure(root: &Path, plan: &Plan) -> Result<Vec<CrateCost>, String> {
    let bench = root.join("target/bench");
    let mut crates = Vec::new();

    let conversations = bench.join("conversations");
    copy_crate(&root.join(regen::GENERATED), &conversations)?;
    crates.push(("conversations (`generated/`)", conversations, Some(1.0)));

    let upstream = upstream();
    if root.join(&upstream).exists() {
        let full = bench.join("full-api");
        let text = fs::read_to_string(root.join(&upstream)).map_err(|e| format!("cannot read {upstream}: {e}"))?;
        // What `cargo xtask generate --spec UPSTREAM --out target/bench/full-api` does.
        let output = generator::generate(&text, &generate_options(&upstream)).map_err(|f| f.to_string())?;
        crate::write::sync(&full, &output.files, false)?;
        crates.push(("full API (upstream reference version)", full, None));
    }

    let mut out = Vec::new();
    for (index, (label, dir, debug_target)) in crates.into_iter().enumerate() {
        sync_file(&root.join("Cargo.lock"), &dir.join("Cargo.lock"))?;
        let (generated_lines, runtime_lines) = lines(&dir.join("src"))?;
        let dependencies = dependencies(&dir)?;
        // --quick: only the checked-in crate, debug, once.
        let debug =
            if !plan.quick || index == 0 { Some(time_builds(root, &dir, false, plan.build_runs)?) } else { None };
        let release = if plan.quick { None } else { Some(time_builds(root, &dir, true, plan.build_runs)?) };
        out.push(CrateCost {
            label: label.to_owned(),
            dir: dir.strip_prefix(root).unwrap_or(&dir).to_string_lossy().replace('\\', "/"),
            generated_lines,
            runtime_lines,
            dependencies,
            debug,
            release,
            debug_target,
        });
    }
    Ok(out)
}

/// Syncs a copy of a crate (without target/ and Cargo.lock) that is its own workspace;
/// unchanged files keep their mtime, so cargo does not rebuild them.
fn copy_crate(from: &Path, to: &Path) -> Result<(), String> {
    let mut files = read_tree(from)?;
    if let Some(manifest) = files.get_mut("Cargo.toml")
        && !manifest.lines().any(|l| l.trim() == "[workspace]")
    {
        manifest.push_str("\n[workspace]\n");
    }
    crate::write::sync(to, &files, false).map(|_| ())
}

/// Every file below `dir` by `/`-separated relative path, without target/ and Cargo.lock.
pub(crate) fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let source = dir.join(&relative);
        for entry in fs::read_dir(&source).map_err(|e| format!("cannot list {}: {e}", source.display()))?.flatten() {
            let name = entry.file_name();
            if relative.as_os_str().is_empty() && (name == "target" || name == "Cargo.lock") {
                continue;
            }
            let path = relative.join(&name);
            if entry.path().is_dir() {
                stack.push(path);
            } else {
                let text =
                    fs::read_to_string(entry.path()).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                files.insert(path.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    Ok(files)
}

/// Copies `from` to `to` unless `to` already has the same bytes.
pub(crate) fn sync_file(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = fs::read(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    if fs::read(to).is_ok_and(|current| current == bytes) {
        return Ok(());
    }
    fs::write(to, bytes).map_err(|e| format!("cannot write {}: {e}", to.display()))
}

/// Non-blank lines of every .rs file below `src`: (outside runtime/, inside runtime/).
pub(crate) fn lines(src: &Path) -> Result<(usize, usize), String> {
    let (mut generated, mut runtime) = (0, 0);
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for path in
            fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?.flatten().map(|e| e.path())
        {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let count = count_lines(&text);
                if path.strip_prefix(src).is_ok_and(|p| p.starts_with("runtime")) {
                    runtime += count;
                } else {
                    generated += count;
                }
            }
        }
    }
    Ok((generated, runtime))
}

fn count_lines(text: &str) -> usize {
    text.lines().filter(|l| !l.trim().is_empty()).count()
}

/// `cargo tree -e normal --prefix none`, deduplicated, without the crate itself.
fn dependencies(dir: &Path) -> Result<usize, String> {
    let mut cmd = super::cargo();
    cmd.current_dir(dir).args(["tree", "-e", "normal", "--prefix", "none", "-p", "sunshine-conversations"]);
    let text = super::output(&mut cmd, true)?;
    Ok(distinct_packages(&text).saturating_sub(1))
}

/// Distinct packages in `cargo tree --prefix none` output (`(*)` marks repeats).
pub(crate) fn distinct_packages(tree: &str) -> usize {
    tree.lines()
        .map(|l| l.trim().trim_end_matches("(*)").trim())
        .filter(|l| !l.is_empty())
        .collect::<BTreeSet<_>>()
        .len()
}

/// Builds once untimed (dependencies), then `runs` times after touching src/lib.rs.
fn time_builds(root: &Path, dir: &Path, release: bool, runs: usize) -> Result<Vec<f64>, String> {
    let build = || {
        let mut cmd = super::cargo();
        cmd.current_dir(dir)
            .args(["build", "--quiet", "-p", "sunshine-conversations"])
            .env("CARGO_TARGET_DIR", process::generated_target(root));
        if release {
            cmd.arg("--release");
        }
        super::output(&mut cmd, true)
    };
    eprintln!("bench:   building {} ({})", dir.display(), if release { "release" } else { "debug" });
    build()?;
    let lib = dir.join("src/lib.rs");
    let mut times = Vec::new();
    for _ in 0..runs {
        let file =
            fs::File::options().write(true).open(&lib).map_err(|e| format!("cannot open {}: {e}", lib.display()))?;
        file.set_modified(SystemTime::now()).map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        drop(file);
        let start = Instant::now();
        build()?;
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(times)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_do_not_count() {
        assert_eq!(count_lines("a\n\n  \n\tb\n"), 2);
    }

    #[test]
    fn repeated_packages_count_once() {
        let tree = "x v0.1.0 (/p)\nbytes v1.0.0\nhttp v1.0.0\nbytes v1.0.0 (*)\n\nhttp v1.0.0 (*)\n";
        assert_eq!(distinct_packages(tree), 3);
    }
}
