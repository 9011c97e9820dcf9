//! Paths → operations: names, docs, security and the parts each submodule decides
//! (parameters, body, responses). Pagination is resolved later, once the models are
//! finished ([`super::pagination`]).

use serde_json::Value;

use super::Namer;
use super::body::request_body;
use super::pagination::Pending;
use super::params::{parameters, path_parts};
use super::responses::{accept, cases, error_type, success};
use super::schema::Models;
use crate::diagnostics::{Reporter, join};
use crate::docs::{doc_lines, inline};
use crate::fates::Object;
use crate::ir::{LeftOut, Method, Operation, SecurityRequirement, Success};
use crate::limits::MAX_NAME_BYTES;
use crate::names::{PRELUDE, module_name, pascal, reserved_modules, snake};
use crate::openapi::{self, OperationRef};
use crate::options::Options;

/// Every selected operation, sorted by method name, each with what its pagination
/// needs once the models are finished; and the operations left out, in path order.
pub(crate) fn operations<'t>(
    tree: &'t Value,
    options: &Options,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> (Vec<(Operation, Pending)>, Vec<LeftOut>) {
    let mut methods = Namer::with_reserved(crate::vocabulary::CLIENT_METHODS);
    // Builders are named `<Stem>Request`; the prelude is reserved with every type name.
    let mut builders = Namer::with_reserved(PRELUDE);
    let mut modules = Namer::with_reserved(&reserved_modules());
    let mut mock_methods = Namer::with_reserved(crate::vocabulary::MOCK_METHODS);
    let mut mock_markers = Namer::with_reserved(&[PRELUDE, crate::vocabulary::TESTING_NAMES].concat());
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    let (mut found, broken) = openapi::operations(tree);
    for (at, error) in broken {
        let (message, hint) = error.message();
        report.error(&at, message, Some(hint));
    }
    found.sort_by(|a, b| a.path.cmp(b.path));
    // Natural names first: a clash's numbered name never takes another operation's.
    let ids: Vec<String> = found
        .iter()
        .filter(|site| selected(options, site.op))
        .filter_map(|site| site.op.get("operationId").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let natural: Vec<String> = ids.iter().map(|id| snake(id)).collect();
    methods.expect(natural.iter().map(String::as_str));
    let natural_builders: Vec<String> = ids.iter().map(|id| format!("{}Request", pascal(id))).collect();
    builders.expect(natural_builders.iter().map(String::as_str));
    let global_security = security(tree.get("security"));
    for site in found {
        if !selected(options, site.op) {
            continue;
        }
        report.begin_operation();
        let built = operation(&site, &global_security, &mut methods, &mut builders, models, report);
        let unsupported = report.end_operation();
        if !unsupported.is_empty() {
            left_out.extend(leave_out(&site, unsupported, options.strict, report));
            continue;
        }
        if let Some((mut operation, pending)) = built {
            operation.module = modules.claim_quiet(&module_name(&operation.method_name, MAX_NAME_BYTES));
            operation.mock_method = mock_methods.claim_quiet(&operation.method_name);
            operation.mock_marker = mock_markers.claim_quiet(&pascal(&operation.operation_id));
            out.push((operation, pending));
        }
    }
    out.sort_by(|a, b| a.0.method_name.cmp(&b.0.method_name));
    (out, left_out)
}

/// The one decision about an operation the generator cannot express (what
/// `Reporter::unsupported` collected while normalising it): strict, each finding is an
/// error; otherwise each is a warning, the operation is left out and its entry returned.
/// Both say the same message, naming the operation.
fn leave_out(
    site: &OperationRef<'_>,
    unsupported: Vec<crate::diagnostics::Diagnostic>,
    strict: bool,
    report: &mut Reporter<'_>,
) -> Option<LeftOut> {
    let method = Method::from_key(site.method)?;
    let operation_id = match site.op.get("operationId").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => id.to_string(),
        _ => format!("{} {}", site.method, site.path),
    };
    let reason = unsupported.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("; ");
    for mut d in unsupported {
        d.message = format!("operation `{operation_id}` (`{} {}`): {}", method.as_str(), site.path, d.message);
        let hint = d.hint.take().map(|h| format!("{h}; ")).unwrap_or_default();
        d.hint = Some(if strict {
            format!("{hint}or generate without `--strict` to leave the operation out")
        } else {
            d.severity = crate::diagnostics::Severity::Warning;
            format!(
                "{hint}the operation is left out of the crate; call it with `client.send_raw(Method::{}, \"{}\", body, CallOptions::default())` (a body is sent as JSON)",
                method.as_str(),
                site.path.escape_debug()
            )
        });
        report.report(d);
    }
    (!strict).then(|| LeftOut { operation_id, method, path: site.path.to_string(), reason })
}

/// Whether `--tag` selects the operation.
pub(crate) fn selected(options: &Options, op: &Value) -> bool {
    let tags = openapi::tags(op);
    options.tags.is_empty() || options.tags.iter().any(|t| tags.contains(&t.as_str()))
}

/// Security requirements: alternatives, each the schemes it needs (in name order) with
/// their scopes. `None` when the node is absent (the operation inherits the document's).
fn security(node: Option<&Value>) -> Option<Vec<Vec<SecurityRequirement>>> {
    let list = node?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_object)
            .map(|requirement| {
                let mut schemes: Vec<SecurityRequirement> = requirement
                    .iter()
                    .map(|(scheme, scopes)| SecurityRequirement {
                        scheme: scheme.clone(),
                        scopes: scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect(),
                    })
                    .collect();
                schemes.sort_by(|a, b| a.scheme.cmp(&b.scheme));
                schemes
            })
            .collect(),
    )
}

fn operation<'t>(
    site: &OperationRef<'t>,
    global_security: &Option<Vec<Vec<SecurityRequirement>>>,
    methods: &mut Namer,
    builders: &mut Namer,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Option<(Operation, Pending)> {
    let pointer = site.pointer.as_str();
    let op = site.op;
    let Some(method) = Method::from_key(site.method) else {
        report.error(pointer, format!("`{}` is not an HTTP method", site.method), None);
        return None;
    };
    let operation_id = match op.get("operationId").and_then(Value::as_str) {
        Some(id) if !id.trim().is_empty() => id.to_string(),
        _ => {
            let id = format!("{} {}", site.method, site.path);
            report.warn(
                pointer,
                format!("no operationId; the method is named after `{id}`"),
                Some("add an operationId"),
            );
            id
        }
    };
    crate::fates::check(Object::PathItem, &site.item_pointer, site.item, &["servers"], false, report);
    crate::fates::check(Object::Operation, pointer, op, &["servers"], false, report);
    for (owner, node) in [(&site.item_pointer, site.item), (&site.pointer, op)] {
        if node.get("servers").is_some() {
            report.warn(
                &join(owner, "servers"),
                "servers for one path or operation are not supported; it is sent to the client's base URL",
                Some("move the server into the document's `servers`, or call the operation with `send_raw` on a client for that server"),
            );
        }
    }
    let method_name = methods.claim(&snake(&operation_id), &join(pointer, "operationId"), report);
    let type_stem = pascal(&operation_id);
    let builder = builders.claim(&format!("{type_stem}Request"), &join(pointer, "operationId"), report);

    let mut params = parameters(site, &type_stem, models, report);
    // Positional (required) parameters first, each group in spec order.
    params.sort_by_key(|p| !p.required);
    // A path parameter left unsupported is not declared: the operation is left out anyway.
    let path_parts =
        if report.collected_unsupported() { Vec::new() } else { path_parts(site.path, &params, pointer, report) };
    let taken: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
    let body = request_body(models, site, &type_stem, &taken, report);
    let success: Success = success(models, pointer, op, &type_stem, report);
    let error = error_type(models, pointer, op, &type_stem, report);
    let responses = cases(models, pointer, op, &type_stem, report);
    let text = |key: &str| op.get(key).and_then(Value::as_str);
    let operation = Operation {
        operation_id,
        method_name,
        builder,
        mock_marker: String::new(),
        mock_method: String::new(),
        module: String::new(),
        summary: text("summary").map(inline).filter(|s| !s.is_empty()),
        description: text("description").map(doc_lines).unwrap_or_default(),
        tags: openapi::tags(op).into_iter().map(str::to_string).collect(),
        group: openapi::tags(op).first().map_or(super::OTHER_TAG, |t| t).to_string(),
        deprecated: op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        method,
        idempotent: crate::vocabulary::IDEMPOTENT_METHODS.contains(&method.as_str()),
        path: site.path.to_string(),
        path_parts,
        params,
        body,
        responses,
        success,
        error,
        accept: accept(models, op),
        security: security(op.get("security")).or_else(|| global_security.clone()).unwrap_or_default(),
        pagination: None,
        request_example: request_example(models.tree, op),
    };
    Some((operation, Pending { pointer: site.pointer.clone(), extension: op.get("x-pagination").cloned() }))
}

/// The request body's first example, as compact JSON.
fn request_example(tree: &Value, op: &Value) -> Option<String> {
    let (_, value) = openapi::json_examples(tree, op.get("requestBody")?).into_iter().next()?;
    serde_json::to_string(value).ok()
}
