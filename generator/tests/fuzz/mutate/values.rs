//! Random values for mutations to put in place: numbers at the edges, `$ref` pointers
//! (valid, dangling, self and parent, external, malformed), scalars, enums, and random
//! schemas of every 3.0 shape (plus the 3.1 shapes, which a 3.0 document refuses).

use serde_json::{Map, Value, json};

use super::hostile::{weird_name, weird_text};
use crate::rng::Rng;
use crate::tree::{Seg, escape, ref_to};

pub(crate) const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "any", "", "String", "OBJECT", "int",
    "type",
];

pub(crate) fn random_number(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1.5),
        3 => json!(1e300),
        4 => json!(-1e300),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(i64::MAX),
        8 => json!(5e-324),
        9 => json!(-0.0),
        10 => json!(9_007_199_254_740_993u64),
        11 => json!(1e19),
        12 => json!(rng.below(1000)),
        _ => json!(-(rng.below(1000) as i64)),
    }
}

pub(crate) fn random_ref(rng: &mut Rng, comps: &[String], here: Option<&[Seg]>) -> Value {
    let text = match rng.below(16) {
        0..=5 if !comps.is_empty() => rng.pick(comps).clone(),
        6 => "#/components/schemas/DoesNotExist".into(),
        7 if here.is_some() => ref_to(here.unwrap()),
        8 if here.is_some_and(|h| !h.is_empty()) => {
            let h = here.unwrap();
            ref_to(&h[..rng.below(h.len())])
        }
        9 => rng
            .pick(&[
                "#",
                "#/",
                "",
                "#/paths",
                "#/components",
                "#/components/schemas",
                "/components/schemas/A",
                "#components/schemas/A",
            ])
            .to_string(),
        10 => rng
            .pick(&[
                "other.yaml#/components/schemas/A",
                "http://example.com/spec.yaml#/A",
                "#/components/schemas/a~1b",
                "#/components/schemas/~",
                "#/components/schemas/~2",
                "#/components/schemas/%7Bx%7D",
                "#/paths/~1a/get",
                "#/info/title",
                "#/openapi",
                "#/components/schemas/A/properties/0",
            ])
            .to_string(),
        11 => return rng.pick(&[json!(42), json!(null), json!({}), json!(["#/a"]), json!(true)]).clone(),
        12 => format!("#/components/schemas/{}", escape(&weird_name(rng))),
        13 if !comps.is_empty() => format!("{}/properties/{}", rng.pick(comps), escape(&weird_name(rng))),
        14 if !comps.is_empty() => format!("{}/allOf/0", rng.pick(comps)),
        _ => "#/components/schemas/A".into(),
    };
    Value::String(text)
}

pub(crate) fn random_scalar(rng: &mut Rng, comps: &[String]) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 | 4 => random_number(rng),
        5 | 6 => Value::String(weird_name(rng)),
        7 => Value::String(weird_text(rng)),
        8 => Value::String(rng.pick(TYPES).to_string()),
        9 => random_ref(rng, comps, None),
        _ => Value::String("string".into()),
    }
}

pub(crate) fn random_value(rng: &mut Rng, comps: &[String], depth: usize) -> Value {
    match if depth > 2 { 0 } else { rng.below(5) } {
        0 | 1 => random_scalar(rng, comps),
        2 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, comps, depth + 1)).collect()),
        3 => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                map.insert(weird_name(rng), random_value(rng, comps, depth + 1));
            }
            Value::Object(map)
        }
        _ => random_schema(rng, comps, depth + 1),
    }
}

pub(crate) fn random_schema(rng: &mut Rng, comps: &[String], depth: usize) -> Value {
    let leaf = depth > 3;
    match rng.below(if leaf { 4 } else { 19 }) {
        0 => json!({"type": rng.pick(TYPES)}),
        1 => json!({"$ref": random_ref(rng, comps, None)}),
        2 => json!({}),
        3 => json!({"type": "string", "enum": random_enum(rng)}),
        4 => {
            let mut props = Map::new();
            for _ in 0..rng.small(1, 3) {
                props.insert(weird_name(rng), random_schema(rng, comps, depth + 1));
            }
            json!({"type": "object", "properties": props, "required": [weird_name(rng)]})
        }
        5 => json!({"type": "array", "items": random_schema(rng, comps, depth + 1)}),
        6 => json!({"type": "object", "additionalProperties": random_schema(rng, comps, depth + 1)}),
        7 => json!({"oneOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        8 => json!({"anyOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        9 => json!({"allOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        10 => json!({"type": "string", "nullable": true, "readOnly": rng.one_in(2), "writeOnly": rng.one_in(2)}),
        11 => json!({"oneOf": [random_schema(rng, comps, depth + 1), random_schema(rng, comps, depth + 1)],
                     "discriminator": {"propertyName": weird_name(rng)}}),
        12 => json!({"type": "integer", "minimum": random_number(rng), "maximum": random_number(rng),
                     "exclusiveMinimum": rng.one_in(2)}),
        13 => json!({"type": "object", "additionalProperties": rng.one_in(2)}),
        // OpenAPI 3.1 shapes (lowered when the document says 3.1, refused by 3.0).
        14 => json!({"type": random_type_list(rng), "examples": [random_scalar(rng, comps)]}),
        15 => json!({"const": random_scalar(rng, comps)}),
        16 => json!({"type": "number", "exclusiveMinimum": random_number(rng), "exclusiveMaximum": random_number(rng)}),
        17 => json!({"anyOf": [random_schema(rng, comps, depth + 1), {"type": "null"}]}),
        _ => json!({"$ref": random_ref(rng, comps, None), "description": weird_text(rng), "readOnly": rng.one_in(2)}),
    }
}

/// A JSON Schema 2020-12 `type` list (or an odd value in its place).
pub(crate) fn random_type_list(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(["null"]),
        1 => json!([]),
        2 => json!([rng.pick(TYPES), rng.pick(TYPES), "null"]),
        3 => json!([1, "null"]),
        4 => json!([rng.pick(TYPES), rng.pick(TYPES)]),
        _ => json!([rng.pick(TYPES), "null"]),
    }
}

pub(crate) fn random_enum(rng: &mut Rng) -> Value {
    let mut values = Vec::new();
    for _ in 0..rng.small(0, 6) {
        values.push(match rng.below(10) {
            0 => Value::Null,
            1 => random_number(rng),
            2 => json!(true),
            3 => json!({}),
            4 => json!([]),
            5 => json!(rng.pick(&["a-b", "a_b", "A B", "aB", "AB", "a b", "a+b", "a plus b", "a.b"])),
            _ => Value::String(weird_name(rng)),
        });
    }
    if rng.one_in(4) && !values.is_empty() {
        values.push(values[0].clone());
    }
    Value::Array(values)
}
