//! Stage 2: the loaded document → the IR ([`crate::ir::Api`]).
//!
//! Works on the repaired JSON tree (every node addressable by JSON pointer, so every
//! finding says where it is); the typed `openapiv3` document has already proved the
//! structure valid.

mod names;
mod operation;
mod schema;
mod server;

use serde_json::Value;

use crate::Options;
use crate::diagnostics::Reporter;
use crate::ir::{Api, Krate};

pub(crate) use names::Namer;

/// Builds the IR. Returns `None` when errors were reported.
pub(crate) fn normalise(tree: &Value, options: &Options, report: &mut Reporter<'_>) -> Option<Api> {
    let mut models = schema::Models::new(tree, report);
    let operations = operation::operations(tree, options, &mut models, report);
    let models = models.finish(report);
    let servers = server::servers(tree, report);
    if report.has_errors() {
        return None;
    }
    let info = tree.get("info");
    let text = |key: &str| info.and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default();
    let multipart = operations
        .iter()
        .any(|o| o.body.as_ref().is_some_and(|b| b.encoding == crate::ir::BodyEncoding::Multipart));
    Some(Api {
        krate: Krate {
            package: options.package.clone(),
            lib: options.package.replace('-', "_"),
            spec_file: crate::docs::code(&options.spec_file),
            title: crate::docs::inline(text("title")),
            api_version: crate::docs::inline(text("version")),
            description: format!("Typed async client for the {}", crate::docs::code(text("title")).trim()),
            docs: crate::docs::doc_lines(text("description")),
            standalone: options.standalone,
            multipart,
            guide: options
                .guide
                .as_deref()
                .map(|g| g.trim_end().lines().map(|l| l.replace(|c: char| c.is_control() && c != '\t', "")).collect())
                .unwrap_or_default(),
            examples: options.examples.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        },
        servers,
        models,
        operations,
    })
}

/// Resolves local `$ref`s: returns the pointer and node of the target.
/// Reports external, dangling and cyclic references.
pub(crate) fn resolve<'t>(
    tree: &'t Value,
    pointer: &str,
    node: &'t Value,
    report: &mut Reporter<'_>,
) -> Option<(String, &'t Value)> {
    let mut pointer = pointer.to_string();
    let mut node = node;
    for _ in 0..32 {
        let Some(target) = node.get("$ref") else { return Some((pointer, node)) };
        let Some(target) = target.as_str() else {
            report.error(&pointer, "`$ref` is not a string", None);
            return None;
        };
        let Some(local) = target.strip_prefix('#') else {
            report.error(
                &pointer,
                format!("external reference `{target}` is not supported"),
                Some("bundle the document into one file first (e.g. `redocly bundle`)"),
            );
            return None;
        };
        let Some(next) = tree.pointer(local) else {
            report.error(&pointer, format!("`$ref: {target}` points at nothing"), Some("fix the reference"));
            return None;
        };
        pointer = local.to_string();
        node = next;
    }
    report.error(&pointer, "`$ref` chain is circular", Some("make the reference point at a schema"));
    None
}
