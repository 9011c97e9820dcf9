//! Whether an example fits the type the generated crate decodes it into, read from the
//! IR, in process: the fast half of the example round trip (`spec_examples.rs` compiles
//! the real one). `cargo xtask check` runs it over spec/'s examples, so an example left
//! holding a string where the schema now says integer is found in a second, not after
//! a crate build.
//!
//! It reads what the generated code reads: struct members by wire name (required ones
//! present and not null, unknown ones only where the type keeps them), integers in the
//! range of their Rust type, string enums' values, a tagged union's tag, an untagged
//! union's branch chosen by the runtime's own rule (`upstream::examples::fits`), and the
//! constraints the client validates (lengths, bounds, item counts; `pattern` is
//! documented, not checked, as in the client).

use generator::ir::{Api, Constraints, ModelKind, Presence, Ty};
use serde_json::Value;

/// The problems of `value` as a `ty`, each `at POINTER: what`.
pub(crate) fn problems(api: &Api, ty: &Ty, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(api, ty, value, &mut String::new(), &mut out, 0);
    out
}

fn check(api: &Api, ty: &Ty, value: &Value, at: &mut String, out: &mut Vec<String>, depth: usize) {
    // The generated code decodes no deeper.
    if depth > 128 {
        return;
    }
    let here = if at.is_empty() { "/".to_string() } else { at.clone() };
    let mut found = Vec::new();
    check_here(api, ty, value, at, out, depth, &mut |what: String| found.push(what));
    out.extend(found.into_iter().map(|what| format!("at {here}: {what}")));
}

fn check_here(
    api: &Api,
    ty: &Ty,
    value: &Value,
    at: &mut String,
    out: &mut Vec<String>,
    depth: usize,
    say: &mut dyn FnMut(String),
) {
    let descend = |key: &str, ty: &Ty, value: &Value, at: &mut String, out: &mut Vec<String>| {
        let len = at.len();
        at.push('/');
        at.push_str(&key.replace('~', "~0").replace('/', "~1"));
        check(api, ty, value, at, out, depth + 1);
        at.truncate(len);
    };
    match ty {
        Ty::Any | Ty::File => {}
        Ty::String if !value.is_string() => say(format!("{} where the schema says string", kind(value))),
        Ty::Integer(int) => match value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from)) {
            None => say(format!("{} where the schema says integer", kind(value))),
            Some(n) => {
                let (low, high) = int.range();
                if n < low || n > high {
                    say(format!("{n} is outside the range of its type ({low}..={high})"));
                }
            }
        },
        Ty::Number if !value.is_number() => say(format!("{} where the schema says number", kind(value))),
        Ty::Boolean if !value.is_boolean() => say(format!("{} where the schema says boolean", kind(value))),
        Ty::Object if !value.is_object() => say(format!("{} where the schema says object", kind(value))),
        Ty::List(item) => match value.as_array() {
            None => say(format!("{} where the schema says array", kind(value))),
            Some(items) => {
                for (index, element) in items.iter().enumerate() {
                    descend(&index.to_string(), item, element, at, out);
                }
            }
        },
        Ty::Map(inner) => match value.as_object() {
            None => say(format!("{} where the schema says object", kind(value))),
            Some(members) => {
                for (name, member) in members {
                    descend(name, inner, member, at, out);
                }
            }
        },
        Ty::Model(name) => {
            let Some(model) = api.model(name) else { return say(format!("no model `{name}` in the IR")) };
            let say = &mut *say;
            match &model.kind {
                ModelKind::Struct(s) => {
                    let Some(members) = value.as_object() else {
                        return say(format!("{} where `{name}` is an object", kind(value)));
                    };
                    for field in &s.fields {
                        match members.get(&field.wire_name) {
                            None | Some(Value::Null) if field.presence == Presence::Required && !field.write_only => {
                                say(format!("`{}` is required by `{name}`", field.wire_name));
                            }
                            None | Some(Value::Null) => {}
                            Some(member) => {
                                bounds(&field.constraints, member, &field.wire_name, say);
                                descend(&field.wire_name, &field.ty, member, at, out);
                            }
                        }
                    }
                    if let Some(tag) = &s.tag
                        && members.get(&tag.property).and_then(Value::as_str) != Some(tag.value.as_str())
                    {
                        say(format!("`{}` must be `{}` in a `{name}`", tag.property, tag.value));
                    }
                    if s.extra.is_none() {
                        let tag = s.tag.as_ref().map(|t| t.property.as_str());
                        for member in members.keys() {
                            if !s.fields.iter().any(|f| &f.wire_name == member) && Some(member.as_str()) != tag {
                                say(format!("`{member}` is not a member of `{name}`: the generated type drops it"));
                            }
                        }
                    }
                }
                ModelKind::StringEnum(e) => match value.as_str() {
                    None => say(format!("{} where `{name}` is a string", kind(value))),
                    Some(text) if !e.variants.iter().any(|v| v.wire_name == text) => {
                        say(format!("`{text}` is none of `{name}`'s values (it decodes as `{}`)", e.other));
                    }
                    Some(_) => {}
                },
                ModelKind::Union(u) => {
                    let chosen = match &u.tag {
                        Some(tag) => match value.get(tag).and_then(Value::as_str) {
                            None => return say(format!("`{tag}` (the tag of `{name}`) is missing")),
                            Some(text) => {
                                u.variants.iter().find(|v| v.tags.iter().any(|t| t == text)).ok_or_else(|| {
                                    format!(
                                        "`{tag}: {text}` selects no branch of `{name}` (it decodes as `{}`)",
                                        u.other
                                    )
                                })
                            }
                        },
                        None => u
                            .variants
                            .iter()
                            .find(|v| v.shape.as_ref().is_some_and(|s| crate::upstream::fits(api, s, value)))
                            .ok_or_else(|| format!("no branch of `{name}` fits (it decodes as `{}`)", u.other)),
                    };
                    match chosen {
                        Ok(variant) => check(api, &variant.ty, value, at, out, depth + 1),
                        Err(why) => say(why),
                    }
                }
            }
        }
        _ => {}
    }
}

/// The constraints the client validates before sending.
fn bounds(c: &Constraints, value: &Value, member: &str, say: &mut dyn FnMut(String)) {
    let mut outside = |what: &str| say(format!("`{member}`: {what}"));
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if c.min_length.is_some_and(|min| length < min) || c.max_length.is_some_and(|max| length > max) {
            outside(&format!("{length} characters, outside {:?}..={:?}", c.min_length, c.max_length));
        }
    }
    if let Some(items) = value.as_array() {
        let count = items.len() as u64;
        if c.min_items.is_some_and(|min| count < min) || c.max_items.is_some_and(|max| count > max) {
            outside(&format!("{count} items, outside {:?}..={:?}", c.min_items, c.max_items));
        }
    }
    if let Some(n) = value.as_f64() {
        let below = c.minimum.is_some_and(|min| if c.exclusive_minimum { n <= min } else { n < min });
        let above = c.maximum.is_some_and(|max| if c.exclusive_maximum { n >= max } else { n > max });
        if below || above {
            outside(&format!("{n} is outside {:?}..{:?}", c.minimum, c.maximum));
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: GetThing
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
components:
  schemas:
    thing:
      type: object
      required: [id, status]
      properties:
        id: {type: integer, format: int32}
        status: {type: string, enum: [open, closed]}
        name: {type: string, maxLength: 3}
        parts: {type: array, items: {$ref: '#/components/schemas/part'}}
    part:
      oneOf:
        - $ref: '#/components/schemas/text'
        - $ref: '#/components/schemas/image'
      discriminator:
        propertyName: type
        mapping: {text: '#/components/schemas/text', image: '#/components/schemas/image'}
    text:
      type: object
      required: [type, text]
      properties:
        type: {type: string}
        text: {type: string}
    image:
      type: object
      required: [type, url]
      properties:
        type: {type: string}
        url: {type: string}
";

    fn problems_of(value: serde_json::Value) -> Vec<String> {
        let (api, _) = generator::intermediate(SPEC, &generator::Options::new("t", "t.yaml")).unwrap();
        problems(&api, &Ty::Model("Thing".into()), &value)
    }

    #[test]
    fn an_example_that_fits_has_no_problem() {
        let fits = json!({"id": 1, "status": "open", "name": "abc", "parts": [{"type": "text", "text": "hi"}]});
        assert_eq!(problems_of(fits), Vec::<String>::new());
    }

    #[test]
    fn each_misfit_is_named_where_it_is() {
        let wrong = json!({
            "id": "1",
            "status": "archived",
            "name": "abcd",
            "colour": "red",
            "parts": [{"type": "text"}, {"type": "video", "url": "u"}, {"type": "image", "url": 3}]
        });
        let found = problems_of(wrong);
        for expected in [
            "at /id: a string where the schema says integer",
            "at /status: `archived` is none of `ThingStatus`'s values",
            "at /: `name`: 4 characters, outside None..=Some(3)",
            "at /parts/0: `text` is required by `Text`",
            "at /parts/1: `type: video` selects no branch of `Part`",
            "at /parts/2/url: a number where the schema says string",
        ] {
            assert!(found.iter().any(|p| p.starts_with(expected)), "no {expected:?} in {found:#?}");
        }
        // `colour` is kept aside (the generated struct keeps unknown members).
        assert_eq!(found.len(), 6, "{found:#?}");
        // Out of the Rust type's range.
        assert!(problems_of(json!({"id": 3_000_000_000u64, "status": "open"}))[0].contains("outside the range"));
    }
}
