//! What an operation's file prints: the `Client` method's docs and arguments, the
//! request builder's fields and setters, validation, the request, and the list walk.

use std::collections::BTreeSet;

use super::checks::{self, Check};
use super::rust::{self, Models};
use crate::ir::{Api, BodyContent, Direction, Location, Operation, PathPart, Presence, Ty};

/// An operation file.
pub(crate) struct OperationView<'a> {
    pub op: &'a Operation,
    /// `use` paths, sorted.
    pub uses: Vec<String>,
    /// The `Client` method's doc lines.
    pub docs: Vec<String>,
    /// Positional arguments of the `Client` method: (name, type).
    pub args: Vec<(String, String)>,
    /// Builder fields: (name, type, initial value).
    pub fields: Vec<BuilderField>,
    /// Setters of optional parameters, parts and the body.
    pub setters: Vec<Setter>,
    /// Statements of `send()` before the request is built: validation, path, query, body.
    pub statements: Vec<String>,
    /// The success body type, `()` when there is none.
    pub response_ty: String,
    /// The error body type.
    pub error_ty: String,
    /// `Accept` header value.
    pub accept: String,
    /// More than seven positional arguments (clippy's `too_many_arguments`, allowed there).
    pub many_args: bool,
    /// The list walk, when the operation has one.
    pub pages: Option<PagesView>,
}

/// A field of the request builder.
pub(crate) struct BuilderField {
    pub name: String,
    pub ty: String,
    /// Required: an argument of the `Client` method (and of the builder's `new`).
    pub required: bool,
    /// The argument the `Client` method passes to the builder's `new`.
    pub init: String,
}

/// A setter of the request builder.
pub(crate) struct Setter {
    pub name: String,
    pub docs: Vec<String>,
    pub arg_ty: String,
    /// The assignment's right-hand side from `value`.
    pub value: String,
    /// `#[deprecated]` note.
    pub deprecated: bool,
}

/// The list walk of a paginated operation.
pub(crate) struct PagesView {
    pub backward: bool,
    pub item_ty: String,
    pub cursor_wire: String,
    pub next_field: String,
    /// Statements pointing `request` at the page of `cursor`.
    pub set_cursor: String,
    /// The next cursor (an `Option<String>`) from `page`, a reference to the body.
    pub next_cursor: String,
    /// The items of `page` (a reference) as a slice.
    pub items_ref: String,
    /// The items of `page` (owned).
    pub items: String,
}

pub(crate) fn view<'a>(api: &'a Api, op: &'a Operation) -> OperationView<'a> {
    let mut args = Vec::new();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut statements = Vec::new();
    for p in &op.params {
        let ty = rust::ty(&p.ty, Models::Qualified);
        let arg_ty = format!("impl Into<{ty}>");
        if p.required {
            args.push((p.rust_name.clone(), arg_ty));
            fields.push(BuilderField {
                name: p.rust_name.clone(),
                ty,
                required: true,
                init: format!("{}.into()", p.rust_name),
            });
        } else {
            fields.push(BuilderField {
                name: p.rust_name.clone(),
                ty: format!("Option<{ty}>"),
                required: false,
                init: String::new(),
            });
            setters.push(Setter {
                name: p.rust_name.clone(),
                docs: param_docs(&p.docs, &p.ty, &p.constraints),
                arg_ty,
                value: "Some(value.into())".into(),
                deprecated: p.deprecated,
            });
        }
        let presence = if p.required { Presence::Required } else { Presence::Optional };
        for c in checks::checks(&format!("self.{}", p.rust_name), &p.ty, false, &p.constraints, presence, api) {
            statements.push(check_call("\"\"", &p.wire_name, &c));
        }
    }
    if let Some(body) = &op.body {
        match &body.content {
            BodyContent::Json(ty) => {
                let written = rust::ty(ty, Models::Qualified);
                let docs =
                    if body.docs.is_empty() { vec!["Sets the request body.".to_string()] } else { body.docs.clone() };
                if body.required {
                    args.push(("body".into(), format!("impl Into<{written}>")));
                    fields.push(BuilderField {
                        name: "body".into(),
                        ty: written,
                        required: true,
                        init: "body.into()".into(),
                    });
                } else {
                    fields.push(BuilderField {
                        name: "body".into(),
                        ty: format!("Option<{written}>"),
                        required: false,
                        init: String::new(),
                    });
                    setters.push(Setter {
                        name: "body".into(),
                        docs,
                        arg_ty: format!("impl Into<{written}>"),
                        value: "Some(value.into())".into(),
                        deprecated: false,
                    });
                }
                if ty.model().is_some_and(|m| validates(api, m)) {
                    statements.push(if body.required {
                        "self.body.validate(\"body\").map_err(crate::runtime::Error::InvalidRequest)?;".to_string()
                    } else {
                        "validate::nested(\"\", \"body\", self.body.as_ref()).map_err(crate::runtime::Error::InvalidRequest)?;"
                            .to_string()
                    });
                }
            }
            BodyContent::Multipart(parts) => {
                for part in parts {
                    let (ty, arg_ty, value) = if part.ty == Ty::File {
                        ("crate::FileUpload".to_string(), "crate::FileUpload".to_string(), "value".to_string())
                    } else {
                        let ty = rust::ty(&part.ty, Models::Qualified);
                        (ty.clone(), format!("impl Into<{ty}>"), "value.into()".to_string())
                    };
                    if part.required {
                        let init = if part.ty == Ty::File {
                            part.rust_name.clone()
                        } else {
                            format!("{}.into()", part.rust_name)
                        };
                        args.push((part.rust_name.clone(), arg_ty));
                        fields.push(BuilderField { name: part.rust_name.clone(), ty, required: true, init });
                    } else {
                        fields.push(BuilderField {
                            name: part.rust_name.clone(),
                            ty: format!("Option<{ty}>"),
                            required: false,
                            init: String::new(),
                        });
                        setters.push(Setter {
                            name: part.rust_name.clone(),
                            docs: part.docs.clone(),
                            arg_ty,
                            value: format!("Some({value})"),
                            deprecated: false,
                        });
                    }
                }
            }
        }
    }
    statements.extend(path_statements(op));
    statements.extend(query_statements(op));
    statements.extend(body_statements(op));
    let response_ty = op.success.ty.as_ref().map_or("()".to_string(), |t| rust::ty(t, Models::Qualified));
    let error_ty = error_ty(api, op);
    let pages = op.pagination.as_ref().map(|p| {
        let page_field = op.params.iter().find(|x| x.rust_name == p.param);
        let set_cursor = match &p.member {
            Some(member) => {
                let page = if page_field.is_some_and(|x| x.required) {
                    format!("let page = &mut request.{};", p.param)
                } else {
                    format!("let page = request.{}.get_or_insert_with(Default::default);", p.param)
                };
                let mut statements =
                    format!("{page} page.{} = {};", member.rust_name, rust::wrap("cursor", member.presence));
                for other in &p.clears {
                    statements.push_str(&format!(" page.{} = {};", other.rust_name, rust::empty(other.presence)));
                }
                statements
            }
            None if page_field.is_some_and(|x| x.required) => format!("request.{} = cursor;", p.param),
            None => format!("request.{} = Some(cursor);", p.param),
        };
        let next = format!("{}.cloned()", rust::chain("page", &p.next_cursor));
        let next_cursor = match &p.has_more {
            Some(more) => {
                format!("if {}.copied() == Some(true) {{ {next} }} else {{ None }}", rust::chain("page", more))
            }
            None => next,
        };
        let (items, items_ref) = match p.items.presence {
            Presence::Required => (format!("page.{}", p.items.rust_name), format!("&page.{}", p.items.rust_name)),
            _ => (
                format!("page.{}.unwrap_or_default()", p.items.rust_name),
                format!("page.{}.as_deref().unwrap_or_default()", p.items.rust_name),
            ),
        };
        PagesView {
            backward: p.direction == Direction::Backward,
            item_ty: rust::ty(&p.item, Models::Qualified),
            cursor_wire: crate::docs::code(&p.cursor_wire),
            next_field: crate::docs::code(
                &p.next_cursor.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join("."),
            ),
            set_cursor,
            next_cursor,
            items_ref,
            items,
        }
    });
    let mut view = OperationView {
        op,
        uses: Vec::new(),
        docs: super::op_docs::method_docs(api, op),
        many_args: args.len() > 6,
        args,
        fields,
        setters,
        statements,
        response_ty,
        error_ty,
        accept: op.accept.join(", "),
        pages,
    };
    view.uses = uses(api, &view);
    view
}

/// The error body type written in the file.
pub(crate) fn error_ty(api: &Api, op: &Operation) -> String {
    api.error_body(op).map_or("serde_json::Value".to_string(), |t| rust::ty(t, Models::Qualified))
}

fn validates(api: &Api, model: &str) -> bool {
    api.model(model).is_some_and(|m| !matches!(m.kind, crate::ir::ModelKind::StringEnum(_)))
}

fn check_call(at: &str, name: &str, c: &Check) -> String {
    let args = if c.args.is_empty() { String::new() } else { format!(", {}", c.args) };
    format!(
        "validate::{}({at}, {}, {}{args}).map_err(crate::runtime::Error::InvalidRequest)?;",
        c.function,
        rust::lit(name),
        c.value
    )
}

fn param_docs(docs: &[String], ty: &Ty, constraints: &crate::ir::Constraints) -> Vec<String> {
    let mut out = docs.to_vec();
    let notes = checks::notes(ty, constraints);
    if !notes.is_empty() {
        out.push(String::new());
        out.extend(notes);
    }
    out
}

fn path_statements(op: &Operation) -> Vec<String> {
    let mut out = vec!["let mut path = UrlPath::new();".to_string()];
    for part in &op.path_parts {
        out.push(match part {
            PathPart::Literal(text) => format!("path.literal({});", rust::lit(text)),
            PathPart::Param(name) => {
                let Some(p) = op.params.iter().find(|p| &p.rust_name == name) else { continue };
                let value =
                    if p.ty == Ty::String { format!("&self.{name}") } else { format!("&self.{name}.to_string()") };
                format!(
                    "path.param({}, {value}).map_err(crate::runtime::Error::InvalidRequest)?;",
                    rust::lit(&p.wire_name)
                )
            }
        });
    }
    out
}

fn query_statements(op: &Operation) -> Vec<String> {
    let queried: Vec<_> =
        op.params.iter().filter(|p| matches!(p.location, Location::Query | Location::DeepObject)).collect();
    if queried.is_empty() {
        return vec!["let query = Query::new();".to_string()];
    }
    let mut out = vec!["let mut query = Query::new();".to_string()];
    for p in queried {
        let (wire, name) = (rust::lit(&p.wire_name), &p.rust_name);
        let list = matches!(p.ty, Ty::List(_));
        out.push(match (p.location, p.required, list) {
            (Location::Query, true, true) => format!("query.push_each({wire}, &self.{name});"),
            (Location::Query, true, false) => format!("query.push({wire}, self.{name});"),
            (Location::Query, false, true) => format!("if let Some(value) = &self.{name} {{ query.push_each({wire}, value); }}"),
            (Location::Query, false, false) => format!("if let Some(value) = &self.{name} {{ query.push({wire}, value); }}"),
            (_, true, _) => {
                format!("query.push_deep_object({wire}, &self.{name}, true).map_err(crate::runtime::Error::InvalidRequest)?;")
            }
            (_, false, _) => format!(
                "if let Some(value) = &self.{name} {{ query.push_deep_object({wire}, value, false).map_err(crate::runtime::Error::InvalidRequest)?; }}"
            ),
        });
    }
    out
}

fn body_statements(op: &Operation) -> Vec<String> {
    let Some(body) = &op.body else { return vec!["let body = Body::Empty;".to_string()] };
    match &body.content {
        BodyContent::Json(_) => {
            let encode = |value: &str| {
                if body.media_type == "application/json" {
                    format!("Body::json({value})")
                } else {
                    format!("Body::json_as({value}, {})", rust::lit(&body.media_type))
                }
            };
            if body.required {
                vec![format!("let body = {}.map_err(crate::runtime::Error::InvalidRequest)?;", encode("&self.body"))]
            } else {
                vec![format!(
                    "let body = match &self.body {{ Some(body) => {}.map_err(crate::runtime::Error::InvalidRequest)?, None => Body::Empty }};",
                    encode("body")
                )]
            }
        }
        BodyContent::Multipart(parts) => {
            let part = |p: &crate::ir::FormPart, value: &str| {
                if p.ty == Ty::File {
                    format!("{value}.to_part({})", rust::lit(&p.wire_name))
                } else {
                    format!("MultipartPart::text({}, {value}.to_string())", rust::lit(&p.wire_name))
                }
            };
            let required: Vec<String> =
                parts.iter().filter(|p| p.required).map(|p| part(p, &format!("self.{}", p.rust_name))).collect();
            let optional: Vec<_> = parts.iter().filter(|p| !p.required).collect();
            let mut out = vec![format!(
                "let {}parts = vec![{}];",
                if optional.is_empty() { "" } else { "mut " },
                required.join(", ")
            )];
            for p in optional {
                out.push(format!("if let Some(value) = &self.{} {{ parts.push({}); }}", p.rust_name, part(p, "value")));
            }
            out.push("let body = Body::Multipart(parts);".to_string());
            out
        }
    }
}

/// The `use` lines of an operation file: what it prints.
fn uses(api: &Api, view: &OperationView<'_>) -> Vec<String> {
    let op = view.op;
    let mut uses: BTreeSet<String> =
        ["crate::runtime::encode::{Query, UrlPath}", "crate::runtime::request::Request"].map(String::from).into();
    let mut types: Vec<&Ty> = op.params.iter().map(|p| &p.ty).collect();
    types.extend(op.success.ty.iter());
    // The error body: the operation's own, or the API's default one.
    types.extend(api.error_body(op));
    let mut text_parts = false;
    if let Some(body) = &op.body {
        match &body.content {
            BodyContent::Json(ty) => types.push(ty),
            BodyContent::Multipart(parts) => {
                types.extend(parts.iter().map(|p| &p.ty));
                text_parts = parts.iter().any(|p| p.ty != Ty::File);
            }
        }
    }
    if let Some(p) = &op.pagination {
        types.push(&p.item);
    }
    if types.iter().any(|t| !t.models().is_empty()) {
        uses.insert("crate::models".to_string());
    }
    uses.insert(if text_parts {
        "crate::runtime::request::{Body, MultipartPart}".to_string()
    } else {
        "crate::runtime::request::Body".to_string()
    });
    let checks = view.statements.iter().any(|s| s.starts_with("validate::"));
    let trait_call = view.statements.iter().any(|s| s.starts_with("self.body.validate("));
    match (checks, trait_call) {
        (true, true) => uses.insert("crate::runtime::validate::{self, Validate}".to_string()),
        (true, false) => uses.insert("crate::runtime::validate".to_string()),
        (false, true) => uses.insert("crate::runtime::validate::Validate".to_string()),
        (false, false) => false,
    };
    if op.pagination.is_some() {
        uses.insert("crate::runtime::paginate".to_string());
    }
    // One `use` per line of a nested group keeps them sorted as rustfmt would.
    let mut merged: Vec<String> = uses.into_iter().collect();
    merge(
        &mut merged,
        "crate::runtime::request::Request",
        "crate::runtime::request::Body",
        "crate::runtime::request::{Body, Request}",
    );
    merge(
        &mut merged,
        "crate::runtime::request::Request",
        "crate::runtime::request::{Body, MultipartPart}",
        "crate::runtime::request::{Body, MultipartPart, Request}",
    );
    merged.sort();
    merged
}

fn merge(uses: &mut Vec<String>, a: &str, b: &str, into: &str) {
    if uses.iter().any(|u| u == a) && uses.iter().any(|u| u == b) {
        uses.retain(|u| u != a && u != b);
        uses.push(into.to_string());
    }
}
