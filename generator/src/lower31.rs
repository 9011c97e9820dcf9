//! OpenAPI 3.1 → the 3.0 form the rest of the generator reads, in place on the JSON tree.
//!
//! A 3.1 document differs from 3.0 mostly in its schemas (JSON Schema 2020-12 instead
//! of the 3.0 subset). Each 3.1 construct with a 3.0 spelling is rewritten into that
//! spelling, so `normalise` builds the same IR for both; each construct without one,
//! when ignoring it would change what goes over the wire, is refused with a diagnostic
//! at its pointer. Nodes that need no rewriting keep their pointers (the reporter maps
//! pointers to lines of the original text).
//!
//! | 3.1 | 3.0 form |
//! |---|---|
//! | `type: [T, "null"]` | `type: T, nullable: true` |
//! | `type: [A, B]` (no `enum`, `$ref` or composition beside it) | `oneOf: [{type: A, …}, {type: B, …}]`, each type's keywords in its branch |
//! | `anyOf`/`oneOf` with a `{type: "null"}` branch | the other branches, `nullable: true`; a single one merged into the schema |
//! | `$ref` beside keywords other than annotations, or beside `title` | `allOf: [{$ref}]` beside them |
//! | `const: v` | `enum: [v]` (with `type` from the value when missing) |
//! | `examples: [a, …]` | `example: a` |
//! | `exclusiveMinimum: n` (and max) | `minimum: n, exclusiveMinimum: true` |
//! | `contentMediaType` / `contentEncoding: base64` on a string | `format: binary` / `format: byte` |
//! | `true` as a schema | `{}` |
//! | no `paths`; an operation without `responses` | `paths: {}`; `responses: {}` |
//!
//! Kept as they are because the reader already understands them: `webhooks`,
//! `components/pathItems` (path items are followed by `$ref` wherever they are),
//! `$defs` (a `$ref` is a JSON pointer, so `#/components/schemas/A/$defs/B` and
//! `#/$defs/B` resolve), `info.summary`, `license.identifier`, annotations beside a
//! `$ref` (the reader takes a property's or branch's `description` from beside it), and
//! `nullable`, which is not a 3.1 keyword but is read as in 3.0, with a warning.
//!
//! Ignored, because they only narrow what is valid (the server still checks) or are
//! annotations: `$comment`, `$anchor`, `$dynamicAnchor`, `contentSchema`, `contains`,
//! `minContains`, `maxContains`, `propertyNames`, `dependentRequired`,
//! `unevaluatedProperties`/`unevaluatedItems` when `true` or `false` — as 3.0's `not`,
//! `multipleOf` and `uniqueItems` already are.
//!
//! Refused (recorded on the schema, [`REFUSED`], and reported by `normalise` where the
//! schema is used): `if`/`then`/`else`, `prefixItems`, `$dynamicRef` (and 2019-09's
//! `$recursiveRef`), `dependentSchemas`, `patternProperties`, `unevaluatedProperties` and
//! `unevaluatedItems` with a schema, the schema `false`, a `$ref` inside a schema with
//! `$id` (it would resolve against that `$id`), a value that can only be `null`, several
//! types beside an `enum`/`$ref`/composition, a `$schema` other than OpenAPI 3.1's
//! dialect (or plain 2020-12, which it extends). Refused at once: another
//! `jsonSchemaDialect`, `mutualTLS` security schemes, schemas nested past [`MAX_DEPTH`].
//!
//! Validation: `openapiv3` reads only 3.0 documents. After lowering the tree *is* a
//! 3.0 tree (its `openapi` field aside, which `openapiv3` does not check), so the
//! same structural check runs on both versions and every finding keeps this
//! generator's pointer-based diagnostics. No well-kept Rust crate validates 3.1: the
//! `oas3` crate deserializes 3.1 into types (a second model with its own error
//! wording, without JSON Schema semantics), so it would add a dependency and a second
//! set of messages without checking more than this does.
//!
//! Every walk is bounded: schemas recurse at most [`MAX_DEPTH`] levels; `$ref`
//! targets, callbacks and component entries go through a worklist, each pointer once.

use std::collections::{HashSet, VecDeque};

use serde_json::{Map, Value, json};

use crate::diagnostics::{Reporter, join};
use crate::limits::MAX_DEPTH;
use crate::openapi::METHODS;

/// The member in which a schema records why it cannot be read (a list of `{pointer,
/// message, hint}`). `normalise` reports them where it uses the schema, as it reports
/// its own findings about the schemas it uses: a construct in a schema that no
/// selected operation reaches does not refuse the document.
pub(crate) const REFUSED: &str = "x-lower31-refused";

/// The refusals recorded on a schema: pointer, message, hint.
pub(crate) fn refusals(schema: &Value) -> Vec<(String, String, String)> {
    let Some(Value::Array(list)) = schema.get(REFUSED) else { return Vec::new() };
    let text = |r: &Value, key: &str| r.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    list.iter().map(|r| (text(r, "pointer"), text(r, "message"), text(r, "hint"))).collect()
}

/// The JSON Schema dialects a 3.1 document may declare: OpenAPI 3.1's, and plain
/// 2020-12 (a subset of it: what it leaves out are annotations).
const DIALECTS: [&str; 2] =
    ["https://spec.openapis.org/oas/3.1/dialect/base", "https://json-schema.org/draft/2020-12/schema"];

/// Keywords that describe a schema without constraining its values: they stay
/// beside a `$ref`, and on a merge the outer schema's win.
const ANNOTATIONS: [&str; 15] = [
    "description",
    "title",
    "summary",
    "$comment",
    "example",
    "examples",
    "default",
    "externalDocs",
    "xml",
    "$schema",
    "$anchor",
    "$dynamicAnchor",
    "contentSchema",
    "contentMediaType",
    "contentEncoding",
];

fn is_annotation(key: &str) -> bool {
    ANNOTATIONS.contains(&key) || key.starts_with("x-")
}

/// Keywords whose meaning cannot be expressed in the 3.0 form: why, and what to do.
fn unsupported(key: &str, value: &Value) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "if" | "then" | "else" => (
            "conditional schemas (`if`/`then`/`else`) give a shape that depends on the value, which has no Rust type here",
            "describe the alternatives with `oneOf` (and a `discriminator`), or remove the condition",
        ),
        "prefixItems" => {
            ("tuple arrays (`prefixItems`) have no Rust type here", "use `items` with one schema for every element")
        }
        "$dynamicRef" | "$recursiveRef" => {
            ("dynamic references cannot be followed here", "use `$ref` to a fixed schema")
        }
        "dependentSchemas" => (
            "`dependentSchemas` adds members depending on other members, which has no Rust type here",
            "list every optional member under `properties`",
        ),
        "patternProperties" => (
            "members typed by a name pattern (`patternProperties`) have no Rust type here",
            "list the members under `properties`, or type every extra member with `additionalProperties`",
        ),
        "unevaluatedProperties" if !value.is_boolean() => (
            "`unevaluatedProperties` with a schema types extra members in a way this generator cannot follow",
            "use `additionalProperties` (`unevaluatedProperties: false` or `true` is accepted)",
        ),
        "unevaluatedItems" if !value.is_boolean() => (
            "`unevaluatedItems` with a schema types elements in a way this generator cannot follow",
            "use `items` (`unevaluatedItems: false` or `true` is accepted)",
        ),
        _ => return None,
    })
}

/// Which types a type-specific keyword applies to (for splitting `type: [A, B]`).
fn applies_to(key: &str) -> Option<&'static [&'static str]> {
    Some(match key {
        "minLength" | "maxLength" | "pattern" | "contentMediaType" | "contentEncoding" => &["string"],
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => &["integer", "number"],
        "format" => &["string", "integer", "number"],
        "items" | "minItems" | "maxItems" | "uniqueItems" | "contains" | "minContains" | "maxContains"
        | "unevaluatedItems" => &["array"],
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "propertyNames"
        | "dependentRequired"
        | "unevaluatedProperties"
        | "discriminator" => &["object"],
        _ => return None,
    })
}

/// What a node is, for the walk of the document outside schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    PathItem,
    Parameter,
    RequestBody,
    Response,
    Callback,
    Schema,
}

/// Rewrites a 3.1 document (`tree`) into the 3.0 form, reporting what it refuses.
pub(crate) fn lower(tree: &mut Value, report: &mut Reporter<'_>) {
    let Some(root) = tree.as_object_mut() else { return };
    match root.get("jsonSchemaDialect") {
        None => {}
        Some(Value::String(dialect)) if accepted_dialect(dialect) => {}
        Some(other) => report.error(
            "/jsonSchemaDialect",
            format!("JSON Schema dialect {other} is not supported"),
            Some("remove `jsonSchemaDialect` (the default is OpenAPI 3.1's dialect, https://spec.openapis.org/oas/3.1/dialect/base)"),
        ),
    }
    // 3.1 makes `paths` optional (a webhooks-only document); the 3.0 form has it.
    root.entry("paths").or_insert_with(|| json!({}));
    let mut walk = Walk { report, seen: HashSet::new(), structure: VecDeque::new(), targets: VecDeque::new() };
    for (section, kind) in [
        ("schemas", Kind::Schema),
        ("parameters", Kind::Parameter),
        ("headers", Kind::Parameter),
        ("requestBodies", Kind::RequestBody),
        ("responses", Kind::Response),
        ("callbacks", Kind::Callback),
        ("pathItems", Kind::PathItem),
    ] {
        let at = join("/components", section);
        walk.each(tree.pointer(&at), &at, kind, true);
    }
    if let Some(Value::Object(schemes)) = tree.pointer("/components/securitySchemes") {
        for (name, scheme) in schemes {
            if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                walk.report.error(
                    &join(&join("/components/securitySchemes", name), "type"),
                    "`mutualTLS` security schemes (OpenAPI 3.1) are not supported",
                    Some("remove the scheme; configure client certificates on the HTTP client yourself"),
                );
            }
        }
    }
    for key in ["paths", "webhooks", "x-webhooks"] {
        let at = join("", key);
        walk.each(tree.get(key), &at, Kind::PathItem, false);
    }
    loop {
        let next = walk.structure.pop_front().or_else(|| walk.targets.pop_front());
        let Some((pointer, kind)) = next else { break };
        walk.visit(tree, &pointer, kind);
    }
}

fn accepted_dialect(uri: &str) -> bool {
    DIALECTS.contains(&uri.trim_end_matches('#'))
}

struct Walk<'r, 'a> {
    report: &'r mut Reporter<'a>,
    /// Pointers already lowered (each node once, whatever leads to it).
    seen: HashSet<String>,
    /// Nodes found by the document's structure, lowered first.
    structure: VecDeque<(String, Kind)>,
    /// `$ref` targets, lowered after the structure (most are components, seen by then).
    targets: VecDeque<(String, Kind)>,
}

impl Walk<'_, '_> {
    /// Queues every member of the map `node` (at `at`) as a `kind`; extension members
    /// (`x-…`, but not paths such as `x-/…`) only when `extensions`.
    fn each(&mut self, node: Option<&Value>, at: &str, kind: Kind, extensions: bool) {
        if let Some(Value::Object(map)) = node {
            self.members(map, at, kind, extensions);
        }
    }

    fn members(&mut self, map: &Map<String, Value>, at: &str, kind: Kind, extensions: bool) {
        for key in map.keys() {
            if !extensions && key.starts_with("x-") && !key.starts_with("x-/") {
                continue;
            }
            self.structure.push_back((join(at, key), kind));
        }
    }

    /// Queues the target of a local `$ref`.
    fn follow(&mut self, reference: &Value, kind: Kind) {
        if let Some(pointer) = reference.as_str().and_then(|r| r.strip_prefix('#'))
            && (pointer.is_empty() || pointer.starts_with('/'))
        {
            self.targets.push_back((pointer.to_string(), kind));
        }
    }

    fn visit(&mut self, tree: &mut Value, pointer: &str, kind: Kind) {
        if kind == Kind::Schema {
            if let Some(node) = tree.pointer_mut(pointer) {
                self.schema(node, pointer, 0, false);
            }
            return;
        }
        if !self.seen.insert(pointer.to_string()) {
            return;
        }
        let Some(node) = tree.pointer_mut(pointer) else { return };
        let Some(map) = node.as_object_mut() else { return };
        if let Some(reference) = map.get("$ref") {
            self.follow(reference, kind);
            return;
        }
        match kind {
            Kind::PathItem => {
                self.list(map.get("parameters"), &join(pointer, "parameters"), Kind::Parameter);
                for method in METHODS {
                    if let Some(Value::Object(op)) = map.get_mut(method) {
                        self.operation(op, &join(pointer, method));
                    }
                }
            }
            Kind::Parameter => {
                if map.contains_key("schema") {
                    self.structure.push_back((join(pointer, "schema"), Kind::Schema));
                }
                self.content(map, pointer);
            }
            Kind::RequestBody => self.content(map, pointer),
            Kind::Response => {
                self.each(map.get("headers"), &join(pointer, "headers"), Kind::Parameter, true);
                self.content(map, pointer);
            }
            Kind::Callback => self.members(map, pointer, Kind::PathItem, false),
            Kind::Schema => {}
        }
    }

    fn list(&mut self, node: Option<&Value>, at: &str, kind: Kind) {
        let Some(Value::Array(items)) = node else { return };
        for i in 0..items.len() {
            self.structure.push_back((join(at, &i.to_string()), kind));
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, at: &str) {
        // 3.1 makes `responses` optional; the 3.0 form has it.
        op.entry("responses").or_insert_with(|| json!({}));
        self.list(op.get("parameters"), &join(at, "parameters"), Kind::Parameter);
        if op.contains_key("requestBody") {
            self.structure.push_back((join(at, "requestBody"), Kind::RequestBody));
        }
        self.each(op.get("responses"), &join(at, "responses"), Kind::Response, false);
        self.each(op.get("callbacks"), &join(at, "callbacks"), Kind::Callback, false);
    }

    /// The schemas of a `content` map's media types and of their encodings' headers.
    fn content(&mut self, map: &Map<String, Value>, at: &str) {
        let Some(Value::Object(content)) = map.get("content") else { return };
        for (media, node) in content {
            let media_at = join(&join(at, "content"), media);
            if node.get("schema").is_some() {
                self.structure.push_back((join(&media_at, "schema"), Kind::Schema));
            }
            if let Some(Value::Object(encoding)) = node.get("encoding") {
                for (part, node) in encoding {
                    let headers_at = join(&join(&join(&media_at, "encoding"), part), "headers");
                    self.each(node.get("headers"), &headers_at, Kind::Parameter, true);
                }
            }
        }
    }

    /// Lowers the schema `node` at `pointer` and every schema inside it.
    fn schema(&mut self, node: &mut Value, pointer: &str, depth: usize, under_id: bool) {
        if depth > MAX_DEPTH {
            self.report.error(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here"),
                Some("move inner schemas into components/schemas and reference them, or flatten the nesting"),
            );
            return;
        }
        if !self.seen.insert(pointer.to_string()) {
            return;
        }
        match node {
            Value::Bool(true) => {
                *node = json!({});
                return;
            }
            Value::Bool(false) => {
                let mut map = Map::new();
                refuse(
                    &mut map,
                    pointer,
                    "the schema `false` (no value is valid) has no Rust type".into(),
                    "remove the property, branch or schema",
                );
                *node = Value::Object(map);
                return;
            }
            _ => {}
        }
        let Some(map) = node.as_object_mut() else { return };
        let under_id = under_id || map.contains_key("$id");
        self.check(map, pointer, under_id);
        self.children(map, pointer, depth, under_id);
        self.rewrite(map, pointer);
    }

    /// Refusals, the dialect, and `$ref`s to follow.
    fn check(&mut self, map: &mut Map<String, Value>, pointer: &str, under_id: bool) {
        let refusals: Vec<(String, &str, &str)> = map
            .iter()
            .filter_map(|(key, value)| unsupported(key, value).map(|(why, hint)| (key.clone(), why, hint)))
            .collect();
        for (key, why, hint) in refusals {
            refuse(map, &join(pointer, &key), format!("`{key}` is not supported: {why}"), hint);
        }
        if let Some(dialect) = map.get("$schema").cloned()
            && !dialect.as_str().is_some_and(accepted_dialect)
        {
            refuse(
                map,
                &join(pointer, "$schema"),
                format!("JSON Schema dialect {dialect} is not supported"),
                "remove `$schema` (schemas in an OpenAPI 3.1 document use its dialect)",
            );
        }
        if map.get("nullable").is_some_and(Value::is_boolean) {
            self.report.warn(
                &join(pointer, "nullable"),
                "`nullable` is not an OpenAPI 3.1 keyword; read as in OpenAPI 3.0",
                Some("write `type: [T, \"null\"]`, or a `{type: \"null\"}` branch in `anyOf`"),
            );
        }
        if let Some(reference) = map.get("$ref") {
            if under_id {
                refuse(
                    map,
                    &join(pointer, "$ref"),
                    "a `$ref` inside a schema with `$id` resolves against that `$id`, not against this document".into(),
                    "remove `$id` from the enclosing schema",
                );
            } else {
                self.follow(reference, Kind::Schema);
            }
        }
        if let Some(Value::Object(mapping)) = map.get("discriminator").and_then(|d| d.get("mapping")) {
            for target in mapping.values() {
                self.follow(target, Kind::Schema);
            }
        }
    }

    /// Lowers the schemas inside `map` (null branches of `anyOf`/`oneOf` are left for
    /// [`Walk::rewrite`], which removes them).
    fn children(&mut self, map: &mut Map<String, Value>, pointer: &str, depth: usize, under_id: bool) {
        for key in ["properties", "$defs"] {
            if let Some(Value::Object(members)) = map.get_mut(key) {
                let at = join(pointer, key);
                for (name, child) in members.iter_mut() {
                    self.schema(child, &join(&at, name), depth + 1, under_id);
                }
            }
        }
        if let Some(child @ (Value::Object(_) | Value::Bool(_))) = map.get_mut("items") {
            self.schema(child, &join(pointer, "items"), depth + 1, under_id);
        }
        if let Some(child @ Value::Object(_)) = map.get_mut("additionalProperties") {
            self.schema(child, &join(pointer, "additionalProperties"), depth + 1, under_id);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = map.get_mut(key) {
                let at = join(pointer, key);
                for (i, child) in branches.iter_mut().enumerate() {
                    if key == "allOf" || !is_null(child) {
                        self.schema(child, &join(&at, &i.to_string()), depth + 1, under_id);
                    }
                }
            }
        }
    }

    /// The rewrites of one schema whose children are lowered already.
    fn rewrite(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(value) = map.shift_remove("const") {
            if value.is_null() {
                only_null(map, &join(pointer, "const"));
            }
            if let Some(Value::Array(values)) = map.get("enum")
                && !values.contains(&value)
            {
                refuse(
                    map,
                    &join(pointer, "const"),
                    format!("`const: {value}` is not one of the `enum` values, so no value is valid"),
                    "remove `const` or `enum`",
                );
            }
            let kind = json_type(&value);
            if !map.contains_key("type") && matches!(kind, "string" | "integer" | "number" | "boolean") {
                map.insert("type".into(), json!(kind));
            }
            map.insert("enum".into(), json!([value]));
        }
        // `type`: one name, or a list (with "null" for nullable); several names → union.
        let mut nullable = false;
        let mut several: Option<Vec<String>> = None;
        match map.get("type") {
            Some(Value::String(name)) if name == "null" => only_null(map, &join(pointer, "type")),
            Some(Value::Array(list)) => {
                let mut names: Vec<String> = Vec::new();
                for item in list.clone() {
                    match item.as_str() {
                        Some("null") => nullable = true,
                        Some(name) if !names.iter().any(|n| n == name) => names.push(name.to_string()),
                        Some(_) => {}
                        None => {
                            refuse(
                                map,
                                &join(pointer, "type"),
                                format!("`type` lists {item}, not a type name"),
                                "list JSON type names as strings, e.g. `type: [string, \"null\"]`",
                            );
                            return;
                        }
                    }
                }
                if names.iter().any(|n| n == "number") {
                    names.retain(|n| n != "integer");
                }
                match names.len() {
                    0 => {
                        only_null(map, &join(pointer, "type"));
                        return;
                    }
                    1 => {
                        map.insert("type".into(), json!(names[0]));
                    }
                    _ => several = Some(names),
                }
                if nullable {
                    map.insert("nullable".into(), json!(true));
                }
            }
            _ => {}
        }
        if let Some(Value::Array(examples)) = map.get("examples") {
            let first = examples.first().cloned();
            map.shift_remove("examples");
            if let Some(first) = first
                && !map.contains_key("example")
            {
                map.insert("example".into(), first);
            }
        }
        for (exclusive, bound, tighter) in [
            ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
            ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
        ] {
            match map.get(exclusive) {
                Some(Value::Number(limit)) => {
                    let limit = limit.clone();
                    // Both apply: keep the tighter (an equal exclusive one is tighter).
                    let inclusive = map.get(bound).and_then(Value::as_f64);
                    let keep_exclusive = match (limit.as_f64(), inclusive) {
                        (Some(e), Some(i)) => e.partial_cmp(&i).is_some_and(|o| o == tighter || o.is_eq()),
                        _ => true,
                    };
                    if keep_exclusive {
                        map.insert(bound.into(), Value::Number(limit));
                        map.insert(exclusive.into(), json!(true));
                    } else {
                        map.shift_remove(exclusive);
                    }
                }
                Some(Value::Bool(_)) | None => {}
                Some(other) => {
                    let message = format!("`{exclusive}` must be a number in an OpenAPI 3.1 schema, not {other}");
                    refuse(
                        map,
                        &join(pointer, exclusive),
                        message,
                        "write the bound itself, e.g. `exclusiveMinimum: 0`",
                    );
                }
            }
        }
        if map.get("type").and_then(Value::as_str) == Some("string") && !map.contains_key("format") {
            let encoding = map.get("contentEncoding").and_then(Value::as_str);
            if matches!(encoding, Some("base64" | "base64url")) {
                map.insert("format".into(), json!("byte"));
            } else if encoding.is_none() && map.contains_key("contentMediaType") {
                map.insert("format".into(), json!("binary"));
            }
        }
        let admits_null = nullable || !map.contains_key("type");
        self.null_branches(map, pointer, admits_null);
        self.reference_with_siblings(map, pointer);
        if let Some(names) = several {
            self.union_of_types(map, pointer, &names);
        }
    }

    /// `anyOf`/`oneOf` with `{type: "null"}` branches: the other branches, nullable.
    fn null_branches(&mut self, map: &mut Map<String, Value>, pointer: &str, admits_null: bool) {
        let lists: Vec<&str> =
            ["anyOf", "oneOf"].into_iter().filter(|k| map.get(*k).is_some_and(Value::is_array)).collect();
        let mut all_had_null = !lists.is_empty();
        let mut single: Option<(&str, Value)> = None;
        for key in &lists {
            let Some(Value::Array(branches)) = map.get_mut(*key) else { continue };
            let before = branches.len();
            branches.retain(|b| !is_null(b));
            if branches.len() == before {
                all_had_null = false;
                continue;
            }
            match branches.len() {
                0 => {
                    only_null(map, &join(pointer, key));
                    return;
                }
                1 if lists.len() == 1 => single = Some((key, branches.pop().unwrap_or_default())),
                _ => {}
            }
        }
        if all_had_null && admits_null {
            map.insert("nullable".into(), json!(true));
        }
        if let Some((key, branch)) = single {
            map.shift_remove(key);
            merge(map, branch);
        }
    }

    /// `$ref` beside keywords the 3.0 form ignores there: `allOf: [{$ref}]` beside them.
    /// A `title` counts too: 3.1 applies it (a union branch `{$ref, title}` is named and
    /// documented by its title, as the 3.0 form `{title, allOf: [{$ref}]}` is).
    fn reference_with_siblings(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if !map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || (is_annotation(k) && k != "title")) {
            return;
        }
        if let Some(key) = ["anyOf", "oneOf"].into_iter().find(|k| map.contains_key(*k)) {
            refuse(
                map,
                &join(pointer, "$ref"),
                format!("a `$ref` beside `{key}`: the value must match both, which has no Rust type here"),
                "move the reference into each branch, or the branches into the referenced schema",
            );
            return;
        }
        let Some(reference) = map.shift_remove("$ref") else { return };
        let part = json!({ "$ref": reference });
        match map.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.push(part),
            _ => {
                map.insert("allOf".into(), json!([part]));
            }
        }
    }

    /// `type: [A, B]`: `oneOf` with a branch per type, each with the keywords that
    /// apply to it.
    fn union_of_types(&mut self, map: &mut Map<String, Value>, pointer: &str, names: &[String]) {
        let beside = ["enum", "$ref", "allOf", "anyOf", "oneOf", "not"].into_iter().find(|k| map.contains_key(*k));
        if let Some(key) = beside {
            refuse(
                map,
                &join(pointer, "type"),
                format!("`type` lists several types ({}) beside `{key}`", names.join(", ")),
                "write `oneOf` with one branch per type",
            );
            return;
        }
        let mut branches: Vec<Map<String, Value>> = names
            .iter()
            .map(|name| {
                let mut branch = Map::new();
                branch.insert("type".into(), json!(name));
                branch
            })
            .collect();
        let specific: Vec<String> = map.keys().filter(|k| applies_to(k).is_some()).cloned().collect();
        for key in specific {
            let Some(value) = map.shift_remove(&key) else { continue };
            let kinds = applies_to(&key).unwrap_or_default();
            for (name, branch) in names.iter().zip(branches.iter_mut()) {
                if kinds.contains(&name.as_str()) {
                    branch.insert(key.clone(), value.clone());
                }
            }
        }
        map.shift_remove("type");
        map.insert("oneOf".into(), Value::Array(branches.into_iter().map(Value::Object).collect()));
    }
}

/// Merges the one non-null branch of a composition into the schema holding it: its
/// keywords join the schema's (the schema's annotations win), or, when both constrain
/// the same keyword, it becomes an `allOf` part.
fn merge(map: &mut Map<String, Value>, branch: Value) {
    let Value::Object(branch) = branch else { return };
    let clash = branch.keys().any(|k| !is_annotation(k) && map.contains_key(k));
    if clash {
        match map.get_mut("allOf") {
            Some(Value::Array(parts)) => parts.push(Value::Object(branch)),
            _ => {
                map.insert("allOf".into(), json!([Value::Object(branch)]));
            }
        }
        return;
    }
    for (key, value) in branch {
        match (map.get_mut(&key), value) {
            (Some(Value::Array(mine)), Value::Array(more)) if key == REFUSED => mine.extend(more),
            (Some(_), _) => {}
            (None, value) => {
                map.insert(key, value);
            }
        }
    }
}

/// A value that can only be `null`.
fn only_null(map: &mut Map<String, Value>, at: &str) {
    refuse(
        map,
        at,
        "a value that can only be `null` has no Rust type".into(),
        "remove it, or list the real type too: `type: [string, \"null\"]`",
    );
}

/// Records on the schema why it cannot be read ([`REFUSED`]).
fn refuse(map: &mut Map<String, Value>, at: &str, message: String, hint: &str) {
    let refusal = json!({"pointer": at, "message": message, "hint": hint});
    match map.get_mut(REFUSED) {
        Some(Value::Array(list)) => list.push(refusal),
        _ => {
            map.insert(REFUSED.into(), json!([refusal]));
        }
    }
}

/// Whether a branch admits only `null`: `{type: "null"}` (or `["null"]`, `const:
/// null`, `enum: [null]`), annotations aside.
fn is_null(branch: &Value) -> bool {
    let Some(map) = branch.as_object() else { return false };
    let mut any = false;
    for (key, value) in map {
        let null_only = match key.as_str() {
            "type" => value == "null" || value.as_array().is_some_and(|l| l.len() == 1 && l[0] == "null"),
            "const" => value.is_null(),
            "enum" => value.as_array().is_some_and(|l| !l.is_empty() && l.iter().all(Value::is_null)),
            "nullable" => true,
            _ if is_annotation(key) => continue,
            _ => false,
        };
        if !null_only {
            return false;
        }
        any |= key != "nullable";
    }
    any
}

/// The JSON Schema type name of a value.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Diagnostic, Severity};

    /// Lowers a 3.1 document; returns it and the findings.
    fn lowered_doc(mut doc: Value) -> (Value, Vec<Diagnostic>) {
        let text = doc.to_string();
        let mut report = Reporter::new("spec.yaml", &text);
        lower(&mut doc, &mut report);
        (doc, report.into_failure().diagnostics)
    }

    /// Lowers `schema` as the component schema `x`; returns it and the findings.
    fn lowered(schema: Value) -> (Value, Vec<Diagnostic>) {
        let (doc, found) = lowered_doc(json!({"openapi": "3.1.0", "components": {"schemas": {
            "x": schema,
            "target": {"type": "object", "properties": {"a": {"type": "string"}}},
        }}}));
        (doc["components"]["schemas"]["x"].clone(), found)
    }

    /// Every refusal recorded in `node`: pointer and message.
    fn recorded(node: &Value) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = refusals(node).into_iter().map(|(p, m, _)| (p, m)).collect();
        match node {
            Value::Object(map) => map.values().for_each(|v| out.extend(recorded(v))),
            Value::Array(items) => items.iter().for_each(|v| out.extend(recorded(v))),
            _ => {}
        }
        out
    }

    fn clean(schema: Value) -> Value {
        let (out, found) = lowered(schema.clone());
        assert!(found.is_empty() && recorded(&out).is_empty(), "{schema}: {found:?} {out}");
        out
    }

    /// The refusals recorded for `schema` (reported by `normalise` where it is used).
    fn refused(schema: Value) -> Vec<(String, String)> {
        let (out, found) = lowered(schema.clone());
        assert!(found.is_empty(), "{found:?}");
        let recorded = recorded(&out);
        assert!(!recorded.is_empty(), "{schema} should be refused");
        recorded
    }

    #[test]
    fn type_lists_with_null_are_nullable() {
        assert_eq!(clean(json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
        assert_eq!(clean(json!({"type": ["null", "integer"]})), json!({"type": "integer", "nullable": true}));
        assert_eq!(clean(json!({"type": ["string"]})), json!({"type": "string"}));
        assert_eq!(clean(json!({"type": ["integer", "number"]})), json!({"type": "number"}));
    }

    #[test]
    fn null_alone_is_refused() {
        let found = refused(json!({"type": ["null"]}));
        assert_eq!(found[0].0, "/components/schemas/x/type");
        assert!(found[0].1.contains("only be `null`"));
        assert_eq!(refused(json!({"type": "null"}))[0].0, "/components/schemas/x/type");
        assert_eq!(refused(json!({"anyOf": [{"type": "null"}]}))[0].0, "/components/schemas/x/anyOf");
        assert_eq!(refused(json!({"type": [1, "null"]}))[0].0, "/components/schemas/x/type");
    }

    #[test]
    fn several_types_become_a_union_with_their_keywords() {
        let out = clean(
            json!({"type": ["string", "integer", "null"], "description": "d", "maxLength": 3, "minimum": 1, "format": "x"}),
        );
        assert_eq!(
            out,
            json!({"description": "d", "nullable": true, "oneOf": [
                {"type": "string", "maxLength": 3, "format": "x"},
                {"type": "integer", "minimum": 1, "format": "x"},
            ]})
        );
        assert!(refused(json!({"type": ["string", "integer"], "enum": ["a", 1]}))[0].1.contains("beside `enum`"));
    }

    #[test]
    fn null_branches_make_the_rest_nullable() {
        // One reference left: the 3.0 spelling of a nullable reference.
        let out =
            clean(json!({"anyOf": [{"$ref": "#/components/schemas/target"}, {"type": "null"}], "description": "d"}));
        assert_eq!(
            out,
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/target"}]})
        );
        // One inline branch left: merged.
        let out = clean(json!({"oneOf": [{"type": "null"}, {"type": "string", "maxLength": 2}]}));
        assert_eq!(out, json!({"nullable": true, "type": "string", "maxLength": 2}));
        // Several left: still a union.
        let out = clean(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": ["null"]}]}));
        assert_eq!(out, json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}));
        // A type that excludes null: the null branch is dead.
        let out = clean(json!({"type": "object", "anyOf": [{"required": ["a"]}, {"const": null}]}));
        assert_eq!(out, json!({"type": "object", "required": ["a"]}));
        // Both constrain the same keyword: the branch becomes an allOf part.
        let out = clean(json!({"required": ["a"], "anyOf": [{"required": ["b"]}, {"type": "null"}]}));
        assert_eq!(out, json!({"required": ["a"], "nullable": true, "allOf": [{"required": ["b"]}]}));
    }

    #[test]
    fn const_becomes_a_single_value_enum() {
        assert_eq!(clean(json!({"const": "text"})), json!({"type": "string", "enum": ["text"]}));
        assert_eq!(clean(json!({"type": "string", "const": "a"})), json!({"type": "string", "enum": ["a"]}));
        assert_eq!(clean(json!({"const": 3})), json!({"type": "integer", "enum": [3]}));
        assert_eq!(clean(json!({"enum": ["a", "b"], "const": "a"})), json!({"enum": ["a"], "type": "string"}));
        assert!(refused(json!({"enum": ["a"], "const": "b"}))[0].1.contains("not one of"));
    }

    #[test]
    fn examples_become_example() {
        assert_eq!(clean(json!({"type": "string", "examples": ["a", "b"]})), json!({"type": "string", "example": "a"}));
        assert_eq!(clean(json!({"example": "x", "examples": ["a"]})), json!({"example": "x"}));
        assert_eq!(clean(json!({"examples": []})), json!({}));
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_ones() {
        let out = clean(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
        assert_eq!(
            out,
            json!({"type": "integer", "exclusiveMinimum": true, "exclusiveMaximum": true, "minimum": 0, "maximum": 10})
        );
        // Both bounds: the tighter one.
        let out = clean(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 1}));
        assert_eq!(out, json!({"type": "number", "minimum": 5}));
        let out = clean(json!({"type": "number", "maximum": 5, "exclusiveMaximum": 1}));
        assert_eq!(out, json!({"type": "number", "maximum": 1, "exclusiveMaximum": true}));
        assert!(refused(json!({"exclusiveMinimum": "1"}))[0].1.contains("must be a number"));
    }

    #[test]
    fn references_keep_annotations_and_wrap_the_rest() {
        let r = json!("#/components/schemas/target");
        assert_eq!(clean(json!({"$ref": r, "description": "d"})), json!({"$ref": r, "description": "d"}));
        assert_eq!(
            clean(json!({"$ref": r, "description": "d", "readOnly": true})),
            json!({"description": "d", "readOnly": true, "allOf": [{"$ref": r}]})
        );
        assert_eq!(
            clean(
                json!({"$ref": r, "properties": {"b": {"type": ["string", "null"]}}, "allOf": [{"required": ["a"]}]})
            ),
            json!({"properties": {"b": {"type": "string", "nullable": true}}, "allOf": [{"required": ["a"]}, {"$ref": r}]})
        );
        assert!(
            refused(json!({"$ref": r, "oneOf": [{"type": "string"}, {"type": "integer"}]}))[0]
                .1
                .contains("beside `oneOf`")
        );
    }

    #[test]
    fn file_contents_get_their_3_0_format() {
        let out = clean(json!({"type": "string", "contentMediaType": "image/png"}));
        assert_eq!(out["format"], "binary");
        let out = clean(json!({"type": "string", "contentEncoding": "base64"}));
        assert_eq!(out["format"], "byte");
    }

    #[test]
    fn boolean_schemas() {
        let out = clean(json!({"type": "object", "properties": {"a": true}, "additionalProperties": false}));
        assert_eq!(out, json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false}));
        assert_eq!(refused(json!({"properties": {"a": false}}))[0].0, "/components/schemas/x/properties/a");
    }

    #[test]
    fn keywords_that_change_the_shape_are_refused_with_their_pointer() {
        for key in ["if", "then", "else", "prefixItems", "dependentSchemas", "patternProperties"] {
            let found = refused(json!({"type": "object", key: {}}));
            assert_eq!(found[0].0, format!("/components/schemas/x/{key}"), "{key}");
        }
        assert_eq!(refused(json!({"$dynamicRef": "#meta"}))[0].0, "/components/schemas/x/$dynamicRef");
        assert_eq!(
            refused(json!({"unevaluatedProperties": {"type": "string"}}))[0].0,
            "/components/schemas/x/unevaluatedProperties"
        );
        // Restrictions and annotations are ignored.
        clean(json!({"type": "array", "contains": {"type": "string"}, "minContains": 1, "unevaluatedItems": false,
                     "$comment": "c", "propertyNames": {"maxLength": 3}, "dependentRequired": {"a": ["b"]}}));
    }

    #[test]
    fn dialects_and_ids() {
        let (_, found) = lowered_doc(json!({"openapi": "3.1.0", "jsonSchemaDialect": "https://example.com/mine"}));
        assert_eq!(found[0].pointer, "/jsonSchemaDialect");
        let (_, found) = lowered_doc(
            json!({"openapi": "3.1.0", "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base"}),
        );
        assert!(found.is_empty());
        assert_eq!(
            refused(json!({"$schema": "http://json-schema.org/draft-07/schema#"}))[0].0,
            "/components/schemas/x/$schema"
        );
        clean(json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"}));
        clean(json!({"$id": "https://example.com/x", "type": "string"}));
        let found = refused(
            json!({"$id": "https://example.com/x", "properties": {"a": {"$ref": "#/components/schemas/target"}}}),
        );
        assert_eq!(found[0].0, "/components/schemas/x/properties/a/$ref");
    }

    #[test]
    fn defs_and_reference_targets_are_lowered() {
        let (doc, found) = lowered_doc(json!({"openapi": "3.1.0",
        "$defs": {"root": {"type": ["string", "null"]}},
        "components": {"schemas": {
            "a": {"$defs": {"inner": {"const": "x"}}, "properties": {
                "b": {"$ref": "#/components/schemas/a/$defs/inner"},
                "c": {"$ref": "#/$defs/root"}}},
        }}}));
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(doc.pointer("/components/schemas/a/$defs/inner"), Some(&json!({"type": "string", "enum": ["x"]})));
        assert_eq!(doc.pointer("/$defs/root"), Some(&json!({"type": "string", "nullable": true})));
    }

    #[test]
    fn document_shapes() {
        let (doc, found) = lowered_doc(json!({"openapi": "3.1.0",
        "webhooks": {"hook": {"$ref": "#/components/pathItems/hook"}},
        "components": {
            "pathItems": {"hook": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": ["object", "null"], "examples": [{}]}}}}}}},
            "securitySchemes": {"tls": {"type": "mutualTLS"}},
        }}));
        assert_eq!(doc["paths"], json!({}));
        let post = &doc["components"]["pathItems"]["hook"]["post"];
        assert_eq!(post["responses"], json!({}));
        assert_eq!(
            post.pointer("/requestBody/content/application~1json/schema"),
            Some(&json!({"type": "object", "nullable": true, "example": {}}))
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/components/securitySchemes/tls/type");
    }

    #[test]
    fn media_type_and_parameter_examples_are_not_schemas() {
        let (doc, found) = lowered_doc(json!({"openapi": "3.1.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}, "examples": {"one": {"value": "x"}}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "string"}, "examples": {"one": {"value": "x"}}}}}}}}}}));
        assert!(found.is_empty());
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["examples"], json!({"one": {"value": "x"}}));
        assert_eq!(get["parameters"][0]["schema"], json!({"type": "string", "nullable": true}));
        assert_eq!(get.pointer("/responses/200/content/application~1json/examples/one/value"), Some(&json!("x")));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut schema = json!({"type": "string"});
        for _ in 0..MAX_DEPTH + 5 {
            schema = json!({"type": "array", "items": schema});
        }
        let (_, found) = lowered(schema);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("nest more than"));
    }

    #[test]
    fn nullable_in_a_3_1_document_is_read_with_a_warning() {
        let (out, found) = lowered(json!({"type": "string", "nullable": true}));
        assert_eq!(out, json!({"type": "string", "nullable": true}));
        assert_eq!(found[0].severity, Severity::Warning);
    }
}
