//! Path, query and header parameters, and the path template's pieces.

use serde_json::Value;

use super::Namer;
use super::schema::{Models, Use};
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::fates::Object;
use crate::ir::{Location, Param, PathPart, Ty};
use crate::names::{pascal, snake};
use crate::openapi::OperationRef;

/// Builder fields and methods a parameter must not shadow (`body` is the body's).
pub(crate) fn builder_reserved() -> Vec<&'static str> {
    let mut names = crate::vocabulary::REQUEST_BUILDER.to_vec();
    names.push("body");
    names
}

/// Path-level parameters merged with the operation's (which override by name and location).
pub(crate) fn parameters<'t>(
    site: &OperationRef<'t>,
    stem: &str,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Vec<Param> {
    let mut raw: Vec<(String, &'t Value)> = Vec::new();
    let lists = [(site.item_pointer.clone(), site.item), (site.pointer.clone(), site.op)];
    for (owner, node) in lists {
        let Some(list) = node.get("parameters").and_then(Value::as_array) else { continue };
        for (i, param) in list.iter().enumerate() {
            let at = join(&join(&owner, "parameters"), &i.to_string());
            let Some((at, param)) = models.resolve(&at, param, report) else { continue };
            // `content` is refused below, with the parameter's name.
            crate::fates::check(Object::Parameter, &at, param, &["content"], false, report);
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            raw.retain(|(_, existing)| key(existing) != key(param));
            raw.push((at, param));
        }
    }
    let mut namer = Namer::with_reserved(&builder_reserved());
    let mut out = Vec::new();
    for (at, param) in raw {
        let Some(wire) = param.get("name").and_then(Value::as_str) else {
            report.error(&at, "a parameter needs a `name`", None);
            continue;
        };
        let place = param.get("in").and_then(Value::as_str).unwrap_or_default();
        let style = param.get("style").and_then(Value::as_str);
        let Some(schema) = param.get("schema") else {
            report.unsupported(
                &at,
                "parameters described with `content` instead of `schema` are not supported",
                Some("use `schema`"),
            );
            continue;
        };
        let hint = format!("{stem}{}", pascal(wire));
        let info = models.type_of(&join(&at, "schema"), schema, &hint, report);
        let scalar = |ty: &Ty| match ty {
            Ty::String | Ty::Integer(_) | Ty::Number | Ty::Boolean => true,
            Ty::Model(name) => models.is_string_enum(name) || models.is_scalar_union(name),
            _ => false,
        };
        let list_of_scalars = matches!(&info.ty, Ty::List(item) if scalar(item));
        let location = match (place, style) {
            ("path", None | Some("simple")) if scalar(&info.ty) => Location::Path,
            ("query", Some("deepObject")) if matches!(&info.ty, Ty::Model(name) if !models.is_string_enum(name)) => {
                Location::DeepObject
            }
            ("query", None | Some("form")) if scalar(&info.ty) || list_of_scalars => Location::Query,
            ("header", None | Some("simple")) if scalar(&info.ty) => match header_rule(wire, models.tree) {
                HeaderRule::Send => Location::Header,
                HeaderRule::Ignore(why) => {
                    report.warn(
                        &at,
                        format!("header parameter `{wire}` is ignored: {why}"),
                        Some("remove the parameter"),
                    );
                    continue;
                }
                HeaderRule::Refuse(why) => {
                    report.unsupported(&at, format!("header parameter `{wire}`: {why}"), Some(why_hint(wire)));
                    continue;
                }
            },
            ("header", _) => {
                report.unsupported(
                    &at,
                    format!("header parameter `{wire}` with style `{}` and this schema is not supported", style.unwrap_or("default")),
                    Some("supported: header parameters of a string, integer, number, boolean or string enum schema, style `simple`"),
                );
                continue;
            }
            ("cookie", _) => {
                report.unsupported(
                    &at,
                    "cookie parameters are not supported",
                    Some("send the `Cookie` header yourself (`CallOptions::header`)"),
                );
                continue;
            }
            _ => {
                report.unsupported(
                    &at,
                    format!(
                        "parameter `{wire}` in `{place}` with style `{}` and this schema is not supported",
                        style.unwrap_or("default")
                    ),
                    Some("supported: scalar path segments, form query scalars and arrays of scalars, deepObject query objects"),
                );
                continue;
            }
        };
        let mut required = param.get("required").and_then(Value::as_bool).unwrap_or(false);
        if location == Location::Path && !required {
            report.warn(&at, "path parameters are always required; treated as required", Some("add `required: true`"));
            required = true;
        }
        if param.get("explode").and_then(Value::as_bool) == Some(false) && matches!(info.ty, Ty::List(_)) {
            report.unsupported(
                &at,
                "`explode: false` arrays are not supported",
                Some("use the default `explode: true`"),
            );
            continue;
        }
        models.mark_request(&info.ty, Use::Request);
        let rust_name = namer.claim(&snake(wire), &at, report);
        let mut docs = param.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if docs.is_empty() {
            docs.push(format!("The `{}` parameter.", crate::docs::code(wire)));
        }
        let deprecated = param.get("deprecated").and_then(Value::as_bool).unwrap_or(false) || info.deprecated;
        let example = param
            .get("example")
            .or_else(|| param.get("examples").and_then(Value::as_object).and_then(|e| e.values().next()?.get("value")))
            .or_else(|| schema.get("example"))
            .and_then(|value| serde_json::to_string(value).ok());
        out.push(Param {
            rust_name,
            wire_name: wire.to_string(),
            location,
            ty: info.ty,
            required,
            deprecated,
            constraints: info.constraints,
            docs,
            example,
        });
    }
    out
}

/// What becomes of a header parameter, by its name.
enum HeaderRule {
    /// A typed setter; sent as a request header.
    Send,
    /// Dropped with a warning: the client sends this header itself, as OpenAPI says
    /// (`Accept`, `Content-Type`, `Authorization` "SHALL be ignored") or as an API key
    /// scheme of the document does.
    Ignore(String),
    /// The operation cannot be expressed with it (left out, or refused when strict).
    Refuse(String),
}

/// Headers the client or its HTTP stack writes, which a parameter cannot set: the
/// runtime's `Accept`, `Content-Type` and credentials (`runtime/execute.rs`, `headers`),
/// its `User-Agent` (`runtime/client.rs`), and the framing and connection headers hyper
/// writes. Lower-case.
const MANAGED_HEADERS: &[&str] = &[
    "connection",
    "content-length",
    "expect",
    "host",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
];

/// The one rule for which header parameters become setters (see [`HeaderRule`]).
fn header_rule(wire: &str, tree: &Value) -> HeaderRule {
    const TOKEN_PUNCTUATION: &str = "!#$%&'*+-.^_`|~";
    if wire.is_empty() || !wire.chars().all(|c| c.is_ascii_alphanumeric() || TOKEN_PUNCTUATION.contains(c)) {
        return HeaderRule::Refuse("the name is not an HTTP header name (a token)".to_string());
    }
    let lower = wire.to_ascii_lowercase();
    if ["accept", "content-type", "authorization"].contains(&lower.as_str()) {
        return HeaderRule::Ignore("the client sends it itself (OpenAPI: such a parameter is ignored)".to_string());
    }
    let key_headers = tree
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemes| schemes.values())
        .filter(|s| {
            s.get("type").and_then(Value::as_str) == Some("apiKey")
                && s.get("in").and_then(Value::as_str) == Some("header")
        })
        .filter_map(|s| s.get("name").and_then(Value::as_str));
    for name in key_headers {
        if name.eq_ignore_ascii_case(wire) {
            return HeaderRule::Ignore("the client sends the API key of a security scheme in it".to_string());
        }
    }
    if MANAGED_HEADERS.contains(&lower.as_str()) {
        return HeaderRule::Refuse("the client or its HTTP stack manages this header".to_string());
    }
    HeaderRule::Send
}

/// The hint for a header parameter the operation cannot have.
fn why_hint(wire: &str) -> &'static str {
    if wire.eq_ignore_ascii_case("user-agent") {
        "set the user agent with `ClientBuilder::user_agent`, and remove the parameter"
    } else {
        "remove the parameter, or rename it if the API means another header"
    }
}

pub(crate) fn path_parts(path: &str, params: &[Param], pointer: &str, report: &mut Reporter<'_>) -> Vec<PathPart> {
    if let Some(problem) = literal_problem(path) {
        report.error(
            pointer,
            format!("the path template `{}` {problem}: the request would go to another path than the one described", path.escape_debug()),
            Some("write the path as the server routes it: `/` segments of letters, digits, `-._~` and percent-escapes, and `{name}` parameters"),
        );
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let wire = &rest[open + 1..open + close];
        match params.iter().find(|p| p.location == Location::Path && p.wire_name == wire) {
            Some(p) => parts.push(PathPart::Param(p.rust_name.clone())),
            None => report.error(
                pointer,
                format!("the path template names `{{{wire}}}` but no path parameter `{wire}` is declared"),
                Some("declare the parameter with `in: path` on the path or the operation"),
            ),
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    for p in params.iter().filter(|p| p.location == Location::Path) {
        if !path.contains(&format!("{{{}}}", p.wire_name)) {
            report.error(
                pointer,
                format!("path parameter `{}` does not appear in the path", p.wire_name),
                Some("remove it or add it to the path template"),
            );
        }
    }
    parts
}

/// What is wrong with a path template's literal text, if anything: a query or fragment
/// (`?`, `#`: the URL would end there), a `.` or `..` segment (normalised away by every
/// URL parser), an unbalanced brace, a backslash or a control character. Other characters are
/// percent-encoded by the URL parser as needed.
fn literal_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some("does not start with `/`".to_string());
    }
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' if depth > 0 => return Some("nests `{` inside a parameter".to_string()),
            '{' => depth += 1,
            '}' if depth == 0 => return Some("has a `}` that closes nothing".to_string()),
            '}' => depth -= 1,
            '?' | '#' => return Some(format!("holds `{c}`, which ends a URL's path")),
            // A URL parser reads `\` as `/` and drops tabs and line breaks.
            '\\' => return Some("holds `\\`, which URL parsers read as `/`".to_string()),
            c if c.is_control() => return Some(format!("holds the control character {c:?}")),
            _ => {}
        }
    }
    if depth > 0 {
        return Some("has a `{` that is never closed".to_string());
    }
    path.split('/')
        .any(|segment| segment == "." || segment == "..")
        .then(|| "has a `.` or `..` segment, which URL parsers remove".to_string())
}
