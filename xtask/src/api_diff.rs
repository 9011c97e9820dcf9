//! `cargo xtask api-diff [--breaking-only] OLD NEW`: what changed for callers of the
//! generated crate between two specs. Both are normalised by the generator and their
//! IRs compared (`generator::diff`): the report names exactly the public items of the
//! crate that changed, each additive, breaking or docs-only. `--overlay FILE` (repeatable)
//! applies overlays to both specs.

use std::collections::BTreeMap;

use generator::diff::{self, Report};

/// The IR and the generated files of one spec.
pub(crate) struct Side {
    pub api: generator::ir::Api,
    pub files: BTreeMap<String, String>,
}

/// Generates `text` with `overlays` as `cargo xtask generate` would (in memory).
pub(crate) fn side(text: &str, name: &str, overlays: &[generator::Overlay]) -> Result<Side, String> {
    let options =
        generator::Options { overlays: overlays.to_vec(), ..generator::Options::new("sunshine-conversations", name) };
    let (api, _) = generator::intermediate(text, &options).map_err(|f| format!("{name}: {f}"))?;
    let files = generator::generate(text, &options).map_err(|f| format!("{name}: {f}"))?.files;
    Ok(Side { api, files })
}

/// The report for two specs, and how it disagrees with the files that changed (empty
/// when every changed file is accounted for and every named file changed).
pub(crate) fn compare(old: &Side, new: &Side) -> (Report, Vec<String>) {
    let report = generator::api_diff(&old.api, &new.api);
    let changed = diff::changed_files(&old.files, &new.files);
    let problems = diff::disagreements(&report, &changed);
    (report, problems)
}

/// CLI: prints the report.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let usage = "usage: cargo xtask api-diff [--breaking-only | --internal] [--overlay FILE]... OLD_SPEC NEW_SPEC";
    let (overlays, args) = crate::overlays::args(args)?;
    let overlays = crate::overlays::read(&overlays)?;
    let flag = |name: &str| args.iter().any(|a| a == name);
    let listed = match (flag("--breaking-only"), flag("--internal")) {
        (true, true) => return Err(format!("--breaking-only and --internal exclude each other\n{usage}")),
        (true, false) => diff::Listed::Breaking,
        (false, true) => diff::Listed::Everything,
        (false, false) => diff::Listed::Public,
    };
    let files: Vec<&str> =
        args.iter().map(String::as_str).filter(|a| !matches!(*a, "--breaking-only" | "--internal")).collect();
    if let Some(flag) = files.iter().find(|f| f.starts_with("--")) {
        return Err(format!("unknown flag `{flag}`\n{usage}"));
    }
    let [old_file, new_file] = files[..] else { return Err(usage.to_string()) };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
    // One spec path for both, as a maintainer regenerates from one file: preambles
    // then differ by nothing.
    let name = crate::regen::display_path(std::path::Path::new(new_file));
    let old = side(&read(old_file)?, &name, &overlays)?;
    let new = side(&read(new_file)?, &name, &overlays)?;
    let (report, problems) = compare(&old, &new);
    let label = |version: &str, file: &str| if version.is_empty() { file.to_string() } else { version.to_string() };
    print!("{}", report.render(&label(&report.versions.0, old_file), &label(&report.versions.1, new_file), listed));
    if !problems.is_empty() {
        return Err(format!("generator bug: the report disagrees with the generated files: {problems:#?}"));
    }
    Ok(())
}
