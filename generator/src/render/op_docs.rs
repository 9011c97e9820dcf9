//! The documentation of an operation's `Client` method: what to pass (with types and
//! constraints), what comes back, which credentials and media types, every documented
//! status with what the caller gets, and an example that compiles (`no_run`).

use serde_json::Value;

use super::checks;
use super::rust::{self, Models};
use crate::ir::{
    Api, BodyContent, Constraints, Method, ModelKind, Operation, Presence, ResponseCase, SchemeKind, Status, Ty,
};

/// The doc lines of `op`'s `Client` method.
pub(crate) fn method_docs(api: &Api, op: &Operation) -> Vec<String> {
    let mut docs = Vec::new();
    if let Some(summary) = &op.summary {
        docs.push(summary.clone());
    }
    if !op.description.is_empty() {
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.extend(op.description.iter().cloned());
    }
    if !docs.is_empty() {
        docs.push(String::new());
    }
    let (path, id) = (crate::docs::code(&op.path), crate::docs::code(&op.operation_id));
    docs.push(format!("`{} {path}` (operation `{id}`).", op.method));
    if op.deprecated {
        docs.push(String::new());
        docs.push("**Deprecated**: the API description marks this operation deprecated.".to_string());
    }
    if let Some(p) = &op.pagination {
        let order = match p.direction {
            crate::ir::Direction::Forward => "oldest first",
            crate::ir::Direction::Backward => "the newest page first; `into_stream()` yields the newest item first",
        };
        let next: Vec<&str> = p.next_cursor.iter().map(|s| s.wire_name.as_str()).collect();
        docs.push(String::new());
        docs.push(format!(
            "Paginated ({order}): [`into_stream`](crate::operations::{}::into_stream) and [`into_pages`](crate::operations::{}::into_pages) follow `{}` from `{}` across pages.",
            op.builder,
            op.builder,
            crate::docs::code(&p.cursor_wire),
            crate::docs::code(&next.join("."))
        ));
    }
    arguments(api, op, &mut docs);
    returns(api, op, &mut docs);
    authentication(api, op, &mut docs);
    responses(api, op, &mut docs);
    docs
}

/// A Markdown list item from several lines: the first after `lead`, the rest indented
/// under it (blank lines kept, so paragraphs stay in the item).
pub(crate) fn list_item(lead: &str, lines: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = lines.iter();
    out.push(format!("- {lead}{}", lines.next().map(String::as_str).unwrap_or_default()).trim_end().to_string());
    for line in lines {
        out.push(if line.is_empty() { String::new() } else { format!("  {line}") });
    }
    out
}

/// What a value's doc says beyond its description: its constraints and, for an enum,
/// its values.
fn value_notes(api: &Api, ty: &Ty, constraints: &Constraints) -> Vec<String> {
    let mut notes = checks::notes(ty, constraints);
    let enum_of = |ty: &Ty| match ty.model().and_then(|m| api.model(m)).map(|m| &m.kind) {
        Some(ModelKind::StringEnum(e)) => {
            Some(e.variants.iter().map(|v| format!("`{}`", crate::docs::code(&v.wire_name))).collect::<Vec<_>>())
        }
        _ => None,
    };
    let values = match ty {
        Ty::List(item) => enum_of(item),
        other => enum_of(other),
    };
    if let Some(values) = values.filter(|v| !v.is_empty()) {
        notes.push(format!("One of {}.", values.join(", ")));
    }
    notes
}

fn described(description: &[String], notes: Vec<String>) -> Vec<String> {
    let mut lines = description.to_vec();
    if !notes.is_empty() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(notes);
    }
    lines
}

fn arguments(api: &Api, op: &Operation, docs: &mut Vec<String>) {
    let mut required: Vec<Vec<String>> = Vec::new();
    let mut optional: Vec<Vec<String>> = Vec::new();
    for p in &op.params {
        let ty = rust::ty(&p.ty, Models::Qualified);
        let lines = described(&p.docs, value_notes(api, &p.ty, &p.constraints));
        let deprecated = if p.deprecated { " (deprecated)" } else { "" };
        let sent = format!("{} `{}`", location(p.location), crate::docs::code(&p.wire_name));
        if p.required {
            required.push(list_item(&format!("`{}` (`{ty}`, {sent}){deprecated}: ", p.rust_name), &lines));
        } else {
            let link = format!("[`{}`](crate::operations::{}::{})", p.rust_name, op.builder, p.rust_name);
            optional.push(list_item(&format!("{link} (`{ty}`, {sent}){deprecated}: "), &lines));
        }
    }
    if let Some(body) = &op.body {
        match &body.content {
            content @ (BodyContent::Json(_) | BodyContent::Form(_) | BodyContent::Raw { .. }) => {
                let written = rust::body_value_ty(content).unwrap_or_default();
                let lines =
                    if body.docs.is_empty() { vec!["The request body.".to_string()] } else { body.docs.clone() };
                let media = crate::docs::code(&body.media_type);
                if body.required {
                    required.push(list_item(&format!("`body` (`{written}`, sent as `{media}`): "), &lines));
                } else {
                    let link = format!("[`body`](crate::operations::{}::body)", op.builder);
                    optional.push(list_item(&format!("{link} (`{written}`, sent as `{media}`): "), &lines));
                }
            }
            BodyContent::Multipart(parts) => {
                for part in parts {
                    let ty = if part.ty == Ty::File {
                        "crate::FileUpload".to_string()
                    } else {
                        rust::ty(&part.ty, Models::Qualified)
                    };
                    let field = format!("form field `{}`", crate::docs::code(&part.wire_name));
                    if part.required {
                        required.push(list_item(&format!("`{}` (`{ty}`, {field}): ", part.rust_name), &part.docs));
                    } else {
                        let link =
                            format!("[`{}`](crate::operations::{}::{})", part.rust_name, op.builder, part.rust_name);
                        optional.push(list_item(&format!("{link} (`{ty}`, {field}): "), &part.docs));
                    }
                }
            }
        }
    }
    for (title, items) in
        [("# Arguments", required), ("# Optional parameters (setters of the request builder)", optional)]
    {
        if items.is_empty() {
            continue;
        }
        docs.push(String::new());
        docs.push(title.to_string());
        docs.push(String::new());
        docs.extend(items.into_iter().flatten());
    }
}

fn location(location: crate::ir::Location) -> &'static str {
    match location {
        crate::ir::Location::Path => "path",
        crate::ir::Location::Query => "query",
        crate::ir::Location::DeepObject => "query (deepObject)",
        crate::ir::Location::Header => "header",
    }
}

fn returns(api: &Api, op: &Operation, docs: &mut Vec<String>) {
    docs.push(String::new());
    docs.push("# Returns".to_string());
    docs.push(String::new());
    let media = op.accept.iter().map(|m| format!("`{}`", crate::docs::code(m))).collect::<Vec<_>>().join(", ");
    match (&op.success.ty, &op.success.raw) {
        (Some(ty), _) => {
            let written = rust::ty(ty, Models::Qualified);
            docs.push(format!(
                "[`Response<{written}>`](crate::Response), with the status and headers, which derefs to the decoded `{written}` (`into_body()` takes it)."
            ));
        }
        (None, Some(raw)) => {
            let written = rust::success_ty(&op.success);
            let how = if raw.text { "as text (UTF-8)" } else { "as bytes" };
            docs.push(format!(
                "[`Response<{written}>`](crate::Response), with the status and headers: the `{}` body {how}, as it came (within the client's byte limit, `max_response_bytes`).",
                crate::docs::code(&raw.media_type)
            ));
        }
        (None, None) => {
            docs.push("[`Response<()>`](crate::Response): the status and headers; the body is not read.".to_string())
        }
    }
    let error = rust::error_ty(api, op);
    docs.push(format!(
        "Errors are [`Error<{error}>`](crate::Error): API errors carry the body as `{error}` when it decodes as one. Accepts {media}."
    ));
}

fn authentication(api: &Api, op: &Operation, docs: &mut Vec<String>) {
    docs.push(String::new());
    docs.push("# Authentication".to_string());
    docs.push(String::new());
    if op.security.is_empty() || op.security.iter().any(Vec::is_empty) {
        docs.push("No credentials needed.".to_string());
        return;
    }
    docs.push("Any one of:".to_string());
    docs.push(String::new());
    for alternative in &op.security {
        let parts: Vec<String> = alternative
            .iter()
            .map(|requirement| {
                let scheme = crate::docs::code(&requirement.scheme);
                let scopes = if requirement.scopes.is_empty() {
                    String::new()
                } else {
                    let list: Vec<String> =
                        requirement.scopes.iter().map(|s| format!("`{}`", crate::docs::code(s))).collect();
                    format!(" (scopes {})", list.join(", "))
                };
                let found = api.security.iter().find(|s| s.name == requirement.scheme);
                let methods: Vec<&str> = found.into_iter().flat_map(|s| &s.methods).map(|m| m.name.as_str()).collect();
                let set = if methods.is_empty() {
                    match found.map(|s| &s.kind) {
                        Some(SchemeKind::Other { .. }) | None => {
                            ", set with [`ClientBuilder::auth`](crate::ClientBuilder::auth)".to_string()
                        }
                        Some(_) => String::new(),
                    }
                } else {
                    let links: Vec<String> =
                        methods.iter().map(|m| format!("[`{m}`](crate::ClientBuilder::{m})")).collect();
                    format!(", set with {}", links.join(" or "))
                };
                format!("`{scheme}`{scopes}{set}")
            })
            .collect();
        docs.push(format!("- {}", parts.join(" and ")));
    }
}

/// What the caller gets for a status: the result, and whether the client retries it.
fn outcome(api: &Api, op: &Operation, case: &ResponseCase) -> (String, &'static str) {
    let idempotent = op.idempotent;
    let retried = |code: u16| match code {
        429 => "yes",
        502..=504 if idempotent => "yes",
        _ => "no",
    };
    let error = rust::error_ty(api, op);
    let error_body = match &case.ty {
        Some(ty) if Some(ty) == api.error_body(op) => format!("typed `{}`", rust::ty(ty, Models::Qualified)),
        Some(_) | None if case.media_types.is_empty() => "no body".to_string(),
        _ => format!("the body as text (`ApiErrorBody::Raw`) unless it decodes as `{error}`"),
    };
    match case.status {
        Status::Code(code @ 200..=299) | Status::Code(code @ 300..=399) if code < 300 || op.success.redirects => {
            let body = match (&op.success.ty, &op.success.raw) {
                (Some(_), _) | (_, Some(_)) if code < 300 => {
                    format!("`Ok(Response)` with `{}`", rust::success_ty(&op.success))
                }
                _ => "`Ok(Response)`".to_string(),
            };
            (body, "-")
        }
        Status::Class(2) => ("`Ok(Response)`".to_string(), "-"),
        Status::Code(code) => (format!("`Err(Error::Api)`, {error_body}"), retried(code)),
        Status::Class(5) => (format!("`Err(Error::Api)`, {error_body}"), if idempotent { "502-504" } else { "no" }),
        Status::Class(4) => (format!("`Err(Error::Api)`, {error_body}"), "429"),
        Status::Class(_) => (format!("`Err(Error::Api)`, {error_body}"), "no"),
        Status::Default => (format!("`Err(Error::Api)`, {error_body}"), "429, 502-504 as below"),
    }
}

fn responses(api: &Api, op: &Operation, docs: &mut Vec<String>) {
    docs.push(String::new());
    docs.push("# Responses".to_string());
    docs.push(String::new());
    docs.push("| Status | Meaning | The call returns | Retried |".to_string());
    docs.push("|---|---|---|---|".to_string());
    for case in &op.responses {
        let status = match case.status {
            Status::Code(code) => code.to_string(),
            Status::Class(class) => format!("{class}XX"),
            Status::Default => "other".to_string(),
        };
        let meaning = crate::docs::inline(&case.docs.join(" ")).replace('|', "\\|");
        let meaning = if meaning.is_empty() { "-".to_string() } else { meaning };
        let (result, retried) = outcome(api, op, case);
        docs.push(format!("| {status} | {meaning} | {result} | {retried} |"));
    }
    docs.push(String::new());
    docs.push(if op.idempotent {
        format!(
            "`{}` is idempotent: `429`, `502`, `503`, `504`, timeouts and transport errors are retried (see [`RetryPolicy`](crate::RetryPolicy)).",
            op.method
        )
    } else if matches!(op.method, Method::Post | Method::Patch) {
        format!("`{}` is not idempotent: only `429` is retried (see [`RetryPolicy`](crate::RetryPolicy)).", op.method)
    } else {
        format!(
            "`{}` is not among the methods the client retries after `502`-`504`, timeouts and transport errors: only `429` is retried (see [`RetryPolicy`](crate::RetryPolicy)).",
            op.method
        )
    });
}

/// The compiled (`no_run`) example ending an operation's docs (printed by
/// `templates/example.rs`): the call with realistic values (the spec's examples, else
/// values its types admit), then the body.
pub(crate) struct Example {
    /// The crate's library name.
    pub lib: String,
    /// Some setup value's type names a model (`use <lib>::models;`).
    pub uses_models: bool,
    /// Values built before the call.
    pub setup: Vec<Setup>,
    /// The `Client` method.
    pub method: String,
    /// Its arguments.
    pub args: Vec<Arg>,
    /// The operation is deprecated (the call is allowed).
    pub deprecated: bool,
    /// The call returns a body (printed), else only its status.
    pub body: bool,
    /// The operation's error body type, with the crate's path (`lib::models::ErrorResponse`).
    pub error_ty: String,
}

/// A value built before the call.
pub(crate) enum Setup {
    /// `let name: ty = serde_json::from_str(r#"..."#)?;` from pretty JSON lines.
    Json { name: String, ty: String, hashes: String, lines: Vec<String> },
    /// A file to upload.
    File { name: String },
}

/// An argument of the call.
pub(crate) enum Arg {
    /// A string literal.
    Str(String),
    /// An integer and its type: `1_i64`.
    Int(String, &'static str),
    /// A float: `1.5_f64`.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// A value of the setup, by name.
    Name(String),
}

/// The example of an operation's `Client` method.
pub(crate) fn example(api: &Api, op: &Operation) -> Example {
    let mut setup = Vec::new();
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let value = p.example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok());
        let value = value.unwrap_or_else(|| sample(api, &p.ty, &p.wire_name, 0));
        args.push(argument(&p.ty, &value, &p.rust_name, &mut setup));
    }
    if let Some(body) = &op.body {
        match &body.content {
            BodyContent::Json(ty) | BodyContent::Form(ty) if body.required => {
                let value = op.request_example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok());
                let value = value.unwrap_or_else(|| sample(api, ty, "body", 0));
                args.push(argument(ty, &value, "body", &mut setup));
            }
            // A string literal converts into a `String` and into `bytes::Bytes`.
            BodyContent::Raw { .. } if body.required => {
                let value = op.request_example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok());
                args.push(match value {
                    Some(Value::String(text)) => Arg::Str(text),
                    _ => Arg::Str("body".to_string()),
                });
            }
            BodyContent::Multipart(parts) => {
                for part in parts.iter().filter(|p| p.required) {
                    if part.ty == Ty::File {
                        setup.push((Setup::File { name: part.rust_name.clone() }, false));
                        args.push(Arg::Name(part.rust_name.clone()));
                    } else {
                        let value = sample(api, &part.ty, &part.wire_name, 0);
                        args.push(argument(&part.ty, &value, &part.rust_name, &mut setup));
                    }
                }
            }
            _ => {}
        }
    }
    Example {
        lib: api.krate.lib.clone(),
        uses_models: setup.iter().any(|(_, models)| *models),
        setup: setup.into_iter().map(|(setup, _)| setup).collect(),
        method: op.method_name.clone(),
        args,
        deprecated: op.deprecated,
        body: op.success.ty.is_some() || op.success.raw.is_some(),
        error_ty: match rust::error_ty(api, op) {
            ty if ty.starts_with("models::") => format!("{}::{ty}", api.krate.lib),
            ty => ty,
        },
    }
}

/// The argument passing `value` as type `ty`: a literal for a scalar, the decoded
/// example for a model (a value of `setup`, marked when its type names a model).
fn argument(ty: &Ty, value: &Value, name: &str, setup: &mut Vec<(Setup, bool)>) -> Arg {
    match (ty, value) {
        (Ty::String, Value::String(text)) => Arg::Str(text.clone()),
        (Ty::String, other) => Arg::Str(other.to_string()),
        (Ty::Integer(int), Value::Number(n)) if n.as_i64().is_some_and(|n| fits(*int, n)) => {
            Arg::Int(n.to_string(), rust::integer(*int))
        }
        (Ty::Integer(int), _) => Arg::Int("1".to_string(), rust::integer(*int)),
        (Ty::Number, Value::Number(n)) => Arg::Float(format!("{:?}", n.as_f64().unwrap_or(1.0))),
        (Ty::Number, _) => Arg::Float("1.0".to_string()),
        (Ty::Boolean, Value::Bool(b)) => Arg::Bool(*b),
        (Ty::Boolean, _) => Arg::Bool(true),
        _ => {
            let json = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
            let lines = json.lines().map(str::to_string).collect();
            let json_setup = Setup::Json {
                name: name.to_string(),
                ty: rust::ty(ty, Models::Qualified),
                hashes: hashes(&json),
                lines,
            };
            setup.push((json_setup, !ty.models().is_empty()));
            Arg::Name(name.to_string())
        }
    }
}

/// Whether `n` is a value of the integer type.
fn fits(int: crate::ir::IntTy, n: i64) -> bool {
    let (min, max) = int.range();
    (min..=max).contains(&i128::from(n))
}

/// The hashes of a raw string literal that can hold `text`.
fn hashes(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    hashes
}

/// A value of type `ty` for an example, when the spec gives none: what its type admits
/// (an enum's first value, required fields only, one item per array).
pub(crate) fn sample(api: &Api, ty: &Ty, name: &str, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    match ty {
        Ty::String | Ty::File => Value::String(name.trim_matches('_').to_string()),
        Ty::Integer(_) => Value::from(1),
        Ty::Number => Value::from(1.5),
        Ty::Boolean => Value::Bool(true),
        Ty::Any | Ty::Object | Ty::Map(_) => Value::Object(serde_json::Map::new()),
        Ty::List(item) => Value::Array(vec![sample(api, item, name, depth + 1)]),
        Ty::Model(model) => match api.model(model).map(|m| &m.kind) {
            Some(ModelKind::StringEnum(e)) => {
                e.variants.first().map_or(Value::String(name.to_string()), |v| Value::String(v.wire_name.clone()))
            }
            Some(ModelKind::Struct(s)) => {
                let mut object = serde_json::Map::new();
                if let Some(tag) = &s.tag {
                    object.insert(tag.property.clone(), Value::String(tag.value.clone()));
                }
                for f in s.fields.iter().filter(|f| f.presence == Presence::Required) {
                    object.insert(f.wire_name.clone(), sample(api, &f.ty, &f.wire_name, depth + 1));
                }
                // An object with no required member is sent with one: an empty one says
                // nothing (a required query object is refused empty).
                if let (true, Some(first)) = (object.is_empty(), s.fields.iter().find(|f| !f.read_only)) {
                    object.insert(first.wire_name.clone(), sample(api, &first.ty, &first.wire_name, depth + 1));
                }
                Value::Object(object)
            }
            Some(ModelKind::Union(u)) => u
                .variants
                .first()
                .map_or(Value::Object(serde_json::Map::new()), |v| sample(api, &v.ty, name, depth + 1)),
            None => Value::Null,
        },
    }
}
