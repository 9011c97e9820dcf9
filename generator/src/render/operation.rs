//! What an operation's file prints: the `Client` method's docs and arguments, the
//! request builder's fields and setters, validation, the request, and the list walk.

use std::collections::BTreeSet;

use super::checks;
use super::rust::{self, Models};
use super::shapes::{Check, Init};
use crate::ir::{Api, BodyContent, Direction, Location, Operation, PathPart, Presence, Step, Ty};

/// An operation file.
pub(crate) struct OperationView<'a> {
    pub op: &'a Operation,
    /// `use` paths, sorted.
    pub uses: Vec<String>,
    /// The `Client` method's doc lines.
    pub docs: Vec<String>,
    /// The `Client` method's compiled example.
    pub example: super::op_docs::Example,
    /// Positional arguments of the `Client` method: (name, type).
    pub args: Vec<(String, String)>,
    /// Builder fields.
    pub fields: Vec<BuilderField>,
    /// Setters of optional parameters, parts and the body.
    pub setters: Vec<Setter>,
    /// Statements of `send()` before the request is built: validation, path, query, body.
    pub statements: Vec<Stmt>,
    /// The success body type, `()` when there is none.
    pub response_ty: String,
    /// The error body type.
    pub error_ty: String,
    /// `Accept` header value.
    pub accept: String,
    /// More than seven positional arguments (clippy's `too_many_arguments`, allowed there).
    pub many_args: bool,
    /// The list walk, when the operation has one.
    pub pages: Option<PagesView<'a>>,
    /// Header parameters are set on a local `options` (the request takes it), else the
    /// request takes `self.options`.
    pub header_options: bool,
}

/// A field of the request builder.
pub(crate) struct BuilderField {
    pub name: String,
    pub ty: String,
    /// Required: an argument of the `Client` method (and of the builder's `new`).
    pub required: bool,
    /// What the `Client` method passes to the builder's `new` (required fields only).
    pub init: Option<Init>,
}

/// A setter of the request builder.
pub(crate) struct Setter {
    pub name: String,
    pub docs: Vec<String>,
    pub arg_ty: String,
    /// The value is converted (`Some(value.into())`), else taken as it is.
    pub into: bool,
    /// `#[deprecated]` note.
    pub deprecated: bool,
}

/// A statement of `send()` (printed by `templates/operation.rs`).
pub(crate) enum Stmt {
    /// A parameter's client-side check.
    Check(Check),
    /// `self.body.validate("body")`.
    ValidateBody,
    /// `validate::nested("", "body", self.body.as_ref())`, for an optional body.
    ValidateOptionalBody,
    /// `let mut path = UrlPath::new();`
    PathStart,
    /// A literal piece of the path.
    PathLiteral(String),
    /// A path parameter, percent-encoded; `display`: not a string, written with `to_string`.
    PathParam { wire: String, name: String, display: bool },
    /// `let query = Query::new();` (`mutable` when parameters follow).
    QueryStart { mutable: bool },
    /// A form query parameter (a list: each item).
    Query { wire: String, name: String, required: bool, list: bool },
    /// A `deepObject` query parameter.
    QueryDeep { wire: String, name: String, required: bool },
    /// `let mut options = self.options;`, before header parameters.
    HeaderStart,
    /// A header parameter, set on `options`.
    Header { wire: String, name: String, required: bool },
    /// `let body = Body::Empty;`
    BodyEmpty,
    /// A JSON body (`media`: another JSON media type than `application/json`).
    BodyJson { required: bool, media: Option<String> },
    /// An `application/x-www-form-urlencoded` body.
    BodyForm { required: bool },
    /// A body sent as it is given, as `media`: a string (`text`, turned into bytes) or bytes.
    BodyRaw { required: bool, media: String, text: bool },
    /// The required parts of a multipart body (`mutable` when optional ones follow).
    Parts { mutable: bool, required: Vec<Part> },
    /// An optional part, pushed when set.
    OptionalPart(Part),
    /// `let body = Body::Multipart(parts);`
    BodyMultipart,
}

/// A multipart part: a file, or a text value.
pub(crate) struct Part {
    pub wire: String,
    pub name: String,
    pub file: bool,
}

/// The list walk of a paginated operation.
pub(crate) struct PagesView<'a> {
    pub backward: bool,
    pub item_ty: String,
    pub cursor_wire: String,
    pub next_field: String,
    /// How `request` is pointed at the page of `cursor`.
    pub set_cursor: SetCursor<'a>,
    /// The steps from a page to its next cursor.
    pub next_cursor: &'a [Step],
    /// The steps from a page to its "more pages" flag, if it has one.
    pub has_more: Option<&'a [Step]>,
    /// The page's member holding the items.
    pub items: &'a str,
    /// That member is required (else optional: empty when absent).
    pub items_required: bool,
}

/// Pointing a request at a cursor.
pub(crate) enum SetCursor<'a> {
    /// The cursor parameter itself (`required`: not an `Option`).
    Param { name: &'a str, required: bool },
    /// A member of a deepObject parameter (`required`: the parameter is not an `Option`),
    /// replacing the other direction's members.
    Member { param: &'a str, required: bool, member: &'a Step, clears: &'a [Step] },
}

pub(crate) fn view<'a>(api: &'a Api, op: &'a Operation) -> OperationView<'a> {
    let mut args = Vec::new();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut statements = Vec::new();
    for p in &op.params {
        let ty = rust::ty(&p.ty, Models::Qualified);
        let as_is = rust::taken_as_is(&p.ty);
        let arg_ty = if as_is { ty.clone() } else { rust::into(&ty) };
        if p.required {
            args.push((p.rust_name.clone(), arg_ty));
            let init = if as_is { Init::Move(p.rust_name.clone()) } else { Init::Into(p.rust_name.clone()) };
            fields.push(BuilderField { name: p.rust_name.clone(), ty, required: true, init: Some(init) });
        } else {
            fields.push(BuilderField {
                name: p.rust_name.clone(),
                ty: rust::with_presence(&ty, Presence::Optional),
                required: false,
                init: None,
            });
            setters.push(Setter {
                name: p.rust_name.clone(),
                docs: param_docs(&p.docs, &p.ty, &p.constraints),
                arg_ty,
                into: !as_is,
                deprecated: p.deprecated,
            });
        }
        let presence = if p.required { Presence::Required } else { Presence::Optional };
        let checks = checks::checks(&p.rust_name, &p.wire_name, &p.ty, false, &p.constraints, presence, api);
        statements.extend(checks.into_iter().map(Stmt::Check));
    }
    if let Some(body) = &op.body {
        match &body.content {
            content @ (BodyContent::Json(_) | BodyContent::Form(_) | BodyContent::Raw { .. }) => {
                let written = rust::body_value_ty(content).unwrap_or_default();
                let docs =
                    if body.docs.is_empty() { vec!["Sets the request body.".to_string()] } else { body.docs.clone() };
                if body.required {
                    args.push(("body".into(), rust::into(&written)));
                    fields.push(BuilderField {
                        name: "body".into(),
                        ty: written,
                        required: true,
                        init: Some(Init::Into("body".into())),
                    });
                } else {
                    fields.push(BuilderField {
                        name: "body".into(),
                        ty: rust::with_presence(&written, Presence::Optional),
                        required: false,
                        init: None,
                    });
                    setters.push(Setter {
                        name: "body".into(),
                        docs,
                        arg_ty: rust::into(&written),
                        into: true,
                        deprecated: false,
                    });
                }
                if content.value_ty().is_some_and(|ty| api.validates(ty)) {
                    statements.push(if body.required { Stmt::ValidateBody } else { Stmt::ValidateOptionalBody });
                }
            }
            BodyContent::Multipart(parts) => {
                for part in parts {
                    let file = part.ty == Ty::File;
                    let ty = rust::ty(&part.ty, Models::Qualified);
                    let as_is = file || rust::taken_as_is(&part.ty);
                    let arg_ty = if as_is { ty.clone() } else { rust::into(&ty) };
                    if part.required {
                        let init =
                            if as_is { Init::Move(part.rust_name.clone()) } else { Init::Into(part.rust_name.clone()) };
                        args.push((part.rust_name.clone(), arg_ty));
                        fields.push(BuilderField {
                            name: part.rust_name.clone(),
                            ty,
                            required: true,
                            init: Some(init),
                        });
                    } else {
                        fields.push(BuilderField {
                            name: part.rust_name.clone(),
                            ty: rust::with_presence(&ty, Presence::Optional),
                            required: false,
                            init: None,
                        });
                        setters.push(Setter {
                            name: part.rust_name.clone(),
                            docs: part.docs.clone(),
                            arg_ty,
                            into: !as_is,
                            deprecated: false,
                        });
                    }
                }
            }
        }
    }
    statements.extend(path_statements(op));
    statements.extend(query_statements(op));
    let headers = header_statements(op);
    let header_options = !headers.is_empty();
    statements.extend(headers);
    statements.extend(body_statements(op));
    let response_ty = rust::success_ty(&op.success);
    let error_ty = rust::error_ty(api, op);
    let pages = op.pagination.as_ref().map(|p| {
        let required = op.params.iter().find(|x| x.rust_name == p.param).is_some_and(|x| x.required);
        let set_cursor = match &p.member {
            Some(member) => SetCursor::Member { param: &p.param, required, member, clears: &p.clears },
            None => SetCursor::Param { name: &p.param, required },
        };
        PagesView {
            backward: p.direction == Direction::Backward,
            item_ty: rust::ty(&p.item, Models::Qualified),
            cursor_wire: crate::docs::code(&p.cursor_wire),
            next_field: crate::docs::code(
                &p.next_cursor.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join("."),
            ),
            set_cursor,
            next_cursor: &p.next_cursor,
            has_more: p.has_more.as_deref(),
            items: &p.items.rust_name,
            items_required: p.items.presence == Presence::Required,
        }
    });
    let mut view = OperationView {
        op,
        uses: Vec::new(),
        docs: super::op_docs::method_docs(api, op),
        example: super::op_docs::example(api, op),
        many_args: args.len() > 6,
        args,
        fields,
        setters,
        statements,
        response_ty,
        error_ty,
        accept: op.accept.join(", "),
        pages,
        header_options,
    };
    view.uses = uses(api, &view);
    view
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

fn path_statements(op: &Operation) -> Vec<Stmt> {
    let mut out = vec![Stmt::PathStart];
    for part in &op.path_parts {
        out.push(match part {
            PathPart::Literal(text) => Stmt::PathLiteral(text.clone()),
            PathPart::Param(name) => {
                // `normalise::verify` proved every path piece names a path parameter.
                let p = op.params.iter().find(|p| &p.rust_name == name);
                let (wire, display) = p.map_or((name.as_str(), false), |p| (p.wire_name.as_str(), p.ty != Ty::String));
                Stmt::PathParam { wire: wire.to_string(), name: name.clone(), display }
            }
        });
    }
    out
}

fn query_statements(op: &Operation) -> Vec<Stmt> {
    let queried: Vec<_> =
        op.params.iter().filter(|p| matches!(p.location, Location::Query | Location::DeepObject)).collect();
    let mut out = vec![Stmt::QueryStart { mutable: !queried.is_empty() }];
    for p in queried {
        let (wire, name, required) = (p.wire_name.clone(), p.rust_name.clone(), p.required);
        out.push(match p.location {
            Location::Query => Stmt::Query { wire, name, required, list: matches!(p.ty, Ty::List(_)) },
            _ => Stmt::QueryDeep { wire, name, required },
        });
    }
    out
}

/// The header parameters, set on the call's options (none: nothing, the request takes
/// `self.options`).
fn header_statements(op: &Operation) -> Vec<Stmt> {
    let headers: Vec<Stmt> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Header)
        .map(|p| Stmt::Header { wire: p.wire_name.clone(), name: p.rust_name.clone(), required: p.required })
        .collect();
    if headers.is_empty() {
        return headers;
    }
    std::iter::once(Stmt::HeaderStart).chain(headers).collect()
}

fn body_statements(op: &Operation) -> Vec<Stmt> {
    let Some(body) = &op.body else { return vec![Stmt::BodyEmpty] };
    match &body.content {
        BodyContent::Json(_) => {
            let media = (body.media_type != "application/json").then(|| body.media_type.clone());
            vec![Stmt::BodyJson { required: body.required, media }]
        }
        BodyContent::Form(_) => vec![Stmt::BodyForm { required: body.required }],
        BodyContent::Raw { text } => {
            vec![Stmt::BodyRaw { required: body.required, media: body.media_type.clone(), text: *text }]
        }
        BodyContent::Multipart(parts) => {
            let part = |p: &crate::ir::FormPart| Part {
                wire: p.wire_name.clone(),
                name: p.rust_name.clone(),
                file: p.ty == Ty::File,
            };
            let required: Vec<Part> = parts.iter().filter(|p| p.required).map(part).collect();
            let optional: Vec<Part> = parts.iter().filter(|p| !p.required).map(part).collect();
            let mut out = vec![Stmt::Parts { mutable: !optional.is_empty(), required }];
            out.extend(optional.into_iter().map(Stmt::OptionalPart));
            out.push(Stmt::BodyMultipart);
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
            BodyContent::Multipart(parts) => {
                types.extend(parts.iter().map(|p| &p.ty));
                text_parts = parts.iter().any(|p| p.ty != Ty::File);
            }
            content => types.extend(content.types()),
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
    let checks = view.statements.iter().any(|s| matches!(s, Stmt::Check(_) | Stmt::ValidateOptionalBody));
    let trait_call = view.statements.iter().any(|s| matches!(s, Stmt::ValidateBody));
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
