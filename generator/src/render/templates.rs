//! One Askama template struct per generated construct; they only hand IR to templates.

use askama::Template;

use crate::ir::{BodyEncoding, Krate, Location, Model, ModelKind, Operation, Presence, Server};

#[derive(Template)]
#[template(path = "cargo.toml", escape = "none")]
pub(super) struct CargoToml<'a> {
    pub krate: &'a Krate,
}

#[derive(Template)]
#[template(path = "preamble.rs", escape = "none")]
pub(super) struct Preamble<'a> {
    pub krate: &'a Krate,
}

#[derive(Template)]
#[template(path = "readme.md", escape = "none")]
pub(super) struct Readme<'a> {
    pub krate: &'a Krate,
    pub models: &'a [Model],
    pub operations: &'a [Operation],
}

#[derive(Template)]
#[template(path = "lib.rs", escape = "none")]
pub(super) struct LibRs<'a> {
    pub krate: &'a Krate,
}

#[derive(Template)]
#[template(path = "server.rs", escape = "none")]
pub(super) struct ServerRs<'a> {
    pub krate: &'a Krate,
    pub servers: &'a [Server],
}

#[derive(Template)]
#[template(path = "models_mod.rs", escape = "none")]
pub(super) struct ModelsMod<'a> {
    pub krate: &'a Krate,
    pub models: &'a [Model],
}

#[derive(Template)]
#[template(path = "model.rs", escape = "none")]
pub(super) struct ModelFile<'a> {
    pub krate: &'a Krate,
    pub model: &'a Model,
}

#[derive(Template)]
#[template(path = "operations_mod.rs", escape = "none")]
pub(super) struct OperationsMod<'a> {
    pub krate: &'a Krate,
    pub operations: &'a [Operation],
}

#[derive(Template)]
#[template(path = "operation.rs", escape = "none")]
pub(super) struct OperationFile<'a> {
    pub krate: &'a Krate,
    pub op: &'a Operation,
}

/// The one filter: quoting. Prints a string as a Rust string literal.
mod filters {
    #[askama::filter_fn]
    pub(super) fn lit<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(format!("{:?}", value.to_string()))
    }
}
