//! Stage 2: the loaded document → the IR ([`crate::ir::Api`]), in passes:
//!
//! 1. `schema`: component schemas that become models are named up front;
//! 2. `security`: the security schemes;
//! 3. `operation` (with `params`, `body`, `responses`) and `webhook`: every selected
//!    operation and webhook, typing the schemas they use (models are queued, not
//!    built on the spot);
//! 4. `schema` drains the queue into model drafts; `finish` turns them into models
//!    (uses, presence, pointers, tags, shapes, setters);
//! 5. `pagination`: each list operation's walk, read from the finished models;
//! 6. `server`: the servers.
//!
//! Works on the repaired JSON tree (every node addressable by JSON pointer, so every
//! finding says where it is); the typed `openapiv3` document has already proved the
//! structure valid.

mod auth;
mod body;
mod conversions;
mod enums;
mod error_text;
mod finish;
mod graph;
mod operation;
mod pagination;
mod params;
mod responses;
mod schema;
mod scopes;
mod security;
mod server;
mod types;
mod verify;
mod webhook;

use serde_json::Value;

use crate::diagnostics::Reporter;
use crate::ir::{Api, Krate};
use crate::options::Options;

pub(crate) use crate::names::Namer;

/// Builds the IR. Returns `None` when errors were reported.
pub(crate) fn normalise(tree: &Value, options: &Options, report: &mut Reporter<'_>) -> Option<Api> {
    let mut models = schema::Models::new(tree, report);
    let security = security::schemes(tree, report);
    let (operations, left_out) = operation::operations(tree, options, &mut models, report);
    let (operations, pending): (Vec<_>, Vec<_>) = operations.into_iter().unzip();
    let webhooks = webhook::webhooks(tree, options, &security, &mut models, report);
    models.drain(report);
    let (drafts, uses) = models.into_drafts();
    let (models, recursion_limit) = finish::finish(drafts, &uses, report);
    let servers = server::servers(tree, report);
    let tags = tags(tree, &operations);
    if report.has_errors() {
        return None;
    }
    let info = tree.get("info");
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default();
    let summary = match text("summary") {
        "" => crate::docs::inline(text("title")),
        summary => crate::docs::inline(summary),
    };
    let mut api = Api {
        krate: Krate {
            package: options.package.clone(),
            lib: options.package.replace('-', "_"),
            spec_file: std::iter::once(&options.spec_file)
                .chain(options.overlays.iter().map(|o| &o.file))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" + "),
            command: options.command.clone(),
            title: crate::docs::inline(text("title")),
            api_version: crate::docs::inline(text("version")),
            summary,
            description: format!("Typed async client for the {}", crate::docs::plain(text("title"))),
            keywords: options.keywords.iter().take(5).map(|k| crate::docs::plain(k)).collect(),
            docs: crate::docs::doc_lines(text("description")),
            standalone: options.standalone,
            guide: options.guide.as_deref().map(crate::docs::guide_lines).unwrap_or_default(),
            examples: options.examples.iter().map(|(name, source)| example(name, source)).collect(),
            version: options.version.clone(),
            repository: options.repository.clone(),
            documentation: options.documentation.clone(),
            changelog: options.changelog.clone(),
            env_prefix: options.package.to_uppercase().replace('-', "_"),
        },
        servers,
        security,
        models,
        operations,
        tags,
        webhooks,
        scopes: Vec::new(),
        default_error: None,
        recursion_limit,
        key_header: String::new(),
        left_out,
    };
    api.scopes = scopes::scopes(&api.operations);
    auth::methods(&mut api);
    api.key_header = webhook::crate_key_header(&api.webhooks);
    enums::merge_identical(&mut api);
    conversions::find(&mut api);
    api.default_error = default_error(&api, report);
    error_text::find(&mut api);
    pagination::resolve(&mut api, &pending, report);
    verify::references(&api, report);
    (!report.has_errors()).then_some(api)
}

/// The groups operations are listed in: the spec's `tags` in order, then tags only
/// operations name, then `Other` for operations without a tag (only those that group
/// some operation).
fn tags(tree: &Value, operations: &[crate::ir::Operation]) -> Vec<crate::ir::Tag> {
    let mut names: Vec<(String, Vec<String>)> = Vec::new();
    for tag in tree.get("tags").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = tag.get("name").and_then(Value::as_str) else { continue };
        if !names.iter().any(|(n, _)| n == name) {
            let docs = tag.get("description").and_then(Value::as_str).map(crate::docs::doc_lines).unwrap_or_default();
            names.push((name.to_string(), docs));
        }
    }
    for op in operations {
        if !names.iter().any(|(n, _)| *n == op.group) {
            names.push((op.group.clone(), Vec::new()));
        }
    }
    // `tags/tags.rs` would be a module inside the module of its name (clippy's `module_inception`).
    let mut modules = Namer::with_reserved(&[crate::names::reserved_modules(), vec!["tags"]].concat());
    names
        .into_iter()
        .filter(|(name, _)| operations.iter().any(|op| op.group == *name))
        .map(|(name, docs)| crate::ir::Tag {
            module: modules
                .claim_quiet(&crate::names::module_name(&crate::names::snake(&name), crate::limits::MAX_NAME_BYTES)),
            name,
            docs,
        })
        .collect()
}

/// The error body most operations document (the first of the most common, in
/// operation order). Operations documenting none decode their errors into it, with a
/// warning naming them.
fn default_error(api: &Api, report: &mut Reporter<'_>) -> Option<crate::ir::Ty> {
    let mut counts: Vec<(&crate::ir::Ty, usize)> = Vec::new();
    for ty in api.operations.iter().filter_map(|op| op.error.as_ref()) {
        match counts.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, n)) => *n += 1,
            None => counts.push((ty, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    let ty = counts.into_iter().find(|(_, n)| *n == best)?.0.clone();
    let undocumented: Vec<&crate::ir::Operation> = api.operations.iter().filter(|op| op.error.is_none()).collect();
    let Some(first) = undocumented.first() else { return Some(ty) };
    let names: Vec<&str> = undocumented.iter().map(|op| op.operation_id.as_str()).collect();
    let pointer =
        crate::openapi::join(&crate::openapi::join("/paths", &first.path), &first.method.as_str().to_ascii_lowercase());
    report.warn(
        &pointer,
        format!(
            "{} document no error body ({}); their errors decode as `{}`, the body most operations document",
            if names.len() == 1 { "1 operation does".to_string() } else { format!("{} operations", names.len()) },
            names.join(", "),
            ty.model().unwrap_or("JSON"),
        ),
        Some("document the error responses' schema if they differ"),
    );
    Some(ty)
}

/// The group of operations without a tag.
pub(crate) const OTHER_TAG: &str = "Other";

/// An example program and the features its `//! Required features: ...` line names
/// (plain names only).
fn example(name: &str, source: &str) -> crate::ir::Example {
    let features = source
        .lines()
        .find_map(|l| l.trim().strip_prefix("//! Required features:"))
        .map(|list| {
            list.split(',')
                .map(|f| f.trim().trim_end_matches('.').to_string())
                .filter(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .collect()
        })
        .unwrap_or_default();
    crate::ir::Example { name: name.to_string(), source: source.to_string(), features }
}

/// Follows local `$ref`s: returns the pointer and node of the target, or reports why
/// the chain is broken.
pub(crate) fn resolve<'t>(
    tree: &'t Value,
    pointer: &str,
    node: &'t Value,
    report: &mut Reporter<'_>,
) -> Option<(String, &'t Value)> {
    match crate::openapi::resolve(tree, pointer, node) {
        Ok(found) => Some(found),
        Err((at, error)) => {
            let (message, hint) = error.message();
            report.error(&at, message, Some(hint));
            None
        }
    }
}
