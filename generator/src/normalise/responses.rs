//! Responses: every documented one, the success type, the error type and the `Accept`
//! header.

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::Models;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::fates::Object;
use crate::ir::{ResponseCase, Status, Success, Ty};
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
    let mut found: Option<(Ty, bool, &str)> = None;
    let mut bodiless = false;
    for (code, response) in &list {
        if !code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        match json_schema(models, &at, response, report) {
            Some((schema_at, schema)) => {
                let free_form = is_free_form(models, &schema_at, schema);
                let info = models.type_of(&schema_at, schema, &format!("{stem}Response"), report);
                models.mark_response(&info.ty);
                match &found {
                    None => found = Some((info.ty, free_form, code)),
                    // One success type per call: a later 2xx with another body is said, not dropped.
                    Some((first, _, first_code)) if *first != info.ty => report.warn(
                        &schema_at,
                        format!(
                            "this {code} response's body is not the {first_code} response's: every 2xx decodes as the {first_code} body, so a {code} answer that is not one fails with `Error::Decode`"
                        ),
                        Some("describe one body for every 2xx (a `oneOf` of both if they differ)"),
                    ),
                    Some(_) => {}
                }
            }
            None => bodiless = true,
        }
    }
    let found = found.map(|(ty, free_form, _)| (ty, free_form));
    match found {
        Some((ty, free_form)) => {
            Success { status, ty: Some(ty), raw: None, empty_ok: bodiless || free_form, redirects, example }
        }
        None => Success { status, ty: None, raw: raw_body(models, &list), empty_ok: true, redirects, example: None },
    }
}

/// The body of the first 2xx response with content, when none is JSON: returned as it
/// comes (text for `text/*`, bytes for anything else), never read and dropped.
fn raw_body(models: &Models<'_>, list: &[(&str, &Value)]) -> Option<crate::ir::RawBody> {
    list.iter().filter(|(code, _)| code.starts_with('2')).find_map(|(_, response)| {
        let (_, response) = crate::openapi::resolve(models.tree, "", response).ok()?;
        let media = response.get("content")?.as_object()?.keys().next()?;
        let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        is_token_type(&essence).then(|| crate::ir::RawBody { text: essence.starts_with("text/"), media_type: essence })
    })
}

/// Every documented response: its statuses, description, media types and JSON type
/// (types were given by [`success`] and [`error_type`] first).
pub(crate) fn cases<'t>(
    models: &mut Models<'t>,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    report: &mut Reporter<'_>,
) -> Vec<ResponseCase> {
    let mut out = Vec::new();
    for (code, response) in responses(op) {
        let status = match code {
            "default" => Status::Default,
            _ => match code.parse::<u16>() {
                Ok(code) => Status::Code(code),
                Err(_) => match code.as_bytes() {
                    [class @ b'1'..=b'5', b'X' | b'x', b'X' | b'x'] => Status::Class(class - b'0'),
                    _ => continue,
                },
            },
        };
        let at = join(&join(pointer, "responses"), code);
        let Ok((resolved_at, resolved)) = crate::openapi::resolve(models.tree, &at, response) else { continue };
        crate::fates::check(Object::Response, &resolved_at, resolved, &[], false, report);
        for (media, node) in resolved.get("content").and_then(Value::as_object).into_iter().flatten() {
            let media_at = join(&join(&resolved_at, "content"), media);
            crate::fates::check(Object::MediaType, &media_at, node, &[], false, report);
        }
        let docs = resolved.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        let media_types: Vec<String> =
            resolved.get("content").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k.clone()).collect();
        let hint = if code.starts_with('2') { format!("{stem}Response") } else { format!("{stem}Error") };
        let ty = json_schema(models, &at, response, report)
            .map(|(schema_at, schema)| models.type_of(&schema_at, schema, &hint, report).ty);
        out.push(ResponseCase { status, docs, media_types, ty });
    }
    out.sort_by_key(|c| c.status);
    out
}

/// The first example of a response's JSON content, as compact JSON.
fn json_example<'t>(models: &Models<'t>, response: &'t Value) -> Option<String> {
    let (_, value) = crate::openapi::json_examples(models.tree, response).into_iter().next()?;
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

/// The error body type: the one JSON type all error responses share (`None`: raw JSON).
pub(crate) fn error_type<'t>(
    models: &mut Models<'t>,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    report: &mut Reporter<'_>,
) -> Option<Ty> {
    let mut types = BTreeSet::new();
    for (code, response) in responses(op) {
        if code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        if let Some((schema_at, schema)) = json_schema(models, &at, response, report) {
            let info = models.type_of(&schema_at, schema, &format!("{stem}Error"), report);
            models.mark_response(&info.ty);
            types.insert(info.ty);
        }
    }
    match types.len() {
        1 => types.into_iter().next().filter(|ty| *ty != Ty::Any),
        _ => None,
    }
}

/// The `Accept` header: JSON when any response documents it, plus the other media
/// types the responses document (`text/plain` for a redirect's body), in order.
pub(crate) fn accept(models: &Models<'_>, op: &Value) -> Vec<String> {
    let (mut json, mut other): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    for (_, response) in responses(op) {
        let Ok((_, response)) = crate::openapi::resolve(models.tree, "", response) else { continue };
        for key in response.get("content").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
            let essence = key.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            let list = if is_json(&essence) { &mut json } else { &mut other };
            if is_token_type(&essence) && !list.contains(&essence) {
                list.push(essence);
            }
        }
    }
    if json.is_empty() && other.is_empty() {
        json.push("application/json".to_string());
    }
    // JSON first (what the client decodes), then the other documented types.
    json.extend(other);
    json
}

/// `type/subtype` made of header-safe token characters (anything else stays out of
/// the header).
pub(crate) fn is_token_type(media: &str) -> bool {
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+*".contains(&b));
    matches!(media.split_once('/'), Some((a, b)) if token(a) && token(b))
}
