//! Step 1: generate a crate for every target of `spec/upstream.toml` (with the project overlay) into one
//! workspace under `target/upstream-crates/` and check it with clippy, `cargo build` and
//! rustdoc.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use super::examples::Plan;
use super::{Target, cargo, facts, spec_name, spec_path, write_if_changed};

/// A crate written by [`generate_all`].
pub(crate) struct Generated {
    /// What was generated.
    pub target: &'static Target,
    /// Wall time of `generator::generate`, in milliseconds.
    pub millis: f64,
    /// Files generated (without the example test).
    pub files: usize,
    /// Lines in those files.
    pub lines: usize,
    /// Warnings the generator reported.
    pub warnings: usize,
    /// The spec-examples test written into the crate.
    pub examples: Plan,
}

/// Generates every target into `out` (a cargo workspace) and prints the statistics.
pub(crate) fn generate_all(
    root: &Path,
    upstream: &Path,
    out: &Path,
    overlays: &[generator::Overlay],
) -> Result<Vec<Generated>, String> {
    let mut texts: BTreeMap<&str, String> = BTreeMap::new();
    let mut generated = Vec::new();
    for target in &facts().targets {
        if !texts.contains_key(target.version.as_str()) {
            let path = spec_path(upstream, &target.version);
            let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            texts.insert(&target.version, text);
        }
        let text = &texts[target.version.as_str()];
        let options = generator::Options {
            tags: target.tags.iter().map(|t| t.to_string()).collect(),
            standalone: false,
            overlays: overlays.to_vec(),
            ..generator::Options::new(target.package.clone(), spec_name(&target.version))
        };
        let started = Instant::now();
        let output = generator::generate(text, &options).map_err(|f| format!("{}: {f}", target.package))?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let mut files = output.files;
        let count = files.len();
        let lines = files.values().map(|text| text.lines().count()).sum();
        let examples = super::examples::collect(text, &options, target)?;
        files.insert(super::examples::TEST_FILE.to_string(), examples.render(&lib_name(&target.package)));
        let dir = out.join(&target.package);
        crate::write::sync(&dir, &files, false)?;
        generated.push(Generated { target, millis, files: count, lines, warnings: output.warnings.len(), examples });
    }
    let members: Vec<String> = generated.iter().map(|g| format!("{:?}", g.target.package)).collect();
    let manifest = format!(
        "# Written by `cargo xtask ci-upstream`: crates generated from ../shared/upstream.\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    // Rewritten only when it changes: cargo's fingerprints depend on its mtime.
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    // The same dependency versions as the repository's workspace.
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    let mut table =
        String::from("  version  tags           package                         gen ms  files   lines  warnings\n");
    for g in &generated {
        let tags = if g.target.tags.is_empty() { "(all)".to_string() } else { g.target.tags.join(",") };
        let _ = writeln!(
            table,
            "  {:<8} {:<14} {:<31} {:>6.0} {:>6} {:>7} {:>9}",
            g.target.version, tags, g.target.package, g.millis, g.files, g.lines, g.warnings
        );
    }
    print!("{table}");
    Ok(generated)
}

/// The library name cargo derives from a package name.
pub(crate) fn lib_name(package: &str) -> String {
    package.replace('-', "_")
}

/// A cargo invocation over the workspace (`--workspace`), or over one package.
fn cargo_args(base: &[&str], package: Option<&str>, tail: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = base.iter().map(|a| a.to_string()).collect();
    match package {
        Some(package) => args.extend(["-p".to_string(), package.to_string()]),
        None => args.push("--workspace".to_string()),
    }
    args.extend(tail.iter().map(|a| a.to_string()));
    args
}

/// Clippy (all targets, so the example tests too, with `-D warnings`), a build of each
/// library and its example test, and rustdoc (`-D warnings`), once over the whole
/// workspace; when one fails, package by package to say which version fails. Prints a
/// pass/fail table.
pub(crate) fn check(root: &Path, out: &Path, generated: &[Generated]) -> Result<(), String> {
    type Check<'a> = (&'a str, &'a [&'a str], &'a [&'a str], Option<(&'a str, &'a str)>);
    let checks: [Check; 3] = [
        ("clippy", &["clippy", "--all-targets"], &["--", "-D", "warnings"], None),
        // Builds each library (codegen) with its example test: a plain `cargo build`
        // would build every library a second time, with other tokio features.
        ("build", &["test", "--no-run", "--test", "spec_examples"], &[], None),
        ("doc", &["doc", "--no-deps"], &[], Some(("RUSTDOCFLAGS", "-D warnings"))),
    ];
    let mut results: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for (name, base, tail, env) in checks {
        let run = |package: Option<&str>| {
            let mut cmd = cargo(root, out);
            cmd.args(cargo_args(base, package, tail));
            if let Some((key, value)) = env {
                cmd.env(key, value);
            }
            crate::process::run(&mut cmd).is_ok()
        };
        let started = Instant::now();
        let all = run(None);
        for g in generated {
            let ok = all || run(Some(&g.target.package));
            results.insert((g.target.package.as_str(), name), ok);
        }
        let shown = cargo_args(base, None, tail).join(" ");
        let outcome = if all { "ok" } else { "FAILED" };
        println!("  {name}: cargo {shown}: {outcome} in {:.1} s", started.elapsed().as_secs_f64());
    }
    let mut table = String::from("  package                          clippy  build  doc\n");
    let mut failed = Vec::new();
    let show = |ok: bool| if ok { "pass" } else { "FAIL" };
    for g in generated {
        let package = g.target.package.as_str();
        let [clippy, build, doc] = ["clippy", "build", "doc"].map(|name| results[&(package, name)]);
        let _ = writeln!(table, "  {package:<32} {:<7} {:<6} {}", show(clippy), show(build), show(doc));
        if !(clippy && build && doc) {
            failed.push(package);
        }
    }
    print!("{table}");
    if failed.is_empty() { Ok(()) } else { Err(format!("generated crates fail: {}", failed.join(", "))) }
}
