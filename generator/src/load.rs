//! Stage 1: spec text (YAML or JSON) → repaired JSON tree → typed `openapiv3` document.

use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::repair;

/// Parses, repairs and types a spec. Errors are reported, never panicked on.
pub(crate) fn load(text: &str, report: &mut Reporter<'_>) -> Option<(openapiv3::OpenAPI, Value)> {
    let mut tree: Value = match serde_yaml::from_str(text) {
        Ok(tree) => tree,
        Err(err) => {
            let line = err.location().map(|l| l.line());
            report.error_at_line(
                line,
                format!("the file is not valid YAML or JSON: {err}"),
                "fix the syntax at that line",
            );
            return None;
        }
    };
    if !tree.is_object() {
        report.error("", "the document is not a mapping", Some("an OpenAPI document starts with `openapi: 3.0.x`"));
        return None;
    }
    match tree.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => {}
        Some(v) => {
            report.error(
                "/openapi",
                format!("OpenAPI version {v} is not supported"),
                Some("this generator reads OpenAPI 3.0.x documents"),
            );
            return None;
        }
        None => {
            report.error("", "missing `openapi` version field", Some("add `openapi: 3.0.3` at the top"));
            return None;
        }
    }
    repair::repair(&mut tree, report);
    // openapiv3 checks the document's structure (paths, operations, parameters,
    // responses). Schemas are left out of that check: openapiv3's untagged schema
    // enums take time exponential in the depth of an invalid schema (found by the
    // fuzz test), and `normalise` checks every schema it uses itself.
    let typed = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(without_schemas(&tree));
    match typed {
        Ok(doc) => Some((doc, tree)),
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            report.error(
                &pointer,
                format!("not a valid OpenAPI 3.0 construct: {}", err.inner()),
                Some("compare this node with the OpenAPI 3.0 specification"),
            );
            None
        }
    }
}

/// Converts serde_path_to_error's path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => key.clone(),
            Segment::Unknown => break,
        };
        pointer = crate::diagnostics::join(&pointer, &token);
    }
    pointer
}

/// A copy of the tree with every schema replaced by `{}`.
fn without_schemas(tree: &Value) -> Value {
    fn strip(node: &Value, in_schemas_map: bool) -> Value {
        match node {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, value)| {
                        let value = if in_schemas_map || key == "schema" {
                            Value::Object(serde_json::Map::new())
                        } else {
                            strip(value, key == "schemas" && value.is_object())
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|item| strip(item, false)).collect()),
            other => other.clone(),
        }
    }
    strip(tree, false)
}
