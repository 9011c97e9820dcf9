//! `cargo xtask release`: the next version of the generated crate, from the API
//! changes since the last release.
//!
//! Release state lives in `spec/`: `spec/crate.toml` holds the crate's version (and
//! its manifest URLs), `spec/release/sunshine-conversations.yaml` the API description
//! as it was at that release, `spec/CHANGELOG.md` every release's section (copied into
//! `generated/CHANGELOG.md`). A release compares the description at the last release
//! with today's through `generator::diff` (both read by today's generator, so only API
//! changes count), sets the version by semver (`generator::release::next_version`:
//! never lower), prepends the changelog section, records today's description, and
//! regenerates `generated/`. It refuses when `generated/` is stale.

use std::fs;
use std::path::Path;

use crate::regen;

/// The crate settings not in the API description, relative to the workspace root.
pub(crate) const CRATE: &str = "spec/crate.toml";
/// The API description at the last release.
pub(crate) const RELEASED_SPEC: &str = "spec/release/sunshine-conversations.yaml";
/// Every release's section, newest first.
pub(crate) const CHANGELOG: &str = "spec/CHANGELOG.md";

/// `spec/crate.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CrateSettings {
    /// The version of the last release.
    pub version: String,
    /// The manifest's `repository` URL.
    pub repository: Option<String>,
    /// The manifest's `documentation` URL (docs.rs when unset).
    pub documentation: Option<String>,
}

pub(crate) fn settings(root: &Path) -> Result<CrateSettings, String> {
    let path = root.join(CRATE);
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo xtask release [--dry-run]`.
pub(crate) fn run(root: &Path, dry_run: bool) -> Result<(), String> {
    regen::regen(root, true).map_err(|e| format!("generated/ is stale: regenerate and review it first\n{e}"))?;
    let settings = settings(root)?;
    let options = regen::options(root)?;
    let read = |path: &str| fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"));
    let (old_text, new_text) = (read(RELEASED_SPEC)?, read(regen::SPEC)?);
    let side = |text: &str, file: &str| {
        generator::intermediate(text, &generator::Options { spec_file: file.to_string(), ..options.clone() })
            .map(|(api, _)| api)
            .map_err(|failure| format!("{file}: {failure}"))
    };
    let (old, new) = (side(&old_text, RELEASED_SPEC)?, side(&new_text, regen::SPEC)?);
    let report = generator::api_diff(&old, &new);
    let Some(version) = generator::release::next_version(&settings.version, &report)? else {
        println!("nothing to release: no change users see since {}", settings.version);
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
    regen::regen(root, false)
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
