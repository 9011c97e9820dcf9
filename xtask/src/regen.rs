//! `regen` and `generate`: run the generator and sync a directory with its output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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
    let options = generator::Options {
        package: "sunshine-conversations".to_string(),
        spec_file: SPEC.to_string(),
        tags: Vec::new(),
        standalone: false,
        guide: read_optional(&root.join(GUIDE))?,
        examples: read_examples(&root.join(EXAMPLES))?,
    };
    let files = run_generator(&root.join(SPEC), &options)?;
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
    let changed = write_tree(&out, &files)?;
    println!("{GENERATED}/: {} files, {changed} written or removed", files.len());
    Ok(())
}

/// Every difference between `dir` and `files`: stale, missing and extra paths.
pub(crate) fn stale(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        match fs::read_to_string(dir.join(path)) {
            Ok(current) if normalise(&current) == normalise(text) => {}
            Ok(_) => problems.push(format!("  stale:   {GENERATED}/{path}")),
            Err(_) => problems.push(format!("  missing: {GENERATED}/{path}")),
        }
    }
    for path in existing(dir)? {
        if !files.contains_key(&path) {
            problems.push(format!("  extra:   {GENERATED}/{path}"));
        }
    }
    Ok(problems)
}

/// Writes files whose contents changed and removes files no longer produced.
/// Returns how many files were written or removed.
pub(crate) fn write_tree(dir: &Path, files: &BTreeMap<String, String>) -> Result<usize, String> {
    let mut changed = 0;
    for (path, text) in files {
        let target = dir.join(path);
        if fs::read_to_string(&target).is_ok_and(|current| normalise(&current) == normalise(text)) {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&target, text).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        changed += 1;
    }
    for path in existing(dir)? {
        if !files.contains_key(&path) {
            let target = dir.join(&path);
            fs::remove_file(&target).map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
            changed += 1;
        }
    }
    remove_empty_dirs(dir);
    Ok(changed)
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Files below `dir` (relative, `/`-separated), skipping build output.
fn existing(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let entries = fs::read_dir(&next).map_err(|e| format!("cannot list {}: {e}", next.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let relative = path.strip_prefix(dir).map_err(|e| e.to_string())?;
            let relative = relative.to_string_lossy().replace('\\', "/");
            if relative == "target" || relative == "Cargo.lock" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(relative);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            let _ = fs::remove_dir(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask regen --check`, as a test.
    #[test]
    fn generated_matches_spec() {
        regen(&crate::root(), true).unwrap();
    }

    #[test]
    fn check_reports_edited_missing_and_extra_files() {
        let dir = std::env::temp_dir().join(format!("xtask-regen-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut files = BTreeMap::new();
        files.insert("a.rs".to_string(), "a\n".to_string());
        files.insert("src/b.rs".to_string(), "b\n".to_string());
        assert_eq!(write_tree(&dir, &files).unwrap(), 2);
        assert!(stale(&dir, &files).unwrap().is_empty());
        assert_eq!(write_tree(&dir, &files).unwrap(), 0, "unchanged files are not rewritten");
        fs::write(dir.join("a.rs"), "edited\n").unwrap();
        fs::remove_file(dir.join("src/b.rs")).unwrap();
        fs::write(dir.join("extra.rs"), "x\n").unwrap();
        let problems = stale(&dir, &files).unwrap().join("\n");
        assert!(problems.contains("stale:   generated/a.rs"), "{problems}");
        assert!(problems.contains("missing: generated/src/b.rs"), "{problems}");
        assert!(problems.contains("extra:   generated/extra.rs"), "{problems}");
        assert_eq!(write_tree(&dir, &files).unwrap(), 3);
        assert!(stale(&dir, &files).unwrap().is_empty());
        let _ = fs::remove_dir_all(&dir);
    }
}
