//! The declared minimum Rust (`rust-version`) kept true, with the one toolchain a
//! machine has (no other toolchain is installed to build with):
//! - the generated manifest declares the workspace's `rust-version`;
//! - clippy's `incompatible_msrv` lint (on by default, so denied by every clippy
//!   `-D warnings` run) really checks against it: a probe crate declaring that version
//!   and calling a standard-library API stabilized later must fail it;
//! - no package in the generated crate's dependency tree (normal and build
//!   dependencies, every feature, every platform) declares a newer `rust-version`, in
//!   the locked tree (Cargo.lock) and in a fresh MSRV-aware resolution (`fresh.rs`).

use std::path::Path;

use serde_json::Value;

use crate::process::cargo;

/// Standard-library APIs and the Rust version that stabilized each, newest last: the
/// probe calls the first one newer than the declared version.
const PROBES: [(&str, &str); 1] =
    [("1.89", "pub fn probe(file: &std::fs::File) -> std::io::Result<()> { file.lock() }\n")];

/// A `rust-version` as numbers: `1.88` is (1, 88, 0).
fn version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    let patch = parts.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// The workspace's `[workspace.package] rust-version`.
fn declared(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    manifest
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("rust-version"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("{} declares no [workspace.package] rust-version", path.display()))
}

/// The `rust-version` of the generated crate's manifest.
fn generated_declares(root: &Path) -> Result<Option<String>, String> {
    let path = root.join(crate::regen::GENERATED).join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(manifest.get("package").and_then(|p| p.get("rust-version")).and_then(toml::Value::as_str).map(str::to_owned))
}

/// The locked checks: the generated manifest, the lint probe, the Cargo.lock tree.
pub(crate) fn check(root: &Path) -> Result<(), String> {
    let declared = declared(root)?;
    match generated_declares(root)? {
        Some(generated) if generated == declared => {}
        other => {
            return Err(format!(
                "generated/Cargo.toml declares rust-version {other:?}, the workspace {declared} (templates/cargo.toml)"
            ));
        }
    }
    lint_probe(root, &declared)?;
    check_tree(root, "Cargo.lock")?;
    println!("rust-version {declared}: the lint checks it, and every dependency in Cargo.lock supports it");
    Ok(())
}

/// clippy's `incompatible_msrv` on a crate declaring `declared` that calls an API
/// stabilized later: it must fail, naming the lint.
fn lint_probe(root: &Path, declared: &str) -> Result<(), String> {
    let ours = version(declared).ok_or_else(|| format!("rust-version {declared:?} is not a version"))?;
    let Some((since, code)) = PROBES.iter().find(|(since, _)| version(since).is_some_and(|v| v > ours)) else {
        return Err(format!("add to PROBES (xtask/src/msrv.rs) an API stabilized after {declared}"));
    };
    let dir = root.join("target/msrv-probe");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask test` (MSRV lint probe).\n[package]\nname = \"msrv-probe\"\nversion = \"0.0.0\"\n\
         edition = \"2024\"\nrust-version = {declared:?}\npublish = false\n\n[workspace]\n"
    );
    let write = |path: &Path, text: &str| std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()));
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/lib.rs"), &format!("//! Calls an API stable since {since}.\n\n{code}"))?;
    let out = cargo(&dir)
        .args(["clippy", "--quiet", "--", "-D", "clippy::incompatible_msrv"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .map_err(|e| format!("cannot run clippy on {}: {e}", dir.display()))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() || !stderr.contains("incompatible_msrv") {
        return Err(format!(
            "clippy's incompatible_msrv did not flag an API stable since {since} in a crate declaring rust-version \
             {declared}: the lint does not check the declared version\n{stderr}"
        ));
    }
    Ok(())
}

/// Fails when a package in the dependency tree of `dir`'s workspace members (as its
/// Cargo.lock has it) declares a newer `rust-version` than the members do.
pub(crate) fn check_tree(dir: &Path, label: &str) -> Result<(), String> {
    let newer = newer_than_declared(dir)?;
    if newer.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{label}: dependencies declare a newer rust-version than the crate: {newer}; raise rust-version (workspace \
             Cargo.toml, templates/cargo.toml) to the truth, or bound those dependencies"
        ))
    }
}

/// The packages in the normal and build dependency tree of the generated crates in
/// `dir`'s workspace (`sunshine-conversations` and the fixtures, every feature) whose
/// `rust-version` is newer than those crates declare: `name version (rust-version)`.
pub(crate) fn newer_than_declared(dir: &Path) -> Result<String, String> {
    let out = cargo(dir)
        .args(["metadata", "--format-version", "1", "--all-features", "--locked"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata in {}: {e}", dir.display()))?;
    if !out.status.success() {
        return Err(format!("cargo metadata in {} failed: {}", dir.display(), String::from_utf8_lossy(&out.stderr)));
    }
    let metadata: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    Ok(newer_in(&metadata).join(", "))
}

/// [`newer_than_declared`] on `cargo metadata` output.
fn newer_in(metadata: &Value) -> Vec<String> {
    let empty = Vec::new();
    let packages = metadata["packages"].as_array().unwrap_or(&empty);
    let package = |id: &str| packages.iter().find(|p| p["id"].as_str() == Some(id));
    let nodes = metadata["resolve"]["nodes"].as_array().unwrap_or(&empty);
    let node = |id: &str| nodes.iter().find(|n| n["id"].as_str() == Some(id));
    // The generated crates: workspace members that the generator wrote (a `runtime`
    // module and the runtime's dependencies); here, members named like them.
    let roots: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(Value::as_str)
        .filter(|id| {
            package(id).and_then(|p| p["name"].as_str()).is_some_and(|name| {
                name == "sunshine-conversations" || name.starts_with("fixture-") || name == "client-runtime"
            })
        })
        .collect();
    let mut found = std::collections::BTreeSet::new();
    for root in roots {
        let Some(ours) = package(root).and_then(|p| p["rust_version"].as_str()).and_then(version) else { continue };
        let mut stack = vec![root.to_owned()];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(p) = package(&id)
                && let Some(theirs) = p["rust_version"].as_str()
                && version(theirs).is_some_and(|v| v > ours)
            {
                found.insert(format!(
                    "{} {} (rust-version {theirs})",
                    p["name"].as_str().unwrap_or_default(),
                    p["version"].as_str().unwrap_or_default()
                ));
            }
            for dep in node(&id).and_then(|n| n["deps"].as_array()).unwrap_or(&empty) {
                let kinds = dep["dep_kinds"].as_array().unwrap_or(&empty);
                let shipped = kinds.iter().any(|k| k["kind"].is_null() || k["kind"].as_str() == Some("build"));
                if shipped && let Some(pkg) = dep["pkg"].as_str() {
                    stack.push(pkg.to_owned());
                }
            }
        }
    }
    found.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(version("1.88"), Some((1, 88, 0)));
        assert!(version("1.88.0") < version("1.89"));
        assert!(version("1.100") > version("1.99.9"));
        assert_eq!(version("x"), None);
    }

    #[test]
    fn the_probe_api_is_newer_than_the_declared_version() {
        let declared = declared(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()).unwrap();
        assert!(PROBES.iter().any(|(since, _)| version(since) > version(&declared)), "{declared}");
    }

    /// Dev-dependencies are not shipped; normal and build dependencies are, transitively.
    #[test]
    fn only_shipped_dependencies_count() {
        let metadata = serde_json::json!({
            "workspace_members": ["gen", "xtask"],
            "packages": [
                {"id": "gen", "name": "sunshine-conversations", "version": "0.1.0", "rust_version": "1.88"},
                {"id": "xtask", "name": "xtask", "version": "0.0.0", "rust_version": "1.88"},
                {"id": "a", "name": "a", "version": "1.0.0", "rust_version": "1.70"},
                {"id": "b", "name": "b", "version": "2.0.0", "rust_version": "1.90"},
                {"id": "c", "name": "c", "version": "3.0.0", "rust_version": "1.91"},
                {"id": "d", "name": "d", "version": "4.0.0", "rust_version": "1.92"},
                {"id": "e", "name": "e", "version": "5.0.0", "rust_version": "1.93"}
            ],
            "resolve": {"nodes": [
                {"id": "gen", "deps": [
                    {"pkg": "a", "dep_kinds": [{"kind": null}]},
                    {"pkg": "c", "dep_kinds": [{"kind": "dev"}]},
                    {"pkg": "d", "dep_kinds": [{"kind": "build"}]}
                ]},
                {"id": "a", "deps": [{"pkg": "b", "dep_kinds": [{"kind": null}]}]},
                {"id": "xtask", "deps": [{"pkg": "e", "dep_kinds": [{"kind": null}]}]}
            ]}
        });
        assert_eq!(newer_in(&metadata), ["b 2.0.0 (rust-version 1.90)", "d 4.0.0 (rust-version 1.92)"]);
    }
}
