//! Unit tests of the runtime, one module per file of `src/runtime/` (never copied into
//! generated crates).

mod auth;
mod client;
mod decode;
mod encode;
mod error;
mod execute;
mod json;
mod members;
mod nullable;
mod pace;
mod paginate;
mod redact;
mod redirect;
mod request;
mod response;
mod retry;
mod upload;
mod validate;
mod webhooks;
