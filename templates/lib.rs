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
{% if let Some(limit) = krate.recursion_limit %}// Types here hold one another deeply: the compiler walks them further than by default.
#![recursion_limit = "{{ limit }}"]
{% endif %}
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
    ClientBuilder, DECODED_BYTES_PER_BODY_BYTE, DEFAULT_MAX_RESPONSE_BYTES, Error, FileUpload, Interceptor, Items,
    JwtScope, MAX_EMPTY_PAGES, Nullable, Pages, PaginationError, Response, RetryPolicy, Secret, Unknown,
    ValidationError, after_attempt, before_attempt, install_crypto_provider,
};
pub use server::Server;

// Helpers the generated code calls; public (hidden) so that a spec which does not
// need one of them does not leave it unused.
#[doc(hidden)]
pub use runtime::{encode, json, paginate, request, validate};
