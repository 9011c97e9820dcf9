//! Request bodies: JSON (typed) and `multipart/form-data` (form fields as arguments).

use serde_json::Value;

use super::Namer;
use super::params::builder_reserved;
use super::schema::{Models, Use};
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::fates::Object;
use crate::ir::{BodyContent, FormPart, Method, RequestBody, Ty};
use crate::names::{pascal, snake};
use crate::openapi::{OperationRef, is_json};

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Json,
    Multipart,
}

pub(crate) fn request_body<'t>(
    models: &mut Models<'t>,
    site: &OperationRef<'t>,
    stem: &str,
    taken: &[String],
    report: &mut Reporter<'_>,
) -> Option<RequestBody> {
    let at = join(&site.pointer, "requestBody");
    let body = site.op.get("requestBody")?;
    let (at, body) = models.resolve(&at, body, report)?;
    crate::fates::check(Object::RequestBody, &at, body, &[], false, report);
    let content = body.get("content").and_then(Value::as_object)?;
    let (media, encoding) = if let Some((media, _)) = content.iter().find(|(k, _)| is_json(k)) {
        (media.clone(), Encoding::Json)
    } else if content.contains_key("multipart/form-data") {
        ("multipart/form-data".to_string(), Encoding::Multipart)
    } else {
        let types: Vec<&String> = content.keys().collect();
        report.error(
            &join(&at, "content"),
            format!("request body media types {types:?} are not supported"),
            Some("supported: application/json, multipart/form-data"),
        );
        return None;
    };
    let media_at = join(&join(&at, "content"), &media);
    crate::fates::check(Object::MediaType, &media_at, &content[&media], &[], false, report);
    for (property, encoding) in content[&media].get("encoding").and_then(Value::as_object).into_iter().flatten() {
        let encoding_at = join(&join(&media_at, "encoding"), property);
        crate::fates::check(Object::Encoding, &encoding_at, encoding, &[], false, report);
    }
    let schema = content[&media].get("schema")?;
    let docs = body.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
    let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
    // The media type as sent: its essence, lower-cased (parameters such as a charset
    // are not repeated; JSON is UTF-8).
    let media_type = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !super::responses::is_token_type(&media_type) {
        report.error(
            &join(&join(&at, "content"), &media),
            format!("the media type `{}` cannot be sent in a header", crate::docs::code(&media_type)),
            Some("write it as `type/subtype` of token characters, e.g. `application/vnd.api+json`"),
        );
        return None;
    }
    if encoding == Encoding::Multipart {
        let parts = form_parts(models, &join(&media_at, "schema"), schema, stem, taken, report)?;
        return Some(RequestBody { media_type, required, docs, content: BodyContent::Multipart(parts) });
    }
    let info = models.type_of(&join(&media_at, "schema"), schema, &format!("{stem}Body"), report);
    // In a PATCH, an explicit `null` clears a value: its models get `Nullable` fields.
    let kind = if Method::from_key(site.method) == Some(Method::Patch) { Use::Update } else { Use::Request };
    models.mark_request(&info.ty, kind);
    Some(RequestBody { media_type, required, docs, content: BodyContent::Json(info.ty) })
}

/// The fields of a `multipart/form-data` object: files (`format: binary`) and scalars.
fn form_parts<'t>(
    models: &mut Models<'t>,
    at: &str,
    schema: &'t Value,
    stem: &str,
    taken: &[String],
    report: &mut Reporter<'_>,
) -> Option<Vec<FormPart>> {
    let (at, schema) = models.resolve(at, schema, report)?;
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        report.error(
            &at,
            "a multipart body must be an object with properties",
            Some("describe the form fields as properties"),
        );
        return None;
    };
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut namer = Namer::with_reserved(&builder_reserved());
    for name in taken {
        namer.claim_quiet(name);
    }
    let mut parts = Vec::new();
    for (wire, property) in properties {
        let property_at = join(&join(&at, "properties"), wire);
        let Some((property_at, property)) = models.resolve(&property_at, property, report) else { continue };
        let file = property.get("format").and_then(Value::as_str) == Some("binary");
        let ty = if file {
            Ty::File
        } else {
            let info = models.type_of(&property_at, property, &format!("{stem}{}", pascal(wire)), report);
            match &info.ty {
                Ty::String | Ty::Integer(_) | Ty::Number | Ty::Boolean => info.ty,
                Ty::Model(name) if models.is_string_enum(name) => info.ty,
                _ => {
                    report.error(
                        &property_at,
                        "only files (`format: binary`) and scalar form fields are supported in multipart bodies",
                        Some("send structured data as a JSON body"),
                    );
                    continue;
                }
            }
        };
        let mut docs = property.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if docs.is_empty() {
            docs.push(format!("The `{}` form field.", crate::docs::code(wire)));
        }
        parts.push(FormPart {
            rust_name: namer.claim(&snake(wire), &property_at, report),
            wire_name: wire.clone(),
            required: required.contains(&wire.as_str()),
            ty,
            docs,
        });
    }
    // Required parts first (positional arguments), each group in spec order.
    parts.sort_by_key(|p| !p.required);
    Some(parts)
}
