//! Repairs of real-world spec defects whose intent is unambiguous. Each repair warns.

use serde_json::Value;

use crate::diagnostics::{Reporter, join};

/// Applies every repair to the raw tree before it is typed.
pub(crate) fn repair(tree: &mut Value, report: &mut Reporter<'_>) {
    walk(tree, "", report);
}

fn walk(node: &mut Value, pointer: &str, report: &mut Reporter<'_>) {
    match node {
        Value::Object(map) => {
            if map.get("properties").is_some_and(Value::is_object) {
                hoist_boolean_required(map, pointer, report);
            }
            for (key, child) in map.iter_mut() {
                walk(child, &join(pointer, key), report);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                walk(child, &join(pointer, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// Swagger 2 style `required: true` on a property schema: OpenAPI 3.0 wants the
/// property's name in the parent's `required` array.
fn hoist_boolean_required(map: &mut serde_json::Map<String, Value>, pointer: &str, report: &mut Reporter<'_>) {
    let mut hoisted = Vec::new();
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let Some(obj) = property.as_object_mut() else { continue };
            if let Some(Value::Bool(required)) = obj.get("required").cloned() {
                obj.remove("required");
                let at = join(&join(pointer, "properties"), name);
                report.warn(
                    &join(&at, "required"),
                    format!(
                        "boolean `required: {required}` on a property schema; moved to the parent's `required` list"
                    ),
                    Some("OpenAPI 3.0 lists required properties in the parent object's `required` array"),
                );
                if required {
                    hoisted.push(name.clone());
                }
            }
        }
    }
    if hoisted.is_empty() {
        return;
    }
    let required = map.entry("required").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = required {
        for name in hoisted {
            if !list.iter().any(|v| v.as_str() == Some(name.as_str())) {
                list.push(Value::String(name));
            }
        }
    }
}
