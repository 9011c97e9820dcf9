//! Project tasks: `cargo xtask <command>`. Thin: argument parsing and file IO; the
//! generator itself is a pure library.

mod api_diff;
mod bench;
mod check;
mod codegen;
mod conforms;
mod corpus;
mod example_runs;
mod fresh;
mod msrv;
mod overlays;
mod prism;
mod process;
mod regen;
mod release;
mod semver_oracle;
mod spec_compare;
mod spec_examples;
mod tasks;
mod upstream;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use process::root;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  regen [--check]              generate generated/ from spec/ (--check: write nothing, fail if stale)
  generate --spec FILE --out DIR [--overlay FILE]... [--tag TAG]... [--name CRATE] [--force]
           [--strict] [--version X.Y.Z] [--repository URL] [--documentation URL]
                               generate a standalone crate for any spec (--overlay: an
                               OpenAPI Overlay 1.0 applied to the spec first, in the order
                               given, e.g. spec/upstream.overlay.yaml for the published
                               document; --force: write into a non-empty DIR that is not a
                               previous output; an operation the generator cannot express
                               is left out with a warning (send_raw reaches it), --strict:
                               refuse the spec instead; the others: the manifest's fields,
                               default 0.1.0 and docs.rs)
  release [--dry-run | --amend]
                               the next version of generated/ by semver from what changed for users
                               since the last release: the API's changes and the crate's own public
                               Rust API (spec/crate.toml, spec/release/), its changelog section
                               (spec/CHANGELOG.md), then regen; --amend redoes an unpublished release
  check                        the fast loop (seconds, no crate build): regen --check, spec/'s examples
                               against their types, spec-compare and the overlay on every published
                               version (when ../shared is there), api-diff since the last release
  test                         every test (the README's test command; CI runs it; check first);
                               every step runs, the failures are listed at the end
  ci-upstream                  CI-only checks against ../shared/upstream
  api-diff [--breaking-only | --internal] [--overlay FILE]... OLD NEW
                               semantic summary of an API change, additive vs breaking
                               (overlays applied to both sides; internal entries are
                               counted, listed with --internal)
  semver-oracle                api-diff's breaking verdicts vs cargo-semver-checks over every pair
                               of upstream versions (opt-in: installs it under target/tools)
  spec-compare [--overlay FILE]... [UPSTREAM]
                               compare spec/ structurally with the upstream document
                               (default: the reference version, `reference` in spec/upstream.toml),
                               overlays applied to the upstream side
  codegen [--check]            write the generator's own generated data (generator/src/vocabulary.rs)
  corpus DIR                   generate every OpenAPI document of DIR (lenient) and clippy each crate;
                               a table of operations generated, left out (why) and refusals
                               (opt-in; e.g. progenitor's sample_openapi/)
  spec-examples                spec/'s examples decode into the generated types and re-encode
  bench [--quick]              generation, compile and runtime benchmarks into BENCHMARKS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&root(), args.iter().any(|a| a == "--check")),
        Some("corpus") => corpus::run(&root(), &args[1..]),
        Some("regen") => regen::regen(&root(), args.iter().any(|a| a == "--check")),
        Some("generate") => generate(&args[1..]),
        Some("api-diff") => api_diff::run(&args[1..]),
        Some("bench") => bench::run(&root(), &args[1..]),
        Some("spec-compare") => spec_compare_args(&args[1..]),
        Some("spec-examples") => spec_examples::run(&root()),
        Some("test") => tasks::test(&root()),
        Some("check") => check::run(&root()),
        Some("release") => {
            release::run(&root(), args.iter().any(|a| a == "--dry-run"), args.iter().any(|a| a == "--amend"))
        }
        Some("ci-upstream") => tasks::ci_upstream(&root()),
        Some("semver-oracle") => semver_oracle::run(&root()),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut tags = Vec::new();
    let mut name = None;
    let mut force = false;
    let mut strict = false;
    let mut version = None;
    let mut repository = None;
    let mut documentation = None;
    let mut overlays = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{arg} needs a value\n\n{USAGE}"));
        match arg.as_str() {
            "--spec" => spec = Some(value()?),
            "--out" => out = Some(value()?),
            "--overlay" => overlays.push(PathBuf::from(value()?)),
            "--tag" => tags.push(value()?),
            "--name" => name = Some(value()?),
            "--force" => force = true,
            "--strict" => strict = true,
            "--version" => version = Some(value()?),
            "--repository" => repository = Some(value()?),
            "--documentation" => documentation = Some(value()?),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let spec = PathBuf::from(spec.ok_or_else(|| format!("--spec is required\n\n{USAGE}"))?);
    let out = PathBuf::from(out.ok_or_else(|| format!("--out is required\n\n{USAGE}"))?);
    let defaults = generator::Options::new("", "");
    let options = generator::Options {
        tags,
        overlays: overlays::read(&overlays)?,
        version: version.unwrap_or(defaults.version),
        repository,
        documentation,
        strict,
        ..generator::Options::new(
            name.unwrap_or_else(|| "sunshine-conversations".to_string()),
            regen::display_path(&spec),
        )
    };
    // Everything is generated (and the name checked) before the directory is touched.
    let files = regen::run_generator(&spec, &options)?;
    let report = write::sync(&out, &files, force)?;
    println!(
        "generated {} files into {} ({} written, {} removed{})",
        files.len(),
        out.display(),
        report.written,
        report.removed,
        if report.kept.is_empty() {
            String::new()
        } else {
            format!(", {} files not written by the generator kept", report.kept.len())
        }
    );
    Ok(())
}

/// `spec-compare [--overlay FILE]... [UPSTREAM]`.
fn spec_compare_args(args: &[String]) -> Result<(), String> {
    let (overlays, rest) = overlays::args(args)?;
    match &rest[..] {
        [] => upstream::spec_compare(None, &overlays),
        [upstream] if !upstream.starts_with("--") => upstream::spec_compare(Some(upstream), &overlays),
        _ => Err(format!("usage: cargo xtask spec-compare [--overlay FILE]... [UPSTREAM]\n\n{USAGE}")),
    }
}
