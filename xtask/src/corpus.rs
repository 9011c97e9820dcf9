//! `cargo xtask corpus DIR`: the generator on other people's OpenAPI documents.
//!
//! Every `.json`, `.yaml` and `.yml` file of `DIR` is generated (lenient: an operation
//! the generator cannot express is left out with a warning) into one workspace under
//! `target/corpus/`, and each crate that generates is checked with
//! `cargo clippy --all-targets --all-features -- -D warnings`. The table printed (and
//! written to `target/corpus/CORPUS.md`) says, per document: its size, operations,
//! those generated and left out (with the reasons), a refusal's first error, warnings,
//! the generation time (in process, this build of xtask) and clippy's verdict.
//!
//! Third-party documents are not kept in this repository: point `DIR` at a checkout,
//! e.g. `sample_openapi/` of <https://github.com/oxidecomputer/progenitor> (README,
//! "Any OpenAPI document"). Opt-in: not part of `cargo xtask test`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::process::{cargo, generated_target};

/// What one document gave.
struct Row {
    document: String,
    bytes: u64,
    /// Operations in the document (generated + left out), when it was read.
    operations: Option<usize>,
    generated: usize,
    /// Left-out operations, counted by kind of reason (an operation once per kind).
    left_out: BTreeMap<String, usize>,
    /// The first error, when the document was refused.
    refused: Option<String>,
    warnings: usize,
    millis: f64,
    /// The crate's member name, when one was written.
    member: Option<String>,
    /// clippy's verdict: `None` when no crate was written.
    clippy: Option<Result<(), String>>,
}

/// `cargo xtask corpus DIR`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let [dir] = args else { return Err("usage: cargo xtask corpus DIR".to_string()) };
    let dir = PathBuf::from(dir);
    let mut documents: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "yml"))
        .collect();
    documents.sort();
    if documents.is_empty() {
        return Err(format!("{} holds no .json, .yaml or .yml document", dir.display()));
    }
    let out = root.join("target/corpus");
    let mut rows = Vec::new();
    for path in &documents {
        rows.push(generate(path, &out)?);
    }
    let members: Vec<String> = rows.iter().filter_map(|r| r.member.clone()).collect();
    if !members.is_empty() {
        crate::write::workspace(root, &out, &members)?;
    }
    for row in &mut rows {
        let Some(member) = &row.member else { continue };
        println!("==> clippy {member}");
        let output = cargo(&out)
            .args(["clippy", "-p", member, "--all-targets", "--all-features", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", generated_target(root))
            .output()
            .map_err(|e| format!("cannot run cargo clippy: {e}"))?;
        row.clippy = Some(if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let first = stderr.lines().find(|l| l.starts_with("error")).unwrap_or("failed").to_string();
            eprintln!("{stderr}");
            Err(first)
        });
    }
    let table = table(&rows);
    print!("{table}");
    let written = out.join("CORPUS.md");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(&written, &table).map_err(|e| format!("cannot write {}: {e}", written.display()))?;
    eprintln!("corpus: wrote {}", written.display());
    Ok(())
}

/// Generates one document into `out/<slug>/`.
fn generate(path: &Path, out: &Path) -> Result<Row, String> {
    let document = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let slug: String = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let member = format!("corpus-{}", slug.trim_matches('-'));
    let options = generator::Options {
        standalone: false,
        ..generator::Options::new(member.clone(), crate::regen::display_path(path))
    };
    let mut row = Row {
        document,
        bytes: text.len() as u64,
        operations: None,
        generated: 0,
        left_out: BTreeMap::new(),
        refused: None,
        warnings: 0,
        millis: 0.0,
        member: None,
        clippy: None,
    };
    println!("==> generate {}", path.display());
    let started = Instant::now();
    let result = generator::intermediate(&text, &options)
        .and_then(|(api, _)| generator::generate(&text, &options).map(|output| (api, output)));
    row.millis = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok((api, output)) => {
            row.generated = api.operations.len();
            row.operations = Some(api.operations.len() + api.left_out.len());
            for left in &api.left_out {
                // An operation with several findings counts once under each kind.
                let kinds: std::collections::BTreeSet<String> = left.reason.split("; ").map(reason_kind).collect();
                for kind in kinds {
                    *row.left_out.entry(kind).or_default() += 1;
                }
            }
            row.warnings = output.warnings.len();
            crate::write::sync(&out.join(&member), &output.files, true)?;
            row.member = Some(member);
        }
        Err(failure) => {
            row.warnings = failure.diagnostics.iter().filter(|d| d.severity == generator::Severity::Warning).count();
            let first = failure.diagnostics.iter().find(|d| d.severity == generator::Severity::Error);
            row.refused = Some(first.map_or_else(|| failure.to_string(), |d| d.message.clone()));
        }
    }
    Ok(row)
}

/// A left-out operation's reason without what names this one (backticked names and
/// values), so that reasons group: "`X-Foo` header ..." and "`X-Bar` header ..." are one.
fn reason_kind(reason: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in reason.chars() {
        if c == '`' {
            if !quoted {
                out.push('…');
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| document | size | operations | generated | left out | refused | warnings | generate | clippy -D warnings |\n\
         |---|---:|---:|---:|---|---|---:|---:|---|\n",
    );
    for r in rows {
        let left_out = if r.left_out.is_empty() {
            "—".to_string()
        } else {
            r.left_out.iter().map(|(why, n)| format!("{n}: {why}")).collect::<Vec<_>>().join("; ")
        };
        let clippy = match &r.clippy {
            None => "—".to_string(),
            Some(Ok(())) => "clean".to_string(),
            Some(Err(first)) => format!("**fails**: {first}"),
        };
        let _ = writeln!(
            out,
            "| `{}` | {:.0} KiB | {} | {} | {} | {} | {} | {:.0} ms | {} |",
            r.document,
            r.bytes as f64 / 1024.0,
            r.operations.map_or("—".to_string(), |n| n.to_string()),
            r.generated,
            left_out.replace('|', "\\|"),
            r.refused.as_deref().unwrap_or("—").replace('|', "\\|"),
            r.warnings,
            r.millis,
            clippy.replace('|', "\\|"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_group_without_their_names() {
        assert_eq!(
            reason_kind("header parameter `X-Foo` is managed by the client"),
            reason_kind("header parameter `X-Bar` is managed by the client")
        );
        assert_eq!(reason_kind("cookie parameters are not supported"), "cookie parameters are not supported");
    }
}
