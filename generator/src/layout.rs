//! The generated crate's file layout: where each file goes, decided once. `render`
//! writes the files at these paths and `diff` names the files a change alters by
//! them, so the two cannot disagree on where something lives.

use crate::ir::{Model, Operation, Tag};

/// The manifest.
pub const CARGO_TOML: &str = "Cargo.toml";
/// The README (the crate docs and the guide).
pub const README: &str = "README.md";
/// The reference page: operations and webhook events.
pub const API_MD: &str = "API.md";
/// The changelog, when the release step wrote one.
pub const CHANGELOG: &str = "CHANGELOG.md";
/// The MIT license text.
pub const LICENSE_MIT: &str = "LICENSE-MIT";
/// The Apache 2.0 license text.
pub const LICENSE_APACHE: &str = "LICENSE-APACHE";
/// The crate root: docs, re-exports, limits.
pub const LIB: &str = "src/lib.rs";
/// `ClientBuilder` and `CallOptions` auth methods.
pub const AUTH: &str = "src/auth.rs";
/// `Client::from_env`.
pub const ENV: &str = "src/env.rs";
/// The `Server` enum.
pub const SERVER: &str = "src/server.rs";
/// Handles binding a leading path parameter.
pub const SCOPES: &str = "src/scopes.rs";
/// Webhook verification and payload types.
pub const WEBHOOKS: &str = "src/webhooks.rs";
/// The test doubles.
pub const TESTING: &str = "src/testing.rs";
/// The list of groups.
pub const TAGS_MOD: &str = "src/tags/mod.rs";
/// The list of models.
pub const MODELS_MOD: &str = "src/models/mod.rs";
/// The list of request builders.
pub const OPERATIONS_MOD: &str = "src/operations/mod.rs";
/// The directory the runtime is copied into (verbatim, never compared).
pub const RUNTIME_DIR: &str = "src/runtime/";

/// A model's file.
pub fn model(model: &Model) -> String {
    format!("src/models/{}.rs", model.module)
}

/// An operation's request builder.
pub fn operation(op: &Operation) -> String {
    format!("src/operations/{}.rs", op.module)
}

/// A group's file: its operations' `Client` methods.
pub fn tag(tag: &Tag) -> String {
    tag_module(&tag.module)
}

/// A group's file by its module name.
pub fn tag_module(module: &str) -> String {
    format!("src/tags/{module}.rs")
}

/// An example program.
pub fn example(name: &str) -> String {
    format!("examples/{name}.rs")
}

/// A runtime file, by its name in the runtime's `src/runtime/`.
pub fn runtime(name: &str) -> String {
    format!("{RUNTIME_DIR}{name}")
}

/// Whether a path is a runtime file (copied verbatim, the same for every API).
pub fn is_runtime(path: &str) -> bool {
    path.starts_with(RUNTIME_DIR)
}
