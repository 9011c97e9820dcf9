//! `cargo xtask semver-oracle`: an independent check of api-diff's *breaking* verdicts.
//!
//! For every ordered pair of published upstream versions (old < new), both crates are
//! generated in process exactly as `cargo xtask api-diff` sees them (one package and lib
//! name, one spec file name, so they differ by the API change alone) into
//! `target/semver-oracle/crates/<version>/`, and
//! [cargo-semver-checks](https://crates.io/crates/cargo-semver-checks) compares their
//! rustdoc JSON (`check-release --release-type minor`: only the lints that require a new
//! major version fail). Its verdict is set beside api-diff's breaking count
//! (`generator::diff`, called directly), pair by pair, in a table printed and written to
//! `target/semver-oracle.md`; [`EXPLAINED`] says, for each lint that fails where api-diff
//! sees no break, why api-diff is right for this crate's callers.
//!
//! Beyond the verdict, every item a failed lint names must be accounted for by one of
//! api-diff's breaking entries (one naming the generated file the item is in; for the
//! mocks in `src/testing.rs`, one about the item's operation): a pair where api-diff
//! reports some breaks can still miss one. The command fails on a disagreement.
//!
//! The converse does not hold, and is not checked: api-diff reports breaks that no lint
//! of cargo-semver-checks looks for, because it does not compare types or behaviour:
//! a field's type changed (`Option<String>` → `String`), an operation's response or error
//! type changed (the `send` return type), a union variant holding another type, a
//! model's discriminator value or a field's or parameter's constraints changed (same
//! signatures, different requests on the wire or rejected before sending).
//!
//! Opt-in (not in CI): installing cargo-semver-checks takes minutes (about 17 on this
//! project's 2-core machines). The pinned version is installed under `target/tools/`
//! the first time.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use generator::diff::Impact;

use crate::process::step;
use crate::upstream::{facts, spec_path, upstream_dir};

/// The pinned cargo-semver-checks: 0.51.0, the newest release when pinned, reads rustdoc JSON
/// format v57, which rustc 1.95.0's rustdoc writes (it also reads v60 and v61; it needs
/// Rust 1.93 or newer to build). A toolchain with another format needs another version:
/// `cargo semver-checks` then says it cannot read the rustdoc JSON.
pub(crate) const SEMVER_CHECKS_VERSION: &str = "0.51.0";

/// Lints that fail where api-diff rightly reports no break, with the reason. A lint
/// listed here does not count as a disagreement when api-diff reports none; any other
/// failing lint does (and so does a break api-diff reports that semver-checks does not).
/// Empty: over the six upstream pairs, no lint fails where api-diff reports no break.
pub(crate) const EXPLAINED: &[(&str, &str)] = &[];

/// One failed (or warned) lint: its id and how many items it names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Lint {
    id: String,
    count: usize,
    /// The items it names (the "Failed in" lines), for the report.
    items: Vec<String>,
}

/// What cargo-semver-checks said about one pair.
#[derive(Debug, Default)]
struct Verdict {
    failures: Vec<Lint>,
    warnings: Vec<Lint>,
    /// Its `Summary` line.
    summary: String,
}

/// One pair's row of the table.
struct Row {
    old: &'static str,
    new: &'static str,
    additive: usize,
    breaking: usize,
    /// api-diff's breaking entries (`item: text`), and whether one of semver-checks'
    /// items is in the entry's file (or is its operation's mock).
    breaking_entries: Vec<(String, bool)>,
    verdict: Verdict,
    /// Items of failed lints that no breaking api-diff entry accounts for (lint id,
    /// item): a break api-diff misses, even where it reports others for the pair.
    unaccounted: Vec<(String, String)>,
    seconds: f64,
}

impl Row {
    /// The failed lints not explained in [`EXPLAINED`].
    fn unexplained(&self) -> Vec<&Lint> {
        self.verdict.failures.iter().filter(|l| !EXPLAINED.iter().any(|(id, _)| *id == l.id)).collect()
    }

    /// Whether both say breaking, or both say none (lints in [`EXPLAINED`] are not
    /// breaks for this crate's callers).
    fn agree(&self) -> bool {
        let semver_breaking = !self.verdict.failures.is_empty();
        let api_breaking = self.breaking > 0;
        (semver_breaking && api_breaking) || (!api_breaking && self.unexplained().is_empty())
    }

    /// [`Row::agree`], and every item of every failed lint is accounted for by an
    /// api-diff breaking entry (or its lint is explained).
    fn agree_items(&self) -> bool {
        self.agree() && self.missed().is_empty()
    }

    /// Unaccounted items of lints not in [`EXPLAINED`].
    fn missed(&self) -> Vec<&(String, String)> {
        self.unaccounted.iter().filter(|(id, _)| !EXPLAINED.iter().any(|(e, _)| e == id)).collect()
    }

    /// Whether the raw verdicts agree (before [`EXPLAINED`]).
    fn agree_raw(&self) -> bool {
        self.verdict.failures.is_empty() == (self.breaking == 0)
    }
}

/// CLI entry point.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let mut bin = PathBuf::new();
    step(&format!("install cargo-semver-checks {SEMVER_CHECKS_VERSION} under target/tools"), || {
        bin = install(root)?;
        Ok(())
    })?;

    let upstream = upstream_dir(root);
    let versions: Vec<&'static str> =
        facts().targets.iter().filter(|t| t.tags.is_empty()).map(|t| t.version.as_str()).collect();
    let base = root.join("target/semver-oracle");
    let crates = base.join("crates");
    let mut sides = Vec::new();
    step("generate every published version (in process, as api-diff does)", || {
        let overlays = crate::upstream::overlays(root)?;
        for version in &versions {
            let path = spec_path(&upstream, version);
            let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            // One spec file name and the project overlay for every version, as
            // ci-upstream's api-diff check uses: the crates then differ by the API
            // change alone.
            let side = crate::api_diff::side(&text, "openapi.yaml", &overlays)?;
            let dir = crates.join(version);
            crate::write::sync(&dir, &side.files, false)?;
            // The repository's dependency versions (semver-checks' own placeholder
            // crates resolve theirs afresh).
            crate::upstream::write_if_changed(
                &dir.join("Cargo.lock"),
                &fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?,
            )?;
            sides.push((*version, side));
        }
        Ok(())
    })?;

    let mut rows = Vec::new();
    for (i, (old_version, old)) in sides.iter().enumerate() {
        for (new_version, new) in sides.iter().skip(i + 1) {
            let name = format!("semver-checks {old_version} → {new_version}");
            step(&name, || {
                let report = generator::api_diff(&old.api, &new.api);
                let pair_started = Instant::now();
                let verdict = semver_checks(root, &bin, &crates.join(old_version), &crates.join(new_version))?;
                let Matching { unaccounted, entries: breaking_entries } =
                    matching(&verdict, &report, &old.api, &crates);
                rows.push(Row {
                    old: old_version,
                    new: new_version,
                    additive: report.count(Impact::Additive),
                    breaking: report.count(Impact::Breaking),
                    breaking_entries,
                    verdict,
                    unaccounted,
                    seconds: pair_started.elapsed().as_secs_f64(),
                });
                Ok(())
            })?;
        }
    }

    let markdown = render(&rows, &crates, started.elapsed().as_secs_f64());
    print!("{}", table(&rows));
    let out = root.join("target/semver-oracle.md");
    fs::write(&out, &markdown).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let agreed = rows.iter().filter(|r| r.agree()).count();
    let items = rows.iter().filter(|r| r.agree_items()).count();
    println!(
        "verdicts agree on {agreed} of {} pairs ({} before the explained lints); every semver-checks item \
         accounted for by api-diff on {items} of them; details in {}; {:.0} s",
        rows.len(),
        rows.iter().filter(|r| r.agree_raw()).count(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    if items == rows.len() {
        Ok(())
    } else {
        Err(format!(
            "{} pairs disagree: fix generator/src/diff.rs, or explain the lint in xtask/src/semver_oracle.rs \
             (EXPLAINED); see {}",
            rows.len() - items,
            out.display()
        ))
    }
}

/// `target/tools/bin/cargo-semver-checks` at [`SEMVER_CHECKS_VERSION`], installed (with
/// `cargo install --locked`) unless already there.
fn install(root: &Path) -> Result<PathBuf, String> {
    let tools = root.join("target/tools");
    let bin = tools.join("bin/cargo-semver-checks");
    let installed = || {
        let output = Command::new(&bin).args(["semver-checks", "--version"]).output().ok()?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        output.status.success().then_some(text)
    };
    if let Some(version) = installed()
        && version.split_whitespace().last() == Some(SEMVER_CHECKS_VERSION)
    {
        println!("  already installed: {}", version.trim());
        return Ok(bin);
    }
    let started = Instant::now();
    crate::process::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["install", "--locked", "--version", SEMVER_CHECKS_VERSION, "--root"])
            .arg(&tools)
            .arg("cargo-semver-checks"),
    )?;
    println!("  installed in {:.0} s", started.elapsed().as_secs_f64());
    match installed() {
        Some(version) if version.split_whitespace().last() == Some(SEMVER_CHECKS_VERSION) => Ok(bin),
        other => Err(format!("{} reports {other:?} after installing {SEMVER_CHECKS_VERSION}", bin.display())),
    }
}

/// Runs `cargo semver-checks check-release` on one pair and reads its verdict.
fn semver_checks(root: &Path, bin: &Path, old: &Path, new: &Path) -> Result<Verdict, String> {
    let mut cmd = Command::new(bin);
    cmd.args(["semver-checks", "check-release", "--color", "never", "--all-features", "--release-type", "minor"])
        .arg("--baseline-root")
        .arg(old)
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        // Its own target directory: rustdoc JSON builds (RUSTC_BOOTSTRAP) would
        // invalidate the shared generated-crate target's fingerprints.
        .env("CARGO_TARGET_DIR", root.join("target/semver-oracle/target"))
        .env("CARGO_TERM_COLOR", "never");
    let shown = format!("{cmd:?}");
    let output = cmd.output().map_err(|e| format!("cannot start {shown}: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let verdict = parse(&stdout, &stderr);
    // Exit status 1 with failed lints is a verdict; anything else failing is an error.
    if !output.status.success() && verdict.failures.is_empty() {
        return Err(format!("{shown} failed ({}):\n{stderr}\n{stdout}", output.status));
    }
    if verdict.summary.is_empty() {
        return Err(format!("{shown}: no `Summary` line in its output:\n{stderr}\n{stdout}"));
    }
    Ok(verdict)
}

/// Reads the `--- failure ID: … ---` / `--- warning ID: … ---` sections (each lists
/// the items after `Failed in:`, one indented line each) and the `Summary` line.
fn parse(stdout: &str, stderr: &str) -> Verdict {
    let mut verdict = Verdict::default();
    let mut current: Option<(bool, Lint)> = None;
    let mut listing = false;
    let finish = |verdict: &mut Verdict, current: Option<(bool, Lint)>| {
        if let Some((failure, lint)) = current {
            if failure { verdict.failures.push(lint) } else { verdict.warnings.push(lint) }
        }
    };
    for line in stdout.lines() {
        let header = line
            .strip_prefix("--- failure ")
            .map(|r| (true, r))
            .or_else(|| line.strip_prefix("--- warning ").map(|r| (false, r)));
        if let Some((failure, rest)) = header {
            finish(&mut verdict, current.take());
            let id = rest.split(':').next().unwrap_or_default().trim().to_string();
            current = Some((failure, Lint { id, count: 0, items: Vec::new() }));
            listing = false;
        } else if line.trim() == "Failed in:" {
            listing = true;
        } else if listing {
            match (&mut current, line.strip_prefix("  ")) {
                (Some((_, lint)), Some(item)) if !item.trim().is_empty() => {
                    lint.count += 1;
                    lint.items.push(item.trim().to_string());
                }
                _ => listing = false,
            }
        }
    }
    finish(&mut verdict, current);
    verdict.summary = stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Summary"))
        .map(|s| s.trim().to_string())
        .next_back()
        .unwrap_or_default();
    verdict
}

/// Whether the breaking entry `entry` accounts for `item` (one item named by a failed
/// lint): the entry names the generated file the item is in (the old crate's file;
/// each model and operation has its own), or, for the mocks in `src/testing.rs`
/// (shared by every operation), the entry is about the operation whose mock
/// (`MockApi::<method>`, marker `testing::<Marker>`) the item names.
fn accounts(entry: &generator::diff::Entry, item: &str, old: &generator::ir::Api, crates: &Path) -> bool {
    let prefix = format!("{}/", crates.display());
    // `…/crates/<version>/src/models/x.rs:12` → `src/models/x.rs`.
    let Some(file) = item.split(&prefix).nth(1).and_then(|rest| {
        let (_, path) = rest.split_once('/')?;
        Some(path.split(':').next().unwrap_or(path).to_string())
    }) else {
        return false;
    };
    if file == "src/testing.rs" {
        return old.operations.iter().any(|op| {
            let named = item.contains(&format!("MockApi::{}", op.mock_method))
                || item.contains(&format!("testing::{},", op.mock_marker));
            named && entry.item.starts_with(&format!("operation `{}`", op.method_name))
        });
    }
    entry.files.contains(&file)
}

/// How the items of the failed lints and api-diff's breaking entries match up.
struct Matching {
    /// Items no breaking entry accounts for (lint id, item).
    unaccounted: Vec<(String, String)>,
    /// Each breaking entry (`item: text`), and whether it accounts for some item.
    entries: Vec<(String, bool)>,
}

/// Matches the failed lints' items with the breaking entries of `report` ([`accounts`]).
fn matching(verdict: &Verdict, report: &generator::diff::Report, old: &generator::ir::Api, crates: &Path) -> Matching {
    let breaking: Vec<&generator::diff::Entry> =
        report.entries.iter().filter(|e| e.impact == Impact::Breaking).collect();
    let items: Vec<(&Lint, &String)> =
        verdict.failures.iter().flat_map(|lint| lint.items.iter().map(move |item| (lint, item))).collect();
    Matching {
        unaccounted: items
            .iter()
            .filter(|(_, item)| !breaking.iter().any(|e| accounts(e, item, old, crates)))
            .map(|(lint, item)| (lint.id.clone(), item.to_string()))
            .collect(),
        entries: breaking
            .iter()
            .map(|e| {
                let confirmed = items.iter().any(|(_, item)| accounts(e, item, old, crates));
                (format!("{}: {}", e.item, e.text), confirmed)
            })
            .collect(),
    }
}

/// `id ×count, …`, or `none`.
fn lints(list: &[Lint]) -> String {
    if list.is_empty() {
        return "none".to_string();
    }
    list.iter().map(|l| format!("{} ×{}", l.id, l.count)).collect::<Vec<_>>().join(", ")
}

fn agree_text(row: &Row) -> &'static str {
    match (row.agree_raw(), row.agree_items()) {
        (true, true) => "yes",
        (false, true) => "yes (explained)",
        (_, false) => "NO",
    }
}

/// `accounted/total` items of the failed lints.
fn items_text(row: &Row) -> String {
    let total: usize = row.verdict.failures.iter().map(|l| l.count).sum();
    format!("{}/{total}", total - row.missed().len())
}

/// The plain-text table printed at the end.
fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "  old      new       api-diff breaking  items     agree             semver-checks failed lints\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "  {:<8} {:<9} {:>17}  {:<8}  {:<16}  {}",
            row.old,
            row.new,
            row.breaking,
            items_text(row),
            agree_text(row),
            lints(&row.verdict.failures)
        );
    }
    out
}

/// `target/semver-oracle.md`: the table, then per pair what each side named.
fn render(rows: &[Row], crates: &Path, seconds: f64) -> String {
    let short = |item: &str| item.replace(&format!("{}/", crates.display()), "");
    let mut out = format!(
        "# api-diff vs cargo-semver-checks {SEMVER_CHECKS_VERSION}\n\n\
         Written by `cargo xtask semver-oracle` ({seconds:.0} s). Crates generated from \
         `../shared/upstream/` (paths below are relative to `target/semver-oracle/crates/`); semver-checks \
         run as `check-release --release-type minor --all-features` (a failed lint requires a new major \
         version). *items*: how many items named by the failed lints an api-diff breaking entry accounts \
         for (one naming the item's file; for the mocks in `src/testing.rs`, its operation).\n\n\
         | old | new | api-diff breaking | semver-checks failed lints | items | agree? |\n\
         |---|---|---|---|---|---|\n"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.old,
            row.new,
            row.breaking,
            lints(&row.verdict.failures),
            items_text(row),
            agree_text(row)
        );
    }
    let agreed = rows.iter().filter(|r| r.agree()).count();
    let _ = writeln!(
        out,
        "\nAgreement: verdicts on {agreed} of {} pairs ({} before the explained lints); every item accounted \
         for on {} of them.",
        rows.len(),
        rows.iter().filter(|r| r.agree_raw()).count(),
        rows.iter().filter(|r| r.agree_items()).count()
    );
    if !EXPLAINED.is_empty() {
        out.push_str("\n## Explained lints (not breaking for this crate's callers)\n\n");
        for (id, reason) in EXPLAINED {
            let _ = writeln!(out, "- `{id}`: {reason}");
        }
    }
    for row in rows {
        let _ = writeln!(
            out,
            "\n## {} → {}\n\napi-diff: {} additive, {} breaking; semver-checks: {} ({:.0} s); warnings: {}\n",
            row.old,
            row.new,
            row.additive,
            row.breaking,
            row.verdict.summary,
            row.seconds,
            lints(&row.verdict.warnings)
        );
        if !row.missed().is_empty() {
            out.push_str("### Not accounted for by api-diff\n\n");
            for (id, item) in row.missed() {
                let _ = writeln!(out, "- `{id}`: {}", short(item));
            }
            out.push('\n');
        }
        for lint in &row.verdict.failures {
            let mark = if EXPLAINED.iter().any(|(id, _)| *id == lint.id) { " (explained)" } else { "" };
            let _ = writeln!(out, "### `{}` ×{}{mark}\n", lint.id, lint.count);
            for item in &lint.items {
                let _ = writeln!(out, "- {}", short(item));
            }
            out.push('\n');
        }
        if !row.breaking_entries.is_empty() {
            let confirmed = row.breaking_entries.iter().filter(|(_, c)| *c).count();
            let _ = writeln!(
                out,
                "### api-diff breaking entries\n\n{confirmed} of {} have a semver-checks item in their file \
                 (✓); the others are breaks no lint of this version looks for (see the module docs of \
                 `xtask/src/semver_oracle.rs`).\n",
                row.breaking_entries.len()
            );
            for (entry, confirmed) in &row.breaking_entries {
                let _ = writeln!(out, "- {}{entry}", if *confirmed { "✓ " } else { "" });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_failures_warnings_and_the_summary() {
        let stdout = "\n--- failure enum_variant_missing: pub enum variant removed or renamed ---\n\n\
            Description:\nA publicly-visible enum has at least one variant that is no longer available.\n\
            \x20       ref: https://example.invalid\n       impl: https://example.invalid\n\n\
            Failed in:\n  variant A::B, previously in file src/a.rs:10\n  variant A::C, previously in file src/a.rs:11\n\n\
            --- warning function_must_use_added: function #[must_use] added ---\n\nDescription:\nx\n\n\
            Failed in:\n  function f in src/lib.rs:3\n";
        let stderr = "     Checked [   0.1s] 200 checks: 198 pass, 1 fail, 1 warn, 0 skip\n\n\
            \x20    Summary semver requires new major version: 1 major and 0 minor checks failed\n";
        let verdict = parse(stdout, stderr);
        assert_eq!(verdict.failures.len(), 1);
        assert_eq!(verdict.failures[0].id, "enum_variant_missing");
        assert_eq!(verdict.failures[0].count, 2);
        assert_eq!(verdict.failures[0].items[1], "variant A::C, previously in file src/a.rs:11");
        assert_eq!(lints(&verdict.warnings), "function_must_use_added ×1");
        assert_eq!(verdict.summary, "semver requires new major version: 1 major and 0 minor checks failed");
    }

    #[test]
    fn an_item_is_accounted_for_by_a_breaking_entry_for_its_file_or_its_mock() {
        let spec = crate::process::root().join("generator/tests/diff/base.yaml");
        let text = fs::read_to_string(spec).unwrap();
        let options = generator::Options::new("diff-fixture", "diff.yaml");
        let (api, _) = generator::intermediate(&text, &options).unwrap_or_else(|f| panic!("{f}"));
        let op = &api.operations[0];
        let entry = |item: String, file: &str, impact| generator::diff::Entry {
            section: "Models",
            item,
            text: String::new(),
            impact,
            files: [file.to_string()].into(),
        };
        let report = generator::diff::Report {
            entries: vec![
                entry("model `Thing`".into(), "src/models/thing.rs", Impact::Breaking),
                // Additive entries account for nothing.
                entry("model `Shape`".into(), "src/models/shape.rs", Impact::Additive),
                entry(format!("operation `{}` (x)", op.method_name), "src/testing.rs", Impact::Breaking),
            ],
            versions: Default::default(),
        };
        let item = |text: &str| text.replace("CRATES", "/c");
        let items = vec![
            item("field color of struct Thing, previously in file CRATES/1/src/models/thing.rs:20"),
            item("Shape::as_circle, previously in file CRATES/1/src/models/shape.rs:30"),
            item(&format!("MockApi::{}, previously in file CRATES/1/src/testing.rs:5", op.mock_method)),
            item(&format!("struct x::testing::{}, previously in file CRATES/1/src/testing.rs:9", op.mock_marker)),
            item("MockApi::unknown, previously in file CRATES/1/src/testing.rs:7"),
        ];
        let verdict =
            Verdict { failures: vec![Lint { id: "lint".into(), count: items.len(), items }], ..Verdict::default() };
        let matched = matching(&verdict, &report, &api, Path::new("/c"));
        let missed: Vec<String> = matched.unaccounted.into_iter().map(|(_, item)| item).collect();
        assert_eq!(
            missed,
            [
                "Shape::as_circle, previously in file /c/1/src/models/shape.rs:30",
                "MockApi::unknown, previously in file /c/1/src/testing.rs:7"
            ]
        );
        let confirmed: Vec<bool> = matched.entries.iter().map(|(_, c)| *c).collect();
        assert_eq!(confirmed, [true, true], "{:?}", matched.entries);
    }
}
