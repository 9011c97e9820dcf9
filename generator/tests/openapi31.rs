//! OpenAPI 3.1 reads into the same IR as 3.0: every fixture (`tests/fixtures/*.yaml`)
//! `spec/sunshine-conversations.yaml` and, when present, the published documents in
//! `../../shared/upstream/` (read, never copied) are translated here into their 3.1 spelling,
//! and both documents must give the same `src/` files and an IR that `generator::diff`
//! finds no change in (and that is equal, field for field).
//!
//! The translation (`to_31`), schema by schema: `nullable` → a `"null"` entry in a
//! `type` list, a `{type: "null"}` branch of `anyOf` beside a wrapped reference, or of an
//! existing `anyOf`/`oneOf`; `example` → `examples: [..]`; boolean
//! `exclusiveMinimum`/`exclusiveMaximum` → the numeric bound; `allOf: [{$ref}]` with
//! siblings → `$ref` with siblings; a one-value string `enum` → `const`;
//! `format: binary` → `contentMediaType`. In the document: `openapi: 3.1.0` and
//! `x-webhooks` → `webhooks`. The one expected difference is where an inline webhook
//! schema is written (`#/webhooks/…` instead of `#/x-webhooks/…`), which the generated
//! docs name; it is mapped back before comparing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// Fixtures that cannot be translated, with the reason. None so far.
const SKIPPED: &[(&str, &str)] = &[];

fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths.push(root.join("../spec/sunshine-conversations.yaml"));
    if let Ok(entries) = std::fs::read_dir(root.join("../../shared/upstream")) {
        let mut upstream: Vec<PathBuf> =
            entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "yaml")).collect();
        upstream.sort();
        paths.extend(upstream);
    }
    paths
}

fn options(path: &Path) -> generator::Options {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    generator::Options {
        standalone: false,
        ..generator::Options::new(format!("fixture-{}", stem.replace('.', "-")), format!("{stem}.yaml"))
    }
}

#[test]
fn every_fixture_reads_the_same_as_3_1() {
    let mut checked = 0;
    for path in documents() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if SKIPPED.iter().any(|(skipped, _)| *skipped == name) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let tree: Value = serde_yaml::from_str(&text).unwrap();
        if tree.get("openapi").and_then(Value::as_str).is_none_or(|v| !v.starts_with("3.0")) {
            continue;
        }
        let translated = serde_yaml::to_string(&to_31(&tree)).unwrap();
        let options = options(&path);
        let (api30, _) = generator::intermediate(&text, &options).unwrap_or_else(|f| panic!("{name} (3.0):\n{f}"));
        let (mut api31, warnings) = generator::intermediate(&translated, &options)
            .unwrap_or_else(|f| panic!("{name} (3.1):\n{f}\n{translated}"));
        assert!(
            warnings.iter().all(|w| !w.message.contains("3.1")),
            "{name}: the translation should be plain 3.1: {warnings:?}"
        );
        for model in &mut api31.models {
            if let Some(rest) = model.source.strip_prefix("/webhooks/") {
                model.source = format!("/x-webhooks/{rest}");
            }
        }
        let report = generator::api_diff(&api30, &api31);
        assert!(
            report.entries.is_empty(),
            "{name}: 3.1 reads differently:\n{}",
            report.render("3.0", "3.1", generator::diff::Listed::Everything)
        );
        assert!(api30 == api31, "{name}: the IRs differ where api-diff does not look");
        let files30 = sources(generator::generate(&text, &options).unwrap_or_else(|f| panic!("{f}")).files);
        let files31 = sources(generator::generate(&translated, &options).unwrap_or_else(|f| panic!("{f}")).files);
        let files31: BTreeMap<String, String> =
            files31.into_iter().map(|(path, text)| (path, text.replace("`#/webhooks/", "`#/x-webhooks/"))).collect();
        assert_eq!(files30.keys().collect::<Vec<_>>(), files31.keys().collect::<Vec<_>>(), "{name}: file lists");
        for (file, text) in &files30 {
            assert!(text == &files31[file], "{name}: {file} differs between 3.0 and 3.1");
        }
        checked += 1;
    }
    assert!(checked > 25, "only {checked} documents were compared");
}

/// The generated crate's own files (`src/`).
fn sources(files: BTreeMap<String, String>) -> BTreeMap<String, String> {
    files.into_iter().filter(|(path, _)| path.starts_with("src/")).collect()
}

// ---------------------------------------------------------------------------------
// 3.0 → 3.1
// ---------------------------------------------------------------------------------

/// The 3.1 spelling of a 3.0 document.
fn to_31(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let Some(root) = doc.as_object_mut() else { return doc };
    root.insert("openapi".into(), json!("3.1.0"));
    if let Some(hooks) = root.shift_remove("x-webhooks") {
        root.insert("webhooks".into(), hooks);
    }
    if let Some(Value::Object(schemas)) = root.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        schemas.values_mut().for_each(schema);
    }
    for (key, value) in root.iter_mut() {
        if key != "components" {
            outside_schemas(value);
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for (key, value) in components.iter_mut() {
            if key != "schemas" {
                outside_schemas(value);
            }
        }
    }
    doc
}

/// Finds the `schema`s of parameters, media types and headers; examples are data.
fn outside_schemas(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(value),
                    "example" | "examples" => {}
                    _ => outside_schemas(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(outside_schemas),
        _ => {}
    }
}

/// Keywords that stay outside a branch made of the rest of a schema.
fn describes(key: &str) -> bool {
    matches!(key, "description" | "title" | "examples" | "default") || key.starts_with("x-")
}

fn schema(node: &mut Value) {
    let Some(map) = node.as_object_mut() else { return };
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(schema);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child @ Value::Object(_)) = map.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            branches.iter_mut().for_each(schema);
        }
    }
    if let Some(example) = map.shift_remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match map.get(exclusive) {
            Some(Value::Bool(true)) => match map.shift_remove(bound) {
                Some(limit) => {
                    map.insert(exclusive.into(), limit);
                }
                None => {
                    map.shift_remove(exclusive);
                }
            },
            Some(Value::Bool(false)) => {
                map.shift_remove(exclusive);
            }
            _ => {}
        }
    }
    if map.get("format").and_then(Value::as_str) == Some("binary") {
        map.shift_remove("format");
        map.insert("contentMediaType".into(), json!("application/octet-stream"));
    }
    let single_reference = matches!(map.get("allOf"), Some(Value::Array(parts)) if parts.len() == 1 && parts[0].get("$ref").is_some() && parts[0].as_object().is_some_and(|p| p.len() == 1));
    let nullable = map.shift_remove("nullable").is_some_and(|n| n == true);
    if nullable {
        if map.contains_key("$ref") {
            // 3.0 ignores keywords beside a `$ref`: nothing to translate.
        } else if let Some(Value::String(ty)) = map.get("type") {
            let ty = ty.clone();
            map.insert("type".into(), json!([ty, "null"]));
        } else if single_reference && map.len() > 1 {
            // With siblings only: a bare `allOf: [{$ref}]` is a 3.1 schema as it is (and the
            // reader tells it from a bare `$ref`: only the latter can be a circular chain).
            let part = map.shift_remove("allOf").unwrap()[0].clone();
            map.insert("anyOf".into(), json!([part, {"type": "null"}]));
        } else if let Some(Value::Array(branches)) = map.get_mut("oneOf") {
            branches.push(json!({"type": "null"}));
        } else if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
            branches.push(json!({"type": "null"}));
        } else {
            let keys: Vec<String> = map.keys().filter(|k| !describes(k)).cloned().collect();
            let mut branch = Map::new();
            for key in keys {
                branch.insert(key.clone(), map.shift_remove(&key).unwrap());
            }
            map.insert("anyOf".into(), json!([branch, {"type": "null"}]));
        }
    } else if single_reference && map.len() > 1 {
        // With siblings only: a bare `allOf: [{$ref}]` is a 3.1 schema as it is (and the
        // reader tells it from a bare `$ref`: only the latter can be a circular chain).
        let part = map.shift_remove("allOf").unwrap();
        map.insert("$ref".into(), part[0]["$ref"].clone());
    }
    if map.get("type").and_then(Value::as_str) == Some("string")
        && let Some(Value::Array(values)) = map.get("enum")
        && values.len() == 1
        && values[0].is_string()
    {
        let value = values[0].clone();
        map.shift_remove("enum");
        map.insert("const".into(), value);
    }
}

#[test]
fn the_translation_is_3_1() {
    let doc = json!({"openapi": "3.0.3", "x-webhooks": {}, "components": {"schemas": {"a": {
    "type": "object",
    "properties": {
        "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "nullable": true, "example": 1},
        "r": {"allOf": [{"$ref": "#/components/schemas/b"}], "nullable": true, "description": "d"},
        "w": {"allOf": [{"$ref": "#/components/schemas/b"}], "readOnly": true},
        "k": {"type": "string", "enum": ["only"]},
    }}}}});
    let out = to_31(&doc);
    assert_eq!(out["openapi"], "3.1.0");
    assert!(out.get("webhooks").is_some() && out.get("x-webhooks").is_none());
    let p = &out["components"]["schemas"]["a"]["properties"];
    assert_eq!(p["n"], json!({"type": ["integer", "null"], "exclusiveMinimum": 0, "examples": [1]}));
    assert_eq!(p["r"], json!({"anyOf": [{"$ref": "#/components/schemas/b"}, {"type": "null"}], "description": "d"}));
    assert_eq!(p["w"], json!({"$ref": "#/components/schemas/b", "readOnly": true}));
    assert_eq!(p["k"], json!({"type": "string", "const": "only"}));
}

/// A construct `lower31` refuses stops generation only where a schema using it is
/// typed: a `--tag` selection without it, or a schema nothing uses, generates.
#[test]
fn refusals_count_where_the_schema_is_used() {
    let text = r##"
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      tags: [a]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/plain"}}}}
  /b:
    get:
      operationId: getB
      tags: [b]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/tuple"}}}}
components:
  schemas:
    plain: {type: object, properties: {name: {type: [string, "null"]}}}
    tuple: {type: array, prefixItems: [{type: string}]}
    unused: {type: object, if: {required: [a]}}
"##;
    let all = generator::Options::new("refusals", "refusals.yaml");
    let failure = generator::generate(text, &all).expect_err("the tuple is used");
    let errors: Vec<_> = failure.diagnostics.iter().filter(|d| d.severity == generator::Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{failure}");
    assert_eq!(errors[0].pointer, "/components/schemas/tuple/prefixItems");
    let only_a = generator::Options { tags: vec!["a".into()], ..all };
    generator::generate(text, &only_a).unwrap_or_else(|f| panic!("{f}"));
}
