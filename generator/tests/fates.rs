//! Every OpenAPI keyword has a declared fate (`generator::fates`), and the generator
//! does what the table declares.
//!
//! 1. The keywords of the official JSON schemas of OpenAPI 3.0 and 3.1 (and of JSON
//!    Schema 2020-12, the dialect of 3.1 schemas), vendored in `tests/data/`, each have
//!    an entry: a keyword a new schema adds fails here until its fate is decided.
//! 2. Each entry's fate holds on a spec that uses the keyword: *refused* gives an error
//!    naming it, *warned* a warning at it, *supported* and *ignored* neither.
//! 3. Each known `format` of an integer gives its Rust type; an unknown one is warned.

use std::collections::BTreeSet;
use std::path::Path;

use generator::fates::{self, Fate, Object};
use serde_json::{Value, json};

fn data(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/openapi-schemas").join(path);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The property names a definition allows, through its local `$ref`s, `allOf`,
/// `anyOf`, `oneOf`, `if`/`then`/`else` and `dependentSchemas` (not the `x-` patterns).
fn properties(root: &Value, node: &Value, seen: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
    if let Some(map) = node.get("properties").and_then(Value::as_object) {
        out.extend(map.keys().cloned());
    }
    if let Some(pointer) = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'))
        && seen.insert(pointer.to_string())
        && let Some(target) = root.pointer(pointer)
    {
        properties(root, target, seen, out);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for part in node.get(key).and_then(Value::as_array).into_iter().flatten() {
            properties(root, part, seen, out);
        }
    }
    for key in ["if", "then", "else"] {
        if let Some(part) = node.get(key) {
            properties(root, part, seen, out);
        }
    }
    for part in node.get("dependentSchemas").and_then(Value::as_object).into_iter().flatten() {
        properties(root, part.1, seen, out);
    }
}

fn keywords_of(root: &Value, pointer: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let node = root.pointer(pointer).unwrap_or_else(|| panic!("{pointer} in the vendored schema"));
    properties(root, node, &mut BTreeSet::new(), &mut out);
    out
}

/// The keywords of each object, as the official schemas define them.
fn official_keywords() -> Vec<(Object, &'static str, BTreeSet<String>)> {
    let v30 = data("oas-3.0/schema.json");
    let v31 = data("oas-3.1/schema.json");
    let objects = [
        (Object::Schema, "Schema", "schema"),
        (Object::Parameter, "Parameter", "parameter"),
        (Object::Header, "Header", "header"),
        (Object::MediaType, "MediaType", "media-type"),
        (Object::Encoding, "Encoding", "encoding"),
        (Object::Response, "Response", "response"),
        (Object::RequestBody, "RequestBody", "request-body"),
        (Object::Discriminator, "Discriminator", ""),
        (Object::Server, "Server", "server"),
        (Object::ServerVariable, "ServerVariable", "server-variable"),
        (Object::Example, "Example", "example"),
        (Object::Operation, "Operation", "operation"),
        (Object::PathItem, "PathItem", "path-item"),
    ];
    let mut out = Vec::new();
    for (object, name30, name31) in objects {
        let mut keywords = keywords_of(&v30, &format!("/definitions/{name30}"));
        if !name31.is_empty() && object != Object::Schema {
            keywords.extend(keywords_of(&v31, &format!("/$defs/{name31}")));
        }
        if object == Object::PathItem {
            keywords.extend(["get", "put", "post", "delete", "options", "head", "patch", "trace"].map(String::from));
        }
        out.push((object, "3.0 and 3.1", keywords));
    }
    // 3.1 schemas are JSON Schema 2020-12 with OpenAPI's base vocabulary.
    let mut schema31 = BTreeSet::new();
    for vocabulary in ["applicator", "content", "core", "format-annotation", "meta-data", "unevaluated", "validation"] {
        let root = data(&format!("json-schema-2020-12/{vocabulary}.json"));
        schema31.extend(keywords_of(&root, ""));
    }
    schema31.extend(keywords_of(&data("oas-3.1/base.schema.json"), ""));
    out.push((Object::Schema, "3.1 (JSON Schema 2020-12)", schema31));
    // A Discriminator in 3.1 is in the base vocabulary.
    out.push((Object::Discriminator, "3.1", keywords_of(&data("oas-3.1/base.schema.json"), "/$defs/discriminator")));
    out
}

#[test]
fn every_keyword_of_the_official_schemas_has_a_fate() {
    let mut missing = Vec::new();
    let mut counted = 0;
    for (object, versions, keywords) in official_keywords() {
        for keyword in keywords {
            counted += 1;
            if fates::keyword(object, &keyword).is_none() {
                missing.push(format!("{} `{keyword}` ({versions})", object.name()));
            }
        }
    }
    assert!(counted > 150, "the vendored schemas were read: {counted} keywords");
    assert!(missing.is_empty(), "keywords without a declared fate in generator/src/fates.rs:\n{}", missing.join("\n"));
}

/// A value of `keyword` that is valid where the test places it.
fn sample(object: Object, keyword: &str) -> Value {
    match (object, keyword) {
        (Object::Schema, "type") => json!("string"),
        (Object::Schema, "format") => json!("date"),
        (Object::Schema, "enum") => json!(["a", "b"]),
        (Object::Schema, "const") => json!("a"),
        (Object::Schema, "properties") => json!({"inner": {"type": "string"}}),
        (Object::Schema, "required" | "dependentRequired") if keyword == "required" => json!([]),
        (Object::Schema, "dependentRequired") => json!({}),
        (Object::Schema, "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems") => json!(true),
        (Object::Schema, "items" | "not" | "contains" | "propertyNames" | "contentSchema") => json!({"type": "string"}),
        (Object::Schema, "if" | "then" | "else") => json!({"type": "string"}),
        (Object::Schema, "allOf" | "anyOf" | "oneOf" | "prefixItems") => json!([{"type": "string"}]),
        (Object::Schema, "patternProperties" | "dependentSchemas") => json!({"^a": {"type": "string"}}),
        (Object::Schema, "discriminator") => json!({"propertyName": "kind"}),
        (Object::Schema, "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems") => json!(false),
        (Object::Schema, "exclusiveMinimum" | "exclusiveMaximum") => json!(false),
        (Object::Schema, "example" | "default") => json!("a"),
        (Object::Schema, "examples") => json!(["a"]),
        (Object::Schema, "externalDocs") => json!({"url": "https://example.com"}),
        (Object::Schema, "xml") => json!({"name": "thing"}),
        (Object::Schema, "$ref") => json!("#/components/schemas/Other"),
        (Object::Schema, "$id") => json!("https://example.com/thing"),
        (Object::Schema, "$schema") => json!("https://spec.openapis.org/oas/3.1/dialect/base"),
        (Object::Schema, "$defs") => json!({}),
        (Object::Schema, "$vocabulary") => json!({}),
        (Object::Schema, "$dynamicRef") => json!("#meta"),
        (Object::Schema, "$anchor" | "$dynamicAnchor") => json!("thing"),
        (Object::Schema, "$comment" | "title" | "description" | "pattern") => json!("a"),
        (Object::Schema, "contentMediaType") => json!("text/plain"),
        (Object::Schema, "contentEncoding") => json!("base64"),
        (Object::Schema, "multipleOf") => json!(1),
        (Object::Schema, _) => json!(1),
        (Object::Parameter | Object::Header, "required" | "deprecated" | "allowEmptyValue" | "allowReserved") => {
            json!(false)
        }
        (Object::Parameter | Object::Header, "explode") => json!(true),
        (Object::Parameter, "style") => json!("form"),
        (Object::Header, "style") => json!("simple"),
        (Object::Parameter | Object::Header, "schema") => json!({"type": "string"}),
        (Object::Parameter | Object::Header, "content") => json!({"text/plain": {"schema": {"type": "string"}}}),
        (Object::Parameter | Object::Header, "examples") => json!({"one": {"value": "a"}}),
        (Object::Parameter, "in") => json!("query"),
        (Object::Parameter, "name") => json!("q"),
        (Object::Header, "$ref") => json!("#/components/headers/Rate"),
        (Object::Parameter, "$ref") => json!("#/components/parameters/Q"),
        (Object::MediaType, "schema") => json!({"$ref": "#/components/schemas/Thing"}),
        (Object::MediaType, "example") => json!({"name": "a"}),
        (Object::MediaType, "examples") => json!({"one": {"value": {"name": "a"}}}),
        (Object::MediaType, "encoding") => json!({}),
        (Object::Encoding, "contentType") => json!("text/plain"),
        (Object::Encoding, "headers") => json!({}),
        (Object::Encoding, "style") => json!("form"),
        (Object::Encoding, "explode" | "allowReserved") => json!(true),
        (Object::Response, "$ref") => json!("#/components/responses/Ok"),
        (Object::Response, "content") => {
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}})
        }
        (Object::Response, "headers") => json!({"X-Rate": {"schema": {"type": "integer"}}}),
        (Object::Response, "links") => json!({}),
        (Object::RequestBody, "$ref") => json!("#/components/requestBodies/Thing"),
        (Object::RequestBody, "content") => {
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}})
        }
        (Object::RequestBody, "required") => json!(true),
        (Object::Discriminator, "propertyName") => json!("kind"),
        (Object::Discriminator, "mapping") => json!({"cat": "#/components/schemas/Cat"}),
        (Object::Server, "url") => json!("https://api.example.com"),
        (Object::Server, "variables") => json!({}),
        (Object::ServerVariable, "default") => json!("eu"),
        (Object::ServerVariable, "enum") => json!(["eu", "us"]),
        (Object::Example, "value") => json!({"name": "a"}),
        (Object::Example, "$ref") => json!("#/components/examples/One"),
        (Object::Operation, "operationId") => json!("postThing"),
        (Object::Operation, "tags") => json!(["Things"]),
        (Object::Operation, "parameters") => json!([]),
        (Object::Operation, "requestBody") => json!({"content": {"application/json": {"schema": {"type": "object"}}}}),
        (Object::Operation, "responses") => json!({"200": {"description": "ok"}}),
        (Object::Operation, "callbacks") => json!({}),
        (Object::Operation, "security") => json!([]),
        (Object::Operation, "servers") | (Object::PathItem, "servers") => json!([{"url": "https://other.example.com"}]),
        (Object::Operation | Object::PathItem, "externalDocs") => json!({"url": "https://example.com"}),
        (Object::Operation, "deprecated") => json!(false),
        (Object::PathItem, "parameters") => {
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        }
        (Object::PathItem, "$ref") => json!("#/x-path-items/things"),
        (Object::PathItem, method)
            if method.len() <= 7 && method.chars().all(|c| c.is_ascii_lowercase()) && method != "summary" =>
        {
            json!({"operationId": format!("{method}Thing"), "responses": {"200": {"description": "ok"}}})
        }
        (_, _) => json!("a"),
    }
}

/// A small spec (3.0, or 3.1 for 3.1-only schema keywords) with `keyword` set in one
/// object of `object`'s kind, and the pointer of that object.
fn spec_with(object: Object, keyword: &str) -> (Value, String) {
    let v31 = object == Object::Schema && fates::ONLY_31.contains(&keyword);
    let mut spec = json!({
        "openapi": if v31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": "Fates", "version": "1"},
        "x-path-items": {"things": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "getThing", "responses": {"200": {"description": "ok"}}}
        }},
        "servers": [{"url": "https://{region}.example.com", "variables": {"region": {"default": "eu"}}}],
        "paths": {
            "/things/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "post": {
                    "operationId": "postThing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}}
                    ],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Thing"},
                            "examples": {"one": {"value": {"name": "a"}}}
                        }}
                    },
                    "responses": {"200": {
                        "description": "ok",
                        "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    }}
                }
            },
            "/files": {
                "put": {
                    "operationId": "putFile",
                    "requestBody": {"content": {"multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}},
                        "encoding": {"file": {}}
                    }}},
                    "responses": {"204": {"description": "stored"}}
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {"type": "object", "properties": {"name": {"type": "string"}, "pet": {"$ref": "#/components/schemas/Pet"}}},
                "Other": {"type": "string"},
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "kind"}},
                "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
            },
            "parameters": {"Q": {"name": "q", "in": "query", "schema": {"type": "string"}}},
            "responses": {"Ok": {"description": "ok"}},
            "requestBodies": {"Thing": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}},
            "headers": {"Rate": {"schema": {"type": "integer"}}},
            "examples": {"One": {"value": {"name": "a"}}},
        }
    });
    let pointer = match object {
        Object::Schema => "/components/schemas/Thing/properties/name",
        Object::Parameter => "/paths/~1things~1{id}/post/parameters/1",
        Object::Header => "/paths/~1things~1{id}/post/responses/200/headers/X-Rate",
        Object::MediaType => "/paths/~1things~1{id}/post/requestBody/content/application~1json",
        Object::Encoding => "/paths/~1files/put/requestBody/content/multipart~1form-data/encoding/file",
        Object::Response => "/paths/~1things~1{id}/post/responses/200",
        Object::RequestBody => "/paths/~1things~1{id}/post/requestBody",
        Object::Discriminator => "/components/schemas/Pet/discriminator",
        Object::Server => "/servers/0",
        Object::ServerVariable => "/servers/0/variables/region",
        Object::Example => "/paths/~1things~1{id}/post/requestBody/content/application~1json/examples/one",
        Object::Operation => "/paths/~1things~1{id}/post",
        Object::PathItem => "/paths/~1things~1{id}",
    };
    let target = spec.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
    // A `$ref` stands alone (in 3.0, siblings are ignored): the object becomes the reference.
    if keyword == "$ref" && object != Object::Schema {
        target.clear();
    }
    if keyword == "content" && object == Object::Parameter {
        target.remove("schema");
    }
    target.insert(keyword.to_string(), sample(object, keyword));
    (spec, format!("{pointer}/{}", keyword.replace('~', "~0").replace('/', "~1")))
}

#[test]
fn every_fate_holds_on_a_spec_that_uses_the_keyword() {
    let mut wrong = Vec::new();
    for keyword in fates::KEYWORDS {
        let (spec, at) = spec_with(keyword.object, keyword.name);
        let text = serde_json::to_string_pretty(&spec).unwrap();
        // Strict: a keyword refused in one operation refuses the spec (lenient, that
        // operation is left out with the same finding as a warning).
        let options = generator::Options { strict: true, ..generator::Options::new("fates", "fates.json") };
        let name = keyword.name;
        let mentions = |d: &generator::Diagnostic| d.pointer == at || d.message.contains(&format!("`{name}`"));
        let outcome = generator::generate(&text, &options);
        let verdict = match (&outcome, keyword.fate) {
            (Err(failure), Fate::Refused) if failure.diagnostics.iter().any(mentions) => None,
            (Err(failure), _) => Some(format!("refused: {failure}")),
            (Ok(_), Fate::Refused) => Some("generated".to_string()),
            (Ok(output), Fate::Warned) if output.warnings.iter().any(mentions) => None,
            (Ok(output), Fate::Warned) => Some(format!("no warning at {at}: {:?}", output.warnings)),
            (Ok(output), Fate::Supported | Fate::Ignored) => {
                let at_keyword: Vec<String> =
                    output.warnings.iter().filter(|d| d.pointer == at).map(|d| d.message.clone()).collect();
                (!at_keyword.is_empty()).then(|| format!("warned: {at_keyword:?}"))
            }
        };
        if let Some(verdict) = verdict {
            wrong.push(format!("{} `{}` ({:?}): {verdict}", keyword.object.name(), keyword.name, keyword.fate));
        }
    }
    assert!(wrong.is_empty(), "{} fates do not hold:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn integer_formats_give_their_rust_types_and_unknown_ones_are_warned() {
    for format in fates::FORMATS.iter().filter(|f| f.ty == "integer") {
        let (mut spec, _) = spec_with(Object::Schema, "format");
        let name = spec.pointer_mut("/components/schemas/Thing/properties/name").unwrap();
        *name = json!({"type": "integer", "format": format.name});
        let output = generator::generate(&spec.to_string(), &generator::Options::new("fates", "fates.json")).unwrap();
        let model = &output.files["src/models/thing.rs"];
        let rust = format.note.trim_matches('`');
        assert!(model.contains(&format!("pub name: Option<{rust}>")), "{}: {model}", format.name);
    }
    let (mut spec, _) = spec_with(Object::Schema, "format");
    *spec.pointer_mut("/components/schemas/Thing/properties/name").unwrap() =
        json!({"type": "integer", "format": "int128"});
    let output = generator::generate(&spec.to_string(), &generator::Options::new("fates", "fates.json")).unwrap();
    assert!(output.warnings.iter().any(|w| w.message.contains("int128")), "{:?}", output.warnings);
    assert!(output.files["src/models/thing.rs"].contains("pub name: Option<i64>"));
}
