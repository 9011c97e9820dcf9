//! Path, query and header parameters, and the path template's pieces.

use serde_json::Value;

use super::Namer;
use super::schema::{Models, Use};
use super::types::Ty;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{Location, Param, PathPart, Presence, Rule};
use crate::names::{pascal, snake};
use crate::openapi::OperationRef;

/// Builder fields and methods a parameter must not shadow.
pub(crate) const BUILDER_RESERVED: &[&str] =
    &["client", "options", "body", "send", "timeout", "with_options", "into_stream", "into_pages", "clone", "fmt"];

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
            report.error(
                &at,
                "parameters described with `content` instead of `schema` are not supported",
                Some("use `schema`"),
            );
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
                report.error(
                    &at,
                    format!("{place} parameters are not supported yet"),
                    Some("describe it as a query parameter, or ask for header support"),
                );
                continue;
            }
            _ => {
                report.error(
                    &at,
                    format!(
                        "parameter `{wire}` in `{place}` with style `{}` and this schema is not supported",
                        style.unwrap_or("default")
                    ),
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
        models.mark_request(&info.ty, Use::Request);
        let rust_name = namer.claim(&snake(wire), &at, report);
        let ty = info.ty.render("models::");
        let mut docs = param.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if docs.is_empty() {
            docs.push(format!("The `{}` parameter.", crate::docs::code(wire)));
        }
        let presence = if required { Presence::Required } else { Presence::Optional };
        let mut checks = info.checks(&format!("self.{rust_name}"), presence);
        if matches!(&info.ty, Ty::Model(name) if models.is_string_enum(name)) {
            checks.retain(|c| c.rule != Rule::Nested);
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
            model: info.ty.direct_model().map(str::to_string),
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

pub(crate) fn path_parts(path: &str, params: &[Param], pointer: &str, report: &mut Reporter<'_>) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    let literal = |s: &str| PathPart {
        literal: s.to_string(),
        param_field: String::new(),
        param_wire: String::new(),
        is_string: false,
    };
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
            report.error(
                pointer,
                format!("path parameter `{}` does not appear in the path", p.wire_name),
                Some("remove it or add it to the path template"),
            );
        }
    }
    parts
}
