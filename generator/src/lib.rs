//! OpenAPI 3.0 → Rust client generator.
//!
//! A pure function: spec text in, files out ([`generate`]). Three stages, each a module:
//! `load` (text → repaired JSON tree → typed `openapiv3` document), `normalise`
//! (→ the [`ir`]), `render` (Askama templates → syn → prettyplease). No IO here;
//! `xtask` reads and writes files.

pub mod diagnostics;
mod docs;
pub mod ir;
mod load;
mod names;
mod normalise;
mod render;
mod repair;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Failure, Severity};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cargo package name of the generated crate, e.g. `sunshine-conversations`.
    pub package: String,
    /// The spec's path as named in diagnostics and in every file's preamble.
    pub spec_file: String,
    /// Only operations with one of these tags (all when empty).
    pub tags: Vec<String>,
    /// Add an empty `[workspace]` so the crate builds on its own anywhere.
    pub standalone: bool,
    /// Hand-written guide (Markdown with compiled Rust examples) appended to the crate
    /// docs and the README, e.g. a quick start for this particular API.
    pub guide: Option<String>,
    /// Hand-written example programs, `examples/<name>.rs`, by name.
    pub examples: BTreeMap<String, String>,
}

/// The generated crate.
#[derive(Debug, Clone)]
pub struct Output {
    /// File contents by path relative to the crate root, e.g. `src/lib.rs`.
    pub files: BTreeMap<String, String>,
    /// Repairs and renames worth telling the maintainer about.
    pub warnings: Vec<Diagnostic>,
}

/// Loads and normalises a spec into the IR (exposed for snapshot tests).
pub fn intermediate(text: &str, options: &Options) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    let mut report = diagnostics::Reporter::new(&options.spec_file, text);
    let loaded = load::load(text, &mut report);
    let api = loaded.and_then(|(_typed, tree)| normalise::normalise(&tree, options, &mut report));
    match api {
        Some(api) if !report.has_errors() => Ok((api, report.warnings())),
        _ => Err(report.into_failure()),
    }
}

/// Generates the client crate for a spec.
pub fn generate(text: &str, options: &Options) -> Result<Output, Failure> {
    let (api, warnings) = intermediate(text, options)?;
    let files = render::render(&api).map_err(|message| Failure {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            file: options.spec_file.clone(),
            pointer: String::new(),
            line: None,
            message,
            hint: Some("this is a generator bug: please report it with the spec".into()),
        }],
    })?;
    Ok(Output { files, warnings })
}
