//! Schema mutations (3.0 shapes): `type`, `required`, compositions with odd members,
//! enums, constraints and flags with odd values, discriminators their branches do not
//! declare, and deep nesting.

use serde_json::{Map, Value, json};

use super::hostile::weird_name;
use super::values::{TYPES, random_enum, random_number, random_ref, random_scalar, random_schema};
use crate::rng::Rng;
use crate::tree::{get, get_mut, is_parameter, is_schemaish, pick_path, ref_to, set, show};

/// `type` to a random or unknown value.
pub(crate) fn set_type(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let t = match rng.below(6) {
        0 => json!(["string", "null"]),
        1 => random_scalar(rng, comps),
        _ => json!(rng.pick(TYPES)),
    };
    let d = format!("{}: type = {t}", show(&p));
    get_mut(root, &p)?.as_object_mut()?.insert("type".into(), t);
    Some(d)
}

/// Boolean (and odder) `required`, on a schema, a parameter or a property.
pub(crate) fn set_required(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, |p, v| is_schemaish(p, v) || is_parameter(p, v))?;
    let node = get_mut(root, &p)?.as_object_mut()?;
    let value = match rng.below(6) {
        0 | 1 => json!(true),
        2 => json!(false),
        3 => json!("true"),
        4 => json!([1, null, "missing", ""]),
        _ => Value::Null,
    };
    if let Some(Value::Object(props)) = node.get_mut("properties")
        && !props.is_empty()
        && rng.one_in(2)
    {
        let keys: Vec<String> = props.keys().cloned().collect();
        let k = rng.pick(&keys).clone();
        if let Some(Value::Object(prop)) = props.get_mut(&k) {
            prop.insert("required".into(), value.clone());
            return Some(format!("{}/properties/{k}: required = {value}", show(&p)));
        }
    }
    node.insert("required".into(), value.clone());
    Some(format!("{}: required = {value}", show(&p)))
}

/// Compositions with weird members (non-schemas, self references).
pub(crate) fn set_composition(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let key = *rng.pick(&["allOf", "oneOf", "anyOf"]);
    let members: Vec<Value> = (0..rng.small(0, 4))
        .map(|_| match rng.below(10) {
            0 => Value::Null,
            1 => json!(1),
            2 => json!("str"),
            3 => json!([]),
            4 => json!({"$ref": ref_to(&p)}),
            5 => json!({"type": "array", "items": {"$ref": ref_to(&p)}}),
            _ => random_schema(rng, comps, 1),
        })
        .collect();
    let value = match rng.below(8) {
        0 => json!({"a": members}),
        1 => json!("allOf"),
        _ => Value::Array(members),
    };
    let d = format!("{}: {key} = {value}", show(&p));
    get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
    Some(d)
}

/// Enums with numbers, nulls, duplicates and clashing names.
pub(crate) fn set_enum(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let e = if rng.one_in(8) { random_scalar(rng, comps) } else { random_enum(rng) };
    let d = format!("{}: enum = {e}", show(&p));
    let node = get_mut(root, &p)?.as_object_mut()?;
    if rng.one_in(2) {
        node.insert("type".into(), json!("string"));
    }
    node.insert("enum".into(), e);
    Some(d)
}

/// Schema keywords a constraint or flag can be set on.
const CONSTRAINTS: &[&str] = &[
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "default",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "format",
    "pattern",
    "uniqueItems",
    "additionalProperties",
    "items",
    "properties",
    "discriminator",
];

/// Constraints and flags with odd values.
pub(crate) fn set_constraint(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let key = *rng.pick(CONSTRAINTS);
    let value = match rng.below(6) {
        0 | 1 => random_number(rng),
        2 => json!(rng.one_in(2)),
        3 => {
            json!({"propertyName": weird_name(rng), "mapping": {weird_name(rng): random_ref(rng, comps, None)}})
        }
        _ => random_scalar(rng, comps),
    };
    let d = format!("{}: {key} = {value}", show(&p));
    get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
    Some(d)
}

/// A discriminated union whose branches do not declare the tag property.
pub(crate) fn untagged_discriminator(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let tag = weird_name(rng);
    let schemas = root.get_mut("components")?.as_object_mut()?.entry("schemas").or_insert_with(|| json!({}));
    let schemas = schemas.as_object_mut()?;
    let mut mapping = Map::new();
    let mut branches = Vec::new();
    for (i, value) in ["first", "second"].iter().enumerate() {
        let name = format!("Untagged{}_{i}", rng.below(1000));
        schemas.insert(name.clone(), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
        mapping.insert((*value).into(), json!(format!("#/components/schemas/{name}")));
        branches.push(json!({"$ref": format!("#/components/schemas/{name}")}));
    }
    let union = json!({"oneOf": branches, "discriminator": {"propertyName": tag, "mapping": mapping}});
    set(root, &p, union);
    Some(format!("{}: discriminator {tag:?} its branches do not declare", show(&p)))
}

/// A schema wrapped in up to 60 levels of one kind of container.
pub(crate) fn nest(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let inner = get(root, &p)?.clone();
    let levels = rng.small(1, 60);
    let kind = rng.below(6);
    let mut v = inner;
    for _ in 0..levels {
        v = match kind {
            0 => json!({"type": "array", "items": v}),
            1 => json!({"allOf": [v]}),
            2 => json!({"oneOf": [v, {"type": "string"}]}),
            3 => json!({"anyOf": [{"type": "integer"}, v]}),
            4 => json!({"type": "object", "additionalProperties": v}),
            _ => json!({"type": "object", "properties": {"a": v}}),
        };
    }
    set(root, &p, v);
    Some(format!("{}: nest {levels} levels (kind {kind})", show(&p)))
}
