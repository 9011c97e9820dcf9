//! One Askama template struct per generated file kind; each hands the IR and its view
//! (the Rust text `render` computed) to a template that only prints and loops.

use askama::Template;

// Templates name the shapes they print (`{% when Stmt::Check(c) %}`): every type they
// match on is in scope here.
use super::krate::{AuthView, EnvServer, ExampleRef, LibView, MockView, ServerView, WebhooksView};
use super::model::{ConstructorArg, ModelView, SerdeArg};
use super::op_docs::{Arg, Setup};
use super::operation::{OperationView, SetCursor, Stmt};
use super::shapes::{AuthCall, CheckArgs, FieldRead, Init, Read, ShapeTest};
use crate::ir::{Krate, Model, ModelKind, Operation, Presence};

#[derive(Template)]
#[template(path = "cargo.toml", escape = "none")]
pub(super) struct CargoToml<'a> {
    pub krate: &'a Krate,
    pub runtime: &'a super::runtime::Requirements,
}

#[derive(Template)]
#[template(path = "api.md", escape = "none")]
pub(super) struct ApiMd<'a> {
    pub krate: &'a Krate,
    pub operations: &'a [Operation],
    /// (group, its operations).
    pub groups: Vec<(String, Vec<&'a Operation>)>,
    /// (webhook, payload type, its events: (tag, variant)).
    pub webhooks: Vec<super::krate::WebhookEvents<'a>>,
}

#[derive(Template)]
#[template(path = "tag.rs", escape = "none")]
pub(super) struct TagRs<'a> {
    pub krate: &'a Krate,
    pub tag: &'a crate::ir::Tag,
    pub docs: Vec<String>,
    pub ops: Vec<OperationView<'a>>,
    pub uses_models: bool,
    pub scoped: Vec<(&'a str, Vec<super::krate::ScopedMethod<'a>>)>,
}

#[derive(Template)]
#[template(path = "env.rs", escape = "none")]
pub(super) struct EnvRs<'a> {
    pub krate: &'a Krate,
    pub v: super::krate::EnvView,
}

#[derive(Template)]
#[template(path = "scopes.rs", escape = "none")]
pub(super) struct ScopesRs<'a> {
    pub krate: &'a Krate,
    pub scopes: Vec<(&'a crate::ir::Scope, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "tags_mod.rs", escape = "none")]
pub(super) struct TagsMod<'a> {
    pub krate: &'a Krate,
    pub tags: &'a [crate::ir::Tag],
}

#[derive(Template)]
#[template(path = "preamble.rs", escape = "none")]
pub(super) struct Preamble<'a> {
    pub krate: &'a Krate,
}

/// The MIT license of the generated crate (its `license` field says `MIT OR Apache-2.0`).
#[derive(Template)]
#[template(path = "license/LICENSE-MIT", escape = "none", ext = "txt")]
pub(super) struct LicenseMit<'a> {
    pub krate: &'a Krate,
}

/// The Apache 2.0 license text, verbatim.
pub(super) const LICENSE_APACHE: &str = include_str!("../../../templates/license/LICENSE-APACHE");

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
    pub v: LibView,
}

#[derive(Template)]
#[template(path = "auth.rs", escape = "none")]
pub(super) struct AuthRs<'a> {
    pub krate: &'a Krate,
    pub v: AuthView,
}

#[derive(Template)]
#[template(path = "testing.rs", escape = "none")]
pub(super) struct TestingRs<'a> {
    pub krate: &'a Krate,
    pub mocks: Vec<MockView<'a>>,
    /// Examples several operations answer with: (constant name, text).
    pub shared_examples: Vec<(String, &'a str)>,
    pub uses_models: bool,
    /// Webhook example fixtures: (payload type, example).
    pub fixtures: Vec<(String, &'a crate::ir::WebhookExample)>,
    pub fixtures_use_models: bool,
}

#[derive(Template)]
#[template(path = "webhooks.rs", escape = "none")]
pub(super) struct WebhooksRs<'a> {
    pub krate: &'a Krate,
    pub v: WebhooksView<'a>,
}

#[derive(Template)]
#[template(path = "server.rs", escape = "none")]
pub(super) struct ServerRs<'a> {
    pub krate: &'a Krate,
    pub servers: Vec<ServerView<'a>>,
    /// Some server's URL has variables in its host (the host label helper is needed).
    pub host_variables: bool,
    /// Some server's URL has variables in its path (the path helper is needed).
    pub path_variables: bool,
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
    pub v: ModelView<'a>,
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
    pub v: OperationView<'a>,
}

/// The filters: quoting only. `lit` prints a string as a Rust string literal, `toml` as
/// a TOML basic string, `code` as text inside a doc code span.
mod filters {
    #[askama::filter_fn]
    pub(super) fn lit<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::super::rust::lit(&value.to_string()))
    }

    #[askama::filter_fn]
    pub(super) fn toml<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::super::toml::string(&value.to_string()))
    }

    #[askama::filter_fn]
    pub(super) fn code<T: std::fmt::Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(crate::docs::code(&value.to_string()))
    }
}
