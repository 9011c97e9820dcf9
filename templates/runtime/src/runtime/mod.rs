//! Hand-written runtime of the generated client: HTTP execution, auth,
//! retries, errors, URL encoding, validation and pagination.
//!
//! The generator copies this directory verbatim into `src/runtime/`. Generated
//! code only states each operation's method, path, query, body and output
//! type; everything else lives here.
//!
//! Modules whose items are called by generated code are `pub` and
//! `#[doc(hidden)]`: they are not part of the documented API, but being `pub`
//! keeps them free of dead-code warnings whichever subset a spec uses.

pub(crate) mod auth;
pub(crate) mod client;
pub(crate) mod decode;
pub(crate) mod error;
pub(crate) mod execute;
pub(crate) mod hooks;
pub(crate) mod nullable;
pub(crate) mod redirect;
pub(crate) mod response;
pub(crate) mod retry;
#[cfg(feature = "testing")]
pub(crate) mod testing;
pub(crate) mod upload;
pub(crate) mod webhooks;

#[doc(hidden)]
pub mod encode;
#[doc(hidden)]
pub mod json;
#[doc(hidden)]
pub mod paginate;
#[doc(hidden)]
pub mod request;
#[doc(hidden)]
pub mod validate;

pub use auth::{Auth, JwtScope, Secret};
pub use client::{BaseUrl, BuildError, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, install_crypto_provider};
pub use decode::DECODED_BYTES_PER_BODY_BYTE;
pub use error::{ApiError, ApiErrorBody, Error, PaginationError, ValidationError};
pub use hooks::{AttemptOutcome, AttemptRequest, Interceptor, after_attempt, before_attempt};
pub use json::Unknown;
pub use nullable::Nullable;
pub use paginate::{Items, MAX_EMPTY_PAGES, Pages};
pub use request::CallOptions;
pub use response::Response;
pub use retry::RetryPolicy;
pub use upload::FileUpload;
