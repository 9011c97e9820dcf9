//! Structural comparison of our OpenAPI description (`spec/`) with the
//! upstream Sunshine Conversations document.
//!
//! The operations compared are those of our file and every upstream one under
//! [`SCOPE`], and all webhooks (`webhooks` in OpenAPI 3.1, `x-webhooks` before it);
//! an operation or webhook missing on either side is a difference. `$ref`s are followed
//! on both sides (each pair of referenced nodes is compared once, which also
//! stops reference cycles) and every difference is reported with a JSON
//! pointer into *our* file. Prose and samples (`description`, `summary`,
//! `example`, `examples`, `externalDocs`) and `x-*` extensions other than
//! `x-webhooks` are ignored.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use generator::openapi::{METHODS, join};
use serde_json::Value;

/// One structural difference between our file and the upstream document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// JSON pointer into our file (where the node is, or would be).
    pub pointer: String,
    /// Human-readable account of the difference.
    pub what: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.what)
    }
}

/// Outcome of [`compare`].
#[derive(Debug, Default)]
pub struct Comparison {
    /// Differences not covered by [`EXPLAINED`]; empty means faithful.
    pub unexplained: Vec<Difference>,
    /// Differences covered by [`EXPLAINED`], with the reason.
    pub explained: Vec<(Difference, &'static str)>,
}

/// Accepted differences: a pointer (exact, or a prefix ending at a `/`
/// boundary) and why the difference is fine.
pub const EXPLAINED: &[(&str, &str)] = &[
    (
        "/components/securitySchemes/webhookKey",
        "upstream says in prose that deliveries carry the webhook's secret in `X-API-Key`; ours \
         states it as an `apiKey` header scheme, so the generated verifier reads the header from the spec",
    ),
    (
        "/x-webhooks/Webhook Event/post/security",
        "ours names the `webhookKey` scheme on the webhook (see `/components/securitySchemes/webhookKey`)",
    ),
    (
        "/servers/0/variables",
        "upstream templates `{subdomain}` in the server URL without declaring it; \
         OpenAPI 3.0 requires a `variables` entry, so ours adds one",
    ),
    ("/components/schemas/conversionEventsBody/oneOf/0/required", CONVERSION_EVENTS_ONE_OF),
    ("/components/schemas/conversionEventsBody/oneOf/1/required", CONVERSION_EVENTS_ONE_OF),
    ("/components/schemas/conversionEventsBody/oneOf/2/required", CONVERSION_EVENTS_ONE_OF),
    ("/components/schemas/participantLeaveBody/oneOf/0/required", PARTICIPANT_LEAVE_ONE_OF),
    ("/components/schemas/participantLeaveBody/oneOf/1/required", PARTICIPANT_LEAVE_ONE_OF),
    ("/components/schemas/participantLeaveBody/oneOf/2/required", PARTICIPANT_LEAVE_ONE_OF),
    (
        "/x-webhooks/Webhook Event/post/requestBody/content/application~1json/schema/title",
        "a title of ours, naming the payload type (`WebhookPayload`); titles of inline schemas \
         only name the generated types",
    ),
    (
        "/x-webhooks/Webhook Event/post/requestBody/content/application~1json/schema/properties/events/items/title",
        "a title of ours, naming the event enum (`Event`); titles of inline schemas only name the \
         generated types",
    ),
    (
        "/x-webhooks/Webhook Event/post/requestBody/content/application~1json/schema/properties/events/items/discriminator",
        "upstream's `anyOf` of the 25 event schemas has no discriminator, although each event's \
         `type` is the `title` of its schema; ours states `type` as the discriminator, with the \
         mapping from each title to its schema, so a generator can tell the events apart",
    ),
];

/// Why our `conversionEventsBody` branches require their channel property.
const CONVERSION_EVENTS_ONE_OF: &str = "upstream's branches (messenger / instagram / whatsapp) have only \
     optional properties, so every body matches all three and `oneOf` (exactly one) rejects every \
     body in a strict validator (Prism: 422); each branch requires its channel, as the API means";

/// Why our `participantLeaveBody` branches require their identifier.
const PARTICIPANT_LEAVE_ONE_OF: &str = "upstream's branches (userId / userExternalId / participantId) have \
     only optional properties, so every body matches all three and `oneOf` (exactly one) rejects every \
     body in a strict validator (Prism: 422); each branch requires its identifier, as the API means";

/// Upstream paths that our file must describe in full: this one and those below it.
pub const SCOPE: &str = "/v2/apps/{appId}/conversations";

fn in_scope(path: &str) -> bool {
    path.strip_prefix(SCOPE).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Compares our spec with the upstream document, restricted to the operations in `ours`
/// and the upstream ones in [`SCOPE`].
/// Returns unexplained differences (empty = faithful) and the explained ones separately.
pub fn compare(ours_text: &str, upstream_text: &str) -> Result<Comparison, String> {
    let up: Value = serde_yaml::from_str(upstream_text).map_err(|e| format!("cannot parse the upstream spec: {e}"))?;
    compare_with(ours_text, &up)
}

/// [`compare`] with the upstream document already parsed (e.g. overlaid:
/// `generator::overlaid`).
pub fn compare_with(ours_text: &str, up: &Value) -> Result<Comparison, String> {
    let ours: Value = serde_yaml::from_str(ours_text).map_err(|e| format!("cannot parse our spec: {e}"))?;
    let mut cx = Cx { ours: &ours, up, diffs: Vec::new(), seen: HashSet::new() };
    cx.document()?;

    let mut out = Comparison::default();
    // Never explained: a branch no discriminator value reaches is an event (or content
    // type) that real deliveries put in the catch-all.
    let theirs = serde_json::to_string(up).map_err(|e| format!("the upstream document: {e}"))?;
    out.unexplained.extend(unreached(ours_text, "spec/"));
    out.unexplained.extend(unreached(&theirs, "upstream"));
    let mut reported = HashSet::new();
    for d in cx.diffs {
        if !reported.insert((d.pointer.clone(), d.what.clone())) {
            continue;
        }
        match explanation(&d.pointer) {
            Some(reason) => out.explained.push((d, reason)),
            None => out.unexplained.push(d),
        }
    }
    Ok(out)
}

/// The union branches of `text` that no value of their discriminator's mapping reaches
/// (the generator's warning, after overlays when `text` is overlaid): each decodes only
/// with its schema's name as the tag, so a value the mapping forgot goes to the
/// catch-all. A document the generator refuses has none to report here (generating it
/// reports why).
fn unreached(text: &str, side: &str) -> Vec<Difference> {
    let options = generator::Options::new("spec-compare", side);
    let Ok((_, warnings)) = generator::intermediate(text, &options) else { return Vec::new() };
    warnings
        .into_iter()
        .filter(|w| w.message.contains("is reached by no value of the discriminator mapping"))
        .map(|w| Difference { pointer: w.pointer.clone(), what: format!("{side}: {}", w.message) })
        .collect()
}

fn explanation(pointer: &str) -> Option<&'static str> {
    EXPLAINED.iter().find_map(|&(prefix, reason)| {
        let hit = pointer == prefix || pointer.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'));
        hit.then_some(reason)
    })
}

/// How the value under a given key is compared.
#[derive(Clone, Copy)]
enum Kind {
    /// Prose, samples, or handled elsewhere.
    Ignore,
    /// Plain JSON equality (numbers compared by value).
    Value,
    /// Boolean whose absence means `false`.
    Flag,
    /// A single (possibly `$ref`) schema.
    Schema,
    /// Map of names to schemas (`properties`).
    Schemas,
    /// `allOf` / `anyOf` / `oneOf`.
    SchemaList,
    /// `required` array of a schema (order does not matter).
    RequiredSet,
    /// `additionalProperties`: a boolean or a schema.
    AdditionalProperties,
    /// Map of media types to media type objects.
    Content,
    /// Map of status codes to (possibly `$ref`) responses.
    Responses,
    /// Map of names to (possibly `$ref`) headers.
    Headers,
    /// A (possibly `$ref`) request body.
    RequestBody,
}

/// What the entries of a compared map are.
#[derive(Clone, Copy)]
enum Item {
    Schema,
    MediaType,
    Response,
    Header,
}

fn ignored(key: &str) -> bool {
    matches!(key, "description" | "summary" | "example" | "examples" | "externalDocs") || key.starts_with("x-")
}

fn schema_kind(key: &str) -> Kind {
    match key {
        "$ref" => Kind::Ignore,
        "properties" => Kind::Schemas,
        "items" | "not" => Kind::Schema,
        "additionalProperties" => Kind::AdditionalProperties,
        "allOf" | "anyOf" | "oneOf" => Kind::SchemaList,
        "required" => Kind::RequiredSet,
        "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" | "exclusiveMinimum"
        | "exclusiveMaximum" => Kind::Flag,
        // type, format, enum, title, default, discriminator, minLength, ...
        _ => Kind::Value,
    }
}

fn parameter_kind(key: &str) -> Kind {
    match key {
        // `style` and `explode` are compared with their defaults applied.
        "$ref" | "style" | "explode" => Kind::Ignore,
        "schema" => Kind::Schema,
        "content" => Kind::Content,
        "required" | "allowEmptyValue" | "allowReserved" | "deprecated" => Kind::Flag,
        _ => Kind::Value,
    }
}

fn operation_kind(key: &str) -> Kind {
    match key {
        // Compared together with the path-level parameters.
        "parameters" => Kind::Ignore,
        "requestBody" => Kind::RequestBody,
        "responses" => Kind::Responses,
        "deprecated" => Kind::Flag,
        // operationId, tags, security, servers, callbacks
        _ => Kind::Value,
    }
}

fn request_body_kind(key: &str) -> Kind {
    match key {
        "$ref" => Kind::Ignore,
        "content" => Kind::Content,
        "required" => Kind::Flag,
        _ => Kind::Value,
    }
}

fn response_kind(key: &str) -> Kind {
    match key {
        "$ref" => Kind::Ignore,
        "content" => Kind::Content,
        "headers" => Kind::Headers,
        _ => Kind::Value,
    }
}

fn media_type_kind(key: &str) -> Kind {
    match key {
        "schema" => Kind::Schema,
        _ => Kind::Value,
    }
}

fn security_scheme_kind(_key: &str) -> Kind {
    Kind::Value
}

fn server_kind(_key: &str) -> Kind {
    Kind::Value
}

fn path_item_kind(key: &str) -> Kind {
    match key {
        // Operations and parameters are compared separately.
        "parameters" => Kind::Ignore,
        k if METHODS.contains(&k) => Kind::Ignore,
        _ => Kind::Value,
    }
}

/// Compact rendering of a value for messages.
fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// JSON equality where numbers compare by value (`1` == `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b)))
        }
        _ => a == b,
    }
}

/// What identifies a branch of a union on both sides: its `$ref` target, else its
/// `title`.
fn branch_identity(v: &Value) -> Option<String> {
    if let Some(target) = ref_of(v) {
        return Some(format!("`{target}`"));
    }
    v.get("title").and_then(Value::as_str).map(|t| format!("titled `{t}`"))
}

fn ref_of(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str)
}

/// Follows `$ref`s from `v` (found at `pointer`) to the referenced node,
/// returning it and its pointer (the generator's walker: one depth bound, cycles
/// detected).
fn resolve<'a>(root: &'a Value, v: &'a Value, pointer: &str) -> Result<(&'a Value, String), String> {
    match generator::openapi::resolve(root, pointer, v) {
        Ok((at, node)) => Ok((node, at)),
        Err((at, error)) => Err(format!("{} (at {at})", error.message().0)),
    }
}

/// A parameter after `$ref` resolution, keyed by location and name.
struct Param<'a> {
    key: (String, String),
    node: &'a Value,
    pointer: String,
}

struct Cx<'a> {
    ours: &'a Value,
    up: &'a Value,
    diffs: Vec<Difference>,
    /// Pairs (our pointer, upstream pointer) already compared.
    seen: HashSet<(String, String)>,
}

impl<'a> Cx<'a> {
    fn diff(&mut self, pointer: impl Into<String>, what: impl Into<String>) {
        self.diffs.push(Difference { pointer: pointer.into(), what: what.into() });
    }

    /// Reports a node present on one side only.
    fn presence(&mut self, pointer: &str, ours: Option<&Value>, up: Option<&Value>) {
        let what = match (ours, up) {
            (None, Some(u)) if u.is_object() || u.is_array() => "present upstream, missing in ours".to_string(),
            (Some(o), None) if o.is_object() || o.is_array() => "present in ours, missing upstream".to_string(),
            (None, Some(u)) => format!("ours (absent), upstream {}", show(u)),
            (Some(o), None) => format!("ours {}, upstream (absent)", show(o)),
            _ => return,
        };
        self.diff(pointer, what);
    }

    fn document(&mut self) -> Result<(), String> {
        let (ours, up) = (self.ours, self.up);
        let our_paths = ours.get("paths").and_then(Value::as_object).ok_or("our spec has no `paths` object")?;
        let up_paths = up.get("paths").and_then(Value::as_object).ok_or("the upstream spec has no `paths` object")?;

        // The API version the crate advertises: spec/ says which one it describes.
        let version = |doc: &Value| doc.pointer("/info/version").and_then(Value::as_str).map(str::to_string);
        if version(ours) != version(up) {
            self.diff(
                "/info/version".to_string(),
                format!(
                    "API version {} here, {} upstream: update spec/'s `info.version` with what it describes",
                    version(ours).unwrap_or_default(),
                    version(up).unwrap_or_default()
                ),
            );
        }
        self.servers(ours.get("servers"), up.get("servers"));
        self.value(ours.get("security"), up.get("security"), "/security");
        self.security_schemes();

        for (path, o_item) in our_paths {
            let p = join("/paths", path);
            let Some(u_item) = up_paths.get(path) else {
                self.diff(p, "path not in upstream");
                continue;
            };
            self.node(o_item, &p, u_item, path_item_kind);
            for method in METHODS {
                let Some(o_op) = o_item.get(method) else {
                    continue;
                };
                let op_p = join(&p, method);
                let Some(u_op) = u_item.get(method) else {
                    self.diff(op_p, "operation not in upstream");
                    continue;
                };
                self.node(o_op, &op_p, u_op, operation_kind);
                self.parameters(o_item, o_op, &p, &op_p, u_item, u_op);
            }
        }
        for (path, u_item) in up_paths.iter().filter(|(path, _)| in_scope(path)) {
            for method in METHODS {
                let Some(u_op) = u_item.get(method) else {
                    continue;
                };
                if our_paths.get(path).and_then(|o| o.get(method)).is_none() {
                    let id = u_op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                    self.diff(join(&join("/paths", path), method), format!("upstream operation {id} missing in ours"));
                }
            }
        }
        self.webhooks();
        Ok(())
    }

    /// Compares the webhooks (`webhooks` in OpenAPI 3.1, else `x-webhooks`)
    /// like operations, except that every webhook and method of either side
    /// must exist on the other.
    fn webhooks(&mut self) {
        fn of(doc: &Value) -> (&'static str, Option<&serde_json::Map<String, Value>>) {
            let key = if doc.get("webhooks").is_some() { "webhooks" } else { "x-webhooks" };
            (key, doc.get(key).and_then(Value::as_object))
        }
        let ((key, ours), (up_key, up)) = (of(self.ours), of(self.up));
        let (Some(ours), Some(up)) = (ours, up) else {
            self.presence(&format!("/{key}"), self.ours.get(key), self.up.get(up_key));
            return;
        };
        let names: BTreeSet<&String> = ours.keys().chain(up.keys()).collect();
        for name in names {
            let p = join(&format!("/{key}"), name);
            let (Some(o_item), Some(u_item)) = (ours.get(name.as_str()), up.get(name.as_str())) else {
                let what = if ours.contains_key(name.as_str()) {
                    "webhook not in upstream"
                } else {
                    "upstream webhook missing in ours"
                };
                self.diff(p, what);
                continue;
            };
            let Some((o_item, p, u_item)) = self.enter(o_item, &p, u_item) else {
                continue;
            };
            self.node(o_item, &p, u_item, path_item_kind);
            for method in METHODS {
                let op_p = join(&p, method);
                match (o_item.get(method), u_item.get(method)) {
                    (Some(o_op), Some(u_op)) => {
                        self.node(o_op, &op_p, u_op, operation_kind);
                        self.parameters(o_item, o_op, &p, &op_p, u_item, u_op);
                    }
                    (Some(_), None) => self.diff(op_p, "webhook operation not in upstream"),
                    (None, Some(_)) => self.diff(op_p, "upstream webhook operation missing in ours"),
                    (None, None) => {}
                }
            }
        }
    }

    fn servers(&mut self, ours: Option<&'a Value>, up: Option<&'a Value>) {
        let o: &[Value] = ours.and_then(Value::as_array).map_or(&[], Vec::as_slice);
        let u: &[Value] = up.and_then(Value::as_array).map_or(&[], Vec::as_slice);
        if o.len() != u.len() {
            self.diff("/servers", format!("ours lists {} servers, upstream {}", o.len(), u.len()));
        }
        for (i, (os, us)) in o.iter().zip(u).enumerate() {
            self.node(os, &format!("/servers/{i}"), us, server_kind);
        }
    }

    fn security_schemes(&mut self) {
        let p = "/components/securitySchemes";
        let o = self.ours.pointer(p);
        let u = self.up.pointer(p);
        self.map(o, u, p, |cx, o, optr, u| {
            if let Some((o, optr, u)) = cx.enter(o, optr, u) {
                cx.node(o, &optr, u, security_scheme_kind);
            }
        });
    }

    /// Compares two objects key by key, dispatching on `kind_of(key)`.
    fn node(&mut self, o: &'a Value, optr: &str, u: &'a Value, kind_of: fn(&str) -> Kind) {
        let (Some(om), Some(um)) = (o.as_object(), u.as_object()) else {
            if !same(o, u) {
                self.diff(optr, format!("ours {}, upstream {}", show(o), show(u)));
            }
            return;
        };
        let keys: BTreeSet<&String> = om.keys().chain(um.keys()).collect();
        for key in keys {
            if ignored(key) {
                continue;
            }
            let p = join(optr, key);
            let (ov, uv) = (om.get(key.as_str()), um.get(key.as_str()));
            self.field(kind_of(key), ov, uv, &p);
        }
    }

    fn field(&mut self, kind: Kind, ov: Option<&'a Value>, uv: Option<&'a Value>, p: &str) {
        match kind {
            Kind::Ignore => {}
            Kind::Value => self.value(ov, uv, p),
            Kind::Flag => self.flag(ov, uv, p),
            Kind::RequiredSet => self.required(ov, uv, p),
            Kind::SchemaList => self.schema_list(ov, uv, p),
            Kind::Schemas => self.items(ov, uv, p, Item::Schema),
            Kind::Content => self.items(ov, uv, p, Item::MediaType),
            Kind::Responses => self.items(ov, uv, p, Item::Response),
            Kind::Headers => self.items(ov, uv, p, Item::Header),
            Kind::Schema | Kind::RequestBody | Kind::AdditionalProperties => {
                let (Some(o), Some(u)) = (ov, uv) else {
                    self.presence(p, ov, uv);
                    return;
                };
                match kind {
                    Kind::RequestBody => {
                        if let Some((o, optr, u)) = self.enter(o, p, u) {
                            self.node(o, &optr, u, request_body_kind);
                        }
                    }
                    Kind::AdditionalProperties if !(o.is_object() && u.is_object()) => {
                        self.value(ov, uv, p);
                    }
                    _ => self.schema(o, p, u),
                }
            }
        }
    }

    fn value(&mut self, ov: Option<&Value>, uv: Option<&Value>, p: &str) {
        match (ov, uv) {
            (Some(o), Some(u)) => {
                if !same(o, u) {
                    self.diff(p, format!("ours {}, upstream {}", show(o), show(u)));
                }
            }
            _ => self.presence(p, ov, uv),
        }
    }

    fn flag(&mut self, ov: Option<&Value>, uv: Option<&Value>, p: &str) {
        let as_flag = |v: Option<&Value>| match v {
            None => Some(false),
            Some(v) => v.as_bool(),
        };
        match (as_flag(ov), as_flag(uv)) {
            (Some(o), Some(u)) => {
                if o != u {
                    self.diff(p, format!("ours {o}, upstream {u}"));
                }
            }
            _ => self.value(ov, uv, p),
        }
    }

    fn required(&mut self, ov: Option<&Value>, uv: Option<&Value>, p: &str) {
        let names = |v: Option<&Value>| -> Option<BTreeSet<String>> {
            match v {
                None => Some(BTreeSet::new()),
                Some(Value::Array(a)) => a.iter().map(|n| n.as_str().map(str::to_owned)).collect(),
                Some(_) => None,
            }
        };
        let (Some(o), Some(u)) = (names(ov), names(uv)) else {
            self.value(ov, uv, p);
            return;
        };
        for name in u.difference(&o) {
            self.diff(p, format!("upstream requires {name:?}, ours does not"));
        }
        for name in o.difference(&u) {
            self.diff(p, format!("ours requires {name:?}, upstream does not"));
        }
    }

    fn schema_list(&mut self, ov: Option<&'a Value>, uv: Option<&'a Value>, p: &str) {
        let (Some(Value::Array(o)), Some(Value::Array(u))) = (ov, uv) else {
            self.value(ov, uv, p);
            return;
        };
        // Branches are matched by identity (what they refer to, or their title), so an
        // inserted branch is one difference, not a shift of every later one; branches
        // without one are matched in order among themselves.
        let (mut unmatched_o, mut unmatched_u) = (Vec::new(), Vec::new());
        let mut taken = vec![false; u.len()];
        for (i, ob) in o.iter().enumerate() {
            let found = branch_identity(ob).and_then(|key| {
                u.iter()
                    .enumerate()
                    .position(|(j, ub)| !taken[j] && branch_identity(ub).as_deref() == Some(key.as_str()))
            });
            match found {
                Some(j) => {
                    taken[j] = true;
                    self.schema(ob, &format!("{p}/{i}"), &u[j]);
                }
                None => unmatched_o.push(i),
            }
        }
        unmatched_u.extend((0..u.len()).filter(|j| !taken[*j]));
        let (keyed_o, plain_o): (Vec<usize>, Vec<usize>) =
            unmatched_o.into_iter().partition(|i| branch_identity(&o[*i]).is_some());
        let (keyed_u, plain_u): (Vec<usize>, Vec<usize>) =
            unmatched_u.into_iter().partition(|j| branch_identity(&u[*j]).is_some());
        for (i, j) in plain_o.iter().zip(&plain_u) {
            self.schema(&o[*i], &format!("{p}/{i}"), &u[*j]);
        }
        for i in keyed_o.iter().chain(plain_o.iter().skip(plain_u.len())) {
            let shown = branch_identity(&o[*i]).unwrap_or_else(|| "an inline branch".into());
            self.diff(format!("{p}/{i}"), format!("branch {shown} in ours, missing upstream"));
        }
        for j in keyed_u.iter().chain(plain_u.iter().skip(plain_o.len())) {
            let shown = branch_identity(&u[*j]).unwrap_or_else(|| "an inline branch".into());
            self.diff(format!("{p}/{j}"), format!("branch {shown} upstream (its index there), missing in ours"));
        }
    }

    /// Compares two maps of named entries (properties, media types, status
    /// codes, headers).
    fn items(&mut self, ov: Option<&'a Value>, uv: Option<&'a Value>, p: &str, item: Item) {
        self.map(ov, uv, p, move |cx, o, optr, u| match item {
            Item::Schema => cx.schema(o, optr, u),
            Item::MediaType => cx.node(o, optr, u, media_type_kind),
            Item::Response => {
                if let Some((o, optr, u)) = cx.enter(o, optr, u) {
                    cx.node(o, &optr, u, response_kind);
                }
            }
            Item::Header => {
                if let Some((o, optr, u)) = cx.enter(o, optr, u) {
                    cx.node(o, &optr, u, parameter_kind);
                    cx.style_explode(o, &optr, u, "header");
                }
            }
        });
    }

    fn map(
        &mut self,
        ov: Option<&'a Value>,
        uv: Option<&'a Value>,
        p: &str,
        each: impl Fn(&mut Self, &'a Value, &str, &'a Value),
    ) {
        let (Some(Value::Object(o)), Some(Value::Object(u))) = (ov, uv) else {
            self.value(ov, uv, p);
            return;
        };
        for (name, o_entry) in o {
            let entry_p = join(p, name);
            match u.get(name) {
                Some(u_entry) => each(self, o_entry, &entry_p, u_entry),
                None => self.diff(entry_p, "present in ours, missing upstream"),
            }
        }
        for name in u.keys().filter(|name| !o.contains_key(name.as_str())) {
            self.diff(join(p, name), "present upstream, missing in ours");
        }
    }

    /// Checks that both sides agree on being a `$ref` (and to what), follows
    /// the references, and returns the pair to compare, or `None` when the
    /// pair was already compared (or cannot be resolved, which is reported).
    fn enter(&mut self, o: &'a Value, optr: &str, u: &'a Value) -> Option<(&'a Value, String, &'a Value)> {
        match (ref_of(o), ref_of(u)) {
            (Some(or), Some(ur)) if or != ur => {
                self.diff(join(optr, "$ref"), format!("ours {or:?}, upstream {ur:?}"));
            }
            (Some(or), None) => {
                self.diff(join(optr, "$ref"), format!("ours refers to {or:?}, upstream is inline"));
            }
            (None, Some(ur)) => {
                self.diff(optr, format!("ours is inline, upstream refers to {ur:?}"));
            }
            _ => {}
        }
        let (o, o_at) = match resolve(self.ours, o, optr) {
            Ok(x) => x,
            Err(e) => {
                self.diff(optr, e);
                return None;
            }
        };
        let (u, u_at) = match resolve(self.up, u, "") {
            Ok(x) => x,
            Err(e) => {
                self.diff(optr, format!("upstream: {e}"));
                return None;
            }
        };
        // Inline upstream nodes get a pointer unique to their use site.
        let u_key = if u_at.is_empty() { format!("inline@{optr}") } else { u_at };
        if !self.seen.insert((o_at.clone(), u_key)) {
            return None;
        }
        Some((o, o_at, u))
    }

    fn schema(&mut self, o: &'a Value, optr: &str, u: &'a Value) {
        if let Some((o, optr, u)) = self.enter(o, optr, u) {
            self.node(o, &optr, u, schema_kind);
        }
    }

    /// Effective parameters of an operation: path-level ones, overridden by
    /// operation-level ones with the same location and name.
    fn effective_params(
        &mut self,
        root: &'a Value,
        item: &'a Value,
        op: &'a Value,
        item_ptr: &str,
        op_ptr: &str,
        side: &str,
    ) -> Vec<Param<'a>> {
        let mut out: Vec<Param<'a>> = Vec::new();
        for (owner, owner_ptr) in [(item, item_ptr), (op, op_ptr)] {
            let Some(list) = owner.get("parameters").and_then(Value::as_array) else {
                continue;
            };
            for (i, raw) in list.iter().enumerate() {
                let pointer = format!("{owner_ptr}/parameters/{i}");
                let key = match resolve(root, raw, &pointer) {
                    Ok((p, _)) => (
                        p.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
                        p.get("name").and_then(Value::as_str).unwrap_or("").to_owned(),
                    ),
                    Err(e) => {
                        self.diff(pointer, format!("{side}: {e}"));
                        continue;
                    }
                };
                out.retain(|p| p.key != key);
                out.push(Param { key, node: raw, pointer });
            }
        }
        out
    }

    fn parameters(
        &mut self,
        o_item: &'a Value,
        o_op: &'a Value,
        item_ptr: &str,
        op_ptr: &str,
        u_item: &'a Value,
        u_op: &'a Value,
    ) {
        let ours = self.effective_params(self.ours, o_item, o_op, item_ptr, op_ptr, "ours");
        let up = self.effective_params(self.up, u_item, u_op, item_ptr, op_ptr, "upstream");
        for o in &ours {
            match up.iter().find(|u| u.key == o.key) {
                Some(u) => {
                    if let Some((on, optr, un)) = self.enter(o.node, &o.pointer, u.node) {
                        self.node(on, &optr, un, parameter_kind);
                        let location = o.key.0.clone();
                        self.style_explode(on, &optr, un, &location);
                    }
                }
                None => self.diff(o.pointer.clone(), format!("parameter {:?} in {} not in upstream", o.key.1, o.key.0)),
            }
        }
        for u in up.iter().filter(|u| !ours.iter().any(|o| o.key == u.key)) {
            self.diff(
                join(op_ptr, "parameters"),
                format!("upstream parameter {:?} in {} missing in ours", u.key.1, u.key.0),
            );
        }
    }

    /// Compares `style` and `explode` with the OpenAPI defaults applied.
    fn style_explode(&mut self, o: &Value, optr: &str, u: &Value, location: &str) {
        let default_style = match location {
            "query" | "cookie" => "form",
            _ => "simple",
        };
        let style = |v: &Value| v.get("style").and_then(Value::as_str).unwrap_or(default_style).to_owned();
        let (os, us) = (style(o), style(u));
        if os != us {
            self.diff(join(optr, "style"), format!("ours {os:?}, upstream {us:?}"));
        }
        let explode = |v: &Value, style: &str| v.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
        let (oe, ue) = (explode(o, &os), explode(u, &us));
        if oe != ue {
            self.diff(join(optr, "explode"), format!("ours {oe}, upstream {ue}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIST: &str = "/paths/~1v2~1apps~1{appId}~1conversations/get";

    fn base() -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.com"}],
            "security": [{"basicAuth": []}],
            "paths": {
                "/v2/apps/{appId}/conversations": {
                    "parameters": [{"$ref": "#/components/parameters/appId"}],
                    "get": {
                        "operationId": "ListThings",
                        "tags": ["Things"],
                        "parameters": [
                            {"name": "page", "in": "query", "style": "deepObject",
                             "explode": true, "schema": {"$ref": "#/components/schemas/page"}},
                            {"name": "filter", "in": "query", "required": true,
                             "style": "deepObject", "explode": true,
                             "description": "Filter.",
                             "schema": {"type": "object", "properties": {
                                 "userId": {"type": "string", "description": "User."}}}}
                        ],
                        "responses": {
                            "200": {"description": "Ok", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/thing"},
                                "example": {"name": "x"}}}},
                            "404": {"description": "Not found", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/errorResponse"}}}}
                        }
                    }
                }
            },
            "components": {
                "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
                "parameters": {
                    "appId": {"name": "appId", "in": "path", "required": true,
                              "schema": {"type": "string"}}
                },
                "schemas": {
                    "page": {"type": "object", "properties": {
                        "after": {"type": "string", "minLength": 24, "maxLength": 24},
                        "size": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}}},
                    "thing": {"type": "object", "title": "Thing", "required": ["name", "kind"],
                              "description": "A thing.",
                              "properties": {
                                  "name": {"type": "string", "maxLength": 100, "nullable": true},
                                  "kind": {"$ref": "#/components/schemas/kind"},
                                  "tree": {"$ref": "#/components/schemas/node"}}},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                    "node": {"type": "object", "properties": {
                        "label": {"type": "string"},
                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/node"}}}},
                    "errorResponse": {"type": "object", "properties": {
                        "errors": {"type": "array", "items": {"type": "object"}}}}
                }
            }
        })
    }

    fn yaml(v: &Value) -> String {
        serde_yaml::to_string(v).unwrap()
    }

    /// Compares a modified copy of the base document (ours) with the base (upstream).
    fn run(change: impl FnOnce(&mut Value)) -> Comparison {
        let mut ours = base();
        change(&mut ours);
        compare(&yaml(&ours), &yaml(&base())).unwrap()
    }

    fn at<'v>(v: &'v mut Value, pointer: &str) -> &'v mut Value {
        v.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}"))
    }

    /// A union of three references (upstream) and ours with one more inserted first.
    #[test]
    fn an_inserted_branch_is_one_difference() {
        let with_union = |extra: bool| {
            let mut doc = base();
            let mut branches =
                vec![json!({"$ref": "#/components/schemas/page"}), json!({"$ref": "#/components/schemas/kind"})];
            branches.push(json!({"title": "inline", "type": "object", "properties": {"x": {"type": "string"}}}));
            if extra {
                branches.insert(0, json!({"$ref": "#/components/schemas/node"}));
            }
            *at(&mut doc, "/components/schemas/thing/properties/tree") = json!({"oneOf": branches});
            doc
        };
        let compared = compare(&yaml(&with_union(true)), &yaml(&with_union(false))).unwrap();
        assert_eq!(pointers(&compared), ["/components/schemas/thing/properties/tree/oneOf/0"], "{compared:?}");
        assert!(compared.unexplained[0].what.contains("#/components/schemas/node"), "{compared:?}");
    }

    fn pointers(c: &Comparison) -> Vec<String> {
        c.unexplained.iter().map(|d| d.pointer.clone()).collect()
    }

    #[test]
    fn identical_documents_have_no_difference() {
        let c = run(|_| {});
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        assert!(c.explained.is_empty());
    }

    #[test]
    fn changed_type_is_reported_with_pointer() {
        let c = run(|v| {
            *at(v, &format!("{LIST}/parameters/1/schema/properties/userId/type")) = json!("integer");
        });
        assert_eq!(c.unexplained.len(), 1, "{:?}", c.unexplained);
        assert_eq!(
            c.unexplained[0].to_string(),
            format!(r#"{LIST}/parameters/1/schema/properties/userId/type: ours "integer", upstream "string""#)
        );
    }

    #[test]
    fn missing_property_is_reported() {
        let c = run(|v| {
            at(v, "/components/schemas/thing/properties").as_object_mut().unwrap().remove("name");
        });
        let d = &c.unexplained;
        assert!(
            d.iter()
                .any(|d| d.pointer == "/components/schemas/thing/properties/name"
                    && d.what.contains("missing in ours")),
            "{d:?}"
        );
    }

    #[test]
    fn extra_property_is_reported() {
        let c = run(|v| {
            at(v, "/components/schemas/kind")["format"] = json!("byte");
            at(v, "/components/schemas/page/properties")["before"] = json!({"type": "string"});
        });
        let mut p = pointers(&c);
        p.sort();
        assert_eq!(p, ["/components/schemas/kind/format", "/components/schemas/page/properties/before",]);
    }

    #[test]
    fn changed_max_length_is_reported() {
        let c = run(|v| *at(v, "/components/schemas/page/properties/after/maxLength") = json!(32));
        assert_eq!(pointers(&c), ["/components/schemas/page/properties/after/maxLength"]);
        assert!(c.unexplained[0].what.contains("32"));
    }

    #[test]
    fn removed_required_entry_is_reported() {
        let c = run(|v| *at(v, "/components/schemas/thing/required") = json!(["kind"]));
        assert_eq!(pointers(&c), ["/components/schemas/thing/required"]);
        assert!(c.unexplained[0].what.contains("\"name\""));
        // Order of `required` entries does not matter.
        let c = run(|v| *at(v, "/components/schemas/thing/required") = json!(["kind", "name"]));
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
    }

    #[test]
    fn changed_ref_target_structure_is_reported() {
        let c = run(|v| *at(v, "/components/schemas/kind/enum") = json!(["a", "b", "c"]));
        assert_eq!(pointers(&c), ["/components/schemas/kind/enum"]);
        // Inlining a referenced schema is reported, and so are the
        // structural differences with the referenced one.
        let c = run(|v| {
            *at(v, "/components/schemas/node/properties/children/items") = json!({"type": "string"});
        });
        let items = "/components/schemas/node/properties/children/items";
        let mut p = pointers(&c);
        p.sort();
        assert_eq!(p, [items.to_string(), format!("{items}/properties"), format!("{items}/type")]);
    }

    #[test]
    fn different_ref_names_are_reported() {
        let c = run(|v| {
            let schemas = at(v, "/components/schemas");
            schemas["kind2"] = schemas["kind"].clone();
            *at(v, "/components/schemas/thing/properties/kind/$ref") = json!("#/components/schemas/kind2");
        });
        assert_eq!(pointers(&c), ["/components/schemas/thing/properties/kind/$ref"]);
    }

    #[test]
    fn descriptions_examples_and_extensions_are_ignored() {
        let c = run(|v| {
            at(v, "/components/schemas/thing")["description"] = json!("Something else.");
            at(v, "/components/schemas/thing")["x-internal"] = json!(true);
            at(v, "/components/schemas/kind")["example"] = json!("b");
            at(v, &format!("{LIST}/parameters/1"))["description"] = json!("Other.");
            at(v, LIST)["summary"] = json!("List");
            *at(v, &format!("{LIST}/responses/200/description")) = json!("Fine");
            *at(v, &format!("{LIST}/responses/200/content/application~1json/example")) = json!({});
        });
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
    }

    #[test]
    fn defaults_of_flags_and_styles_are_applied() {
        let mut up = base();
        // Upstream spells out defaults that ours leaves implicit.
        at(&mut up, "/components/schemas/kind")["nullable"] = json!(false);
        at(&mut up, "/components/parameters/appId")["style"] = json!("simple");
        at(&mut up, "/components/parameters/appId")["explode"] = json!(false);
        let c = compare(&yaml(&base()), &yaml(&up)).unwrap();
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        // But a real change of style is reported.
        at(&mut up, &format!("{LIST}/parameters/0"))["style"] = json!("form");
        let c = compare(&yaml(&base()), &yaml(&up)).unwrap();
        assert_eq!(pointers(&c), [format!("{LIST}/parameters/0/style")]);
    }

    #[test]
    fn missing_response_and_parameter_are_reported() {
        let c = run(|v| {
            at(v, &format!("{LIST}/responses")).as_object_mut().unwrap().remove("404");
            at(v, &format!("{LIST}/parameters")).as_array_mut().unwrap().remove(0);
        });
        let mut p = pointers(&c);
        p.sort();
        assert_eq!(p, [format!("{LIST}/parameters"), format!("{LIST}/responses/404")]);
    }

    #[test]
    fn ref_cycle_terminates() {
        // `node` refers to itself; a change inside it is reported once.
        let c = run(|v| *at(v, "/components/schemas/node/properties/label/type") = json!("integer"));
        assert_eq!(pointers(&c), ["/components/schemas/node/properties/label/type"]);
        // A direct `$ref` loop is reported instead of hanging.
        let mut looping = base();
        at(&mut looping, "/components/schemas")["a"] = json!({"$ref": "#/components/schemas/b"});
        at(&mut looping, "/components/schemas")["b"] = json!({"$ref": "#/components/schemas/a"});
        *at(&mut looping, "/components/schemas/thing/properties/kind") = json!({"$ref": "#/components/schemas/a"});
        let c = compare(&yaml(&looping), &yaml(&base())).unwrap();
        assert!(c.unexplained.iter().any(|d| d.what.contains("circular")), "{:?}", c.unexplained);
    }

    #[test]
    fn upstream_operations_in_scope_are_required() {
        let mut up = base();
        let paths = at(&mut up, "/paths");
        paths["/v2/apps/{appId}/conversations"]["delete"] = json!({"operationId": "DeleteThings", "responses": {}});
        paths["/v2/apps/{appId}/conversations/{conversationId}/messages"] =
            json!({"get": {"operationId": "ListMessages", "responses": {}}});
        // Out of scope: neither under the prefix nor a path below it.
        paths["/v2/apps/{appId}/users"] = json!({"get": {"operationId": "ListUsers", "responses": {}}});
        paths["/v2/apps/{appId}/conversationsExtra"] = json!({"get": {"operationId": "Other", "responses": {}}});
        let c = compare(&yaml(&base()), &yaml(&up)).unwrap();
        let mut d: Vec<String> = c.unexplained.iter().map(ToString::to_string).collect();
        d.sort();
        assert_eq!(
            d,
            [
                "/paths/~1v2~1apps~1{appId}~1conversations/delete: upstream operation DeleteThings missing in ours",
                "/paths/~1v2~1apps~1{appId}~1conversations~1{conversationId}~1messages/get: upstream operation ListMessages missing in ours",
            ]
        );
    }

    #[test]
    fn operations_only_in_ours_are_reported() {
        let c = run(|v| {
            at(v, "/paths/~1v2~1apps~1{appId}~1conversations")["post"] =
                json!({"operationId": "MakeThing", "responses": {}});
            at(v, "/paths")["/v2/other"] = json!({"get": {"responses": {}}});
        });
        let mut d: Vec<String> = c.unexplained.iter().map(ToString::to_string).collect();
        d.sort();
        assert_eq!(
            d,
            [
                "/paths/~1v2~1apps~1{appId}~1conversations/post: operation not in upstream",
                "/paths/~1v2~1other: path not in upstream",
            ]
        );
    }

    #[test]
    fn server_variables_are_explained() {
        let c = run(|v| {
            at(v, "/servers/0")["variables"] = json!({"subdomain": {"default": "example"}});
        });
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        assert_eq!(c.explained.len(), 1);
        assert_eq!(c.explained[0].0.pointer, "/servers/0/variables");
        let c = run(|v| *at(v, "/servers/0/url") = json!("https://other.example.com"));
        assert_eq!(pointers(&c), ["/servers/0/url"]);
    }

    const HOOK: &str = "/x-webhooks/Webhook Event/post";
    const EVENTS: &str =
        "/x-webhooks/Webhook Event/post/requestBody/content/application~1json/schema/properties/events";

    /// The base document with a webhook (under `key`) whose body lists events.
    fn with_webhook(key: &str) -> Value {
        let mut v = base();
        v[key] = json!({"Webhook Event": {"post": {
            "operationId": "EventWebhooks",
            "tags": ["Webhooks"],
            "description": "Events.",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"events": {"type": "array", "items": {"anyOf": [
                    {"$ref": "#/components/schemas/thing"},
                    {"$ref": "#/components/schemas/node"}
                ]}}}}}}},
            "responses": {"200": {"description": "Ok"}}
        }}});
        v
    }

    fn compare_values(ours: &Value, up: &Value) -> Comparison {
        compare(&yaml(ours), &yaml(up)).unwrap()
    }

    #[test]
    fn webhooks_missing_on_either_side_are_reported() {
        let up = with_webhook("x-webhooks");
        let c = compare_values(&up, &up);
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        // Unlike operations, upstream's webhooks must all be in ours.
        let c = compare_values(&base(), &up);
        assert_eq!(pointers(&c), ["/x-webhooks"]);
        let mut ours = up.clone();
        let post = at(&mut ours, HOOK).clone();
        at(&mut ours, "/x-webhooks")["Other"] = json!({"post": post.clone()});
        at(&mut ours, "/x-webhooks/Webhook Event")["put"] = post;
        let mut p = pointers(&compare_values(&ours, &up));
        p.sort();
        assert_eq!(p, ["/x-webhooks/Other", "/x-webhooks/Webhook Event/put"]);
        let c = compare_values(&up, &ours);
        assert!(c.unexplained.iter().all(|d| d.what.contains("missing in ours")));
        assert_eq!(c.unexplained.len(), 2, "{:?}", c.unexplained);
    }

    #[test]
    fn webhook_operations_are_compared_structurally() {
        let up = with_webhook("x-webhooks");
        let c = run_on(&up, |v| {
            *at(v, &format!("{HOOK}/operationId")) = json!("Events");
            *at(v, &format!("{EVENTS}/type")) = json!("object");
            *at(v, &format!("{HOOK}/description")) = json!("Other words.");
        });
        let mut p = pointers(&c);
        p.sort();
        assert_eq!(p, [format!("{HOOK}/operationId"), format!("{EVENTS}/type")]);
        // Branches are matched by what they refer to: one that refers elsewhere is
        // another branch, so ours has one upstream lacks and lacks upstream's.
        let c = run_on(&up, |v| {
            *at(v, &format!("{EVENTS}/items/anyOf/1/$ref")) = json!("#/components/schemas/kind");
        });
        let whats: Vec<&str> = c.unexplained.iter().map(|d| d.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "branch `#/components/schemas/kind` in ours, missing upstream",
                "branch `#/components/schemas/node` upstream (its index there), missing in ours"
            ],
            "{:?}",
            c.unexplained
        );
        // Matched branches are followed into the referenced schemas.
        let c = run_on(&up, |v| {
            *at(v, "/components/schemas/node/properties/label/type") = json!("integer");
        });
        assert!(pointers(&c).iter().any(|p| p.ends_with("/label/type")), "{:?}", c.unexplained);
    }

    #[test]
    fn openapi_31_webhooks_compare_with_x_webhooks() {
        let up = with_webhook("x-webhooks");
        let ours = with_webhook("webhooks");
        let c = compare_values(&ours, &up);
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        let mut changed = ours.clone();
        *at(&mut changed, "/webhooks/Webhook Event/post/operationId") = json!("Events");
        assert_eq!(pointers(&compare_values(&changed, &up)), ["/webhooks/Webhook Event/post/operationId"]);
    }

    #[test]
    fn webhook_event_discriminator_is_explained() {
        let up = with_webhook("x-webhooks");
        let c = run_on(&up, |v| {
            at(v, &format!("{EVENTS}/items"))["discriminator"] = json!({"propertyName": "type"});
        });
        assert!(c.unexplained.is_empty(), "{:?}", c.unexplained);
        assert_eq!(c.explained.len(), 1);
        assert_eq!(c.explained[0].0.pointer, format!("{EVENTS}/items/discriminator"));
    }

    /// Compares a modified copy of `up` (ours) with `up`.
    fn run_on(up: &Value, change: impl FnOnce(&mut Value)) -> Comparison {
        let mut ours = up.clone();
        change(&mut ours);
        compare_values(&ours, up)
    }
}
