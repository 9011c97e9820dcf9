//! Overlays (OpenAPI Overlay Specification 1.0.0), data-driven: each directory of
//! `overlays/` holds `spec.yaml`, the overlays `overlay*.yaml` / `overlay*.json` (applied
//! in name order), and what must come out:
//! - `expected.yaml`: the overlaid document, compared as JSON with member order; without
//!   it the overlays must be refused;
//! - `diagnostics.txt`: every diagnostic as printed (file, line, pointer into the
//!   overlay, message, hint); without it there must be none.
//!
//! `OVERLAYS_BLESS=1` writes `diagnostics.txt` from the actual outcome (review the diff);
//! `expected.yaml` is written by hand.

use std::fs;
use std::path::{Path, PathBuf};

fn overlays_of(dir: &Path) -> Vec<generator::Overlay> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("overlay"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| generator::Overlay {
            file: p.file_name().unwrap().to_string_lossy().to_string(),
            text: fs::read_to_string(p).unwrap(),
        })
        .collect()
}

fn options(overlays: Vec<generator::Overlay>) -> generator::Options {
    generator::Options { overlays, ..generator::Options::new("overlaid", "spec.yaml") }
}

fn printed(diagnostics: &[generator::Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

/// One case: `Err` says how it differs from its expectation.
fn run(dir: &Path) -> Result<(), String> {
    let spec = fs::read_to_string(dir.join("spec.yaml")).map_err(|e| format!("spec.yaml: {e}"))?;
    let outcome = generator::overlaid(&spec, &options(overlays_of(dir)));
    let (tree, diagnostics) = match outcome {
        Ok((tree, warnings)) => (Some(tree), warnings),
        Err(failure) => (None, failure.diagnostics),
    };
    let mut problems = Vec::new();
    let expected = dir.join("expected.yaml");
    match (&tree, fs::read_to_string(&expected).ok()) {
        (Some(tree), Some(text)) => {
            let want: serde_json::Value = serde_yaml::from_str(&text).map_err(|e| format!("expected.yaml: {e}"))?;
            let (want, got) =
                (serde_json::to_string_pretty(&want).unwrap(), serde_json::to_string_pretty(tree).unwrap());
            if want != got {
                problems.push(format!("the overlaid document differs from expected.yaml:\n{got}"));
            }
        }
        (Some(tree), None) => problems.push(format!(
            "applied, but there is no expected.yaml; the document:\n{}",
            serde_yaml::to_string(tree).unwrap()
        )),
        (None, Some(_)) => problems.push("refused, but expected.yaml says it applies".to_string()),
        (None, None) => {}
    }
    let got = printed(&diagnostics);
    let file = dir.join("diagnostics.txt");
    if std::env::var_os("OVERLAYS_BLESS").is_some() {
        if got.is_empty() {
            let _ = fs::remove_file(&file);
        } else {
            fs::write(&file, &got).unwrap();
        }
    } else {
        let want = fs::read_to_string(&file).unwrap_or_default();
        if want != got {
            problems.push(format!("diagnostics differ from diagnostics.txt; got:\n{got}"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/overlays");
    let mut dirs: Vec<PathBuf> =
        fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "the cases are missing: {}", root.display());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| run(dir).err().map(|e| format!("== {}\n{e}", dir.file_name().unwrap().to_string_lossy())))
        .collect();
    assert!(failures.is_empty(), "{} of {} cases fail:\n{}", failures.len(), dirs.len(), failures.join("\n\n"));
}

const SPEC: &str = "\
openapi: 3.0.3
info: {title: Items, version: '1'}
paths:
  /items:
    get:
      operationId: ListItems
      parameters:
        - name: page
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties:
              after: {type: string}
              before: {type: string}
      responses:
        '200':
          description: Ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items:
                    type: array
                    items: {$ref: '#/components/schemas/item'}
                  meta:
                    type: object
                    properties:
                      hasMore: {type: boolean}
                      beforeCursor: {type: string}
components:
  schemas:
    item:
      type: object
      properties:
        id: {type: string}
";

fn overlay(text: &str) -> generator::Overlay {
    generator::Overlay { file: "backward.overlay.yaml".into(), text: text.into() }
}

#[test]
fn an_overlay_reaches_the_ir_and_every_preamble() {
    let overlays = vec![overlay(
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*[?@.operationId == 'ListItems']\n    update:\n      x-pagination: {direction: backward, cursorParameter: 'page[before]', nextCursor: meta.beforeCursor, hasMore: meta.hasMore, items: items}\n",
    )];
    let options = options(overlays);
    let (api, warnings) = generator::intermediate(SPEC, &options).unwrap_or_else(|f| panic!("{f}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let pagination = api.operations[0].pagination.as_ref().expect("a stream");
    assert_eq!(
        (pagination.direction, pagination.cursor_wire.as_str()),
        (generator::ir::Direction::Backward, "page[before]")
    );
    let output = generator::generate(SPEC, &options).unwrap_or_else(|f| panic!("{f}"));
    let lib = &output.files["src/lib.rs"];
    assert!(
        lib.starts_with("//! Generated by `cargo xtask generate` from `spec.yaml + backward.overlay.yaml`;"),
        "{lib}"
    );
    // Without the overlay the operation gets no stream (the convention needs `page[after]`).
    let (plain, _) = generator::intermediate(SPEC, &generator::Options::new("overlaid", "spec.yaml")).unwrap();
    assert!(plain.operations[0].pagination.is_none());
}

#[test]
fn an_overlay_error_stops_generation_and_names_the_overlay() {
    let options = options(vec![overlay(
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths[\n    remove: true\n",
    )]);
    let failure = generator::generate(SPEC, &options).unwrap_err();
    let first = &failure.diagnostics[0];
    assert_eq!(
        (first.file.as_str(), first.pointer.as_str(), first.line),
        ("backward.overlay.yaml", "/actions/0/target", Some(4))
    );
}

/// Without overlays, `overlaid` is the document as serde_yaml reads it (the upstream
/// examples step walks it in place of its own parse): this file's spec, `spec/` and,
/// when present, the published documents.
#[test]
fn without_overlays_the_tree_is_the_spec() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts =
        vec![SPEC.to_string(), fs::read_to_string(dir.join("../spec/sunshine-conversations.yaml")).unwrap()];
    for version in ["9.0", "14.1.0", "17.11.0", "17.12.1"] {
        texts.extend(fs::read_to_string(
            dir.join(format!("../../shared/upstream/sunshine-conversations-{version}.yaml")),
        ));
    }
    for text in &texts {
        let (tree, warnings) = generator::overlaid(text, &generator::Options::new("x", "spec.yaml")).unwrap();
        assert!(warnings.is_empty());
        let read: serde_json::Value = serde_yaml::from_str(text).unwrap();
        assert!(tree == read, "{}", &text[..80]);
        assert_eq!(serde_json::to_string(&tree).unwrap(), serde_json::to_string(&read).unwrap());
    }
}

#[test]
fn hostile_targets_are_refused_or_applied_never_a_crash() {
    let head = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";
    // Nested filters: parsing takes time exponential in their nesting, so the bound is
    // checked first; at the bound the target is parsed and applied at once.
    let nested = |depth: usize| format!("$..[?{}@{}]", "@.*[?".repeat(depth - 1), "]".repeat(depth - 1));
    let bound = generator::limits::MAX_TARGET_NESTING;
    let text = format!("{head}  - target: \"{}\"\n    update: {{x-deep: true}}\n", nested(bound));
    let started = std::time::Instant::now();
    generator::overlaid(SPEC, &options(vec![overlay(&text)])).unwrap_or_else(|f| panic!("{f}"));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    let text = format!("{head}  - target: \"{}\"\n    update: {{x-deep: true}}\n", nested(bound + 1));
    let failure = generator::overlaid(SPEC, &options(vec![overlay(&text)])).unwrap_err();
    assert!(failure.diagnostics[0].message.contains(&format!("nests brackets {} deep", bound + 1)), "{failure}");
    // Longer than the bound: refused before parsing.
    let long = format!("$.paths{}", "['x']".repeat(generator::limits::MAX_TARGET_BYTES / 5));
    let text = format!("{head}  - target: \"{long}\"\n    remove: true\n");
    let failure = generator::overlaid(SPEC, &options(vec![overlay(&text)])).unwrap_err();
    assert!(failure.diagnostics[0].message.contains("bytes long"), "{failure}");
    // More descendant segments than the bound (each multiplies the work by the depth).
    let text = format!("{head}  - target: $..*[?@..*[?@..x]]\n    remove: true\n");
    let failure = generator::overlaid(SPEC, &options(vec![overlay(&text)])).unwrap_err();
    assert!(failure.diagnostics[0].message.contains("3 descendant segments"), "{failure}");
}
