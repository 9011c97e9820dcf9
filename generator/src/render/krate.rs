//! What the crate-level files print: the root's re-exports and limits, the servers,
//! the auth methods, the webhooks and the test doubles.

use std::collections::BTreeMap;

use super::rust::{self, Models};
use super::shapes::{AuthCall, Init};
use crate::ir::{Api, AuthKind, BodyContent, KeyLocation, ModelKind, SchemeKind, Server, Ty, UrlPart, Webhook};

/// `src/lib.rs`.
pub(crate) struct LibView {
    /// The compiler's recursion limit, when types hold one another more deeply than the
    /// default (128) allows: the compiler (and rustdoc, proving auto traits) walks a few
    /// levels per hop (`Box`, `Vec`, `Option` add some).
    pub recursion_limit: Option<usize>,
    /// Some operation is paginated.
    pub paginated: bool,
    /// Handle types (`AppClient`).
    pub scopes: Vec<String>,
    /// The crate's `ErrorBody`: the API's usual error body, else JSON.
    pub error_body: String,
    /// Some scheme mints JWTs (`auth::JwtScope` exists).
    pub jwt: bool,
    /// Docs of the `Client` re-export: the operations by group.
    pub client_docs: Vec<String>,
    /// The crate docs' section on the operations left out (empty when none is).
    pub left_out: Vec<String>,
}

pub(crate) fn lib(api: &Api) -> LibView {
    LibView {
        recursion_limit: api.recursion_limit,
        paginated: api.paginated(),
        scopes: api.scopes.iter().map(|s| s.handle.clone()).collect(),
        error_body: api
            .default_error
            .as_ref()
            .map_or("serde_json::Value".to_string(), |t| rust::ty(t, Models::Qualified)),
        jwt: api.jwt().is_some(),
        client_docs: client_docs(api),
        left_out: left_out_docs(api),
    }
}

/// The operations the crate leaves out, each with its reason and how to call it.
fn left_out_docs(api: &Api) -> Vec<String> {
    if api.left_out.is_empty() {
        return Vec::new();
    }
    let mut docs = vec![
        "# Operations this crate leaves out".to_string(),
        String::new(),
        "The spec describes them, but the generator cannot express them; call them with".to_string(),
        "[`Client::send_raw`], which keeps the client's authentication, retries and error decoding.".to_string(),
        String::new(),
    ];
    for op in &api.left_out {
        docs.push(format!(
            "- `{}` (`{} {}`): {}",
            crate::docs::code(&op.operation_id),
            op.method,
            crate::docs::code(&op.path),
            crate::docs::inline(&op.reason)
        ));
    }
    docs
}

/// The operations of each group, for the docs of `Client`.
fn client_docs(api: &Api) -> Vec<String> {
    let mut docs = vec![
        "The client of the API: build one with [`Client::builder`] (base URL, credentials, retries,".to_string(),
        "timeouts), share it (it is cheap to clone), and call one method per operation: each returns a".to_string(),
        "request builder; set optional parameters, then `.send().await`. The crate documentation is".to_string(),
        "the guide.".to_string(),
    ];
    for tag in &api.tags {
        let ops: Vec<&crate::ir::Operation> = api.operations_of(tag).collect();
        if ops.is_empty() {
            continue;
        }
        docs.push(String::new());
        docs.push(format!("# {}", crate::docs::inline(&tag.name)));
        if !tag.docs.is_empty() {
            docs.push(String::new());
            docs.extend(tag.docs.iter().cloned());
        }
        docs.push(String::new());
        for op in ops {
            let summary = op.summary.clone().unwrap_or_default();
            let summary = if summary.is_empty() { String::new() } else { format!(": {summary}") };
            docs.push(format!(
                "- [`{}`](Client::{}) (`{} {}`){summary}",
                op.method_name,
                op.method_name,
                op.method,
                crate::docs::code(&op.path)
            ));
        }
    }
    docs
}

/// A group's file.
pub(crate) struct TagView<'a> {
    pub tag: &'a crate::ir::Tag,
    pub docs: Vec<String>,
    pub ops: Vec<super::operation::OperationView<'a>>,
    pub uses_models: bool,
    /// The group's operations on each handle offering some: (handle, methods).
    pub scoped: Vec<(&'a str, Vec<ScopedMethod<'a>>)>,
}

/// An operation's method on a handle: the `Client` method's, without the bound argument.
pub(crate) struct ScopedMethod<'a> {
    pub op: &'a crate::ir::Operation,
    pub doc: String,
    /// Arguments: (name, type).
    pub args: Vec<(String, String)>,
    /// What is passed to the builder's `new` after the client.
    pub inits: Vec<Init>,
    pub many_args: bool,
}

pub(crate) fn tags<'a>(api: &'a Api) -> Vec<TagView<'a>> {
    api.tags
        .iter()
        .map(|tag| {
            let ops: Vec<_> = api.operations_of(tag).map(|o| super::operation::view(api, o)).collect();
            let uses_models = ops.iter().any(|o| {
                o.op.params.iter().filter(|p| p.required).any(|p| !p.ty.models().is_empty())
                    || o.op
                        .body
                        .as_ref()
                        .is_some_and(|b| b.required && b.content.value_ty().is_some_and(|ty| !ty.models().is_empty()))
            });
            let mut docs = vec![format!("# {}", crate::docs::inline(&tag.name))];
            if !tag.docs.is_empty() {
                docs.push(String::new());
                docs.extend(tag.docs.iter().cloned());
            }
            let scoped = api
                .scopes
                .iter()
                .map(|scope| {
                    let methods: Vec<ScopedMethod<'a>> = ops
                        .iter()
                        .filter(|x| scope.operations.contains(&x.op.method_name))
                        .map(|x| scoped_method(scope, x))
                        .collect();
                    (scope.handle.as_str(), methods)
                })
                .filter(|(_, methods)| !methods.is_empty())
                .collect();
            TagView { tag, docs, ops, uses_models, scoped }
        })
        .collect()
}

/// An operation's method on a scope's handle.
fn scoped_method<'a>(scope: &crate::ir::Scope, x: &super::operation::OperationView<'a>) -> ScopedMethod<'a> {
    let bound = &scope.param_rust;
    let args: Vec<(String, String)> = x.args.iter().filter(|(name, _)| name != bound).cloned().collect();
    let inits = x
        .fields
        .iter()
        .filter_map(|f| match &f.init {
            Some(_) if &f.name == bound => Some(Init::Bound(bound.clone())),
            init => init.clone(),
        })
        .collect();
    let doc = format!(
        "[`Client::{}`](crate::Client::{}) for this handle's `{}`.",
        x.op.method_name,
        x.op.method_name,
        crate::docs::code(&scope.param)
    );
    ScopedMethod { op: x.op, doc, many_args: args.len() > 6, args, inits }
}

/// `src/env.rs`: `Client::from_env`.
pub(crate) struct EnvView {
    /// The default prefix, e.g. `SUNSHINE_CONVERSATIONS`.
    pub prefix: String,
    /// The server when `BASE_URL` is unset.
    pub server: EnvServer,
    /// Table rows: (variables, meaning).
    pub rows: Vec<(String, String)>,
    /// Credential alternatives: (variables, the builder method taking their values).
    pub credentials: Vec<(Vec<String>, String)>,
}

/// The server `Client::from_env` connects to when `BASE_URL` is unset.
pub(crate) enum EnvServer {
    /// None: `BASE_URL` is required.
    Missing,
    /// A server without variables.
    Plain(String),
    /// A server whose variables are read from variables: (field, variable).
    Variables(String, Vec<(String, String)>),
}

pub(crate) fn env(api: &Api) -> EnvView {
    let prefix = api.krate.env_prefix.clone();
    let var = |name: &str| format!("`{prefix}_{name}`");
    let mut rows = vec![(var("BASE_URL"), "The API's base URL (e.g. of a mock server); else:".to_string())];
    let server = match api.servers.first() {
        None => EnvServer::Missing,
        Some(first) => {
            let vars: Vec<&crate::ir::ServerVariable> = first
                .parts
                .iter()
                .filter_map(|p| match p {
                    UrlPart::Variable(v) => Some(v),
                    UrlPart::Literal(_) => None,
                })
                .collect();
            if vars.is_empty() {
                rows.push((
                    "(none)".to_string(),
                    format!("[`Server::{}`](crate::Server::{})", first.variant, first.variant),
                ));
                EnvServer::Plain(first.variant.clone())
            } else {
                let fields: Vec<(String, String)> = vars
                    .iter()
                    .map(|v| {
                        rows.push((
                            var(&v.env),
                            format!(
                                "`{}` of [`Server::{}`](crate::Server::{})",
                                crate::docs::code(&v.wire_name),
                                first.variant,
                                first.variant
                            ),
                        ));
                        (v.rust_name.clone(), v.env.clone())
                    })
                    .collect();
                EnvServer::Variables(first.variant.clone(), fields)
            }
        }
    };
    let mut credentials = Vec::new();
    for method in api.security.iter().flat_map(|s| &s.methods).filter(|m| !m.env.is_empty()) {
        rows.push((
            method.env.iter().map(|n| var(n)).collect::<Vec<_>>().join(", "),
            format!("credentials for [`ClientBuilder::{}`](crate::ClientBuilder::{})", method.name, method.name),
        ));
        credentials.push((method.env.clone(), method.name.clone()));
    }
    EnvView { prefix, server, rows, credentials }
}

/// The webhook examples as fixtures: (payload type, example).
pub(crate) fn fixtures(api: &Api) -> Vec<(String, &crate::ir::WebhookExample)> {
    api.webhooks.iter().flat_map(|w| w.examples.iter().map(|e| (rust::ty(&w.payload, Models::Qualified), e))).collect()
}

/// `src/scopes.rs`: each handle and the `Client` method returning it.
pub(crate) fn scopes(api: &Api) -> Vec<(&crate::ir::Scope, Vec<String>)> {
    api.scopes
        .iter()
        .map(|scope| {
            let count = scope.operations.len();
            let docs = vec![
                format!(
                    "The {count} operations whose paths start with `{}`, for one `{}`: each a method",
                    crate::docs::code(&scope.prefix),
                    crate::docs::code(&scope.param)
                ),
                format!(
                    "named as on [`Client`](crate::Client), without the `{}` argument. Returned by",
                    scope.param_rust
                ),
                format!(
                    "[`Client::{}`](crate::Client::{}); cheap to clone (it holds a clone of the client).",
                    scope.method, scope.method
                ),
            ];
            (scope, docs)
        })
        .collect()
}

/// The operations by group, for API.md.
pub(crate) fn groups(api: &Api) -> Vec<(String, Vec<&crate::ir::Operation>)> {
    api.tags.iter().map(|tag| (crate::docs::inline(&tag.name), api.operations_of(tag).collect())).collect()
}

/// A webhook in API.md: its payload type, and the events its payload's arrays of tagged
/// unions hold: (tag value, variant).
pub(crate) type WebhookEvents<'a> = (&'a crate::ir::Webhook, String, Vec<(String, String)>);

/// Each webhook, its payload type, and its events.
pub(crate) fn webhook_events(api: &Api) -> Vec<WebhookEvents<'_>> {
    api.webhooks
        .iter()
        .map(|w| {
            let mut events = Vec::new();
            if let Some(ModelKind::Struct(s)) = w.payload.model().and_then(|m| api.model(m)).map(|m| &m.kind) {
                for field in &s.fields {
                    let Ty::List(item) = &field.ty else { continue };
                    let Some(ModelKind::Union(u)) = item.model().and_then(|m| api.model(m)).map(|m| &m.kind) else {
                        continue;
                    };
                    for v in &u.variants {
                        let tag = v.tags.first().cloned().unwrap_or_default();
                        events.push((tag, format!("{}::{}", item.model().unwrap_or_default(), v.rust_name)));
                    }
                }
            }
            (w, rust::ty(&w.payload, Models::Qualified), events)
        })
        .collect()
}

/// A variant of `Server`.
pub(crate) struct ServerView<'a> {
    pub server: &'a Server,
    /// Its variables, each once, in order of appearance.
    pub variables: Vec<&'a crate::ir::ServerVariable>,
    /// The `format!` pattern of its URL, and the variable of each `{}` in it (and
    /// whether it is in the path rather than the host).
    pub format: String,
    pub args: Vec<(String, bool)>,
}

pub(crate) fn servers(api: &Api) -> Vec<ServerView<'_>> {
    api.servers
        .iter()
        .map(|server| {
            let mut format = String::new();
            let mut args = Vec::new();
            let mut variables: Vec<&crate::ir::ServerVariable> = Vec::new();
            for part in &server.parts {
                match part {
                    UrlPart::Literal(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
                    UrlPart::Variable(v) => {
                        format.push_str("{}");
                        // After the host (the first `/` past `://`), a variable is part of the path.
                        let in_path = format.split_once("://").is_some_and(|(_, rest)| rest.contains('/'));
                        args.push((v.rust_name.clone(), in_path));
                        if !variables.iter().any(|known| known.rust_name == v.rust_name) {
                            variables.push(v);
                        }
                    }
                }
            }
            ServerView { server, variables, format, args }
        })
        .collect()
}

/// A builder method for one security scheme.
pub(crate) struct AuthMethodView {
    pub name: String,
    pub docs: Vec<String>,
    /// Parameters: (name, type).
    pub params: Vec<(String, String)>,
    /// The `Auth` it sets.
    pub auth: AuthCall,
}

/// `src/auth.rs`: a `ClientBuilder` method per scheme, and the scopes of minted JWTs.
pub(crate) struct AuthView {
    pub methods: Vec<AuthMethodView>,
    /// The scope claim's name and values (rust name, wire value), when a scheme mints JWTs.
    pub jwt: Option<(String, Vec<(String, String)>)>,
}

pub(crate) fn auth(api: &Api) -> AuthView {
    let mut methods = Vec::new();
    let secret = |name: &str| (name.to_string(), rust::into("String"));
    for scheme in &api.security {
        let mut docs = scheme.docs.clone();
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!("Security scheme `{}`.", crate::docs::code(&scheme.name)));
        for method in &scheme.methods {
            let (lead, params, auth) = match (method.kind, &scheme.kind) {
                (AuthKind::Basic, _) => (
                    vec![
                        "HTTP Basic authentication: a user name (an API key's id) and a password (its secret)."
                            .to_string(),
                    ],
                    vec![secret("user"), secret("password")],
                    AuthCall::Basic,
                ),
                (AuthKind::Bearer, _) => (
                    vec!["A ready-made bearer token, sent as `Authorization: Bearer <token>`.".to_string()],
                    vec![secret("token")],
                    AuthCall::Bearer,
                ),
                (AuthKind::Jwt, SchemeKind::Bearer { jwt: Some(minting), .. }) => (
                    vec![
                        "A JWT the client signs (HS256) with an API key's secret, the key's id as its `kid`,"
                            .to_string(),
                        format!(
                            "for `scope`; minted once (when the client is built, or these call options are set) and sent as a bearer token (claim `{}`).",
                            crate::docs::code(&minting.claim)
                        ),
                    ],
                    vec![secret("key_id"), secret("secret"), ("scope".into(), "JwtScope".into())],
                    AuthCall::Jwt(minting.claim.clone()),
                ),
                (AuthKind::ApiKey, SchemeKind::ApiKey { location, name }) => {
                    let (how, auth) = match location {
                        KeyLocation::Header => {
                            (format!("in the `{}` header", crate::docs::code(name)), AuthCall::Header(name.clone()))
                        }
                        KeyLocation::Query => (
                            format!("in the `{}` query parameter", crate::docs::code(name)),
                            AuthCall::Query(name.clone()),
                        ),
                        KeyLocation::Cookie => (
                            format!("in the `{}` cookie", crate::docs::code(name)),
                            AuthCall::Cookie(format!("{}={{}}", name.replace('{', "{{").replace('}', "}}"))),
                        ),
                    };
                    (vec![format!("An API key, sent {how} with every request.")], vec![secret("key")], auth)
                }
                // normalise gives a scheme only the methods its kind has.
                _ => continue,
            };
            let mut all = lead;
            all.push(String::new());
            all.extend(docs.iter().cloned());
            methods.push(AuthMethodView { name: method.name.clone(), docs: all, params, auth });
        }
    }
    let jwt = api.jwt().map(|minting| {
        (minting.claim.clone(), minting.scopes.iter().map(|s| (s.rust_name.clone(), s.wire_name.clone())).collect())
    });
    AuthView { methods, jwt }
}

/// `src/webhooks.rs`.
pub(crate) struct WebhooksView<'a> {
    pub webhooks: Vec<(&'a Webhook, String)>,
    /// The header the key comes in (lower case).
    pub key_header: String,
}

pub(crate) fn webhooks(api: &Api) -> WebhooksView<'_> {
    WebhooksView {
        webhooks: api.webhooks.iter().map(|w| (w, rust::ty(&w.payload, Models::Qualified))).collect(),
        key_header: api.key_header.to_ascii_lowercase(),
    }
}

/// One operation in `src/testing.rs`: its marker's types.
pub(crate) struct MockView<'a> {
    pub op: &'a crate::ir::Operation,
    pub response_ty: String,
    pub error_ty: String,
    pub body_ty: String,
    /// Its success example: `None`, the literal itself, or the name of the constant
    /// holding an example several operations share (printed once, so a changed example
    /// changes one line).
    pub example: Option<ExampleRef<'a>>,
}

/// How an operation's marker names its example.
pub(crate) enum ExampleRef<'a> {
    Literal(&'a str),
    Shared(String),
}

/// The mock markers of `src/testing.rs`, the examples several share (constant name,
/// text), and whether the markers name models.
pub(crate) fn mocks(api: &Api) -> (Vec<MockView<'_>>, Vec<(String, &str)>, bool) {
    let mut users: BTreeMap<&str, Vec<&crate::ir::Operation>> = BTreeMap::new();
    for op in &api.operations {
        if let Some(example) = &op.success.example {
            users.entry(example.as_str()).or_default().push(op);
        }
    }
    // Named after the first operation (in IR order) that answers with it.
    let shared: BTreeMap<&str, String> = users
        .iter()
        .filter(|(_, ops)| ops.len() > 1)
        .map(|(text, ops)| (*text, format!("{}_EXAMPLE", ops[0].mock_method.to_ascii_uppercase())))
        .collect();
    let mut constants: Vec<(String, &str)> = shared.iter().map(|(text, name)| (name.clone(), *text)).collect();
    constants.sort();
    let views = api
        .operations
        .iter()
        .map(|op| MockView {
            example: op.success.example.as_deref().map(|text| match shared.get(text) {
                Some(name) => ExampleRef::Shared(name.clone()),
                None => ExampleRef::Literal(text),
            }),
            op,
            response_ty: match &op.success.raw {
                // The mock takes the bytes it answers with.
                Some(raw) if !raw.text => "Vec<u8>".to_string(),
                _ => rust::success_ty(&op.success),
            },
            error_ty: rust::error_ty(api, op),
            body_ty: match op.body.as_ref().map(|b| &b.content) {
                Some(BodyContent::Json(ty)) => rust::ty(ty, Models::Qualified),
                _ => "()".to_string(),
            },
        })
        .collect();
    (views, constants, api.mocks_name_models())
}
