//! Request bodies: JSON (typed), `application/x-www-form-urlencoded` (typed, sent as
//! pairs), `multipart/form-data` (form fields as arguments), `text/*` (a string) and any
//! other single media type (bytes). Of several media types, the first of that order is
//! used; `multipart/*` besides form data cannot be sent.

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
    Form,
    Text,
    Bytes,
}

/// The media type a body is sent as, of those the operation documents, and how.
fn choose(content: &serde_json::Map<String, Value>) -> Option<(&String, Encoding)> {
    let essence = |media: &str| media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let find = |wanted: &dyn Fn(&str) -> bool| content.keys().find(|k| wanted(&essence(k)));
    if let Some(media) = content.keys().find(|k| is_json(k)) {
        return Some((media, Encoding::Json));
    }
    if let Some(media) = find(&|e| e == "multipart/form-data") {
        return Some((media, Encoding::Multipart));
    }
    if let Some(media) = find(&|e| e == "application/x-www-form-urlencoded") {
        return Some((media, Encoding::Form));
    }
    if let Some(media) = find(&|e| e.starts_with("text/")) {
        return Some((media, Encoding::Text));
    }
    find(&|e| !e.starts_with("multipart/")).map(|media| (media, Encoding::Bytes))
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
    let Some((media, encoding)) = choose(content) else {
        let types: Vec<String> = content.keys().map(|k| format!("`{}`", crate::docs::code(k))).collect();
        report.unsupported(
            &join(&at, "content"),
            format!("request body media types {} are not supported", types.join(", ")),
            Some(
                "supported: JSON, multipart/form-data, application/x-www-form-urlencoded, text/* (a string) and any \
                 other single media type (bytes); not multipart/related or multipart/mixed",
            ),
        );
        return None;
    };
    let media = media.clone();
    let media_at = join(&join(&at, "content"), &media);
    crate::fates::check(Object::MediaType, &media_at, &content[&media], &[], false, report);
    for (property, encoding) in content[&media].get("encoding").and_then(Value::as_object).into_iter().flatten() {
        let encoding_at = join(&join(&media_at, "encoding"), property);
        crate::fates::check(Object::Encoding, &encoding_at, encoding, &[], false, report);
    }
    let schema = content[&media].get("schema");
    let docs = body.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
    let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
    // The media type as sent: its essence, lower-cased (parameters such as a charset
    // are not repeated; JSON is UTF-8). A media range of bytes (`*/*`,
    // `application/*`) is sent as `application/octet-stream`.
    let mut media_type = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if encoding == Encoding::Bytes && media_type.contains('*') {
        media_type = "application/octet-stream".to_string();
    }
    if !super::responses::is_token_type(&media_type) {
        report.unsupported(
            &join(&join(&at, "content"), &media),
            format!("the media type `{}` cannot be sent in a header", crate::docs::code(&media_type)),
            Some("write it as `type/subtype` of token characters, e.g. `application/vnd.api+json`"),
        );
        return None;
    }
    let schema_at = join(&media_at, "schema");
    let content = match encoding {
        Encoding::Text | Encoding::Bytes => BodyContent::Raw { text: encoding == Encoding::Text },
        Encoding::Multipart => {
            let Some(schema) = schema else {
                report.unsupported(
                    &media_at,
                    "a `multipart/form-data` body needs a schema",
                    Some("describe its fields"),
                );
                return None;
            };
            BodyContent::Multipart(form_parts(models, &schema_at, schema, stem, taken, report)?)
        }
        Encoding::Json | Encoding::Form => {
            let ty = match schema {
                Some(schema) => models.type_of(&schema_at, schema, &format!("{stem}Body"), report).ty,
                // No schema: any JSON; a form of any members.
                None if encoding == Encoding::Json => Ty::Any,
                None => Ty::Object,
            };
            if encoding == Encoding::Form && !form_shaped(models, &ty) {
                report.unsupported(
                    &schema_at,
                    "an `application/x-www-form-urlencoded` body must be an object",
                    Some("describe the form's fields as an object's properties"),
                );
                return None;
            }
            // In a PATCH, an explicit `null` clears a value: its models get `Nullable` fields.
            let kind = if Method::from_key(site.method) == Some(Method::Patch) { Use::Update } else { Use::Request };
            models.mark_request(&ty, kind);
            if encoding == Encoding::Json { BodyContent::Json(ty) } else { BodyContent::Form(ty) }
        }
    };
    Some(RequestBody { media_type, required, docs, content })
}

/// Whether a value of `ty` is an object, as a form body must be: a free-form or keyed
/// object, or a model (a union's branches are objects or it fails when sent).
fn form_shaped(models: &Models<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::Object | Ty::Map(_) => true,
        Ty::Model(name) => models.is_object_model(name),
        _ => false,
    }
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
        report.unsupported(
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
                    report.unsupported(
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
