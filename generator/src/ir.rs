//! The intermediate representation: what the API is, decided once.
//!
//! `normalise` builds it from the spec; `render` prints Rust from it; `diff` compares
//! two of them; the tests and xtask read it. It holds no Rust source: names
//! (identifiers chosen once, unique where they must be), types as [`Ty`] with models by
//! name, parameters by location, media types, security schemes, flags, docs as prose
//! lines, and wire literals. Every list is sorted or in spec order, never in hash
//! order, so output is deterministic.

use serde::Serialize;

/// The whole API, as one client crate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// Crate metadata and crate-level docs.
    pub krate: Krate,
    /// Servers, as variants of the generated `Server` enum.
    pub servers: Vec<Server>,
    /// Security schemes (`components/securitySchemes`), in name order.
    pub security: Vec<SecurityScheme>,
    /// Models, sorted by name.
    pub models: Vec<Model>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// The groups operations are listed in, in the spec's order: its `tags`, then any
    /// tag only operations name, then `Other` for operations without one.
    pub tags: Vec<Tag>,
    /// Webhooks (`webhooks`, `x-webhooks`): the requests the API sends to its users,
    /// sorted by function name.
    pub webhooks: Vec<Webhook>,
    /// Handles binding a leading path parameter (`client.app(app_id)`).
    pub scopes: Vec<Scope>,
    /// The error body most operations document, used for the errors of operations
    /// that document none (so one error type serves every call).
    pub default_error: Option<Ty>,
    /// The compiler's recursion limit the crate needs, when its models hold one another
    /// more deeply than the default (128) allows.
    pub recursion_limit: Option<usize>,
    /// The header webhook keys come in (`webhooks::API_KEY_HEADER`): the one every
    /// webhook names, else the first webhook's (the others get their own, see
    /// [`Webhook::own_header`]), else Sunshine Conversations' `X-API-Key`.
    pub key_header: String,
    /// Operations the spec describes that the crate cannot express, left out (not
    /// [`crate::Options::strict`]), in path order; callers reach them with
    /// `Client::send_raw`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
}

/// An operation left out of the crate, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// Its `operationId` (or `method path` when it has none).
    pub operation_id: String,
    /// Its method.
    pub method: Method,
    /// Its path template, as written.
    pub path: String,
    /// Why, as plain text (one finding, or several joined by `; `).
    pub reason: String,
}

impl Api {
    /// The type an operation's API errors decode into: its own documented error body,
    /// else the API's usual one ([`Api::default_error`]).
    pub fn error_body<'a>(&'a self, op: &'a Operation) -> Option<&'a Ty> {
        op.error.as_ref().or(self.default_error.as_ref())
    }

    /// The model named `name`.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.binary_search_by(|m| m.name.as_str().cmp(name)).ok().map(|i| &self.models[i])
    }

    /// The group (tag) an operation is listed under.
    pub fn group(&self, op: &Operation) -> Option<&Tag> {
        self.tags.iter().find(|t| t.name == op.group)
    }

    /// The operations listed under a group, in operation order.
    pub fn operations_of<'a>(&'a self, tag: &'a Tag) -> impl Iterator<Item = &'a Operation> + 'a {
        self.operations.iter().filter(move |o| o.group == tag.name)
    }

    /// Whether a value of this type has a `validate` of its own: a struct or a union
    /// model (whose `validate` walks its content), not a string enum, not a primitive.
    pub fn validates(&self, ty: &Ty) -> bool {
        ty.model().and_then(|m| self.model(m)).is_some_and(|m| !matches!(m.kind, ModelKind::StringEnum(_)))
    }

    /// Some operation is paginated (the crate re-exports its streams).
    pub fn paginated(&self) -> bool {
        self.operations.iter().any(|o| o.pagination.is_some())
    }

    /// The JWT minting of the scheme that mints tokens, if any (the crate then has
    /// `JwtScope`): the first such scheme some operation accepts.
    pub fn jwt(&self) -> Option<&JwtMinting> {
        self.security.iter().filter(|s| !s.methods.is_empty()).find_map(|s| match &s.kind {
            SchemeKind::Bearer { jwt: Some(jwt), .. } => Some(jwt),
            _ => None,
        })
    }

    /// Some operation's test double (`testing`) names a model: its JSON body, its
    /// success body or its error body is or holds one.
    pub fn mocks_name_models(&self) -> bool {
        self.operations.iter().any(|op| {
            let body = match op.body.as_ref().map(|b| &b.content) {
                Some(BodyContent::Json(ty)) => Some(ty),
                _ => None,
            };
            body.into_iter().chain(&op.success.ty).chain(self.error_body(op)).any(|t| !t.models().is_empty())
        })
    }

    /// Some server's URL has variables.
    pub fn server_variables(&self) -> bool {
        self.servers.iter().any(|s| s.parts.iter().any(|p| matches!(p, UrlPart::Variable(_))))
    }
}

/// A handle offering the operations whose paths start with `prefix` with its
/// parameter bound: `client.<method>(value)` returns a `<handle>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The `Client` method returning the handle, e.g. `app`.
    pub method: String,
    /// The handle type, e.g. `AppClient`.
    pub handle: String,
    /// The bound path parameter, e.g. `appId`.
    pub param: String,
    /// Its Rust name in the operations, e.g. `app_id`.
    pub param_rust: String,
    /// The path prefix, e.g. `/v2/apps/{appId}`.
    pub prefix: String,
    /// The operations it offers (method names), in operation order.
    pub operations: Vec<String>,
}

/// A group of operations (a tag).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag {
    /// The tag's name.
    pub name: String,
    /// The module (file) listing its operations' `Client` methods.
    pub module: String,
    /// Doc lines, from its `description`.
    pub docs: Vec<String>,
}

/// Crate metadata: what the generator was asked for, and what the spec's `info` says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Krate {
    /// Package name, e.g. `sunshine-conversations`.
    pub package: String,
    /// Library name, e.g. `sunshine_conversations`.
    pub lib: String,
    /// The spec's path as shown in every preamble, then its overlays' (`spec.yaml + overlay.yaml`).
    pub spec_file: String,
    /// The command that generated the crate, as shown in every preamble.
    pub command: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub api_version: String,
    /// `info.summary` (OpenAPI 3.1), else the title.
    pub summary: String,
    /// The Cargo package description, plain text.
    pub description: String,
    /// The Cargo package keywords.
    pub keywords: Vec<String>,
    /// Crate docs, from `info.description`.
    pub docs: Vec<String>,
    /// Emit an empty `[workspace]` table so the crate builds anywhere on its own.
    pub standalone: bool,
    /// Hand-written guide lines (Markdown), for the crate docs and the README.
    pub guide: Vec<String>,
    /// Hand-written example programs.
    pub examples: Vec<Example>,
    /// The crate's version (semver), set by the release step.
    pub version: String,
    /// The `repository` URL of the manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// The `documentation` URL of the manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// The changelog (Markdown), newest release first, as the release step wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changelog: Option<String>,
    /// The prefix of the environment variables `Client::from_env` reads, e.g.
    /// `SUNSHINE_CONVERSATIONS` for `SUNSHINE_CONVERSATIONS_BASE_URL`.
    pub env_prefix: String,
}

/// A hand-written example program, `examples/<name>.rs`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// File stem.
    pub name: String,
    /// Source.
    pub source: String,
    /// Cargo features it needs, from a `//! Required features: a, b` line of its own.
    pub features: Vec<String>,
}

/// One server URL, e.g. `https://{subdomain}.zendesk.com/sc`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server {
    /// Variant of `Server`.
    pub variant: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// The URL template as in the spec.
    pub url: String,
    /// The template's pieces, in order.
    pub parts: Vec<UrlPart>,
}

/// A piece of a server URL template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum UrlPart {
    /// Literal text.
    Literal(String),
    /// A `{variable}`.
    Variable(ServerVariable),
}

/// A `{variable}` in a server URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerVariable {
    /// Field name in the `Server` variant.
    pub rust_name: String,
    /// Name inside the braces.
    pub wire_name: String,
    /// The environment variable `Client::from_env` reads it from (after the prefix),
    /// e.g. `SUBDOMAIN`.
    pub env: String,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// A security scheme, from `components/securitySchemes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityScheme {
    /// Its name in `components/securitySchemes`.
    pub name: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// What it is.
    pub kind: SchemeKind,
    /// The `ClientBuilder` (and `CallOptions`) methods setting its credentials; none
    /// when no operation accepts the scheme (e.g. one only webhooks use).
    pub methods: Vec<AuthMethod>,
}

/// A method setting a scheme's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthMethod {
    /// The method, e.g. `basic_auth`, `jwt_auth`.
    pub name: String,
    /// What it takes and sends.
    pub kind: AuthKind,
    /// The environment variables `Client::from_env` reads its arguments from (after
    /// the prefix), in argument order; empty when it is not configured from the
    /// environment (a minted JWT also needs its scope; a second method taking the same
    /// variables).
    pub env: Vec<String>,
}

/// What an auth method takes and sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthKind {
    /// A user name and a password: `Authorization: Basic`.
    Basic,
    /// A ready-made token: `Authorization: Bearer`.
    Bearer,
    /// A key id, a secret and a scope: a JWT the client mints, sent as a bearer token.
    Jwt,
    /// A key, sent where the `apiKey` scheme says.
    ApiKey,
}

/// The kind of a security scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SchemeKind {
    /// HTTP Basic: a key id and its secret.
    Basic,
    /// HTTP Bearer: a token, or (`jwt`) a JWT the client signs itself.
    Bearer {
        /// `bearerFormat`, e.g. `JWT`.
        format: Option<String>,
        /// How the client mints the token, from `x-jwt` (or the guess for specs without it).
        jwt: Option<JwtMinting>,
    },
    /// A key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// Another kind (OAuth 2, OpenID Connect, mutual TLS): documented, and the caller
    /// supplies the `Authorization` header itself.
    Other {
        /// The scheme's `type`.
        kind: String,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyLocation {
    /// An HTTP header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A JWT the client signs with a shared secret (HS256): header `{"alg","typ","kid"}`,
/// claims `{<claim>: <scope>}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JwtMinting {
    /// The claim naming the token's scope, e.g. `scope`.
    pub claim: String,
    /// Its values, e.g. `app` and `account`, with their variant names.
    pub scopes: Vec<EnumVariant>,
}

/// A named type in `models/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// Rust type name (unique: models are referred to by it).
    pub name: String,
    /// Module (file) name, snake case.
    pub module: String,
    /// Doc lines.
    pub docs: Vec<String>,
    /// The JSON pointer of its schema, e.g. `/components/schemas/conversation`.
    pub source: String,
    /// Requests can contain it: it is validated before sending.
    pub in_request: bool,
    /// Responses or webhook payloads can contain it.
    pub in_response: bool,
    /// The schema is `deprecated`.
    pub deprecated: bool,
    /// API errors decode into it: where its messages are (`Display` of an API error
    /// prints them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_text: Option<ErrorText>,
    /// What kind of type.
    pub kind: ModelKind,
}

/// Where an error body's messages are: a list of objects (`errors`), or the body itself
/// as one message; each message's code and text members (strings), found by their wire
/// names (`code`, `type`, `error`; `title`, `message`, `detail`, `description`,
/// `error_description`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorText {
    /// The field holding the messages, when the body holds a list of them.
    pub list: Option<Step>,
    /// The member holding a message's code.
    pub code: Option<Step>,
    /// The member holding a message's text.
    pub text: Option<Step>,
}

/// The shape of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    /// Fields in spec order (allOf parts flattened in order).
    pub fields: Vec<Field>,
    /// The discriminator this struct always sends, as a branch of a tagged union (the
    /// property is then no field of its own).
    pub tag: Option<StructTag>,
    /// Models the API sends (responses, webhooks): the field keeping the members the
    /// description does not declare, written back on encode (read-modify-write loses
    /// nothing). Models only users build stay strict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
    /// Constructors saying intent: one per value of the struct's single required enum
    /// field (`Author::business()` for `Author::new(AuthorType::Business)`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constructors: Vec<Constructor>,
    /// Request models only: the models the API sends that hold every member this one
    /// has, with the same wire names and types, so a value read can be turned into this
    /// body (read, change, send back: `From<&Source>`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conversions: Vec<Conversion>,
}

/// A conversion into a request model from a model the API sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// The model converted from.
    pub from: String,
    /// Each field of the request model, in field order: the source field it takes its
    /// value from, and how.
    pub fields: Vec<Carry>,
}

/// A field of a conversion: what it takes from the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Carry {
    /// The field set (Rust name).
    pub target: String,
    /// The source field read (Rust name).
    pub source: String,
    /// The source's presence, then the target's (`Required` → `Optional`: `Some`;
    /// `Optional` → `TriState`: absent stays absent, never `null`).
    pub presence: (Presence, Presence),
}

/// A constructor setting the struct's required enum field to one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constructor {
    /// Method name.
    pub method: String,
    /// The enum field (Rust name).
    pub field: String,
    /// The enum model.
    pub ty: String,
    /// The enum's variant (Rust name).
    pub variant: String,
    /// Its wire value.
    pub value: String,
}

/// A discriminator property and the value a struct always sends in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructTag {
    /// JSON member name, e.g. `type`.
    pub property: String,
    /// Wire value, e.g. `text`.
    pub value: String,
}

/// A property of a struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Field name.
    pub rust_name: String,
    /// JSON member name.
    pub wire_name: String,
    /// Doc lines, from the spec.
    pub docs: Vec<String>,
    /// Value type.
    pub ty: Ty,
    /// The spec lists it in `required`.
    pub required: bool,
    /// How presence is modelled.
    pub presence: Presence,
    /// The value is held behind a pointer (the models contain each other).
    pub indirect: bool,
    /// `readOnly`: set by the server, never sent.
    pub read_only: bool,
    /// `writeOnly`: sent, never returned.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Constraints checked before sending.
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Setter method; `None` when the field cannot be set (`readOnly` in a request
    /// model, `writeOnly` in a response-only model).
    pub setter: Option<String>,
    /// Setter that sends `null` (tri-state fields only).
    pub clear_setter: Option<String>,
    /// An array of unions in a webhook payload: each element decodes on its own.
    pub each_on_its_own: bool,
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

/// A type where it is used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Ty {
    /// A string.
    String,
    /// An integer of a width and signedness (from its `format`, narrowed to what its
    /// bounds allow).
    Integer(IntTy),
    /// A number (64-bit float).
    Number,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value.
    Any,
    /// A free-form JSON object.
    Object,
    /// A model, by name.
    Model(String),
    /// An array.
    List(Box<Ty>),
    /// An object whose members all have this type.
    Map(Box<Ty>),
    /// A file (`format: binary` in a multipart body).
    File,
}

impl Ty {
    /// Renames the models it names, by `renames` (old name → new).
    pub fn rename_models(&mut self, renames: &std::collections::BTreeMap<String, String>) {
        match self {
            Ty::Model(name) => {
                if let Some(to) = renames.get(name) {
                    *name = to.clone();
                }
            }
            Ty::List(item) | Ty::Map(item) => item.rename_models(renames),
            _ => {}
        }
    }

    /// The model held directly (not inside an array or map), if any.
    pub fn model(&self) -> Option<&str> {
        match self {
            Ty::Model(name) => Some(name),
            _ => None,
        }
    }

    /// Every model named anywhere inside.
    pub fn models(&self) -> Vec<&str> {
        match self {
            Ty::Model(name) => vec![name.as_str()],
            Ty::List(inner) | Ty::Map(inner) => inner.models(),
            _ => Vec::new(),
        }
    }
}

/// The kinds of integer: the width and signedness a value needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum IntTy {
    /// 8 bits, signed.
    I8,
    /// 16 bits, signed.
    I16,
    /// 32 bits, signed.
    I32,
    /// 64 bits, signed (an integer without `format` or bounds).
    I64,
    /// 8 bits, unsigned.
    U8,
    /// 16 bits, unsigned.
    U16,
    /// 32 bits, unsigned.
    U32,
    /// 64 bits, unsigned.
    U64,
}

impl IntTy {
    /// The smallest and largest value it holds.
    pub fn range(self) -> (i128, i128) {
        match self {
            IntTy::I8 => (i8::MIN.into(), i8::MAX.into()),
            IntTy::I16 => (i16::MIN.into(), i16::MAX.into()),
            IntTy::I32 => (i32::MIN.into(), i32::MAX.into()),
            IntTy::I64 => (i64::MIN.into(), i64::MAX.into()),
            IntTy::U8 => (0, u8::MAX.into()),
            IntTy::U16 => (0, u16::MAX.into()),
            IntTy::U32 => (0, u32::MAX.into()),
            IntTy::U64 => (0, u64::MAX.into()),
        }
    }
}

/// Constraints of a value, from the schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    /// Fewest characters of a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Most characters of a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Lower bound of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Upper bound of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// Integers: the lower bound, inclusive and exact (an exclusive bound moved inward).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_integer: Option<i128>,
    /// Integers: the upper bound, inclusive and exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_integer: Option<i128>,
    /// The lower bound itself is excluded.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    /// The upper bound itself is excluded.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    /// Fewest items of an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Most items of an array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// `pattern` of a string (documented, not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Constraints {
    /// Whether any bound is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StringEnum {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant keeping unknown values.
    pub other: String,
}

/// A known enum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumVariant {
    /// Variant name.
    pub rust_name: String,
    /// Wire value.
    pub wire_name: String,
}

/// `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Union {
    /// One variant per branch, in spec order.
    pub variants: Vec<UnionVariant>,
    /// Property holding the discriminator, when there is one.
    pub tag: Option<String>,
    /// Catch-all variant keeping an unrecognised value as raw JSON.
    pub other: String,
    /// Values several variants hold at the same place (an event's `id`, the
    /// `conversation` in its `payload`): an accessor each.
    pub shared: Vec<SharedField>,
    /// Every branch is a string, integer, number, boolean or string enum (`NameOrId`,
    /// `oneOf: [integer, string]`): the union is written as text (`Display`) and can be
    /// a path, query or header parameter.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub scalar: bool,
}

/// A string or model that several variants of a union hold at the same place (a
/// member of the variant, or a member of one of its struct members), read by one
/// accessor returning it for those variants and nothing for the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedField {
    /// Accessor method.
    pub method: String,
    /// JSON member names from a variant to the value, e.g. `["payload", "conversation"]`
    /// (a string is read from the catch-all's JSON too).
    pub wire_path: Vec<String>,
    /// The value's type: `String` or a model.
    pub ty: Ty,
    /// Per variant, in variant order: the fields on the way, or `None` when the variant
    /// does not hold the value.
    pub steps: Vec<Option<Vec<Step>>>,
}

/// A field on a path through models (to a union's shared value, to a page's cursor),
/// and how its struct holds it: the one description of reaching a value through
/// fields, read by every accessor and list walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The field's Rust name.
    pub rust_name: String,
    /// Its JSON member name.
    pub wire_name: String,
    /// How the struct holds it.
    pub presence: Presence,
    /// Behind a pointer (`Box`).
    pub indirect: bool,
}

impl Step {
    /// The step through a struct's field.
    pub fn of(field: &Field) -> Self {
        Self {
            rust_name: field.rust_name.clone(),
            wire_name: field.wire_name.clone(),
            presence: field.presence,
            indirect: field.indirect,
        }
    }
}

/// A branch of a union.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// Variant name.
    pub rust_name: String,
    /// Payload type.
    pub ty: Ty,
    /// The payload is held behind a pointer (structs and unions are, so the union
    /// stays small and may contain itself).
    pub indirect: bool,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Discriminator values selecting this branch (tagged unions).
    pub tags: Vec<String>,
    /// `From<payload>` is implemented (no other variant holds the same type).
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
    /// The branch is itself a union (by name): it decides.
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

/// A kind of JSON value.
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

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// The method as sent, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// The method for a path item's key, e.g. `get`.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One API operation: a method on `Client` plus a request builder.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Module (file) name.
    pub module: String,
    /// `summary`, one line.
    pub summary: Option<String>,
    /// `description` lines.
    pub description: Vec<String>,
    /// `tags`, in spec order.
    pub tags: Vec<String>,
    /// The group it is listed under (a [`Tag`]'s name): its first tag, else `Other`.
    pub group: String,
    /// `deprecated`.
    pub deprecated: bool,
    /// HTTP method.
    pub method: Method,
    /// The runtime retries the call after a `502`-`504`, a timeout or a transport error
    /// (its method is in the runtime's table of idempotent methods); `429` is retried
    /// for every call.
    pub idempotent: bool,
    /// Path template, e.g. `/v2/apps/{appId}`.
    pub path: String,
    /// The path template's pieces, in order.
    pub path_parts: Vec<PathPart>,
    /// Parameters (path, query, header), positional (required) ones first, each group
    /// in spec order.
    pub params: Vec<Param>,
    /// Request body, if any.
    pub body: Option<RequestBody>,
    /// Every documented response, in status order.
    pub responses: Vec<ResponseCase>,
    /// What a successful call returns.
    pub success: Success,
    /// The error body type (`None`: no schema all error responses share; raw JSON).
    pub error: Option<Ty>,
    /// The `Accept` header's media types: those the documented responses have.
    pub accept: Vec<String>,
    /// Security requirements: alternatives, each the schemes it needs together
    /// (none: no credentials needed).
    pub security: Vec<Vec<SecurityRequirement>>,
    /// Cursor pagination, when the operation supports it.
    pub pagination: Option<Pagination>,
    /// The request example of the spec, compact JSON (for the docs' example).
    pub request_example: Option<String>,
}

/// A security scheme an operation accepts, and its scopes (for Sunshine Conversations,
/// the kinds of API key: `app`, `account`, `integration`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityRequirement {
    /// The scheme's name in `components/securitySchemes`.
    pub scheme: String,
    /// Its scopes, in spec order.
    pub scopes: Vec<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// A path parameter, by its Rust name.
    Param(String),
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Builder field and argument/setter name.
    pub rust_name: String,
    /// Wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: Location,
    /// Value type.
    pub ty: Ty,
    /// Required parameters are positional arguments.
    pub required: bool,
    /// `deprecated`.
    pub deprecated: bool,
    /// Constraints checked before sending.
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// Doc lines, from the spec.
    pub docs: Vec<String>,
    /// The spec's example value, compact JSON.
    pub example: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    /// The media type sent, e.g. `application/json`, `multipart/form-data`.
    pub media_type: String,
    /// Required bodies are the last positional argument; optional ones have a setter.
    pub required: bool,
    /// Doc lines.
    pub docs: Vec<String>,
    /// What it holds.
    pub content: BodyContent,
}

/// What a request body holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BodyContent {
    /// JSON of a type.
    Json(Ty),
    /// `application/x-www-form-urlencoded`: an object's members as `name=value` pairs
    /// (arrays repeat the name, nested objects are `name[member]`).
    Form(Ty),
    /// A body sent as it is given: a string (`text/*`) or bytes (any other media type,
    /// e.g. `application/octet-stream`).
    Raw {
        /// A `text/*` body: a string.
        text: bool,
    },
    /// `multipart/form-data` fields (files and scalars), as arguments and setters.
    Multipart(Vec<FormPart>),
}

impl BodyContent {
    /// The type of the value a JSON or form body holds (none for raw and multipart
    /// bodies).
    pub fn value_ty(&self) -> Option<&Ty> {
        match self {
            BodyContent::Json(ty) | BodyContent::Form(ty) => Some(ty),
            BodyContent::Raw { .. } | BodyContent::Multipart(_) => None,
        }
    }

    /// Every type the body names: its value's, or its form fields'.
    pub fn types(&self) -> Vec<&Ty> {
        match self {
            BodyContent::Json(ty) | BodyContent::Form(ty) => vec![ty],
            BodyContent::Raw { .. } => Vec::new(),
            BodyContent::Multipart(parts) => parts.iter().map(|p| &p.ty).collect(),
        }
    }
}

/// A field of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormPart {
    /// Builder field and argument/setter name.
    pub rust_name: String,
    /// Form field name.
    pub wire_name: String,
    /// `File`, or a scalar (a string enum too).
    pub ty: Ty,
    /// Required parts are positional arguments.
    pub required: bool,
    /// Doc lines.
    pub docs: Vec<String>,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseCase {
    /// Which statuses.
    pub status: Status,
    /// Doc lines (its `description`).
    pub docs: Vec<String>,
    /// Its media types.
    pub media_types: Vec<String>,
    /// Its JSON body's type, when it has one.
    pub ty: Option<Ty>,
}

/// The statuses a response documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Status {
    /// One status, e.g. 201.
    Code(u16),
    /// A class, e.g. `4XX` (the digit).
    Class(u8),
    /// `default`: every status not documented otherwise.
    Default,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Success {
    /// The documented success status (the first 2xx).
    pub status: u16,
    /// The JSON body's type (`None`: no JSON body).
    pub ty: Option<Ty>,
    /// A body that is not JSON, returned as it comes: its media type, read as text
    /// (`text/*`) or as bytes (anything else). `None` for a JSON body or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawBody>,
    /// A 2xx may come without a body (a documented bodiless 2xx, or a body that is a
    /// free-form object): else an empty 2xx body is a decode error.
    pub empty_ok: bool,
    /// The operation documents a 3xx response: it is returned, not followed.
    pub redirects: bool,
    /// The spec's example of the success body, compact JSON (mocks answer with it).
    pub example: Option<String>,
}

/// A success body that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RawBody {
    /// Its media type, e.g. `text/csv`, `application/octet-stream`.
    pub media_type: String,
    /// `text/*`: returned as a `String` (UTF-8); else as bytes.
    pub text: bool,
}

/// Cursor pagination of a list operation, from the `x-pagination` extension or, for
/// specs without it, guessed (`page[after]`, `meta.hasMore`, `meta.afterCursor`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// Which way the cursor walks.
    pub direction: Direction,
    /// The parameter carrying the cursor (its Rust name).
    pub param: String,
    /// The member of that (deepObject) parameter's model carrying the cursor; `None`
    /// when the parameter is the cursor itself.
    pub member: Option<Step>,
    /// Members of the parameter's model a cursor replaces (the other direction's).
    pub clears: Vec<Step>,
    /// The cursor as sent, e.g. `page[before]`.
    pub cursor_wire: String,
    /// Where the response gives the next cursor.
    pub next_cursor: Vec<Step>,
    /// Where the response says whether more pages exist.
    pub has_more: Option<Vec<Step>>,
    /// The response member holding the items.
    pub items: Step,
    /// One item's type.
    pub item: Ty,
}

/// Which way a cursor walks a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// Oldest first; the cursor points after the last item.
    Forward,
    /// Newest page first (each page in order); the cursor points before the first item.
    Backward,
}

/// A webhook: a request the API sends, whose body the receiver verifies and decodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// The webhook's name in the spec, e.g. `Webhook Event`.
    pub name: String,
    /// `operationId`, else the name.
    pub operation_id: String,
    /// The decoding function, e.g. `parse`.
    pub function: String,
    /// HTTP method the API uses.
    pub method: Method,
    /// Doc lines.
    pub docs: Vec<String>,
    /// Payload type.
    pub payload: Ty,
    /// The header carrying the webhook's shared key.
    pub key_header: String,
    /// When the key header is not the crate's ([`Api::key_header`]): the names of the
    /// constant and the `Verifier` constructor for this webhook's header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_header: Option<OwnHeader>,
    /// The spec's examples of the payload, for test fixtures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<WebhookExample>,
}

/// The names giving a webhook whose key comes in another header than the crate's its
/// own verifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnHeader {
    /// The constant naming the header, e.g. `ORDERS_KEY_HEADER`.
    pub constant: String,
    /// The `Verifier` constructor checking it, e.g. `for_orders`.
    pub constructor: String,
}

/// An example payload of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookExample {
    /// Its name in the spec, e.g. `conversation:message`.
    pub name: String,
    /// The fixture function returning it (`testing::events::<function>()`).
    pub function: String,
    /// The fixture function returning it with changes.
    pub function_with: String,
    /// The payload, as compact JSON.
    pub json: String,
}
