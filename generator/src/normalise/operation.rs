//! Paths → operations: parameters, bodies, responses, pagination.

use std::collections::BTreeSet;

use serde_json::Value;

use super::schema::{Models, Ty};
use super::{Namer, resolve};
use crate::Options;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{BodyEncoding, FormPart, Location, Operation, Pagination, Param, PathPart, Presence, RequestBody};
use crate::names::{pascal, snake};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Builder fields and methods a parameter must not shadow.
const BUILDER_RESERVED: &[&str] = &["client", "options", "body", "send", "timeout", "with_options", "into_stream"];

/// Methods `Client` has besides the operations.
const CLIENT_RESERVED: &[&str] = &["builder", "base_url", "send_raw", "clone", "fmt", "new"];

/// Every selected operation, sorted by method name.
pub(crate) fn operations<'t>(
    tree: &'t Value,
    options: &Options,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Vec<Operation> {
    let mut methods = Namer::with_reserved(CLIENT_RESERVED);
    let mut builders = Namer::with_reserved(&["Client", "Error", "Response", "CallOptions"]);
    let mut out = Vec::new();
    let Some(paths) = tree.get("paths").and_then(Value::as_object) else { return out };
    let mut sorted: Vec<_> = paths.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in sorted {
        let item_pointer = join("/paths", path);
        let Some((item_pointer, item)) = resolve(tree, &item_pointer, item, report) else { continue };
        for method in METHODS {
            let Some(op) = item.get(*method) else { continue };
            let pointer = join(&item_pointer, method);
            if !options.tags.is_empty() {
                let tags: Vec<&str> =
                    op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
                if !options.tags.iter().any(|t| tags.contains(&t.as_str())) {
                    continue;
                }
            }
            let site = Site { tree, pointer: &pointer, path, method, item, item_pointer: &item_pointer };
            if let Some(operation) = operation(&site, op, &mut methods, &mut builders, models, report) {
                out.push(operation);
            }
        }
    }
    out.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    out
}

struct Site<'t, 'p> {
    tree: &'t Value,
    pointer: &'p str,
    path: &'p str,
    method: &'p str,
    item: &'t Value,
    item_pointer: &'p str,
}

fn operation<'t>(
    site: &Site<'t, '_>,
    op: &'t Value,
    methods: &mut Namer,
    builders: &mut Namer,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Option<Operation> {
    let pointer = site.pointer;
    let operation_id = match op.get("operationId").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => {
            let id = format!("{} {}", site.method, site.path);
            report.warn(pointer, format!("no operationId; the method is named after `{id}`"), Some("add an operationId"));
            id
        }
    };
    let method_name = methods.claim(&snake(&operation_id), &join(pointer, "operationId"), report);
    let type_stem = pascal(&operation_id);
    let builder = builders.claim(&format!("{type_stem}Request"), &join(pointer, "operationId"), report);

    let mut params = parameters(site, op, &type_stem, models, report);
    // Positional (required) parameters first, each group in spec order.
    params.sort_by_key(|p| !p.required);
    let path_parts = path_parts(site.path, &params, pointer, report);
    let taken: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
    let body = request_body(site.tree, pointer, op, &type_stem, &taken, models, report);
    let (response_ty, response_json, success_model) = success(site.tree, pointer, op, &type_stem, models, report);
    let error_ty = error_type(site.tree, pointer, op, &type_stem, models, report);
    let pagination = pagination(&params, success_model.as_deref(), models);

    let mut docs = Vec::new();
    if let Some(summary) = op.get("summary").and_then(Value::as_str) {
        docs.extend(doc_lines(summary));
    }
    if let Some(description) = op.get("description").and_then(Value::as_str) {
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.extend(doc_lines(description));
    }
    if !docs.is_empty() {
        docs.push(String::new());
    }
    let (path, id) = (crate::docs::code(site.path), crate::docs::code(&operation_id));
    docs.push(format!("`{} {path}` (operation `{id}`).", site.method.to_uppercase()));
    let positional: Vec<&Param> = params.iter().filter(|p| p.required).collect();
    if !positional.is_empty() || body.as_ref().is_some_and(|b| b.required) {
        docs.push(String::new());
        docs.push("# Arguments".to_string());
        docs.push(String::new());
        for p in positional {
            docs.push(format!("- `{}`: {}", p.rust_name, p.docs.first().cloned().unwrap_or_default()));
        }
        match body.as_ref() {
            Some(b) if b.encoding == BodyEncoding::Multipart => {
                for part in &b.required_parts {
                    docs.push(format!("- `{}`: {}", part.rust_name, part.docs.first().cloned().unwrap_or_default()));
                }
            }
            Some(b) if b.required => {
                docs.push(format!("- `body`: {}", b.docs.first().cloned().unwrap_or_else(|| "The request body.".into())));
            }
            _ => {}
        }
    }
    let has_query = params.iter().any(|p| matches!(p.location, Location::Query | Location::DeepObject));
    let body_args = match &body {
        Some(b) if b.encoding == BodyEncoding::Multipart => b.required_parts.len(),
        Some(b) => usize::from(b.required),
        None => 0,
    };
    let many_args = params.iter().filter(|p| p.required).count() + body_args > 6;
    let uses = operation_uses(&params, body.as_ref(), &response_ty, &error_ty, pagination.is_some());
    Some(Operation {
        has_query,
        many_args,
        uses,
        module: method_name.clone(),
        operation_id,
        method_name,
        builder,
        docs,
        http_method: site.method.to_uppercase(),
        path: site.path.to_string(),
        path_parts,
        params,
        body,
        response_ty,
        response_json,
        error_ty,
        pagination,
    })
}

/// Path-level parameters merged with the operation's (which override by name and location).
fn parameters<'t>(
    site: &Site<'t, '_>,
    op: &'t Value,
    stem: &str,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Vec<Param> {
    let mut raw: Vec<(String, &'t Value)> = Vec::new();
    let lists = [(site.item_pointer.to_string(), site.item), (site.pointer.to_string(), op)];
    for (owner, node) in lists {
        let Some(list) = node.get("parameters").and_then(Value::as_array) else { continue };
        for (i, param) in list.iter().enumerate() {
            let at = join(&join(&owner, "parameters"), &i.to_string());
            let Some((at, param)) = resolve(site.tree, &at, param, report) else { continue };
            let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
            raw.retain(|(_, existing)| key(existing) != key(param));
            raw.push((at, param));
        }
    }
    let mut namer = Namer::with_reserved(BUILDER_RESERVED);
    let mut out = Vec::new();
    for (at, param) in raw {
        let Some(wire) = param.get("name").and_then(Value::as_str) else {
            report.error(&at, "a parameter needs a `name`", None);
            continue;
        };
        let place = param.get("in").and_then(Value::as_str).unwrap_or_default();
        let style = param.get("style").and_then(Value::as_str);
        let Some(schema) = param.get("schema") else {
            report.error(&at, "parameters described with `content` instead of `schema` are not supported", Some("use `schema`"));
            continue;
        };
        let hint = format!("{stem}{}", pascal(wire));
        let info = models.type_of(&join(&at, "schema"), schema, &hint, report);
        let structured = match &info.ty {
            Ty::Model(name) => !models.is_string_enum(name),
            Ty::Map(_) | Ty::JsonObject | Ty::Json => true,
            _ => false,
        };
        let location = match (place, style) {
            ("path", None | Some("simple")) if !structured && !matches!(info.ty, Ty::Vec(_)) => Location::Path,
            ("query", Some("deepObject")) => Location::DeepObject,
            ("query", None | Some("form")) if !structured => Location::Query,
            ("header", _) | ("cookie", _) => {
                report.error(&at, format!("{place} parameters are not supported yet"), Some("describe it as a query parameter, or ask for header support"));
                continue;
            }
            _ => {
                report.error(
                    &at,
                    format!("parameter `{wire}` in `{place}` with style `{}` and this schema is not supported", style.unwrap_or("default")),
                    Some("supported: scalar path segments, form query scalars and arrays, deepObject query objects"),
                );
                continue;
            }
        };
        let mut required = param.get("required").and_then(Value::as_bool).unwrap_or(false);
        if location == Location::Path && !required {
            report.warn(&at, "path parameters are always required; treated as required", Some("add `required: true`"));
            required = true;
        }
        if param.get("explode").and_then(Value::as_bool) == Some(false) && matches!(info.ty, Ty::Vec(_)) {
            report.error(&at, "`explode: false` arrays are not supported", Some("use the default `explode: true`"));
            continue;
        }
        models.mark_request(&info.ty);
        let rust_name = namer.claim(&snake(wire), &at, report);
        let ty = info.ty.render("models::");
        let mut docs = param.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if docs.is_empty() {
            docs.push(format!("The `{}` parameter.", crate::docs::code(wire)));
        }
        let presence = if required { Presence::Required } else { Presence::Optional };
        let mut checks = info.checks(&format!("self.{rust_name}"), presence);
        if matches!(&info.ty, Ty::Model(name) if models.is_string_enum(name)) {
            checks.retain(|c| c.function != "nested");
        }
        let notes: Vec<String> = checks.iter().map(|c| c.doc.clone()).filter(|d| !d.is_empty()).collect();
        if !notes.is_empty() {
            docs.push(String::new());
            docs.extend(notes);
        }
        out.push(Param {
            field_ty: if required { ty.clone() } else { format!("Option<{ty}>") },
            arg_ty: format!("impl Into<{ty}>"),
            is_list: matches!(info.ty, Ty::Vec(_)),
            validate: matches!(info.ty, Ty::Model(_)) && location == Location::DeepObject,
            is_string: info.ty.is_string(),
            ty,
            rust_name,
            wire_name: wire.to_string(),
            location,
            required,
            checks,
            docs,
        });
    }
    out
}

fn path_parts(path: &str, params: &[Param], pointer: &str, report: &mut Reporter<'_>) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    let literal = |s: &str| PathPart { literal: s.to_string(), param_field: String::new(), param_wire: String::new(), is_string: false };
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            parts.push(literal(&rest[..open]));
        }
        let wire = &rest[open + 1..open + close];
        match params.iter().find(|p| p.location == Location::Path && p.wire_name == wire) {
            Some(p) => parts.push(PathPart {
                literal: String::new(),
                param_field: p.rust_name.clone(),
                param_wire: wire.to_string(),
                is_string: p.is_string,
            }),
            None => report.error(
                pointer,
                format!("the path template names `{{{wire}}}` but no path parameter `{wire}` is declared"),
                Some("declare the parameter with `in: path` on the path or the operation"),
            ),
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(literal(rest));
    }
    for p in params.iter().filter(|p| p.location == Location::Path) {
        if !path.contains(&format!("{{{}}}", p.wire_name)) {
            report.error(pointer, format!("path parameter `{}` does not appear in the path", p.wire_name), Some("remove it or add it to the path template"));
        }
    }
    parts
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn request_body<'t>(
    tree: &'t Value,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    taken: &[String],
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Option<RequestBody> {
    let at = join(pointer, "requestBody");
    let body = op.get("requestBody")?;
    let (at, body) = resolve(tree, &at, body, report)?;
    let content = body.get("content").and_then(Value::as_object)?;
    let (media, encoding) = if let Some((media, _)) = content.iter().find(|(k, _)| is_json(k)) {
        (media.clone(), BodyEncoding::Json)
    } else if content.contains_key("multipart/form-data") {
        ("multipart/form-data".to_string(), BodyEncoding::Multipart)
    } else {
        let types: Vec<&String> = content.keys().collect();
        report.error(&join(&at, "content"), format!("request body media types {types:?} are not supported"), Some("supported: application/json, multipart/form-data"));
        return None;
    };
    let media_at = join(&join(&at, "content"), &media);
    let schema = content[&media].get("schema")?;
    let docs = body.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
    let required = body.get("required").and_then(Value::as_bool).unwrap_or(false);
    if encoding == BodyEncoding::Multipart {
        let parts = form_parts(tree, &join(&media_at, "schema"), schema, stem, taken, models, report)?;
        let (required_parts, optional_parts) = parts;
        return Some(RequestBody { validate: false, ty: String::new(), required, encoding, docs, required_parts, optional_parts });
    }
    let info = models.type_of(&join(&media_at, "schema"), schema, &format!("{stem}Body"), report);
    models.mark_request(&info.ty);
    Some(RequestBody {
        validate: matches!(info.ty, Ty::Model(_)),
        ty: info.ty.render("models::"),
        required,
        encoding,
        docs,
        required_parts: Vec::new(),
        optional_parts: Vec::new(),
    })
}

/// The fields of a `multipart/form-data` object: files (`format: binary`) and scalars.
fn form_parts<'t>(
    tree: &'t Value,
    at: &str,
    schema: &'t Value,
    stem: &str,
    taken: &[String],
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Option<(Vec<FormPart>, Vec<FormPart>)> {
    let (at, schema) = resolve(tree, at, schema, report)?;
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        report.error(&at, "a multipart body must be an object with properties", Some("describe the form fields as properties"));
        return None;
    };
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let mut namer = Namer::with_reserved(BUILDER_RESERVED);
    for name in taken {
        namer.claim_quiet(name);
    }
    let mut parts = (Vec::new(), Vec::new());
    for (wire, property) in properties {
        let property_at = join(&join(&at, "properties"), wire);
        let Some((property_at, property)) = resolve(tree, &property_at, property, report) else { continue };
        let file = property.get("format").and_then(Value::as_str) == Some("binary");
        let ty = if file {
            "FileUpload".to_string()
        } else {
            let info = models.type_of(&property_at, property, &format!("{stem}{}", pascal(wire)), report);
            match &info.ty {
                Ty::String | Ty::Integer | Ty::Number | Ty::Boolean => info.ty.render("models::"),
                Ty::Model(name) if models.is_string_enum(name) => info.ty.render("models::"),
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
        let is_required = required.contains(&wire.as_str());
        let mut docs = property.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if docs.is_empty() {
            docs.push(format!("The `{}` form field.", crate::docs::code(wire)));
        }
        let part = FormPart {
            rust_name: namer.claim(&snake(wire), &property_at, report),
            wire_name: wire.clone(),
            field_ty: if is_required { ty.clone() } else { format!("Option<{ty}>") },
            arg_ty: if file { ty.clone() } else { format!("impl Into<{ty}>") },
            ty,
            file,
            docs,
        };
        if is_required { parts.0.push(part) } else { parts.1.push(part) }
    }
    Some(parts)
}

/// Response codes in order (`200` < `201` < `2XX` < `default`).
fn responses(op: &Value) -> Vec<(&str, &Value)> {
    let mut list: Vec<_> =
        op.get("responses").and_then(Value::as_object).into_iter().flatten().map(|(k, v)| (k.as_str(), v)).collect();
    list.sort_by_key(|(k, _)| k.to_string());
    list
}

fn json_schema<'t>(
    tree: &'t Value,
    at: &str,
    response: &'t Value,
    report: &mut Reporter<'_>,
) -> Option<(String, &'t Value)> {
    let (at, response) = resolve(tree, at, response, report)?;
    let content = response.get("content").and_then(Value::as_object)?;
    let (media, media_node) = content.iter().find(|(k, _)| is_json(k))?;
    let schema = media_node.get("schema")?;
    Some((join(&join(&join(&at, "content"), media), "schema"), schema))
}

/// The success type: the first 2xx response with a JSON body.
fn success<'t>(
    tree: &'t Value,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> (String, bool, Option<String>) {
    for (code, response) in responses(op) {
        if !code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        if let Some((schema_at, schema)) = json_schema(tree, &at, response, report) {
            let info = models.type_of(&schema_at, schema, &format!("{stem}Response"), report);
            let model = match &info.ty {
                Ty::Model(name) => Some(name.clone()),
                _ => None,
            };
            return (info.ty.render("models::"), true, model);
        }
    }
    ("()".to_string(), false, None)
}

/// The error body type: the one JSON type all error responses share, else raw JSON.
fn error_type<'t>(
    tree: &'t Value,
    pointer: &str,
    op: &'t Value,
    stem: &str,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> String {
    let mut types = BTreeSet::new();
    for (code, response) in responses(op) {
        if code.starts_with('2') {
            continue;
        }
        let at = join(&join(pointer, "responses"), code);
        if let Some((schema_at, schema)) = json_schema(tree, &at, response, report) {
            let info = models.type_of(&schema_at, schema, &format!("{stem}Error"), report);
            types.insert(info.ty.render("models::"));
        }
    }
    match types.len() {
        1 => types.into_iter().next().unwrap_or_default(),
        _ => "serde_json::Value".to_string(),
    }
}

/// Cursor pagination: a deepObject page parameter with `after`, and a response with
/// an array of models plus `meta.hasMore` / `meta.afterCursor`.
fn pagination(params: &[Param], response: Option<&str>, models: &Models<'_>) -> Option<Pagination> {
    let page = params.iter().find(|p| p.location == Location::DeepObject && p.validate && p.wire_name == "page")?;
    let page_model = page.ty.strip_prefix("models::")?;
    let after = models.field(page_model, "after")?;
    if after.required || after.ty != Ty::String {
        return None;
    }
    let before = models.field(page_model, "before").filter(|f| !f.required);
    let response = models.fields(response?)?;
    let (items, item_model) = response.iter().find_map(|f| match &f.ty {
        Ty::Vec(inner) => match inner.as_ref() {
            Ty::Model(m) => Some((f.clone(), m.clone())),
            _ => None,
        },
        _ => None,
    })?;
    let meta = response.iter().find(|f| f.wire == "meta")?;
    let Ty::Model(meta_model) = &meta.ty else { return None };
    let has_more = models.field(meta_model, "hasMore").filter(|f| f.ty == Ty::Boolean)?;
    let cursor = models.field(meta_model, "afterCursor").filter(|f| f.ty == Ty::String)?;

    let page_field = &page.rust_name;
    let page_ref = if page.required {
        format!("let page = &mut request.{page_field};")
    } else {
        format!("let page = request.{page_field}.get_or_insert_with(Default::default);")
    };
    let mut set_cursor = format!("{page_ref} page.{} = {};", after.rust, after.wrap("cursor"));
    if let Some(before) = before {
        set_cursor.push_str(&format!(" page.{} = {};", before.rust, before.empty()));
    }
    let items_expr =
        if items.required { format!("page.{}", items.rust) } else { format!("page.{}.unwrap_or_default()", items.rust) };
    let meta_ref = if meta.required { format!("Some(&page.{})", meta.rust) } else { format!("page.{}.as_ref()", meta.rust) };
    let more = if has_more.required { format!("m.{}", has_more.rust) } else { format!("m.{} == Some(true)", has_more.rust) };
    let next = if cursor.required {
        format!("{meta_ref}.filter(|m| {more}).map(|m| m.{}.clone())", cursor.rust)
    } else {
        format!("{meta_ref}.filter(|m| {more}).and_then(|m| m.{}.clone())", cursor.rust)
    };
    Some(Pagination { item_ty: format!("models::{item_model}"), set_cursor, items: items_expr, next_cursor: next })
}

/// The `use` lines of an operation file.
fn operation_uses(
    params: &[Param],
    body: Option<&RequestBody>,
    response_ty: &str,
    error_ty: &str,
    paginated: bool,
) -> Vec<String> {
    let mut uses = BTreeSet::new();
    for u in [
        "crate::runtime::encode::{Query, UrlPath}",
        "crate::{CallOptions, Client, Error, Response}",
        "reqwest::Method",
        "std::time::Duration",
    ] {
        uses.insert(u.to_string());
    }
    let mut types: Vec<&str> = params.iter().map(|p| p.ty.as_str()).collect();
    types.extend([response_ty, error_ty]);
    types.extend(body.map(|b| b.ty.as_str()));
    types.extend(body.into_iter().flat_map(|b| b.required_parts.iter().chain(&b.optional_parts).map(|p| p.ty.as_str())));
    if types.iter().any(|t| t.contains("models::")) {
        uses.insert("crate::models".to_string());
    }
    let checks = params.iter().any(|p| !p.checks.is_empty()) || body.is_some_and(|b| b.validate && !b.required);
    let trait_call = body.is_some_and(|b| b.validate && b.required);
    match (checks, trait_call) {
        (true, true) => uses.insert("crate::runtime::validate::{self, Validate}".to_string()),
        (true, false) => uses.insert("crate::runtime::validate".to_string()),
        (false, true) => uses.insert("crate::runtime::validate::Validate".to_string()),
        (false, false) => false,
    };
    if paginated {
        uses.insert("crate::runtime::paginate".to_string());
    }
    let multipart = body.filter(|b| b.encoding == BodyEncoding::Multipart);
    let parts = multipart.into_iter().flat_map(|b| b.required_parts.iter().chain(&b.optional_parts));
    let (files, texts): (Vec<&FormPart>, Vec<&FormPart>) = parts.partition(|p| p.file);
    if !files.is_empty() {
        uses.insert("crate::FileUpload".to_string());
    }
    if !texts.is_empty() {
        uses.insert("crate::runtime::request::{Body, MultipartPart, Request}".to_string());
    } else {
        uses.insert("crate::runtime::request::{Body, Request}".to_string());
    }
    uses.into_iter().collect()
}
