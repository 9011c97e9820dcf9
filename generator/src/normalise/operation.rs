//! Paths → operations: names, docs and the parts each submodule decides
//! (parameters, body, responses, pagination).

use serde_json::Value;

use super::Namer;
use super::body::request_body;
use super::pagination::pagination;
use super::params::{parameters, path_parts};
use super::responses::{accept, error_type, success};
use super::schema::Models;
use crate::Options;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{BodyEncoding, FormPart, Location, Operation, Param, RequestBody};
use crate::limits::MAX_NAME_BYTES;
use crate::names::{module_name, pascal, reserved_modules, snake};
use crate::openapi::{self, OperationRef};

/// Methods `Client` has besides the operations (inherent and from its traits); an
/// operation named like one gets a suffix. `client_methods_are_reserved` checks this
/// list against the runtime's source.
pub(crate) const CLIENT_RESERVED: &[&str] = &[
    "after",
    "attempt",
    "base_url",
    "builder",
    "clone",
    "clone_from",
    "execute",
    "execute_empty",
    "execute_json",
    "fmt",
    "headers",
    "inner",
    "new",
    "send_raw",
    "send_with_retries",
    "to_owned",
    "type_id",
    "url",
    "webhooks",
];

/// Type names the operation files and the crate root use.
const TYPE_RESERVED: &[&str] =
    &["Client", "Error", "Response", "CallOptions", "Duration", "Method", "Query", "UrlPath"];

/// Every selected operation, sorted by method name.
pub(crate) fn operations<'t>(
    tree: &'t Value,
    options: &Options,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Vec<Operation> {
    let mut methods = Namer::with_reserved(CLIENT_RESERVED);
    let mut builders = Namer::with_reserved(TYPE_RESERVED);
    let mut modules = Namer::with_reserved(&reserved_modules());
    // Names in the generated `testing` module: beside what `MockApi` has itself.
    let mut mock_methods =
        Namer::with_reserved(&["start", "uri", "client", "client_builder", "server", "expect", "received", "fmt"]);
    let mut mock_markers = Namer::with_reserved(&["Expect", "MockApi", "Operation", "Received", "models", "wiremock"]);
    let mut out = Vec::new();
    let (mut found, broken) = openapi::operations(tree);
    for (at, error) in broken {
        let (message, hint) = error.message();
        report.error(&at, message, Some(hint));
    }
    found.sort_by(|a, b| a.path.cmp(b.path));
    for site in found {
        if !selected(options, site.op) {
            continue;
        }
        if let Some(mut operation) = operation(&site, &mut methods, &mut builders, models, report) {
            operation.module = modules.claim_quiet(&module_name(&operation.method_name, MAX_NAME_BYTES));
            operation.mock_method = mock_methods.claim_quiet(&operation.method_name);
            operation.mock_marker = mock_markers.claim_quiet(&pascal(&operation.operation_id));
            out.push(operation);
        }
    }
    out.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    out
}

/// Whether `--tag` selects the operation.
pub(crate) fn selected(options: &Options, op: &Value) -> bool {
    let tags = openapi::tags(op);
    options.tags.is_empty() || options.tags.iter().any(|t| tags.contains(&t.as_str()))
}

fn operation<'t>(
    site: &OperationRef<'t>,
    methods: &mut Namer,
    builders: &mut Namer,
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Option<Operation> {
    let pointer = site.pointer.as_str();
    let op = site.op;
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
    let method_name = methods.claim(&snake(&operation_id), &join(pointer, "operationId"), report);
    let type_stem = pascal(&operation_id);
    let builder = builders.claim(&format!("{type_stem}Request"), &join(pointer, "operationId"), report);

    let mut params = parameters(site, &type_stem, models, report);
    // Positional (required) parameters first, each group in spec order.
    params.sort_by_key(|p| !p.required);
    let path_parts = path_parts(site.path, &params, pointer, report);
    let taken: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
    let body = request_body(models, site, &type_stem, &taken, report);
    let success = success(models, pointer, op, &type_stem, report);
    let error_ty = error_type(models, pointer, op, &type_stem, report);
    models.drain(report);
    let pagination = pagination(site, &params, success.model.as_deref(), models, report);

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
    if let Some(p) = &pagination {
        docs.push(String::new());
        let order = match p.direction {
            crate::ir::Direction::Forward => "oldest first",
            crate::ir::Direction::Backward => "the newest page first",
        };
        docs.push(format!(
            "Paginated ({order}): `into_stream()` follows `{}` from `{}` across pages.",
            crate::docs::code(&p.cursor_param),
            crate::docs::code(&p.next_cursor_field)
        ));
    }
    argument_docs(&mut docs, &params, body.as_ref());
    let has_query = params.iter().any(|p| matches!(p.location, Location::Query | Location::DeepObject));
    let body_args = match &body {
        Some(b) if b.encoding == BodyEncoding::Multipart => b.required_parts.len(),
        Some(b) => usize::from(b.required),
        None => 0,
    };
    let many_args = params.iter().filter(|p| p.required).count() + body_args > 6;
    let uses = operation_uses(&params, body.as_ref(), &success.ty, &error_ty, pagination.is_some());
    Some(Operation {
        has_query,
        many_args,
        uses,
        module: String::new(),
        operation_id,
        method_name,
        builder,
        mock_marker: String::new(),
        mock_method: String::new(),
        doc_name: format!("`{id}` (`{} {path}`)", site.method.to_uppercase()),
        docs,
        http_method: site.method.to_uppercase(),
        path: site.path.to_string(),
        path_parts,
        params,
        body,
        response_ty: success.ty,
        response_json: success.json,
        empty_ok: success.empty_ok,
        accept: accept(models, op),
        redirects: success.redirects,
        success_status: success.status,
        success_example: success.example,
        error_ty,
        pagination,
    })
}

fn argument_docs(docs: &mut Vec<String>, params: &[Param], body: Option<&RequestBody>) {
    let positional: Vec<&Param> = params.iter().filter(|p| p.required).collect();
    if positional.is_empty() && !body.is_some_and(|b| b.required) {
        return;
    }
    docs.push(String::new());
    docs.push("# Arguments".to_string());
    docs.push(String::new());
    for p in positional {
        docs.push(format!("- `{}`: {}", p.rust_name, p.docs.first().cloned().unwrap_or_default()));
    }
    match body {
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

/// The `use` lines of an operation file.
fn operation_uses(
    params: &[Param],
    body: Option<&RequestBody>,
    response_ty: &str,
    error_ty: &str,
    paginated: bool,
) -> Vec<String> {
    let mut uses = std::collections::BTreeSet::new();
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
    types
        .extend(body.into_iter().flat_map(|b| b.required_parts.iter().chain(&b.optional_parts).map(|p| p.ty.as_str())));
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

#[cfg(test)]
mod tests {
    /// Every method of `Client` in the runtime (inherent `impl Client` blocks) is
    /// reserved, so an operation cannot be named like one (a crate that would not build).
    #[test]
    fn client_methods_are_reserved() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/runtime/src/runtime");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut in_client = false;
            for line in text.lines() {
                if line.starts_with("impl Client {") || line.starts_with("impl<") && line.ends_with(" Client {") {
                    in_client = true;
                } else if line.starts_with('}') {
                    in_client = false;
                }
                let Some(rest) = line.trim_start().split("fn ").nth(1).filter(|_| in_client) else { continue };
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if line.starts_with("    ")
                    && !line.starts_with("     ")
                    && !super::CLIENT_RESERVED.contains(&name.as_str())
                {
                    missing.push(name);
                }
            }
        }
        assert!(missing.is_empty(), "add these to CLIENT_RESERVED: {missing:?}");
    }
}
