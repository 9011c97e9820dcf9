//! Stage 3: IR → files. Askama templates print the IR; Rust output is parsed with
//! syn and printed with prettyplease, so every `.rs` file is valid and formatted.

mod checks;
mod format;
mod krate;
mod model;
mod op_docs;
mod operation;
mod probe;
mod runtime;
mod rust;
mod shapes;
mod templates;
mod toml;

pub(crate) use rust::Models;

/// The source of the vocabulary table (see `probe`).
pub(crate) fn vocabulary_table() -> String {
    probe::table()
}

/// A type as the generated crate writes it.
pub(crate) fn rust_ty(ty: &crate::ir::Ty, models: Models) -> String {
    rust::ty(ty, models)
}

/// What a successful call returns, as the generated crate writes it.
pub(crate) fn success_ty(success: &crate::ir::Success) -> String {
    rust::success_ty(success)
}

/// A field's type as its struct declares it (models written `models::Name`).
pub(crate) fn rust_field_ty(field: &crate::ir::Field) -> String {
    rust::with_presence(&rust::held(&field.ty, field.indirect, Models::Qualified), field.presence)
}

use std::collections::BTreeMap;

use askama::Template;

use crate::ir::Api;
use crate::layout;
use templates::{
    ApiMd, AuthRs, CargoToml, EnvRs, LibRs, LicenseMit, ModelFile, ModelsMod, OperationFile, OperationsMod, Preamble,
    Readme, ScopesRs, ServerRs, TagRs, TagsMod, TestingRs, WebhooksRs,
};

/// Why rendering failed.
#[derive(Debug)]
pub(crate) enum Error {
    /// A template failed or produced invalid Rust: a generator bug.
    Bug(String),
    /// The output would pass the size limit (bytes rendered so far).
    TooLarge(usize),
}

/// Renders every file of the crate, keyed by path relative to the crate root, giving
/// up once the output passes `limit` bytes.
pub(crate) fn render(api: &Api, limit: usize) -> Result<BTreeMap<String, String>, Error> {
    let sources = sources(api, limit)?;
    let preamble =
        Preamble { krate: &api.krate }.render().map_err(|e| Error::Bug(format!("preamble template failed: {e}")))?;
    let mut files = format_all(sources).map_err(Error::Bug)?;
    // The runtime is copied verbatim, under the same preamble as every other file.
    for (name, text) in runtime::FILES {
        files.insert(layout::runtime(name), format!("{preamble}\n//!\n{text}"));
    }
    Ok(files)
}

/// The files whose text differs between two APIs, as rendered before formatting (the
/// same set as after: formatting is a function of the text), the runtime left out.
pub(crate) fn changed_files(old: &Api, new: &Api) -> std::collections::BTreeSet<String> {
    let text =
        |api: &Api| -> BTreeMap<String, String> { sources(api, usize::MAX).unwrap_or_default().into_iter().collect() };
    let (a, b) = (text(old), text(new));
    a.keys().chain(b.keys()).filter(|path| a.get(*path) != b.get(*path)).cloned().collect()
}

/// Every generated file but the runtime's, unformatted, in a fixed order.
fn sources(api: &Api, limit: usize) -> Result<Vec<(String, String)>, Error> {
    let krate = &api.krate;
    // Templates first (cheap), then formatting (most of the time) on every core.
    let mut sources: Vec<(String, String)> = Vec::new();
    let mut size = 0usize;
    let mut add = |path: String, text: Result<String, askama::Error>| -> Result<(), Error> {
        let text = text.map_err(|e| Error::Bug(format!("template for {path} failed: {e}")))?;
        size += text.len();
        if size > limit {
            return Err(Error::TooLarge(size));
        }
        sources.push((path, text));
        Ok(())
    };
    let requirements = runtime::requirements().map_err(Error::Bug)?;
    add(layout::CARGO_TOML.into(), CargoToml { krate, runtime: &requirements }.render())?;
    add(layout::README.into(), Readme { krate, models: &api.models, operations: &api.operations }.render())?;
    add(layout::LICENSE_MIT.into(), LicenseMit { krate }.render())?;
    add(layout::LICENSE_APACHE.into(), Ok(templates::LICENSE_APACHE.to_string()))?;
    if let Some(changelog) = &krate.changelog {
        add(layout::CHANGELOG.into(), Ok(changelog.clone()))?;
    }
    add(layout::LIB.into(), LibRs { krate, v: krate::lib(api) }.render())?;
    add(layout::ENV.into(), EnvRs { krate, v: krate::env(api) }.render())?;
    add(layout::AUTH.into(), AuthRs { krate, v: krate::auth(api) }.render())?;
    add(layout::TAGS_MOD.into(), TagsMod { krate, tags: &api.tags }.render())?;
    if !api.scopes.is_empty() {
        add(layout::SCOPES.into(), ScopesRs { krate, scopes: krate::scopes(api) }.render())?;
    }
    for view in krate::tags(api) {
        let path = layout::tag(view.tag);
        add(
            path,
            TagRs {
                krate,
                tag: view.tag,
                docs: view.docs,
                ops: view.ops,
                uses_models: view.uses_models,
                scoped: view.scoped,
            }
            .render(),
        )?;
    }
    add(
        layout::API_MD.into(),
        ApiMd { krate, operations: &api.operations, groups: krate::groups(api), webhooks: krate::webhook_events(api) }
            .render(),
    )?;
    add(
        layout::SERVER.into(),
        {
            let servers = krate::servers(api);
            let placed = |path: bool| servers.iter().any(|s| s.args.iter().any(|(_, in_path)| *in_path == path));
            ServerRs { krate, host_variables: placed(false), path_variables: placed(true), servers }
        }
        .render(),
    )?;
    add(layout::WEBHOOKS.into(), WebhooksRs { krate, v: krate::webhooks(api) }.render())?;
    let (mocks, shared_examples, uses_models) = krate::mocks(api);
    let fixtures = krate::fixtures(api);
    let fixtures_use_models = api.webhooks.iter().any(|w| !w.examples.is_empty() && !w.payload.models().is_empty());
    add(
        layout::TESTING.into(),
        TestingRs { krate, mocks, shared_examples, uses_models, fixtures, fixtures_use_models }.render(),
    )?;
    add(layout::MODELS_MOD.into(), ModelsMod { krate, models: &api.models }.render())?;
    for model in &api.models {
        add(layout::model(model), ModelFile { krate, model, v: model::view(api, model) }.render())?;
    }
    add(layout::OPERATIONS_MOD.into(), OperationsMod { krate, operations: &api.operations }.render())?;
    for op in &api.operations {
        add(layout::operation(op), OperationFile { krate, op, v: operation::view(api, op) }.render())?;
    }
    let preamble = Preamble { krate }.render().map_err(|e| Error::Bug(format!("preamble template failed: {e}")))?;
    for example in &krate.examples {
        let (name, source) = (&example.name, &example.source);
        add(
            layout::example(name),
            Ok(format!("{preamble}\n//!\n//! Example `{name}`, copied from the guide's sources.\n{source}")),
        )?;
    }
    Ok(sources)
}

/// Formats Rust sources (tidies the rest) on up to `available_parallelism` threads.
/// The result is keyed by path, so it does not depend on scheduling.
fn format_all(sources: Vec<(String, String)>) -> Result<BTreeMap<String, String>, String> {
    let one = |(path, text): (String, String)| -> Result<(String, String), String> {
        let text = if path.ends_with(".rs") { format::rust(&path, &text)? } else { tidy(&text) };
        Ok((path, text))
    };
    // Own threads even for one chunk: their stack fits `MAX_DEPTH` nesting, the
    // caller's may not.
    let threads =
        std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8).min(sources.len().div_ceil(8).max(1));
    let mut chunks: Vec<Vec<(String, String)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, source) in sources.into_iter().enumerate() {
        chunks[i % threads].push(source);
    }
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for chunk in chunks {
            let work = move || chunk.into_iter().map(one).collect::<Result<Vec<_>, String>>();
            let handle = std::thread::Builder::new()
                .stack_size(crate::limits::STACK_BYTES)
                .spawn_scoped(scope, work)
                .map_err(|e| format!("cannot start a formatting thread: {e}"))?;
            handles.push(handle);
        }
        let mut files = BTreeMap::new();
        for handle in handles {
            let formatted = handle.join().map_err(|_| "generator bug: a formatting thread panicked".to_string())??;
            files.extend(formatted);
        }
        Ok(files)
    })
}

/// Trims trailing spaces and collapses runs of blank lines in non-Rust files.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
