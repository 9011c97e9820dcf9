//! OpenAPI 3.0 / 3.1 → Rust client generator.
//!
//! A pure function: spec text in, files out ([`generate`]). Three stages, each a module:
//! `load` (text → JSON tree → [`overlay`]s applied → a 3.1 document lowered into the
//! 3.0 form by `lower31` → repaired tree → typed `openapiv3` document), `normalise`
//! (→ the [`ir`]), `render` (Askama templates → syn → prettyplease). No IO here;
//! `xtask` reads and writes files. The spec is untrusted input: every walk is bounded
//! ([`limits`]), and the generated crate builds or the spec is refused with a diagnostic.

pub mod diagnostics;
pub mod diff;
mod docs;
pub mod fates;
pub mod ir;
pub mod layout;
pub mod limits;
mod load;
mod lower31;
mod names;
mod normalise;
pub mod openapi;
mod options;
pub mod overlay;
pub mod release;
mod render;
mod repair;
pub mod surface;
// Written by `cargo xtask codegen`, compared byte for byte by a test: not reformatted.
#[rustfmt::skip]
mod vocabulary;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Failure, Severity};
pub use options::Options;
pub use overlay::Overlay;

/// The generated crate.
#[derive(Debug, Clone)]
pub struct Output {
    /// File contents by path relative to the crate root, e.g. `src/lib.rs`.
    pub files: BTreeMap<String, String>,
    /// Repairs and renames worth telling the maintainer about.
    pub warnings: Vec<Diagnostic>,
}

/// A type as the generated crate writes it outside `models/` (e.g.
/// `Vec<models::Message>`), for tools that write code against a generated crate.
pub fn rust_type(ty: &ir::Ty) -> String {
    render::rust_ty(ty, render::Models::Qualified)
}

/// What changed for callers between two generated crates ([`diff::compare`]), with
/// the files each change alters checked against the files that really differ (both
/// APIs are rendered to find them).
pub fn api_diff(old: &ir::Api, new: &ir::Api) -> diff::Report {
    diff::compare(old, new, render::changed_files(old, new))
}

/// The source of `generator/src/vocabulary.rs`: the names the generated code uses
/// itself and the runtime's facts the IR states, derived from the runtime and the
/// templates (`cargo xtask codegen` writes it; a test fails when it is stale).
pub fn vocabulary_table() -> String {
    render::vocabulary_table()
}

/// Loads and normalises a spec into the IR (exposed for snapshot tests and `api-diff`).
pub fn intermediate(text: &str, options: &Options) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    on_big_stack(|| intermediate_here(text, options))
}

fn intermediate_here(text: &str, options: &Options) -> Result<(ir::Api, Vec<Diagnostic>), Failure> {
    let mut report = diagnostics::Reporter::new(&options.spec_file, text);
    if !release::is_version(&options.version) {
        report.error(
            "",
            format!("the crate version `{}` is not MAJOR.MINOR.PATCH", options.version),
            Some("pass a version such as 0.1.0"),
        );
        return Err(report.into_failure());
    }
    let lib = options.package.replace('-', "_");
    if vocabulary::CRATE_NAMES.contains(&lib.as_str()) {
        report.error(
            "",
            format!("the package name `{}` is the name of a crate the generated code uses (`{lib}`): its own name would hide it", options.package),
            Some("choose another name for the generated crate"),
        );
        return Err(report.into_failure());
    }
    if let Err(message) = names::check_package(&options.package) {
        report.error(
            "",
            message,
            Some("pass a Cargo package name: ASCII letters, digits, `-` and `_`, starting with a letter"),
        );
        return Err(report.into_failure());
    }
    let loaded = overlaid_tree(text, options, &mut report).and_then(|tree| load::load(tree, &mut report));
    let api = loaded.and_then(|(_typed, tree)| normalise::normalise(&tree, options, &mut report));
    match api {
        Some(api) if !report.has_errors() => Ok((api, report.warnings())),
        _ => Err(report.into_failure()),
    }
}

/// The spec's JSON tree with the overlays applied, and their warnings: the document the
/// generator reads, before any check of it (for tools that compare documents).
pub fn overlaid(text: &str, options: &Options) -> Result<(serde_json::Value, Vec<Diagnostic>), Failure> {
    on_big_stack(|| {
        let mut report = diagnostics::Reporter::new(&options.spec_file, text);
        match overlaid_tree(text, options, &mut report) {
            Some(tree) if !report.has_errors() => Ok((tree, report.warnings())),
            _ => Err(report.into_failure()),
        }
    })
}

/// Parses the spec and applies the overlays (`None` after an error).
fn overlaid_tree(text: &str, options: &Options, report: &mut diagnostics::Reporter<'_>) -> Option<serde_json::Value> {
    let mut tree = load::parse(text, report)?;
    overlay::apply_all(&mut tree, &options.overlays, &options.spec_file, text.len(), report).then_some(tree)
}

/// Renders a crate from an IR built any way (tests build small ones by hand to test
/// render at its seam): every file by path, or the generator bug that stopped it.
pub fn render(api: &ir::Api) -> Result<BTreeMap<String, String>, Failure> {
    on_big_stack(|| {
        render::render(api, usize::MAX).map_err(|error| {
            let message = match error {
                render::Error::Bug(message) => message,
                render::Error::TooLarge(size) => format!("the crate would be {size} bytes or more"),
            };
            Failure {
                diagnostics: vec![Diagnostic {
                    severity: Severity::Error,
                    file: api.krate.spec_file.clone(),
                    pointer: String::new(),
                    line: None,
                    message,
                    hint: None,
                }],
            }
        })
    })
}

/// Generates the client crate for a spec.
pub fn generate(text: &str, options: &Options) -> Result<Output, Failure> {
    on_big_stack(|| {
        let (api, warnings) = intermediate_here(text, options)?;
        let fail = |message: String, hint: &str| Failure {
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                file: options.spec_file.clone(),
                pointer: String::new(),
                line: None,
                message,
                hint: Some(hint.to_string()),
            }],
        };
        let input = options.overlays.iter().fold(text.len(), |sum, o| sum.saturating_add(o.text.len()));
        let limit = limits::max_output_bytes(input);
        let files = render::render(&api, limit).map_err(|error| match error {
            render::Error::Bug(message) => fail(message, "this is a generator bug: please report it with the spec"),
            render::Error::TooLarge(size) => fail(
                format!("the generated crate would be {size} bytes or more, over the limit of {limit} for a spec of {input} bytes"),
                "the spec expands into far more types than it states (YAML aliases, or inline schemas repeated); reference shared schemas instead",
            ),
        })?;
        Ok(Output { files, warnings })
    })
}

/// Runs `f` on a thread whose stack fits [`limits::MAX_DEPTH`] levels of nesting
/// through every stage, whatever stack the caller has.
fn on_big_stack<T: Send>(f: impl FnOnce() -> Result<T, Failure> + Send) -> Result<T, Failure> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().stack_size(limits::STACK_BYTES).spawn_scoped(scope, f);
        match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => Err(Failure {
                diagnostics: vec![Diagnostic {
                    severity: Severity::Error,
                    file: String::new(),
                    pointer: String::new(),
                    line: None,
                    message: format!("cannot start the generator's thread: {error}"),
                    hint: None,
                }],
            }),
        }
    })
}
