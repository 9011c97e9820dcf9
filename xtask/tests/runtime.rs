//! The runtime's own unit tests: the `mod tests` of each `templates/runtime/*.rs`,
//! compiled here against the runtime's source. Generated crates ship the runtime
//! without them (see `generator/src/render/runtime.rs`).

// The runtime is the crate's private module here; what generated code would call is
// unused in this crate.
// `axum` and `testing` are features of generated crates (tested through generated/).
#[allow(dead_code, unused_imports, unexpected_cfgs)]
#[path = "../../templates/runtime/mod.rs"]
mod runtime;
