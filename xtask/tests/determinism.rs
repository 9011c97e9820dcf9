//! The generator is deterministic: `cargo xtask generate` run twice, in separate
//! processes (so with different hash seeds and allocation patterns), writes the same
//! files byte for byte, and they are exactly what an in-process `generator::generate`
//! call returns for the same options. Checked for `spec/` and, when the shared folder
//! is beside the repository, for the upstream 17.12.1 document.
//!
//! Run with `cargo test -p xtask --test determinism`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Every file below `dir`, by `/`-separated relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in fs::read_dir(&next).unwrap_or_else(|e| panic!("cannot list {}: {e}", next.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Runs `xtask generate --spec SPEC --out OUT` from the workspace root.
fn generate_with_binary(spec: &str, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let _ = fs::remove_dir_all(out);
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .args(["generate", "--spec", spec, "--out"])
        .arg(out)
        .output()
        .expect("xtask runs");
    assert!(
        output.status.success(),
        "xtask generate --spec {spec} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_tree(out)
}

/// The same files, in process, with the options `xtask generate` uses.
fn generate_in_process(spec: &str) -> BTreeMap<String, Vec<u8>> {
    let text = fs::read_to_string(root().join(spec)).unwrap();
    let options = generator::Options::new("sunshine-conversations", spec);
    let output = generator::generate(&text, &options).unwrap_or_else(|f| panic!("{spec}: {f}"));
    output.files.into_iter().map(|(path, text)| (path, text.into_bytes())).collect()
}

/// Every path that is missing on one side or whose bytes differ.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in a {
        match b.get(path) {
            None => out.push(format!("only in the first: {path}")),
            Some(other) if other != bytes => out.push(format!("differs: {path}")),
            Some(_) => {}
        }
    }
    out.extend(b.keys().filter(|path| !a.contains_key(*path)).map(|path| format!("only in the second: {path}")));
    out
}

fn check(spec: &str, label: &str) {
    let tmp = std::env::temp_dir().join(format!("xtask-determinism-{}-{label}", std::process::id()));
    let first = generate_with_binary(spec, &tmp.join("1"));
    let second = generate_with_binary(spec, &tmp.join("2"));
    let in_process = generate_in_process(spec);
    let _ = fs::remove_dir_all(&tmp);
    assert!(first.len() > 10, "{spec}: only {} files generated", first.len());
    let runs = differences(&first, &second);
    assert!(runs.is_empty(), "{spec}: two runs of xtask generate differ:\n{}", runs.join("\n"));
    let library = differences(&first, &in_process);
    assert!(library.is_empty(), "{spec}: xtask generate and generator::generate differ:\n{}", library.join("\n"));
}

#[test]
fn our_spec_generates_identically_every_time() {
    check("spec/sunshine-conversations.yaml", "spec");
}

#[test]
fn upstream_17_12_1_generates_identically_every_time() {
    let spec = "../shared/upstream/sunshine-conversations-17.12.1.yaml";
    if !root().join(spec).exists() {
        eprintln!("skipped: {spec} not found (the shared folder is not beside the repository)");
        return;
    }
    check(spec, "upstream");
}
