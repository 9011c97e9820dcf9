//! Stage 2: the loaded document → the IR ([`crate::ir::Api`]).
//!
//! Works on the repaired JSON tree (every node addressable by JSON pointer, so every
//! finding says where it is); the typed `openapiv3` document has already proved the
//! structure valid.

mod body;
mod finish;
mod graph;
mod operation;
mod pagination;
mod params;
mod responses;
mod schema;
mod server;
mod types;
mod webhook;

use serde_json::Value;

use crate::Options;
use crate::diagnostics::Reporter;
use crate::ir::{Api, Krate};

pub(crate) use crate::names::Namer;

/// Builds the IR. Returns `None` when errors were reported.
pub(crate) fn normalise(tree: &Value, options: &Options, report: &mut Reporter<'_>) -> Option<Api> {
    let mut models = schema::Models::new(tree, report);
    let operations = operation::operations(tree, options, &mut models, report);
    let webhooks = webhook::webhooks(tree, options, &mut models, report);
    models.drain(report);
    let (drafts, uses) = models.into_drafts();
    let (models, chain) = finish::finish(drafts, &uses, report);
    let servers = server::servers(tree, report);
    if report.has_errors() {
        return None;
    }
    let info = tree.get("info");
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default();
    let multipart =
        operations.iter().any(|o| o.body.as_ref().is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Multipart));
    let operations_use_models = operations.iter().any(|o| {
        let body = o.body.as_ref().filter(|b| b.encoding == crate::ir::BodyEncoding::Json);
        [o.response_ty.as_str(), o.error_ty.as_str(), body.map_or("", |b| b.ty.as_str())]
            .iter()
            .any(|ty| ty.contains("models::"))
    });
    Some(Api {
        krate: Krate {
            package: options.package.clone(),
            lib: options.package.replace('-', "_"),
            spec_file: crate::docs::code(&options.spec_file),
            command: crate::docs::code(&options.command),
            title: crate::docs::inline(text("title")),
            api_version: crate::docs::inline(text("version")),
            description: format!("Typed async client for the {}", crate::docs::plain(text("title"))),
            docs: crate::docs::doc_lines(text("description")),
            standalone: options.standalone,
            multipart,
            operations_use_models,
            recursion_limit: recursion_limit(chain),
            guide: options.guide.as_deref().map(crate::docs::guide_lines).unwrap_or_default(),
            examples: options.examples.iter().map(|(name, source)| example(name, source)).collect(),
        },
        servers,
        models,
        operations,
        webhooks,
    })
}

/// The compiler's recursion limit a crate needs when its types hold one another
/// `chain` deep: the compiler (and rustdoc, proving auto traits) walks a few levels per
/// hop (`Box`, `Vec`, `Option` each add some). `None` when the default (128) is enough.
fn recursion_limit(chain: usize) -> Option<u32> {
    let needed = chain.saturating_mul(8).saturating_add(64);
    (needed > 128).then(|| u32::try_from(needed).unwrap_or(u32::MAX))
}

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
