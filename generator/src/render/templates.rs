//! One Askama template struct per generated construct; they only hand IR to templates.

use askama::Template;

use crate::ir::{
    BodyEncoding, Direction, JsonKind, Krate, Location, Model, ModelKind, Operation, Presence, Server, Webhook,
};

#[derive(Template)]
#[template(path = "cargo.toml", escape = "none")]
pub(super) struct CargoToml<'a> {
    pub krate: &'a Krate,
    pub runtime: &'a super::runtime::Requirements,
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
#[template(path = "testing.rs", escape = "none")]
pub(super) struct TestingRs<'a> {
    pub krate: &'a Krate,
    pub operations: &'a [Operation],
}

#[derive(Template)]
#[template(path = "webhooks.rs", escape = "none")]
pub(super) struct WebhooksRs<'a> {
    pub krate: &'a Krate,
    pub webhooks: &'a [Webhook],
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

/// The filters: quoting only. `lit` prints a string as a Rust string literal, `toml` as
/// a TOML basic string.
mod filters {
    #[askama::filter_fn]
    pub(super) fn lit<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(format!("{:?}", value.to_string()))
    }

    #[askama::filter_fn]
    pub(super) fn toml<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::toml_string(&value.to_string()))
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub(super) fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
