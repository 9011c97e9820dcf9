//! Releases: the next version of a generated crate by semver from the API changes
//! since the last release ([`crate::diff`]), and the changelog section for it.
//!
//! The version follows Cargo's reading of semver: for `0.x.y` a breaking change bumps
//! the minor version and anything else the patch; from `1.0.0`, breaking bumps the
//! major, additive (and deprecations) the minor, docs the patch. Internal changes alone
//! (generated code, no public item) release nothing.

use std::fmt::Write as _;

use crate::diff::{Impact, Report};

/// Whether `version` is `MAJOR.MINOR.PATCH` (numbers without leading zeros).
pub fn is_version(version: &str) -> bool {
    parse(version).is_some()
}

fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.split('.').map(|p| {
        let ok = !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (p == "0" || !p.starts_with('0'));
        if ok { p.parse::<u64>().ok() } else { None }
    });
    let triple = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(triple)
}

/// What a release bumps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Fixes and docs.
    Patch,
    /// Additions (or, before 1.0, breaking changes).
    Minor,
    /// Breaking changes from 1.0 on.
    Major,
}

/// The version after `last` for the changes in `report`: `Ok(None)` when nothing
/// users see changed (no release needed).
pub fn next_version(last: &str, report: &Report) -> Result<Option<String>, String> {
    let (major, minor, patch) =
        parse(last).ok_or_else(|| format!("the last version `{last}` is not MAJOR.MINOR.PATCH"))?;
    let bump = if report.count(Impact::Breaking) > 0 {
        if major == 0 { Bump::Minor } else { Bump::Major }
    } else if report.count(Impact::Additive) + report.count(Impact::Deprecated) > 0 {
        if major == 0 { Bump::Patch } else { Bump::Minor }
    } else if report.count(Impact::Docs) > 0 {
        Bump::Patch
    } else {
        return Ok(None);
    };
    Ok(Some(match bump {
        Bump::Major => format!("{}.0.0", major + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
    }))
}

/// The changelog section of a release: its version and API version, then the changes
/// users see, grouped (breaking, added, deprecated, documentation), each as the API
/// diff names it (in the Rust names of the crate).
pub fn changelog_section(version: &str, report: &Report) -> String {
    let mut out = format!("## {version}\n\n");
    let (old, new) = &report.versions;
    if old != new {
        let _ = writeln!(out, "API version {old} → {new}.\n");
    } else {
        let _ = writeln!(out, "API version {new}.\n");
    }
    for (impact, title) in [
        (Impact::Breaking, "Breaking"),
        (Impact::Additive, "Added"),
        (Impact::Deprecated, "Deprecated"),
        (Impact::Docs, "Documentation"),
    ] {
        let entries: Vec<_> = report.entries.iter().filter(|e| e.impact == impact).collect();
        if entries.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for entry in entries {
            let _ = writeln!(out, "- {}: {}", entry.item, entry.text);
        }
        out.push('\n');
    }
    out
}

/// The changelog with `section` as its newest release: after the title (the first
/// line starting with `# `), before the older sections.
pub fn prepend(changelog: Option<&str>, section: &str) -> String {
    let title = "# Changelog\n\nEvery release of this crate, newest first: what changed for its users, as `cargo xtask api-diff` reports it.\n\n";
    let Some(existing) = changelog.filter(|c| !c.trim().is_empty()) else { return format!("{title}{section}") };
    match existing.find("\n## ") {
        Some(at) => format!("{}\n{section}{}", &existing[..at], &existing[at + 1..]),
        None => format!("{}\n\n{section}", existing.trim_end()),
    }
}

/// The changelog without its newest section when that is `## {version}` (`release
/// --amend`); `None` when the newest section is another version's.
pub fn drop_newest(changelog: &str, version: &str) -> Option<String> {
    let heading = format!("## {version}\n");
    let start = changelog.find("\n## ").map(|at| at + 1)?;
    if !changelog[start..].starts_with(&heading) {
        return None;
    }
    let end = changelog[start + 3..].find("\n## ").map_or(changelog.len(), |at| start + 3 + at + 1);
    Some(format!("{}{}", &changelog[..start], &changelog[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Entry;

    fn report(impacts: &[Impact]) -> Report {
        let entries = impacts
            .iter()
            .map(|impact| Entry {
                section: "Models",
                item: "model `X`".into(),
                text: "changed".into(),
                impact: *impact,
                files: Default::default(),
            })
            .collect();
        Report { entries, versions: ("1".into(), "2".into()) }
    }

    #[test]
    fn versions_follow_cargo_semver() {
        use Impact::*;
        let table: &[(&str, &[Impact], Option<&str>)] = &[
            ("0.1.0", &[Breaking, Additive], Some("0.2.0")),
            ("0.1.3", &[Additive], Some("0.1.4")),
            ("0.1.3", &[Deprecated], Some("0.1.4")),
            ("0.1.3", &[Docs], Some("0.1.4")),
            ("0.1.3", &[Internal], None),
            ("0.1.3", &[], None),
            ("1.2.3", &[Breaking], Some("2.0.0")),
            ("1.2.3", &[Additive, Docs], Some("1.3.0")),
            ("1.2.3", &[Deprecated], Some("1.3.0")),
            ("1.2.3", &[Docs, Internal], Some("1.2.4")),
        ];
        for (last, impacts, expected) in table {
            assert_eq!(next_version(last, &report(impacts)).unwrap().as_deref(), *expected, "{last} {impacts:?}");
        }
        assert!(next_version("1.2", &report(&[])).is_err());
        assert!(!is_version("01.2.3") && !is_version("1.2.3-rc1") && is_version("10.0.0"));
    }

    #[test]
    fn sections_go_newest_first() {
        let first = prepend(None, "## 0.1.1\n\nA.\n");
        let second = prepend(Some(&first), "## 0.2.0\n\nB.\n");
        let newest = second.find("## 0.2.0").unwrap();
        assert!(second.starts_with("# Changelog") && newest < second.find("## 0.1.1").unwrap(), "{second}");
        // An amended release drops its own section only.
        assert_eq!(drop_newest(&second, "0.2.0").as_deref(), Some(first.as_str()));
        assert_eq!(drop_newest(&second, "0.1.1"), None);
    }
}
