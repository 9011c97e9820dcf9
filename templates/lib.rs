{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! # {{ krate.title }}
//!
//! A typed async client for API version {{ krate.api_version }}.
//!
{% call m::inner_docs(krate.docs.as_slice()) %}{% endcall %}
{% if !krate.guide.is_empty() %}//!
{% call m::inner_docs(krate.guide.as_slice()) %}{% endcall %}
{% endif %}
#![deny(missing_docs)]

pub mod models;
pub mod operations;
mod runtime;
mod server;
#[cfg(feature = "testing")]
pub mod testing;
pub mod webhooks;

pub use reqwest;
pub use runtime::{
    ApiError, ApiErrorBody, AttemptOutcome, AttemptRequest, Auth, BaseUrl, BuildError, CallOptions, Client,
    ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Error, FileUpload, Interceptor, JwtScope, Nullable, Response,
    RetryPolicy, Secret, Unknown, ValidationError, after_attempt, before_attempt, install_crypto_provider,
};
pub use server::Server;

// Helpers the generated code calls; public (hidden) so that a spec which does not
// need one of them does not leave it unused.
#[doc(hidden)]
pub use runtime::{encode, json, paginate, request, validate};
