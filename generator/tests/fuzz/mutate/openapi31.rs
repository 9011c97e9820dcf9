//! OpenAPI 3.1 shapes: JSON Schema 2020-12 keywords (type lists, `const`, `examples`,
//! numeric exclusive bounds, `$defs`, unsupported keywords), `{type: "null"}` branches,
//! `$ref` with siblings, boolean schemas, and document-level constructs (webhooks through
//! `components/pathItems`, a dialect, no paths); usually also `openapi: 3.1.0`.

use serde_json::{Map, Value, json};

use super::hostile::{weird_name, weird_text};
use super::values::{random_number, random_ref, random_scalar, random_schema, random_type_list, random_value};
use crate::rng::Rng;
use crate::tree::{get_mut, is_schemaish, pick_path, set, show};

/// Keywords of JSON Schema 2020-12 that the 3.0 form lacks (and `nullable`, which 3.1 lacks).
const KEYWORDS_31: &[&str] = &[
    "type",
    "const",
    "examples",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "$defs",
    "$schema",
    "$id",
    "$comment",
    "if",
    "then",
    "else",
    "prefixItems",
    "$dynamicRef",
    "$dynamicAnchor",
    "dependentSchemas",
    "dependentRequired",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "propertyNames",
    "contentMediaType",
    "contentEncoding",
    "nullable",
];

/// Keywords of JSON Schema 2020-12 that the 3.0 form lacks, with a value for each.
fn random_31_keyword(rng: &mut Rng, comps: &[String]) -> (&'static str, Value) {
    let key = *rng.pick(KEYWORDS_31);
    let value = match key {
        "type" => random_type_list(rng),
        "const" => random_scalar(rng, comps),
        "examples" => match rng.below(3) {
            0 => random_scalar(rng, comps),
            _ => json!([random_value(rng, comps, 1), random_scalar(rng, comps)]),
        },
        "exclusiveMinimum" | "exclusiveMaximum" if !rng.one_in(4) => random_number(rng),
        "$defs" => json!({weird_name(rng): random_schema(rng, comps, 2)}),
        "$schema" => json!(rng.pick(&[
            "https://spec.openapis.org/oas/3.1/dialect/base",
            "https://json-schema.org/draft/2020-12/schema",
            "http://json-schema.org/draft-07/schema#",
            "",
        ])),
        "unevaluatedProperties" | "unevaluatedItems" if rng.one_in(2) => json!(rng.one_in(2)),
        "prefixItems" => json!([random_schema(rng, comps, 2)]),
        "dependentRequired" => json!({weird_name(rng): [weird_name(rng)]}),
        _ if rng.one_in(3) => random_scalar(rng, comps),
        _ => random_schema(rng, comps, 2),
    };
    (key, value)
}

/// An OpenAPI 3.1 construct somewhere in the document; usually also `openapi: 3.1.0`.
pub(crate) fn mutate_31(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let mut done = Vec::new();
    if !rng.one_in(4) {
        root.as_object_mut()?.insert("openapi".into(), json!(*rng.pick(&["3.1.0", "3.1.1", "3.1", "3.2.0"])));
        done.push(format!("openapi = {}", root["openapi"]));
    }
    match rng.below(6) {
        0..=2 => keyword(rng, root, comps, &mut done)?,
        3 => null_branch_or_ref_siblings(rng, root, comps, &mut done)?,
        4 => boolean_schema(rng, root, &mut done)?,
        _ => document(rng, root.as_object_mut()?, &mut done)?,
    }
    Some(done.join("; "))
}

/// A 2020-12 keyword on a schema.
fn keyword(rng: &mut Rng, root: &mut Value, comps: &[String], done: &mut Vec<String>) -> Option<()> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let (key, value) = random_31_keyword(rng, comps);
    done.push(format!("{}: {key} = {value}", show(&p)));
    get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
    Some(())
}

/// A `{type: "null"}` branch, or a `$ref` with siblings.
fn null_branch_or_ref_siblings(
    rng: &mut Rng,
    root: &mut Value,
    comps: &[String],
    done: &mut Vec<String>,
) -> Option<()> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let node = get_mut(root, &p)?.as_object_mut()?;
    if let Some(Value::Array(branches)) = node.get_mut("oneOf") {
        branches.insert(rng.below(branches.len() + 1), json!({"type": "null"}));
        done.push(format!("{}: null branch", show(&p)));
    } else if node.contains_key("$ref") || rng.one_in(2) {
        node.entry("$ref").or_insert_with(|| random_ref(rng, comps, None));
        let key = *rng.pick(&["description", "readOnly", "nullable", "properties", "deprecated", "oneOf", "allOf"]);
        let value = match key {
            "description" => json!(weird_text(rng)),
            "properties" => json!({weird_name(rng): random_schema(rng, comps, 2)}),
            "oneOf" | "allOf" => json!([random_schema(rng, comps, 2), {"type": "null"}]),
            _ => json!(true),
        };
        done.push(format!("{}: $ref beside {key} = {value}", show(&p)));
        node.insert(key.into(), value);
    } else {
        let inner = Value::Object(std::mem::take(node));
        node.insert("anyOf".into(), json!([inner, {"type": "null"}]));
        done.push(format!("{}: anyOf with null", show(&p)));
    }
    Some(())
}

/// Boolean schemas.
fn boolean_schema(rng: &mut Rng, root: &mut Value, done: &mut Vec<String>) -> Option<()> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let value = json!(rng.one_in(2));
    done.push(format!("{}: schema {value}", show(&p)));
    set(root, &p, value);
    Some(())
}

/// Document: webhooks through components/pathItems, no paths, a dialect.
fn document(rng: &mut Rng, root: &mut Map<String, Value>, done: &mut Vec<String>) -> Option<()> {
    match rng.below(4) {
        0 => webhooks_via_path_items(root, done)?,
        1 => {
            let dialect = rng.pick(&["https://spec.openapis.org/oas/3.1/dialect/base", "https://example.com/d", ""]);
            root.insert("jsonSchemaDialect".into(), json!(dialect));
            done.push(format!("jsonSchemaDialect = {dialect}"));
        }
        2 => {
            let hooks = root.shift_remove("x-webhooks")?;
            root.insert("webhooks".into(), hooks);
            done.push("x-webhooks -> webhooks".into());
        }
        _ => {
            root.shift_remove("paths");
            done.push("no paths".into());
        }
    }
    Some(())
}

/// The first paths become webhooks, each a `$ref` to `components/pathItems`.
fn webhooks_via_path_items(root: &mut Map<String, Value>, done: &mut Vec<String>) -> Option<()> {
    let paths = root.shift_remove("paths").unwrap_or_else(|| json!({}));
    let items = root.entry("components").or_insert_with(|| json!({})).as_object_mut()?;
    let mut hooks = Map::new();
    for (name, item) in paths.as_object()?.iter().take(3) {
        let key = format!("hook{}", hooks.len());
        hooks.insert(key.clone(), json!({"$ref": format!("#/components/pathItems/{key}")}));
        items.entry("pathItems").or_insert_with(|| json!({})).as_object_mut()?.insert(key, item.clone());
        done.push(format!("path {name:?} -> webhook via pathItems"));
    }
    root.insert("webhooks".into(), Value::Object(hooks));
    Some(())
}
