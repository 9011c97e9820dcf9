//! Fixture specs, one hazard each: the IR and the rendered Rust are snapshot-tested,
//! and specs that must be rejected (in strict mode) have their diagnostics snapshot-tested.
//! Stale snapshots (a fixture renamed or removed) fail `snapshots_are_referenced`.
//!
//! A fixture whose first line is `# snapshots: none` (with its reason) is generated
//! here but not snapshotted: one whose output is the same item many times over, which
//! no reviewer reads. It is built and tested as a crate like every fixture.

use std::path::Path;

fn options(path: &Path) -> generator::Options {
    let name = path.file_stem().unwrap().to_string_lossy().to_string();
    generator::Options {
        standalone: false,
        ..generator::Options::new(format!("fixture-{name}"), format!("tests/fixtures/{name}.yaml"))
    }
}

/// The crate's own code (runtime files are identical for every fixture and left out).
fn rendered(files: &std::collections::BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs") && !p.starts_with("src/runtime/")) {
        out.push_str(&format!("// ===== {path} =====\n{text}\n"));
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let options = options(path);
        let (api, warnings) =
            generator::intermediate(&text, &options).unwrap_or_else(|f| panic!("{} failed:\n{f}", path.display()));
        let output = generator::generate(&text, &options).unwrap_or_else(|f| panic!("{f}"));
        if text.starts_with("# snapshots: none") {
            return;
        }
        insta::assert_yaml_snapshot!("ir", (&api, &warnings));
        insta::assert_snapshot!("rust", rendered(&output.files));
    });
}

#[test]
fn rejected_specs() {
    insta::glob!("errors/*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        // Strict: an operation the generator cannot express refuses the spec too.
        let options = generator::Options { strict: true, ..options(path) };
        let failure = match generator::generate(&text, &options) {
            Ok(_) => panic!("{} should be rejected", path.display()),
            Err(failure) => failure,
        };
        assert!(!failure.diagnostics.is_empty());
        insta::assert_snapshot!("diagnostics", failure.to_string());
    });
}

/// Every snapshot file belongs to an existing fixture (insta's `--unreferenced=reject`
/// without needing cargo-insta).
#[test]
fn snapshots_are_referenced() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(dir.join("snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            stale.push(format!("{name} (unaccepted)"));
            continue;
        }
        let Some((kind, fixture)) = name.split_once('@') else { continue };
        let fixture = fixture.trim_end_matches(".snap");
        let test = match kind {
            "snapshots__diagnostics" => "errors",
            "diff__report" => "diff",
            _ => "fixtures",
        };
        if !dir.join(test).join(fixture).exists() {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "stale snapshots, delete them: {stale:?}");
}
