//! `cargo xtask release`: the next version of the generated crate, from what changed
//! for its users since the last release.
//!
//! Release state lives in `spec/`: `spec/crate.toml` holds the crate's version (and
//! its manifest URLs), `spec/release/sunshine-conversations.yaml` the API description
//! as it was at that release, `spec/release/public-api.txt` the crate's public Rust API
//! as released (`generator::surface`), `spec/CHANGELOG.md` every release's section
//! (copied into `generated/CHANGELOG.md`).
//!
//! A release sees two kinds of change. The API's: the description at the last release
//! and today's, both read by today's generator, compared through `generator::diff`.
//! The crate's own: the public Rust API today's generator and runtime give the released
//! description, compared with the one recorded at the release (a renamed runtime item,
//! a constructor that now returns `Result`). Both are versioned by semver
//! (`generator::release::next_version`: never lower) and written into the changelog
//! section; then the state is recorded and `generated/` regenerated. It refuses when
//! `generated/` is stale. `--amend` redoes the last release while it is unpublished:
//! the state before it is read from git (the newest revision whose `spec/crate.toml`
//! has another version), its changelog section dropped, and the release made again.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use generator::surface::{self, Surface};

use crate::regen::{self, CHANGELOG, CRATE, CrateSettings, settings};

/// The API description at the last release.
pub(crate) const RELEASED_SPEC: &str = "spec/release/sunshine-conversations.yaml";
/// The crate's public Rust API at the last release.
pub(crate) const RELEASED_API: &str = "spec/release/public-api.txt";

/// `cargo xtask release [--dry-run] [--amend]`.
pub(crate) fn run(root: &Path, dry_run: bool, amend: bool) -> Result<(), String> {
    regen::regen(root, true).map_err(|e| format!("generated/ is stale: regenerate and review it first\n{e}"))?;
    if amend {
        if dry_run {
            return Err("--amend changes the release state: run it without --dry-run".to_string());
        }
        restore_previous(root)?;
    }
    let settings = settings(root)?;
    let options = regen::options(root)?;
    let read = |path: &str| fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"));
    let (old_text, new_text) = (read(RELEASED_SPEC)?, read(regen::SPEC)?);
    // Both read as spec/ is (the same options): only the description differs.
    let side = |text: &str, file: &str| {
        let api = generator::intermediate(text, &options).map(|(api, _)| api).map_err(|f| format!("{file}: {f}"))?;
        let files = generator::generate(text, &options).map_err(|f| format!("{file}: {f}"))?.files;
        Ok::<_, String>((api, files))
    };
    let ((old, old_files), (new, new_files)) = (side(&old_text, RELEASED_SPEC)?, side(&new_text, regen::SPEC)?);
    let mut report = generator::api_diff(&old, &new);
    // What the generator and runtime changed: the released description as today's
    // generator renders it, against the API recorded at the release.
    let released = surface_of(&old_files)?;
    let recorded = match fs::read_to_string(root.join(RELEASED_API)) {
        Ok(text) => Surface::parse(&text).map_err(|e| format!("{RELEASED_API}: {e}"))?,
        Err(_) => {
            eprintln!(
                "warning: {RELEASED_API} is missing: the crate's own changes since the last release cannot be seen; it is recorded now"
            );
            released.clone()
        }
    };
    let crate_made = surface::compare(&recorded, &released);
    report.entries.extend(crate_made.iter().cloned());
    let Some(version) = generator::release::next_version(&settings.version, &report)? else {
        println!("nothing to release: no change users see since {}", settings.version);
        if !dry_run && !root.join(RELEASED_API).exists() {
            crate::write::atomic(&root.join(RELEASED_API), &released.text())?;
        }
        return Ok(());
    };
    let section = generator::release::changelog_section(&version, &report);
    println!("{} → {version}\n\n{section}", settings.version);
    if dry_run {
        return Ok(());
    }
    let changelog = fs::read_to_string(root.join(CHANGELOG)).ok();
    crate::write::atomic(&root.join(CHANGELOG), &generator::release::prepend(changelog.as_deref(), &section))?;
    let crate_toml = fs::read_to_string(root.join(CRATE)).map_err(|e| format!("cannot read {CRATE}: {e}"))?;
    crate::write::atomic(&root.join(CRATE), &set_version(&crate_toml, &version)?)?;
    crate::write::atomic(&root.join(RELEASED_SPEC), &new_text)?;
    crate::write::atomic(&root.join(RELEASED_API), &surface_of(&new_files)?.text())?;
    regen::regen(root, false)
}

fn surface_of(files: &BTreeMap<String, String>) -> Result<Surface, String> {
    Surface::of(files).map_err(|e| format!("generator bug: the generated crate cannot be read back: {e}"))
}

/// `--amend`: the release state as it was before the last release, read from git (the
/// newest revision, working tree first, whose `spec/crate.toml` has another version
/// than today's), and the last release's changelog section dropped.
fn restore_previous(root: &Path) -> Result<(), String> {
    let version = settings(root)?.version;
    let git = |args: &[&str]| {
        let output = Command::new("git").arg("-C").arg(root).args(args).output().map_err(|e| format!("git: {e}"))?;
        if !output.status.success() {
            return Err(format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let revisions = git(&["log", "--format=%H", "--", CRATE])?;
    let version_at = |revision: &str| -> Result<String, String> {
        let text = git(&["show", &format!("{revision}:{CRATE}")])?;
        let settings: CrateSettings = toml::from_str(&text).map_err(|e| format!("{CRATE} at {revision}: {e}"))?;
        Ok(settings.version)
    };
    let mut before = None;
    for revision in std::iter::once("HEAD").chain(revisions.lines()) {
        if version_at(revision)? != version {
            before = Some(revision.to_string());
            break;
        }
    }
    let before =
        before.ok_or_else(|| format!("no revision before the release of {version} in git: nothing to amend"))?;
    let previous = version_at(&before)?;
    let changelog = fs::read_to_string(root.join(CHANGELOG)).map_err(|e| format!("cannot read {CHANGELOG}: {e}"))?;
    let changelog = generator::release::drop_newest(&changelog, &version)
        .ok_or_else(|| format!("{CHANGELOG} has no section `## {version}` first: is {version} released already?"))?;
    crate::write::atomic(&root.join(CHANGELOG), &changelog)?;
    crate::write::atomic(&root.join(RELEASED_SPEC), &git(&["show", &format!("{before}:{RELEASED_SPEC}")])?)?;
    match git(&["show", &format!("{before}:{RELEASED_API}")]) {
        Ok(text) => crate::write::atomic(&root.join(RELEASED_API), &text)?,
        Err(_) => {
            let _ = fs::remove_file(root.join(RELEASED_API));
        }
    }
    let crate_toml = fs::read_to_string(root.join(CRATE)).map_err(|e| format!("cannot read {CRATE}: {e}"))?;
    crate::write::atomic(&root.join(CRATE), &set_version(&crate_toml, &previous)?)?;
    println!("amending {version}: the state of {previous} restored (from git {})", &before[..before.len().min(12)]);
    Ok(())
}

/// `crate.toml` with its `version = "…"` line replaced (comments and order kept).
fn set_version(text: &str, version: &str) -> Result<String, String> {
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !found && line.trim_start().starts_with("version") && line.contains('=') {
                found = true;
                format!("version = \"{version}\"")
            } else {
                line.to_string()
            }
        })
        .collect();
    if !found {
        return Err(format!("{CRATE} has no `version = \"…\"` line"));
    }
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_line_is_replaced_in_place() {
        let text = "# The crate.\nversion = \"0.1.0\" # set by release\nrepository = \"x\"\n";
        assert_eq!(set_version(text, "0.2.0").unwrap(), "# The crate.\nversion = \"0.2.0\"\nrepository = \"x\"\n");
        assert!(set_version("repository = \"x\"\n", "1.0.0").is_err());
    }
}
