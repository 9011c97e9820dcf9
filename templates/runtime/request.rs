//! What generated code builds for each call: [`Request`], its [`Body`], and
//! the user's per-call overrides, [`CallOptions`].

use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::encode::Query;
use super::error::ValidationError;
use super::retry::RetryPolicy;

/// Per-call overrides of the client's settings, e.g.
/// `CallOptions::new().timeout(Duration::from_secs(5)).retry_policy(RetryPolicy::none())`.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Per-attempt timeout for this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a header to this call. A header set here replaces the client's
    /// header of the same name (`Accept`, `Content-Type`, `User-Agent`,
    /// `Authorization`); calling this twice with one name sends both values.
    pub fn header(mut self, name: HeaderName, mut value: HeaderValue) -> Self {
        // Credentials never show in `Debug` (of these options or a request builder).
        if name == reqwest::header::AUTHORIZATION || name == reqwest::header::PROXY_AUTHORIZATION {
            value.set_sensitive(true);
        }
        self.headers.append(name, value);
        self
    }

    /// Retry policy for this call, instead of the client's.
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.retry_policy = Some(retry_policy);
        self
    }
}

/// One API call, as stated by generated code.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// The spec's `operationId`, for tracing.
    pub operation_id: &'static str,
    /// The spec's path template, e.g. `/v2/apps/{appId}`, for tracing.
    pub path_template: &'static str,
    /// The `Accept` header: the media types the operation documents.
    pub accept: &'static str,
    /// The operation documents a 3xx response: it is returned, not followed.
    pub redirects: bool,
    /// A 2xx may come without a body; else an empty 2xx body is a decode error.
    pub empty_ok: bool,
    /// The filled, already percent-encoded path (see
    /// [`UrlPath`](super::encode::UrlPath)), relative to the base URL.
    pub path: String,
    /// Query parameters.
    pub query: Query,
    /// Request body.
    pub body: Body,
    /// The user's per-call overrides.
    pub options: CallOptions,
}

/// A request body, kept so it can be sent again on a retry.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    Empty,
    /// Serialized JSON, sent with `Content-Type: application/json`.
    Json(Bytes),
    /// `multipart/form-data` parts, turned into a fresh form on every attempt.
    Multipart(Vec<MultipartPart>),
}

impl Body {
    /// `value` serialized as JSON.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, ValidationError> {
        serde_json::to_vec(value)
            .map(|bytes| Body::Json(bytes.into()))
            .map_err(|error| {
                ValidationError::new("body", format!("cannot be serialized as JSON: {error}"))
            })
    }
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct MultipartPart {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, e.g. `image/png`.
    pub content_type: Option<String>,
    /// The part's content.
    pub data: Bytes,
}

impl MultipartPart {
    /// A file part.
    pub fn file(
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: Option<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        Self {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type,
            data: data.into(),
        }
    }

    /// A plain text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: Bytes::from(value.into()),
        }
    }

    /// A reqwest part for one attempt (`Form` is not `Clone`).
    pub(crate) fn to_reqwest(&self) -> Result<reqwest::multipart::Part, ValidationError> {
        let body = reqwest::Body::from(self.data.clone());
        let mut part = reqwest::multipart::Part::stream_with_length(body, self.data.len() as u64);
        if let Some(file_name) = &self.file_name {
            part = part.file_name(file_name.clone());
        }
        if let Some(content_type) = &self.content_type {
            part = part.mime_str(content_type).map_err(|_| {
                ValidationError::new(
                    format!("body.{}", self.name),
                    format!("invalid content type {content_type:?}"),
                )
            })?;
        }
        Ok(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_body() {
        let Body::Json(bytes) = Body::json(&serde_json::json!({"a": [1, "x"]})).unwrap() else {
            panic!("not JSON");
        };
        assert_eq!(&bytes[..], br#"{"a":[1,"x"]}"#);

        let mut bad = std::collections::HashMap::new();
        bad.insert((1, 2), 3);
        let error = Body::json(&bad).unwrap_err();
        assert_eq!(error.path, "body");
        assert!(
            error.rule.starts_with("cannot be serialized as JSON"),
            "{}",
            error.rule
        );
    }

    #[test]
    fn call_options() {
        let options = CallOptions::new()
            .timeout(Duration::from_secs(1))
            .header(
                HeaderName::from_static("x-a"),
                HeaderValue::from_static("1"),
            )
            .header(
                HeaderName::from_static("x-a"),
                HeaderValue::from_static("2"),
            )
            .retry_policy(RetryPolicy::none());
        assert_eq!(options.timeout, Some(Duration::from_secs(1)));
        assert_eq!(options.headers.get_all("x-a").iter().count(), 2);
        assert_eq!(options.retry_policy, Some(RetryPolicy::none()));
    }

    #[test]
    fn multipart_parts() {
        let part =
            MultipartPart::file("source", "a.png", Some("image/png".into()), &b"\x89PNG"[..]);
        assert!(part.to_reqwest().is_ok());
        let bad = MultipartPart::file("source", "a.png", Some("not a mime".into()), Bytes::new());
        assert_eq!(bad.to_reqwest().unwrap_err().path, "body.source");
        assert_eq!(&MultipartPart::text("k", "v").data[..], b"v");
    }
}
