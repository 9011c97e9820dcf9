//! The runtime's own unit tests: the `mod tests` of each `templates/runtime/*.rs`,
//! compiled here against the runtime's source. Generated crates ship the runtime
//! without them (see `generator/src/render/runtime.rs`).

// The runtime is the crate's private module here; what generated code would call is
// unused in this crate.
#[allow(dead_code, unused_imports)]
#[path = "../../templates/runtime/mod.rs"]
mod runtime;
