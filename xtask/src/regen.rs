//! `regen` and `generate`: run the generator and sync a directory with its output.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::write;

/// Our spec, relative to the workspace root.
pub(crate) const SPEC: &str = "spec/sunshine-conversations.yaml";
/// Hand-written guide (quick start) for the crate docs and README.
pub(crate) const GUIDE: &str = "spec/guide.md";
/// Hand-written example programs copied into `generated/examples/`.
pub(crate) const EXAMPLES: &str = "spec/examples";
/// The checked-in crate, relative to the workspace root.
pub(crate) const GENERATED: &str = "generated";

/// Reads a spec and runs the generator, printing warnings.
pub(crate) fn run_generator(spec: &Path, options: &generator::Options) -> Result<BTreeMap<String, String>, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let output = generator::generate(&text, options).map_err(|failure| failure.to_string())?;
    for warning in &output.warnings {
        eprintln!("{warning}");
    }
    Ok(output.files)
}

/// The crate settings not in the API description, relative to the workspace root.
pub(crate) const CRATE: &str = "spec/crate.toml";
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

/// The options `cargo xtask regen` generates `generated/` with.
pub(crate) fn options(root: &Path) -> Result<generator::Options, String> {
    let settings = settings(root)?;
    Ok(generator::Options {
        command: "cargo xtask regen".to_string(),
        standalone: false,
        guide: read_optional(&root.join(GUIDE))?,
        examples: read_examples(&root.join(EXAMPLES))?,
        version: settings.version,
        repository: settings.repository,
        documentation: settings.documentation,
        changelog: read_optional(&root.join(CHANGELOG))?,
        // Our own spec never loses an operation: one the generator cannot express refuses it.
        strict: true,
        ..generator::Options::new("sunshine-conversations", SPEC)
    })
}

fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

fn read_examples(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut examples = BTreeMap::new();
    let Ok(entries) = fs::read_dir(dir) else { return Ok(examples) };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
            let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            examples.insert(name, text);
        }
    }
    Ok(examples)
}

/// `cargo xtask regen [--check]`.
pub(crate) fn regen(root: &Path, check: bool) -> Result<(), String> {
    let files = run_generator(&root.join(SPEC), &options(root)?)?;
    let out = root.join(GENERATED);
    if check {
        let problems = stale(&out, &files)?;
        if problems.is_empty() {
            println!("{GENERATED}/ is up to date ({} files)", files.len());
            return Ok(());
        }
        return Err(format!(
            "{GENERATED}/ does not match {SPEC}:\n{}\nrun `cargo xtask regen` and commit the result",
            problems.join("\n")
        ));
    }
    let report = write::sync(&out, &files, false)?;
    println!("{GENERATED}/: {} files, {} written, {} removed", files.len(), report.written, report.removed);
    if !report.kept.is_empty() {
        return Err(format!(
            "{GENERATED}/ holds files the generator did not write: {:?}; nothing else lives there",
            report.kept
        ));
    }
    Ok(())
}

/// Every difference between `dir` and `files`: stale, missing and extra paths.
pub(crate) fn stale(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        match fs::read_to_string(dir.join(path)) {
            Ok(current) if current.replace("\r\n", "\n") == text.replace("\r\n", "\n") => {}
            Ok(_) => problems.push(format!("  stale:   {GENERATED}/{path}")),
            Err(_) => problems.push(format!("  missing: {GENERATED}/{path}")),
        }
    }
    for path in write::list(dir)? {
        if !files.contains_key(&path) {
            problems.push(format!("  extra:   {GENERATED}/{path}"));
        }
    }
    Ok(problems)
}

/// The spec's path as the user will recognise it, without the machine's layout: as
/// given when relative, relative to the current directory when below it, else its
/// file name.
pub(crate) fn display_path(spec: &Path) -> String {
    let shown = if spec.is_relative() {
        spec.to_path_buf()
    } else {
        let cwd = std::env::current_dir().ok();
        match cwd.as_deref().and_then(|cwd| spec.strip_prefix(cwd).ok()) {
            Some(relative) => relative.to_path_buf(),
            None => spec.file_name().map(Into::into).unwrap_or_default(),
        }
    };
    shown.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask regen --check`, as a test.
    #[test]
    fn generated_matches_spec() {
        regen(&crate::process::root(), true).unwrap();
    }

    #[test]
    fn check_reports_edited_missing_and_extra_files() {
        let dir = std::env::temp_dir().join(format!("xtask-regen-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert("Cargo.toml".to_string(), "# Generated by `t` from `s`; do not edit by hand.\n".to_string());
        files.insert("src/b.rs".to_string(), "//! Generated by `t` from `s`; do not edit by hand.\n".to_string());
        assert_eq!(write::sync(&dir, &files, false).unwrap().written, 2);
        assert!(stale(&dir, &files).unwrap().is_empty());
        assert_eq!(write::sync(&dir, &files, false).unwrap().written, 0, "unchanged files are not rewritten");
        fs::write(dir.join("Cargo.toml"), "edited\n").unwrap();
        fs::remove_file(dir.join("src/b.rs")).unwrap();
        fs::write(dir.join("extra.rs"), "x\n").unwrap();
        let problems = stale(&dir, &files).unwrap().join("\n");
        assert!(problems.contains("stale:   generated/Cargo.toml"), "{problems}");
        assert!(problems.contains("missing: generated/src/b.rs"), "{problems}");
        assert!(problems.contains("extra:   generated/extra.rs"), "{problems}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn paths_shown_without_the_machine_layout() {
        assert_eq!(display_path(Path::new("spec/x.yaml")), "spec/x.yaml");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_path(&cwd.join("a/b.yaml")), "a/b.yaml");
        assert_eq!(display_path(Path::new("/somewhere/else/api.yaml")), "api.yaml");
    }
}
