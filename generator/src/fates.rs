//! The fate of every keyword of the OpenAPI objects the generator reads, in 3.0 and 3.1,
//! and of every `format`: what the generated crate does with it, declared once.
//!
//! - *supported*: the crate acts on it (a type, a check, a name, docs, a fixture);
//! - *refused*: a document using it where the crate would need it is refused, with the
//!   keyword's pointer and what to do;
//! - *warned*: the crate works without it and says so, naming what is dropped;
//! - *ignored*: it only narrows what is valid (the server checks it), or only annotates,
//!   so dropping it changes nothing a caller sends or receives.
//!
//! `normalise` calls [`check`] on every object it reads: a refused keyword is an error,
//! a warned one a warning, an unknown one (no entry, not an `x-` extension) a warning
//! saying it is ignored. A keyword whose fate depends on its value (`style`, `in`,
//! `unevaluatedProperties`) is *supported* here and checked where it is read. The tests
//! (`generator/tests/fates.rs`) walk the official JSON schemas of OpenAPI 3.0 and 3.1
//! and fail on a keyword without an entry, and check every entry's fate on a spec that
//! uses it.

/// The OpenAPI objects whose keywords have a declared fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Object {
    /// A Schema Object (3.0), or a JSON Schema 2020-12 schema (3.1).
    Schema,
    /// A Parameter Object.
    Parameter,
    /// A Header Object (a response header).
    Header,
    /// A Media Type Object.
    MediaType,
    /// An Encoding Object (of a form or multipart body's property).
    Encoding,
    /// A Response Object.
    Response,
    /// A Request Body Object.
    RequestBody,
    /// A Discriminator Object.
    Discriminator,
    /// A Server Object.
    Server,
    /// A Server Variable Object.
    ServerVariable,
    /// An Example Object.
    Example,
    /// An Operation Object.
    Operation,
    /// A Path Item Object.
    PathItem,
}

impl Object {
    /// The object's name as the specification writes it.
    pub fn name(self) -> &'static str {
        match self {
            Object::Schema => "Schema",
            Object::Parameter => "Parameter",
            Object::Header => "Header",
            Object::MediaType => "Media Type",
            Object::Encoding => "Encoding",
            Object::Response => "Response",
            Object::RequestBody => "Request Body",
            Object::Discriminator => "Discriminator",
            Object::Server => "Server",
            Object::ServerVariable => "Server Variable",
            Object::Example => "Example",
            Object::Operation => "Operation",
            Object::PathItem => "Path Item",
        }
    }
}

/// What the generated crate does with a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Fate {
    /// Acted on.
    Supported,
    /// Refused where used, with the keyword's pointer (where one operation uses it and
    /// [`crate::Options::strict`] is off, that operation is left out with a warning).
    Refused,
    /// Dropped, with a warning naming what is dropped.
    Warned,
    /// Dropped silently: it only narrows validity, or only annotates.
    Ignored,
}

/// One keyword of one object and its fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Keyword {
    /// The object it belongs to.
    pub object: Object,
    /// The keyword.
    pub name: &'static str,
    /// Its fate.
    pub fate: Fate,
    /// What the crate does with it (supported), why it is refused or ignored, or what
    /// is dropped (warned).
    pub note: &'static str,
}

const fn k(object: Object, name: &'static str, fate: Fate, note: &'static str) -> Keyword {
    Keyword { object, name, fate, note }
}

use Fate::{Ignored, Refused, Supported, Warned};
use Object::*;

/// Every keyword of every object the generator reads, OpenAPI 3.0 and 3.1 together.
pub const KEYWORDS: &[Keyword] = &[
    // Schema (3.0 and 3.1).
    k(Schema, "$ref", Supported, "a model by reference (3.1: with siblings, an `allOf` of it)"),
    k(Schema, "title", Supported, "names types and union branches; docs"),
    k(Schema, "description", Supported, "docs"),
    k(Schema, "type", Supported, "the Rust type (3.1 type lists: `nullable`, or a union per type)"),
    k(Schema, "format", Supported, "see `FORMATS`"),
    k(Schema, "enum", Supported, "a string enum with a catch-all variant; values that are not strings refused"),
    k(Schema, "const", Supported, "a one-value enum (3.1)"),
    k(Schema, "properties", Supported, "struct fields"),
    k(Schema, "required", Supported, "required fields: `T`, not `Option<T>`"),
    k(Schema, "additionalProperties", Supported, "a map, or the members a struct keeps undeclared"),
    k(Schema, "items", Supported, "the element type of a list"),
    k(Schema, "allOf", Supported, "flattened into one struct; contradictions warned"),
    k(Schema, "oneOf", Supported, "a union with a catch-all"),
    k(Schema, "anyOf", Supported, "a union with a catch-all"),
    k(Schema, "discriminator", Supported, "the tag a union dispatches on"),
    k(Schema, "nullable", Supported, "`Option<T>`, or `Nullable<T>` in PATCH bodies (3.1: read with a warning)"),
    k(Schema, "readOnly", Supported, "decoded, never sent"),
    k(Schema, "writeOnly", Supported, "sent, never expected back"),
    k(Schema, "deprecated", Supported, "`#[deprecated]`"),
    k(Schema, "example", Supported, "docs examples and test fixtures"),
    k(Schema, "examples", Supported, "the first is the example (3.1)"),
    k(Schema, "minimum", Supported, "checked before sending; integers narrowed to the smallest type"),
    k(Schema, "maximum", Supported, "checked before sending; integers narrowed to the smallest type"),
    k(Schema, "exclusiveMinimum", Supported, "checked before sending (3.1 numbers lowered)"),
    k(Schema, "exclusiveMaximum", Supported, "checked before sending (3.1 numbers lowered)"),
    k(Schema, "minLength", Supported, "checked before sending"),
    k(Schema, "maxLength", Supported, "checked before sending"),
    k(Schema, "minItems", Supported, "checked before sending"),
    k(Schema, "maxItems", Supported, "checked before sending"),
    k(Schema, "pattern", Ignored, "only narrows validity (documented, not checked: regex dialects differ)"),
    k(Schema, "multipleOf", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "uniqueItems", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "minProperties", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "maxProperties", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "not", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "default", Ignored, "an annotation: the server applies it; the client sends what is set"),
    k(Schema, "externalDocs", Ignored, "an annotation: a link the docs do not show"),
    k(Schema, "xml", Ignored, "XML serialisation hints: the client speaks JSON"),
    k(Schema, "$id", Supported, "read; a `$ref` below it is refused (its base URI would change)"),
    k(Schema, "$schema", Supported, "the 2020-12 dialect; another one refused"),
    k(Schema, "$defs", Supported, "schemas referenced by pointer"),
    k(Schema, "$anchor", Ignored, "an annotation: references go by pointer"),
    k(Schema, "$dynamicAnchor", Ignored, "an annotation: `$dynamicRef` is refused"),
    k(Schema, "$vocabulary", Ignored, "meta-schema only"),
    k(Schema, "$comment", Ignored, "an annotation"),
    k(Schema, "$dynamicRef", Refused, "a dynamic reference has no fixed target to type"),
    k(Schema, "if", Refused, "a shape that depends on the value has no Rust type"),
    k(Schema, "then", Refused, "a shape that depends on the value has no Rust type"),
    k(Schema, "else", Refused, "a shape that depends on the value has no Rust type"),
    k(Schema, "prefixItems", Refused, "tuple arrays have no Rust type here"),
    k(Schema, "patternProperties", Refused, "members typed by a name pattern have no Rust type here"),
    k(Schema, "dependentSchemas", Refused, "members depending on other members have no Rust type here"),
    k(Schema, "unevaluatedProperties", Supported, "`true`/`false` accepted; with a schema refused"),
    k(Schema, "unevaluatedItems", Supported, "`true`/`false` accepted; with a schema refused"),
    k(Schema, "contains", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "minContains", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "maxContains", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "propertyNames", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "dependentRequired", Ignored, "only narrows validity (the server checks it)"),
    k(Schema, "contentMediaType", Supported, "a string holding a file: `format: binary`"),
    k(Schema, "contentEncoding", Supported, "`base64`: `format: byte`"),
    k(Schema, "contentSchema", Ignored, "an annotation of the string's decoded content"),
    // Parameter.
    k(Parameter, "$ref", Supported, "a parameter by reference"),
    k(Parameter, "name", Supported, "the wire name; the Rust name is derived"),
    k(Parameter, "in", Supported, "path, query, header or cookie"),
    k(Parameter, "description", Supported, "docs"),
    k(Parameter, "required", Supported, "a positional argument, else a setter"),
    k(Parameter, "deprecated", Supported, "`#[deprecated]` on the setter"),
    k(Parameter, "style", Supported, "simple paths, form and deepObject queries, simple headers; others refused"),
    k(Parameter, "explode", Supported, "exploded query arrays; `explode: false` arrays refused"),
    k(Parameter, "schema", Supported, "the parameter's type"),
    k(Parameter, "content", Refused, "a parameter typed by a media type has no encoding here; use `schema`"),
    k(Parameter, "example", Supported, "docs examples"),
    k(Parameter, "examples", Supported, "the first is the docs example"),
    k(Parameter, "allowEmptyValue", Ignored, "the client sends a parameter only when it is set"),
    k(Parameter, "allowReserved", Ignored, "percent-encoding a reserved character is always valid"),
    // Header (response headers).
    k(Header, "$ref", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "description", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "required", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "deprecated", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "allowEmptyValue", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "style", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "explode", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "allowReserved", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "schema", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "content", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "example", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Header, "examples", Ignored, "response headers are read from `Response::headers`, untyped"),
    // Media Type.
    k(MediaType, "schema", Supported, "the body's type"),
    k(MediaType, "example", Supported, "docs examples, mock answers and test fixtures"),
    k(MediaType, "examples", Supported, "docs examples, mock answers and test fixtures"),
    k(MediaType, "encoding", Supported, "each property's Encoding Object is checked"),
    // Encoding.
    k(
        Encoding,
        "contentType",
        Warned,
        "a part is sent with the client's content type for its kind (text, or the file's own)",
    ),
    k(Encoding, "headers", Warned, "no header is sent with a part"),
    k(Encoding, "style", Warned, "form members are sent as `form`, exploded (nested objects as `name[member]`)"),
    k(Encoding, "explode", Warned, "form members are sent as `form`, exploded (nested objects as `name[member]`)"),
    k(Encoding, "allowReserved", Ignored, "percent-encoding a reserved character is always valid"),
    // Response.
    k(Response, "$ref", Supported, "a response by reference"),
    k(Response, "description", Supported, "the status table of the operation's docs"),
    k(Response, "content", Supported, "the success or error body"),
    k(Response, "headers", Ignored, "response headers are read from `Response::headers`, untyped"),
    k(Response, "links", Ignored, "an annotation: links are not followed"),
    // Request Body.
    k(RequestBody, "$ref", Supported, "a request body by reference"),
    k(RequestBody, "description", Supported, "docs"),
    k(RequestBody, "content", Supported, "the body's media type and type"),
    k(RequestBody, "required", Supported, "a positional argument, else a setter"),
    // Discriminator.
    k(Discriminator, "propertyName", Supported, "the property a union dispatches on"),
    k(Discriminator, "mapping", Supported, "values to branches, by reference or schema name"),
    // Server.
    k(Server, "url", Supported, "a `Server` variant; a query or fragment skipped with a warning"),
    k(Server, "description", Supported, "docs"),
    k(Server, "variables", Supported, "the variant's fields"),
    // Server Variable.
    k(ServerVariable, "description", Supported, "docs"),
    k(ServerVariable, "default", Ignored, "the caller gives every variable (the default is the API's own)"),
    k(ServerVariable, "enum", Ignored, "only narrows validity"),
    k(
        ServerVariable,
        "descriptions",
        Ignored,
        "no keyword: a typo of `description` in the 2021 OpenAPI 3.1 JSON schema, kept so that schema's keywords are all listed",
    ),
    // Example.
    k(Example, "$ref", Supported, "an example by reference"),
    k(Example, "summary", Ignored, "an annotation"),
    k(Example, "description", Ignored, "an annotation"),
    k(Example, "value", Supported, "docs examples, mock answers and test fixtures"),
    k(Example, "externalValue", Ignored, "not fetched: the generator reads no network"),
    // Operation.
    k(Operation, "operationId", Supported, "the method's name"),
    k(Operation, "tags", Supported, "the group its method is listed under; `--tag` selects by it"),
    k(Operation, "summary", Supported, "docs"),
    k(Operation, "description", Supported, "docs"),
    k(Operation, "externalDocs", Ignored, "an annotation: a link the docs do not show"),
    k(Operation, "parameters", Supported, "arguments and setters"),
    k(Operation, "requestBody", Supported, "the body argument"),
    k(Operation, "responses", Supported, "the success type, the error type, the status table"),
    k(Operation, "callbacks", Warned, "no callback receiver is generated (webhooks are)"),
    k(Operation, "deprecated", Supported, "`#[deprecated]` on the method"),
    k(Operation, "security", Supported, "the credentials its docs name"),
    k(Operation, "servers", Warned, "it is sent to the client's base URL"),
    // Path Item.
    k(PathItem, "$ref", Supported, "a path item by reference"),
    k(PathItem, "summary", Ignored, "an annotation: each operation carries its own docs"),
    k(PathItem, "description", Ignored, "an annotation: each operation carries its own docs"),
    k(PathItem, "servers", Warned, "its operations are sent to the client's base URL"),
    k(PathItem, "parameters", Supported, "merged into each operation's"),
    k(PathItem, "get", Supported, "an operation"),
    k(PathItem, "put", Supported, "an operation"),
    k(PathItem, "post", Supported, "an operation"),
    k(PathItem, "delete", Supported, "an operation"),
    k(PathItem, "options", Supported, "an operation"),
    k(PathItem, "head", Supported, "an operation"),
    k(PathItem, "patch", Supported, "an operation"),
    k(PathItem, "trace", Supported, "an operation"),
];

/// A `format` of a type and its fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Format {
    /// The schema `type` it applies to.
    pub ty: &'static str,
    /// The format.
    pub name: &'static str,
    /// Its fate.
    pub fate: Fate,
    /// What the crate does with it.
    pub note: &'static str,
}

const fn f(ty: &'static str, name: &'static str, fate: Fate, note: &'static str) -> Format {
    Format { ty, name, fate, note }
}

/// Every format the generator knows. An unknown integer format is warned (typed `i64`);
/// an unknown format of another type is ignored (it only narrows validity).
pub const FORMATS: &[Format] = &[
    f("integer", "int8", Supported, "`i8`"),
    f("integer", "int16", Supported, "`i16`"),
    f("integer", "int32", Supported, "`i32`"),
    f("integer", "int64", Supported, "`i64`"),
    f("integer", "uint8", Supported, "`u8`"),
    f("integer", "uint16", Supported, "`u16`"),
    f("integer", "uint32", Supported, "`u32`"),
    f("integer", "uint64", Supported, "`u64`"),
    f("number", "float", Supported, "`f64` (every `f32` is one)"),
    f("number", "double", Supported, "`f64`"),
    f("string", "binary", Supported, "a file part in multipart bodies"),
    f("string", "byte", Ignored, "base64 text: a `String` the caller encodes"),
    f("string", "date", Ignored, "a `String`: only narrows validity"),
    f("string", "date-time", Ignored, "a `String`: only narrows validity"),
    f("string", "password", Ignored, "a `String`: an annotation"),
    f("string", "email", Ignored, "a `String`: only narrows validity"),
    f("string", "uri", Ignored, "a `String`: only narrows validity"),
    f("string", "uuid", Ignored, "a `String`: only narrows validity"),
];

/// The entry of `keyword` in `object`.
pub fn keyword(object: Object, name: &str) -> Option<&'static Keyword> {
    KEYWORDS.iter().find(|k| k.object == object && k.name == name)
}

/// Schema keywords of JSON Schema 2020-12 that OpenAPI 3.0 does not have: in a 3.0
/// document they are no keywords (refused ones are refused all the same).
pub const ONLY_31: &[&str] = &[
    "const",
    "examples",
    "$id",
    "$schema",
    "$defs",
    "$anchor",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$dynamicRef",
    "if",
    "then",
    "else",
    "prefixItems",
    "patternProperties",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "dependentRequired",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
];

/// Reports, for one object the generator reads at `pointer`, every keyword whose fate
/// is to be refused or warned, and every keyword without an entry (ignored, with a
/// warning). `x-` extensions are the spec's own. `handled`: keywords the caller reports
/// itself (with a more precise message). `openapi31`: the document is OpenAPI 3.1 (in
/// 3.0, a 3.1-only schema keyword is no keyword).
pub(crate) fn check(
    object: Object,
    pointer: &str,
    node: &serde_json::Value,
    handled: &[&str],
    openapi31: bool,
    report: &mut crate::diagnostics::Reporter<'_>,
) {
    let Some(map) = node.as_object() else { return };
    for key in map.keys().filter(|key| !key.starts_with("x-") && !handled.contains(&key.as_str())) {
        let at = crate::diagnostics::join(pointer, key);
        let only_31 = object == Object::Schema && !openapi31 && ONLY_31.contains(&key.as_str());
        match keyword(object, key) {
            Some(Keyword { fate: Fate::Refused, note, .. }) => report.error(
                &at,
                format!("`{key}` in a {} is not supported: {note}", object.name()),
                Some("remove it, or describe the value another way"),
            ),
            Some(_) if only_31 => report.warn(
                &at,
                format!("`{key}` is a keyword of OpenAPI 3.1 schemas, not 3.0: ignored in this 3.0 document"),
                Some("declare `openapi: 3.1.0` to use it, or remove it"),
            ),
            Some(Keyword { fate: Fate::Warned, note, .. }) => {
                report.warn(&at, format!("`{key}` in a {} is dropped: {note}", object.name()), None)
            }
            Some(_) => {}
            None => report.warn(
                &at,
                format!("`{key}` is not a keyword of a {} this generator knows; ignored", object.name()),
                Some("check its spelling, or prefix a vendor extension with `x-`"),
            ),
        }
    }
}
