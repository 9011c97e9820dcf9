//! The fresh-resolution step of `cargo xtask test`: what a user who adds the crate today
//! builds. A copy of `generated/` and one fixture crate made by the generator, as one
//! workspace under target/fresh/ with no lock file, resolved now to the newest versions
//! their manifests allow; then clippy `-D warnings` with every TLS feature set, and the
//! tests. The locked build (the workspace's Cargo.lock) is tested by the other steps;
//! when this one fails, its message lists the packages whose versions differ from that
//! lock, so the upstream release that broke or deprecated something is named.
//!
//! The same workspace is also resolved as a user on the declared `rust-version` would
//! (cargo's MSRV-aware resolution), for the MSRV check (`msrv.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::process::{cargo, generated_target, run};

/// The fixture crate (`generator/tests/fixtures/<name>.yaml`, with its tests from
/// `generator/tests/fixture-tests/`) built beside the generated crate.
const FIXTURE: &str = "recursive-unions";

/// The feature sets every crate is linted with: the default (`rustls-aws-lc-rs`), no
/// provider, *ring* alone, everything.
const FEATURE_SETS: [&[&str]; 4] =
    [&[], &["--no-default-features"], &["--no-default-features", "--features", "rustls-ring"], &["--all-features"]];

/// Writes the workspace, resolves it afresh and checks it.
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let dir = root.join("target/fresh");
    write_workspace(root, &dir)?;
    // As a user on the declared rust-version resolves (cargo's default with resolver 3):
    // every package must support that Rust.
    resolve(&dir, false)?;
    crate::msrv::check_tree(&dir, "fresh resolution (MSRV-aware)")?;
    // The newest versions of everything, as a user on a current toolchain gets them.
    resolve(&dir, true)?;
    let changed = changes(&read_lock(&root.join("Cargo.lock"))?, &read_lock(&dir.join("Cargo.lock"))?);
    if changed.is_empty() {
        println!("fresh resolution: every package at its Cargo.lock version");
    } else {
        println!("fresh resolution differs from Cargo.lock in: {}", changed.join(", "));
    }
    let notes = crate::msrv::newer_than_declared(&dir)?;
    if !notes.is_empty() {
        println!("(newest versions needing a newer Rust than declared, avoided by MSRV-aware resolution: {notes})");
    }
    checks(&dir, &generated_target(root)).map_err(|error| failure(&error, &changed))
}

/// A failed check's message, naming the versions that differ from Cargo.lock.
fn failure(error: &str, changed: &[String]) -> String {
    if changed.is_empty() {
        format!("{error}\nno package version differs from Cargo.lock: the failure is ours")
    } else {
        format!("{error}\nversions that differ from Cargo.lock (the likely cause): {}", changed.join(", "))
    }
}

/// target/fresh/: `generated/` copied, the fixture generated, a workspace of both, no
/// lock file.
fn write_workspace(root: &Path, dir: &Path) -> Result<(), String> {
    let generated = root.join(crate::regen::GENERATED);
    let mut files = BTreeMap::new();
    for file in crate::write::list(&generated)? {
        let path = generated.join(&file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.insert(file, text);
    }
    crate::write::sync(&dir.join("generated"), &files, false)?;
    let spec = root.join(format!("generator/tests/fixtures/{FIXTURE}.yaml"));
    let options = generator::Options {
        standalone: false,
        ..generator::Options::new(format!("fixture-{FIXTURE}"), format!("generator/tests/fixtures/{FIXTURE}.yaml"))
    };
    let mut files = crate::regen::run_generator(&spec, &options)?;
    let tests = root.join(format!("generator/tests/fixture-tests/{FIXTURE}.rs"));
    let text = std::fs::read_to_string(&tests).map_err(|e| format!("cannot read {}: {e}", tests.display()))?;
    files.insert(format!("tests/{FIXTURE}.rs"), text);
    crate::write::sync(&dir.join(FIXTURE), &files, false)?;
    let manifest = format!(
        "# Written by `cargo xtask test` (fresh resolution): no lock file is kept.\n\
         [workspace]\nresolver = \"3\"\nmembers = [\"generated\", {FIXTURE:?}]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    Ok(())
}

/// Resolves `dir` from nothing: the newest versions, compatible with the members'
/// `rust-version` unless `newest` (then whatever Rust they need).
fn resolve(dir: &Path, newest: bool) -> Result<(), String> {
    let lock = dir.join("Cargo.lock");
    if lock.exists() {
        std::fs::remove_file(&lock).map_err(|e| format!("cannot remove {}: {e}", lock.display()))?;
    }
    let policy = if newest { "allow" } else { "fallback" };
    run(cargo(dir).args(["generate-lockfile", "--quiet"]).env("CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS", policy))
}

/// Clippy with each feature set, then the tests (every feature: the fixture's own tests,
/// the generated crate's doctests).
fn checks(dir: &Path, target: &Path) -> Result<(), String> {
    for features in FEATURE_SETS {
        run(cargo(dir)
            .args(["clippy", "--workspace", "--all-targets", "--locked"])
            .args(features)
            .args(["--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", target))?;
    }
    run(cargo(dir).args(["test", "--workspace", "--all-features", "--locked"]).env("CARGO_TARGET_DIR", target))
}

/// Package name → versions, from a Cargo.lock: packages from a registry (or git), not
/// the workspace's own.
pub(crate) fn read_lock(path: &Path) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let lock: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in lock.get("package").and_then(toml::Value::as_array).into_iter().flatten() {
        let field = |key: &str| package.get(key).and_then(toml::Value::as_str).map(str::to_owned);
        if let (Some(name), Some(version), Some(_)) = (field("name"), field("version"), field("source")) {
            versions.entry(name).or_default().insert(version);
        }
    }
    Ok(versions)
}

/// The packages of `fresh` whose versions are not those of `locked`: `name old → new`,
/// or `name new (not in Cargo.lock)`.
pub(crate) fn changes(
    locked: &BTreeMap<String, BTreeSet<String>>,
    fresh: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<String> {
    let join = |versions: &BTreeSet<String>| versions.iter().cloned().collect::<Vec<_>>().join(" + ");
    fresh
        .iter()
        .filter_map(|(name, versions)| match locked.get(name) {
            Some(old) if old == versions => None,
            Some(old) => Some(format!("{name} {} → {}", join(old), join(versions))),
            None => Some(format!("{name} {} (not in Cargo.lock)", join(versions))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(entries: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, version) in entries {
            map.entry(name.to_string()).or_default().insert(version.to_string());
        }
        map
    }

    #[test]
    fn changes_name_each_package_and_version() {
        let locked = lock(&[("rustls", "0.23.46"), ("serde", "1.0.229"), ("syn", "3.0.10"), ("hashbrown", "0.15.5")]);
        let fresh = lock(&[
            ("rustls", "0.23.48"),
            ("serde", "1.0.229"),
            ("hashbrown", "0.15.5"),
            ("hashbrown", "0.16.1"),
            ("new-crate", "0.1.0"),
        ]);
        assert_eq!(
            changes(&locked, &fresh),
            ["hashbrown 0.15.5 → 0.15.5 + 0.16.1", "new-crate 0.1.0 (not in Cargo.lock)", "rustls 0.23.46 → 0.23.48"]
        );
        assert!(changes(&locked, &lock(&[("serde", "1.0.229")])).is_empty());
    }

    #[test]
    fn a_failure_names_what_changed() {
        let changed = changes(&lock(&[("rustls", "0.23.46")]), &lock(&[("rustls", "0.23.48")]));
        let message = failure("cargo clippy exited with 101", &changed);
        assert!(message.ends_with("(the likely cause): rustls 0.23.46 → 0.23.48"), "{message}");
        assert!(failure("x", &[]).ends_with("the failure is ours"));
    }

    #[test]
    fn lock_files_are_read() {
        let dir = std::env::temp_dir().join(format!("xtask-fresh-lock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("Cargo.lock");
        std::fs::write(
            &path,
            "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\
             source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"a\"\n\
             version = \"2.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n\
             [[package]]\nname = \"member\"\nversion = \"0.1.0\"\n",
        )
        .unwrap();
        assert_eq!(read_lock(&path).unwrap(), lock(&[("a", "1.0.0"), ("a", "2.0.0")]), "the member is left out");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
