//! The intermediate representation: everything the templates print, decided once.
//!
//! Names, Rust types, serde attributes, doc lines and validation calls are computed by
//! `normalise`; templates only print these fields and loop. Every list is sorted or in
//! spec order, never in hash order, so output is deterministic.

use serde::Serialize;

/// The whole client crate.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// Crate metadata and crate-level docs.
    pub krate: Krate,
    /// Servers from the spec, as variants of the generated `Server` enum.
    pub servers: Vec<Server>,
    /// Models, sorted by Rust name.
    pub models: Vec<Model>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Webhooks (`webhooks`, `x-webhooks`): the requests the API sends to its users,
    /// sorted by function name.
    pub webhooks: Vec<Webhook>,
}

/// A webhook: a request the API sends, whose body the receiver verifies and decodes.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// The webhook's name in the spec, e.g. `Webhook Event`.
    pub name: String,
    /// `operationId`, else the name.
    pub operation_id: String,
    /// The decoding function, e.g. `parse_event_webhooks`.
    pub function: String,
    /// HTTP method the API uses.
    pub http_method: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Payload type, e.g. `models::WebhookPayload`.
    pub payload_ty: String,
    /// The payload's model, when it is one.
    pub payload_model: Option<String>,
}

/// Crate metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Krate {
    /// Package name, e.g. `sunshine-conversations`.
    pub package: String,
    /// Library name, e.g. `sunshine_conversations`.
    pub lib: String,
    /// Spec file named in every preamble.
    pub spec_file: String,
    /// The command named in every preamble as the one that generated the file.
    pub command: String,
    /// API title from `info.title`, one line of doc prose.
    pub title: String,
    /// API version from `info.version`, one line of doc prose.
    pub api_version: String,
    /// Cargo package description.
    pub description: String,
    /// Crate docs from `info.description`.
    pub docs: Vec<String>,
    /// Emit an empty `[workspace]` table so the crate builds anywhere on its own.
    pub standalone: bool,
    /// Whether any operation uploads multipart bodies.
    pub multipart: bool,
    /// Whether an operation's body, success or error type is a model (the `testing`
    /// module then names `models`).
    pub operations_use_models: bool,
    /// The compiler's recursion limit, when types hold one another more deeply than the
    /// default allows.
    pub recursion_limit: Option<u32>,
    /// Hand-written guide lines (Markdown), for the crate docs and the README.
    pub guide: Vec<String>,
    /// Hand-written example programs.
    pub examples: Vec<Example>,
}

/// A hand-written example program, `examples/<name>.rs`.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// File stem.
    pub name: String,
    /// Source.
    pub source: String,
    /// Cargo features it needs, from a `//! Required features: a, b` line of its own.
    pub features: Vec<String>,
}

/// One server URL, e.g. `https://{subdomain}.zendesk.com/sc`.
#[derive(Debug, Clone, Serialize)]
pub struct Server {
    /// Variant of `Server`.
    pub variant: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// The URL template as in the spec.
    pub url: String,
    /// `format!` string for the URL with variables as named arguments.
    pub format: String,
    /// Template variables, in order of appearance.
    pub variables: Vec<ServerVariable>,
}

/// A `{variable}` in a server URL.
#[derive(Debug, Clone, Serialize)]
pub struct ServerVariable {
    /// Field name in the `Server` variant.
    pub rust_name: String,
    /// Name inside the braces.
    pub wire_name: String,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// A named type in `models/`.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Rust type name.
    pub name: String,
    /// Module (file) name, snake case.
    pub module: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Where it comes from, e.g. `#/components/schemas/conversation`.
    pub pointer: String,
    /// Whether a request can contain it (then it implements `Validate`).
    pub in_request: bool,
    /// `use` paths the file needs, sorted.
    pub uses: Vec<String>,
    /// What kind of type.
    pub kind: ModelKind,
}

/// The shape of a model.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
pub enum ModelKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum with a catch-all variant.
    StringEnum(StringEnum),
    /// `oneOf`/`anyOf`: one variant per branch.
    Union(Union),
}

/// An object with known properties.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    /// Fields in spec order (allOf parts flattened in order).
    pub fields: Vec<Field>,
    /// All fields are optional: derive `Default`.
    pub default: bool,
    /// More than seven `new` arguments (clippy's `too_many_arguments`, allowed on `new` only).
    pub many_args: bool,
    /// Whether any field has a validation call.
    pub has_checks: bool,
    /// The discriminator this struct always sends, as a branch of a tagged union:
    /// `#[serde(tag = property, rename = value)]` (the property is no field of its own).
    pub tag: Option<StructTag>,
}

/// A discriminator property and the value a struct always sends in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructTag {
    /// JSON member name, e.g. `type`.
    pub property: String,
    /// Wire value, e.g. `text`.
    pub value: String,
    /// Both as they can appear in a doc code span.
    pub doc: String,
}

/// A property of a struct.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Field name.
    pub rust_name: String,
    /// JSON member name.
    pub wire_name: String,
    /// The JSON member name as it can appear in a doc code span.
    pub doc_name: String,
    /// Doc lines (description, constraints, flags).
    pub docs: Vec<String>,
    /// Full field type, e.g. `Option<String>`, `Nullable<String>`, `Vec<Conversation>`.
    pub ty: String,
    /// Type without the presence wrapper, e.g. `String`.
    pub inner_ty: String,
    /// `#[serde(...)]` arguments, empty when none are needed.
    pub serde: Vec<String>,
    /// How presence is modelled.
    pub presence: Presence,
    /// Setter method name; empty when the field cannot be set (`readOnly` in a request
    /// model, `writeOnly` in a response-only model).
    pub setter: String,
    /// Setter that sends `null` (tri-state fields only).
    pub clear_setter: String,
    /// Validation calls for this field.
    pub checks: Vec<Check>,
}

/// How a field's presence is modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// Always present: `T`.
    Required,
    /// May be absent (or null, in responses): `Option<T>`.
    Optional,
    /// Absent, null or a value, in requests: `Nullable<T>`.
    TriState,
}

/// One client-side validation call.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The constraint checked.
    pub rule: Rule,
    /// Function in `runtime::validate` (follows from `rule`).
    pub function: String,
    /// The value argument, an `Option<_>` expression, e.g. `self.name.as_deref()`.
    pub value: String,
    /// Remaining arguments, e.g. `Some(1), Some(100)`.
    pub args: String,
    /// Doc text of the constraint, e.g. `length 1..=100`.
    pub doc: String,
}

/// A constraint of the spec that the client checks before sending.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Rule {
    /// `minLength` / `maxLength` of a string.
    Length {
        /// Fewest characters.
        min: Option<u64>,
        /// Most characters.
        max: Option<u64>,
    },
    /// `minimum` / `maximum` of a number.
    Range {
        /// Lower bound.
        min: Option<f64>,
        /// Upper bound.
        max: Option<f64>,
        /// The lower bound itself is excluded.
        exclusive_min: bool,
        /// The upper bound itself is excluded.
        exclusive_max: bool,
    },
    /// `minItems` / `maxItems` of an array.
    Items {
        /// Fewest items.
        min: Option<u64>,
        /// Most items.
        max: Option<u64>,
    },
    /// Every item of an array of models is validated.
    Each,
    /// A nested model is validated.
    Nested,
}

impl Rule {
    /// The function of `runtime::validate` that checks this rule.
    pub fn function(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Range { .. } => "range",
            Self::Items { .. } => "items",
            Self::Each => "each",
            Self::Nested => "nested",
        }
    }
}

/// A string enum.
#[derive(Debug, Clone, Serialize)]
pub struct StringEnum {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant keeping unknown values.
    pub other: String,
}

/// A known enum value.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// Variant name.
    pub rust_name: String,
    /// Wire value.
    pub wire_name: String,
    /// The wire value as it can appear in a doc code span.
    pub doc_name: String,
}

/// `oneOf`/`anyOf`.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    /// One variant per branch, in spec order.
    pub variants: Vec<UnionVariant>,
    /// Property holding the discriminator, when there is one.
    pub tag: Option<String>,
    /// The discriminator property as it can appear in a doc code span.
    pub tag_doc: String,
    /// Catch-all variant keeping an unrecognised value as raw JSON.
    pub other: String,
    /// Some variant holds a struct: allow clippy's `large_enum_variant` on this enum
    /// (boxing every payload would make matching clumsier to save a few bytes).
    pub allow_large: bool,
    /// String fields every variant has (e.g. an event's `id`): an accessor each.
    pub common: Vec<CommonField>,
    /// Some variant is validated (so `validate` reads its location argument).
    pub validates: bool,
}

/// A string field that every variant of a union has, read by one accessor.
#[derive(Debug, Clone, Serialize)]
pub struct CommonField {
    /// Accessor method.
    pub method: String,
    /// JSON member name (read from the catch-all's JSON too).
    pub wire_name: String,
    /// The member as it can appear in a doc code span.
    pub doc_name: String,
    /// Per variant, in variant order: the field's Rust name and how it holds its value.
    pub fields: Vec<(String, Presence)>,
}

/// A branch of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// Variant name.
    pub rust_name: String,
    /// Payload type.
    pub ty: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Discriminator values selecting this branch (tagged unions).
    pub tags: Vec<String>,
    /// Whether the payload type implements `Validate`.
    pub validate: bool,
    /// The payload type without a `Box`, for `From<..>` (when `from`).
    pub from_ty: String,
    /// The payload is boxed (the union contains itself through it).
    pub boxed: bool,
    /// `From<from_ty>` is implemented (no other variant holds the same type).
    pub from: bool,
    /// Untagged unions: what JSON this branch is chosen for.
    pub shape: Option<Shape>,
    /// The `as_*` accessor returning this variant's payload.
    pub accessor: String,
}

/// The JSON a branch of an untagged union is chosen for, checked on the value's top
/// level only (so choosing is linear in the input): its kind, and for objects the
/// members it requires and the members it knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shape {
    /// Kind of JSON value.
    pub kind: JsonKind,
    /// Objects: members that must be present.
    pub required: Vec<String>,
    /// Objects: every member the branch declares (others rule it out).
    pub members: Vec<ShapeMember>,
    /// The branch is itself a union: it decides (`json::Matches`).
    pub union: Option<String>,
}

/// A member of an object [`Shape`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapeMember {
    /// JSON member name.
    pub name: String,
    /// Kind of its value.
    pub kind: JsonKind,
    /// `null` is accepted too.
    pub nullable: bool,
}

/// A kind of JSON value, as `runtime::json::Kind` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JsonKind {
    /// Any value.
    Any,
    /// `true` / `false`.
    Boolean,
    /// A number without fraction.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl std::fmt::Display for JsonKind {
    /// The variant's name, as `runtime::json::Kind` spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// One API operation: a method on `Client` plus a request builder.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId` as in the spec.
    pub operation_id: String,
    /// Method on `Client`, snake case.
    pub method_name: String,
    /// Request builder type.
    pub builder: String,
    /// The operation's marker type in the `testing` module.
    pub mock_marker: String,
    /// The operation's method on `testing::MockApi`.
    pub mock_method: String,
    /// `` `Id` (`GET /path`) `` for doc lines.
    pub doc_name: String,
    /// Module (file) name.
    pub module: String,
    /// Doc lines of the client method.
    pub docs: Vec<String>,
    /// HTTP method as a `reqwest::Method` constant, e.g. `GET`.
    pub http_method: String,
    /// Path template, e.g. `/v2/apps/{appId}`.
    pub path: String,
    /// Path pieces in order.
    pub path_parts: Vec<PathPart>,
    /// Parameters (path, query, header), positional ones first.
    pub params: Vec<Param>,
    /// Request body, if any.
    pub body: Option<RequestBody>,
    /// Success body type, `()` when there is none.
    pub response_ty: String,
    /// Whether the success response has a JSON body.
    pub response_json: bool,
    /// Whether a 2xx may come without a body (a documented bodiless 2xx, or a JSON body
    /// that is a free-form object): else an empty 2xx body is a decode error.
    pub empty_ok: bool,
    /// The `Accept` header: the media types of the documented responses.
    pub accept: String,
    /// The operation documents a 3xx response: it is returned, not followed.
    pub redirects: bool,
    /// The documented success status (the first 2xx), e.g. `201`.
    pub success_status: u16,
    /// The spec's example of the success body, as compact JSON (mock servers answer
    /// with it).
    pub success_example: Option<String>,
    /// Error body type.
    pub error_ty: String,
    /// Cursor pagination, when the operation supports it.
    pub pagination: Option<Pagination>,
    /// Whether any parameter goes into the query string.
    pub has_query: bool,
    /// More than seven positional arguments (clippy's `too_many_arguments`, allowed there only).
    pub many_args: bool,
    /// `use` paths the file needs, sorted.
    pub uses: Vec<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, Serialize)]
pub struct PathPart {
    /// Literal text (empty for parameters).
    pub literal: String,
    /// Builder field holding the parameter (empty for literals).
    pub param_field: String,
    /// Parameter wire name.
    pub param_wire: String,
    /// Whether the field is a `String` (else it is formatted with `to_string`).
    pub is_string: bool,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Location {
    /// A path segment.
    Path,
    /// A query parameter, `form` style, exploded.
    Query,
    /// A query parameter, `deepObject` style.
    DeepObject,
    /// An HTTP header.
    Header,
}

/// A path, query or header parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Builder field and argument/setter name.
    pub rust_name: String,
    /// Wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: Location,
    /// Required parameters are positional arguments.
    pub required: bool,
    /// Value type, e.g. `String`, `models::Page`.
    pub ty: String,
    /// Builder field type: `ty` or `Option<ty>`.
    pub field_ty: String,
    /// Argument type, e.g. `impl Into<String>`.
    pub arg_ty: String,
    /// Whether the value is a list (exploded `name=a&name=b`).
    pub is_list: bool,
    /// Whether the value is a `String` (path segments take `&str` directly).
    pub is_string: bool,
    /// Whether the value type implements `Validate`.
    pub validate: bool,
    /// The model the value is, when it is one (e.g. `Page`).
    pub model: Option<String>,
    /// Validation calls on the value.
    pub checks: Vec<Check>,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// Body type.
    pub ty: String,
    /// Required bodies are the last positional argument; optional ones have a setter.
    pub required: bool,
    /// `Json` or `Multipart`.
    pub encoding: BodyEncoding,
    /// Whether the body type implements `Validate`.
    pub validate: bool,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Multipart bodies (`ty` is then unused): required form fields, positional arguments.
    pub required_parts: Vec<FormPart>,
    /// Multipart bodies: optional form fields, setters.
    pub optional_parts: Vec<FormPart>,
}

/// A field of a `multipart/form-data` body.
#[derive(Debug, Clone, Serialize)]
pub struct FormPart {
    /// Builder field and argument/setter name.
    pub rust_name: String,
    /// Form field name.
    pub wire_name: String,
    /// Value type: `FileUpload` for files, else a scalar.
    pub ty: String,
    /// Builder field type: `ty` or `Option<ty>`.
    pub field_ty: String,
    /// Argument type of the method or setter.
    pub arg_ty: String,
    /// A file (`format: binary`), else a text field.
    pub file: bool,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `multipart/form-data`.
    Multipart,
}

/// Cursor pagination of a list operation, from the `x-pagination` extension or, for
/// specs without it, guessed (`page[after]`, `meta.hasMore`, `meta.afterCursor`).
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Which way the cursor walks.
    pub direction: Direction,
    /// The cursor parameter as sent, e.g. `page[before]`, for docs.
    pub cursor_param: String,
    /// The response member holding the next cursor, e.g. `meta.beforeCursor`, for docs.
    pub next_cursor_field: String,
    /// Item type, e.g. `models::Conversation`.
    pub item_ty: String,
    /// Statements that point `request` at the page of `cursor`.
    pub set_cursor: String,
    /// Expression taking the items out of `page` (the decoded response body).
    pub items: String,
    /// Expression borrowing the items of `page` (a reference to the body) as a slice.
    pub items_ref: String,
    /// Expression giving the next cursor (`Option<String>`) from `page`.
    pub next_cursor: String,
}

/// Which way a cursor walks a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// Oldest first; the cursor points after the last item.
    Forward,
    /// Newest page first; the cursor points before the first item.
    Backward,
}
