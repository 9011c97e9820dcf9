//! Hand-written runtime of the generated client: HTTP execution, auth,
//! retries, errors, URL encoding, validation and pagination.
//!
//! The generator copies this directory verbatim into `src/runtime/`. Generated
//! code only states each operation's method, path, query, body and output
//! type; everything else lives here.
//!
//! Nothing here is public but what the crate root re-exports. The helpers generated
//! code calls (encoding, requests, union decoding, validation, list walks) are
//! crate-private: which of their items a crate uses depends on its spec (an API
//! without unions calls no union helper), so those modules allow dead code, and only
//! those.

pub(crate) mod auth;
pub(crate) mod client;
pub(crate) mod decode;
#[allow(dead_code, reason = "generated code reads the variables its servers and credentials need")]
pub(crate) mod env;
pub(crate) mod error;
pub(crate) mod execute;
pub(crate) mod hooks;
pub(crate) mod nullable;
mod object;
pub(crate) mod pace;
pub(crate) mod redact;
pub(crate) mod redirect;
pub(crate) mod response;
pub(crate) mod retry;
#[cfg(feature = "testing")]
pub(crate) mod testing;
pub(crate) mod upload;
pub(crate) mod webhooks;

#[allow(dead_code, reason = "generated code calls the encoders its parameters need")]
pub(crate) mod encode;
#[allow(dead_code, reason = "generated code calls the union helpers its spec's unions need")]
pub(crate) mod json;
#[allow(dead_code, reason = "generated code calls these for the models the API sends")]
pub(crate) mod members;
#[allow(dead_code, reason = "used by generated code when the spec has paginated operations")]
pub(crate) mod paginate;
#[allow(dead_code, reason = "generated code builds the bodies its operations send")]
pub(crate) mod request;
#[allow(dead_code, reason = "generated code calls it for its spec's untagged unions, through `json`")]
pub(crate) mod shape;
#[allow(dead_code, reason = "generated code calls the checks its spec's constraints need")]
pub(crate) mod validate;

pub use auth::{Auth, Secret};
pub use client::{BaseUrl, BuildError, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, install_crypto_provider};
pub use decode::DECODED_BYTES_PER_BODY_BYTE;
pub use error::{ApiError, ApiErrorBody, Error, ErrorMessage, ErrorMessages, PaginationError, ValidationError};
pub use hooks::{AttemptOutcome, AttemptRequest, Interceptor, after_attempt, before_attempt};
pub use json::Unknown;
pub use nullable::Nullable;
pub use pace::Pace;
pub use request::CallOptions;
pub use response::Response;
pub use retry::RetryPolicy;
pub use upload::FileUpload;
