{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! # {{ krate.title }}
//!
//! A typed async client for API version {{ krate.api_version }}.
//!
{% if krate.summary != krate.title %}//! {{ krate.summary }}
//!
{% endif %}{% call m::inner_docs(krate.docs.as_slice()) %}{% endcall %}
{% if !v.left_out.is_empty() %}{% if !krate.docs.is_empty() %}//!
{% endif %}{% call m::inner_docs(v.left_out.as_slice()) %}{% endcall %}
{% endif %}{% if !krate.guide.is_empty() %}//!
{% call m::inner_docs(krate.guide.as_slice()) %}{% endcall %}
{% endif %}
#![deny(missing_docs)]
{% if let Some(limit) = v.recursion_limit %}#![recursion_limit = "{{ limit }}"]
{% endif %}

mod auth;
mod env;
pub mod models;
mod tags;
pub mod operations;
mod runtime;
{% if !v.scopes.is_empty() %}mod scopes;
{% endif %}mod server;
#[cfg(feature = "testing")]
pub mod testing;
pub mod webhooks;

{% if v.jwt %}pub use auth::JwtScope;
{% endif %}{% if !v.scopes.is_empty() %}pub use scopes::{ {{- v.scopes|join(", ") -}} };
{% endif %}pub use reqwest;
pub use serde_json;
{% call m::docs(v.client_docs.as_slice()) %}{% endcall %}
pub use runtime::Client;
pub use runtime::{
    ApiError, ApiErrorBody, AttemptOutcome, ErrorMessage, ErrorMessages, AttemptRequest, Auth, BaseUrl, BuildError, CallOptions, ClientBuilder, DECODED_BYTES_PER_BODY_BYTE, DEFAULT_MAX_RESPONSE_BYTES, Error, FileUpload, Interceptor,
    Nullable, Pace, PaginationError, Response, RetryPolicy, Secret, Unknown, ValidationError, after_attempt,
    before_attempt, install_crypto_provider,
};

/// The error body of every call's [`Error`]: API errors decode into it (their text is
/// kept when they do not). It is the error body the API documents, also for the
/// operations that document none, so one `Error` type serves every call.
pub type ErrorBody = {{ v.error_body }};
{% if v.paginated %}pub use runtime::paginate::{DEFAULT_MAX_PAGES, Items, MAX_EMPTY_PAGES, Pages};
{% endif %}pub use server::Server;
