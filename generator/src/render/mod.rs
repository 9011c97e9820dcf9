//! Stage 3: IR → files. Askama templates print the IR; Rust output is parsed with
//! syn and printed with prettyplease, so every `.rs` file is valid and formatted.

mod format;
mod runtime;
mod templates;

use std::collections::BTreeMap;

use askama::Template;

use crate::ir::Api;
use templates::{
    CargoToml, LibRs, ModelFile, ModelsMod, OperationFile, OperationsMod, Preamble, Readme, ServerRs, TestingRs,
    WebhooksRs,
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
    add("Cargo.toml".into(), CargoToml { krate, runtime: &requirements }.render())?;
    add("README.md".into(), Readme { krate, models: &api.models, operations: &api.operations }.render())?;
    add("src/lib.rs".into(), LibRs { krate }.render())?;
    add("src/server.rs".into(), ServerRs { krate, servers: &api.servers }.render())?;
    add("src/webhooks.rs".into(), WebhooksRs { krate, webhooks: &api.webhooks }.render())?;
    add("src/testing.rs".into(), TestingRs { krate, operations: &api.operations }.render())?;
    add("src/models/mod.rs".into(), ModelsMod { krate, models: &api.models }.render())?;
    for model in &api.models {
        add(format!("src/models/{}.rs", model.module), ModelFile { krate, model }.render())?;
    }
    add("src/operations/mod.rs".into(), OperationsMod { krate, operations: &api.operations }.render())?;
    for op in &api.operations {
        add(format!("src/operations/{}.rs", op.module), OperationFile { krate, op }.render())?;
    }
    let preamble = Preamble { krate }.render().map_err(|e| Error::Bug(format!("preamble template failed: {e}")))?;
    for example in &krate.examples {
        let (name, source) = (&example.name, &example.source);
        add(
            format!("examples/{name}.rs"),
            Ok(format!("{preamble}\n//!\n//! Example `{name}`, copied from the guide's sources.\n{source}")),
        )?;
    }
    let mut files = format_all(sources).map_err(Error::Bug)?;
    // The runtime is copied verbatim, under the same preamble as every other file.
    for (name, text) in runtime::FILES {
        files.insert(format!("src/runtime/{name}"), format!("{preamble}\n//!\n{text}"));
    }
    Ok(files)
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
