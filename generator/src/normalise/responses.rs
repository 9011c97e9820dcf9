//! Responses: the success type, the error type and the `Accept` header.

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::Models;
use crate::diagnostics::{Reporter, join};
use crate::openapi::is_json;

/// Response codes in order (`200` < `201` < `2XX` < `default`).
fn responses(op: &Value) -> Vec<(&str, &Value)> {
    let mut list: Vec<_> =
        op.get("responses").and_then(Value::as_object).into_iter().flatten().map(|(k, v)| (k.as_str(), v)).collect();
    list.sort_by_key(|(k, _)| k.to_string());
    list
}

/// The schema of a response's JSON content, with its pointer.
fn json_schema<'t>(
    models: &Models<'t>,
    at: &str,
    response: &'t Value,
    report: &mut Reporter<'_>,
) -> Option<(String, &'t Value)> {
    let (at, response) = models.resolve(at, response, report)?;
    let content = response.get("content").and_then(Value::as_object)?;
    let (media, media_node) = content.iter().find(|(k, _)| is_json(k))?;
    let schema = media_node.get("schema")?;
    Some((join(&join(&join(&at, "content"), media), "schema"), schema))
}

/// What a successful call returns.
pub(crate) struct Success {
    /// Body type, `()` when there is none.
    pub ty: String,
    /// The body is JSON.
    pub json: bool,
    /// The model the body is, if it is one.
    pub model: Option<String>,
    /// A 2xx may come without a body.
    pub empty_ok: bool,
    /// A 3xx is documented (and returned to the caller rather than followed).
    pub redirects: bool,
    /// The first documented 2xx status.
    pub status: u16,
    /// The spec's example of that response's JSON body.
    pub example: Option<String>,
}

/// The success type: the first 2xx response with a JSON body.
pub(crate) fn success<'t>(
    models: &mut Models<'t>,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    report: &mut Reporter<'_>,
) -> Success {
    let list = responses(op);
    let redirects = list.iter().any(|(code, _)| code.starts_with('3'));
    let status =
        list.iter().find_map(|(code, _)| code.parse::<u16>().ok().filter(|c| (200..300).contains(c))).unwrap_or(200);
    let example =
        list.iter().find(|(code, _)| code.starts_with('2')).and_then(|(_, response)| json_example(models, response));
    let mut found = None;
    let mut bodiless = false;
    for (code, response) in &list {
        if !code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        match json_schema(models, &at, response, report) {
            Some((schema_at, schema)) if found.is_none() => {
                let free_form = is_free_form(models, &schema_at, schema);
                let info = models.type_of(&schema_at, schema, &format!("{stem}Response"), report);
                found = Some((info.ty, free_form));
            }
            Some(_) => {}
            None => bodiless = true,
        }
    }
    match found {
        Some((ty, free_form)) => Success {
            ty: ty.render("models::"),
            json: true,
            model: ty.direct_model().map(str::to_string),
            empty_ok: bodiless || free_form,
            redirects,
            status,
            example,
        },
        None => {
            Success { ty: "()".to_string(), json: false, model: None, empty_ok: true, redirects, status, example: None }
        }
    }
}

/// The example of a response's JSON content: `example`, else the first of `examples`
/// (following `$ref`s into `components/examples`), as compact JSON.
fn json_example<'t>(models: &Models<'t>, response: &'t Value) -> Option<String> {
    let tree = models.tree;
    let resolve = |node: &'t Value| crate::openapi::resolve(tree, "", node).ok().map(|(_, n)| n);
    let response = resolve(response)?;
    let (_, media) = response.get("content")?.as_object()?.iter().find(|(k, _)| is_json(k))?;
    let value = match media.get("example") {
        Some(example) => example,
        None => resolve(media.get("examples")?.as_object()?.values().next()?)?.get("value")?,
    };
    serde_json::to_string(value).ok()
}

/// A schema that an empty object satisfies and that says nothing more (`type: object`
/// without properties): an empty body means the same.
fn is_free_form(models: &Models<'_>, at: &str, schema: &Value) -> bool {
    // Broken references are reported when the schema is typed.
    let Ok((_, node)) = crate::openapi::resolve(models.tree, at, schema) else { return false };
    let no_properties = node.get("properties").and_then(Value::as_object).is_none_or(|p| p.is_empty());
    node.get("type").and_then(Value::as_str) == Some("object")
        && no_properties
        && node.get("required").is_none()
        && node.get("allOf").is_none()
        && node.get("oneOf").is_none()
        && node.get("anyOf").is_none()
}

/// The error body type: the one JSON type all error responses share, else raw JSON.
pub(crate) fn error_type<'t>(
    models: &mut Models<'t>,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    report: &mut Reporter<'_>,
) -> String {
    let mut types = BTreeSet::new();
    for (code, response) in responses(op) {
        if code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        if let Some((schema_at, schema)) = json_schema(models, &at, response, report) {
            let info = models.type_of(&schema_at, schema, &format!("{stem}Error"), report);
            types.insert(info.ty.render("models::"));
        }
    }
    match types.len() {
        1 => types.into_iter().next().unwrap_or_default(),
        _ => "serde_json::Value".to_string(),
    }
}

/// The `Accept` header: JSON when any response documents it, plus the other media
/// types the responses document (`text/plain` for a redirect's body), in order.
pub(crate) fn accept(models: &Models<'_>, op: &Value) -> String {
    let mut media: Vec<String> = Vec::new();
    let mut json = false;
    for (_, response) in responses(op) {
        let Ok((_, response)) = crate::openapi::resolve(models.tree, "", response) else { continue };
        for key in response.get("content").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
            let essence = key.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if is_json(&essence) {
                json = true;
            } else if is_token_type(&essence) && !media.contains(&essence) {
                media.push(essence);
            }
        }
    }
    if json || media.is_empty() {
        media.insert(0, "application/json".to_string());
    }
    media.join(", ")
}

/// `type/subtype` made of header-safe token characters (anything else stays out of
/// the header).
fn is_token_type(media: &str) -> bool {
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b));
    matches!(media.split_once('/'), Some((a, b)) if token(a) && token(b))
}
