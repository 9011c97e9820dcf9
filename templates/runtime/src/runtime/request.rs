//! What generated code builds for each call: [`Request`], its [`Body`], and
//! the user's per-call overrides, [`CallOptions`].

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use super::auth::{Auth, Secret};
use super::encode::Query;
use super::error::ValidationError;
use super::retry::RetryPolicy;

/// Per-call overrides of the client's settings, e.g.
/// `CallOptions::new().timeout(Duration::from_secs(5)).retry_policy(RetryPolicy::none())`.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Boxed, and `None` until something is set: every request builder and request
    /// carries one, and most calls override nothing, so it costs them a pointer.
    overrides: Option<Box<Overrides>>,
}

#[derive(Clone, Default)]
struct Overrides {
    timeout: Option<Duration>,
    headers: HeaderMap,
    retry_policy: Option<RetryPolicy>,
    max_response_bytes: Option<u64>,
    query: Vec<(String, String)>,
    auth: Option<CallAuth>,
}

/// Credentials for one call, resolved when set (a JWT is minted then), or why they
/// could not be (the call then fails before sending).
#[derive(Clone)]
pub(crate) struct CallAuth {
    pub(crate) kind: &'static str,
    pub(crate) resolved: Result<Credentials, String>,
}

/// The header and the query parameter credentials are sent in (either may be absent).
pub(crate) type Credentials = (Option<(HeaderName, HeaderValue)>, Option<(String, Secret)>);

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    fn overrides_mut(&mut self) -> &mut Overrides {
        self.overrides.get_or_insert_with(Box::default)
    }

    /// Per-attempt timeout for this call, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.overrides_mut().timeout = Some(timeout);
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
        self.overrides_mut().headers.append(name, value);
        self
    }

    /// Sets an operation's header parameter (generated code calls it): `name` is its
    /// wire name, a token the generator checked and kept off the headers the client
    /// manages; `value` is sent as its text. It replaces a header of the same name set
    /// with [`CallOptions::header`]: the builder's setter is the more specific. A value
    /// a header cannot carry (a line break, a control character) fails the call before
    /// anything is sent.
    pub(crate) fn param_header(
        mut self,
        name: &'static str,
        value: impl fmt::Display,
    ) -> Result<Self, ValidationError> {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ValidationError::new(name, "is not a valid header name"))?;
        let value = HeaderValue::try_from(value.to_string()).map_err(|_| {
            ValidationError::new(name, "cannot be sent in a header (it holds a line break or a control character)")
        })?;
        self.overrides_mut().headers.insert(header, value);
        Ok(self)
    }

    /// Retry policy for this call, instead of the client's.
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.overrides_mut().retry_policy = Some(retry_policy);
        self
    }

    /// Largest response body this call reads, instead of the client's
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.overrides_mut().max_response_bytes = Some(limit);
        self
    }

    /// Adds a query parameter to this call, after the operation's own (a parameter the
    /// API accepts that the description does not state). Sent as given,
    /// percent-encoded; calling this twice with one name sends both.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides_mut().query.push((name.into(), value.into()));
        self
    }

    /// Credentials for this call instead of the client's (e.g. another integration's
    /// key, or a JWT of another scope); [`Auth::None`] sends none. The generated
    /// methods named after the API's security schemes (as on `ClientBuilder`) set
    /// this too. Credentials that cannot be used (a JWT that cannot be minted) make
    /// the call fail with `Error::InvalidRequest` before anything is sent.
    pub fn auth(mut self, auth: Auth) -> Self {
        let resolved = auth
            .header_value()
            .map(|header| (header, auth.query_pair().map(|(name, value)| (name.to_owned(), value.clone()))))
            .map_err(|error| error.to_string());
        self.overrides_mut().auth = Some(CallAuth { kind: auth.kind(), resolved });
        self
    }

    /// The per-call query parameters (possibly none).
    pub(crate) fn query_override(&self) -> &[(String, String)] {
        self.overrides.as_ref().map_or(&[], |o| o.query.as_slice())
    }

    /// The per-call credentials, if set.
    pub(crate) fn auth_override(&self) -> Option<&CallAuth> {
        self.overrides.as_ref().and_then(|o| o.auth.as_ref())
    }

    /// The per-call timeout, if set.
    pub(crate) fn timeout_override(&self) -> Option<Duration> {
        self.overrides.as_ref().and_then(|o| o.timeout)
    }

    /// The per-call headers (possibly none).
    pub(crate) fn headers_override(&self) -> Option<&HeaderMap> {
        self.overrides.as_ref().map(|o| &o.headers).filter(|headers| !headers.is_empty())
    }

    /// The per-call retry policy, if set.
    pub(crate) fn retry_policy_override(&self) -> Option<&RetryPolicy> {
        self.overrides.as_ref().and_then(|o| o.retry_policy.as_ref())
    }

    /// The per-call body limit, if set.
    pub(crate) fn max_response_bytes_override(&self) -> Option<u64> {
        self.overrides.as_ref().and_then(|o| o.max_response_bytes)
    }
}

impl fmt::Debug for CallOptions {
    /// Every setting, set or not (as a plain struct of them would print).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = Overrides::default();
        let overrides = self.overrides.as_deref().unwrap_or(&none);
        f.debug_struct("CallOptions")
            .field("timeout", &overrides.timeout)
            .field("headers", &overrides.headers)
            .field("retry_policy", &overrides.retry_policy)
            .field("max_response_bytes", &overrides.max_response_bytes)
            .field("query", &overrides.query)
            .field("auth", &overrides.auth.as_ref().map(|auth| auth.kind))
            .finish()
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
    /// Serialized JSON, sent with another JSON media type (e.g.
    /// `application/vnd.api+json`), as the operation documents.
    JsonAs(Bytes, &'static str),
    /// An `application/x-www-form-urlencoded` body, encoded ([`Body::form`]).
    Form(Bytes),
    /// A body sent as it was given (a string or bytes), with its media type.
    Raw(Bytes, &'static str),
    /// `multipart/form-data` parts, encoded once per call.
    Multipart(Vec<MultipartPart>),
}

/// A body ready to send: its bytes and `Content-Type`.
#[derive(Debug, Clone)]
pub(crate) struct Encoded {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: Option<HeaderValue>,
}

impl Body {
    /// The bytes to send. A multipart body gets a boundary that none of its parts
    /// contains.
    pub(crate) fn encode(&self) -> Result<Encoded, ValidationError> {
        match self {
            Body::Empty => Ok(Encoded { bytes: Bytes::new(), content_type: None }),
            Body::Json(bytes) => {
                Ok(Encoded { bytes: bytes.clone(), content_type: Some(HeaderValue::from_static("application/json")) })
            }
            Body::JsonAs(bytes, media_type) => {
                Ok(Encoded { bytes: bytes.clone(), content_type: Some(HeaderValue::from_static(media_type)) })
            }
            Body::Form(bytes) => Ok(Encoded {
                bytes: bytes.clone(),
                content_type: Some(HeaderValue::from_static("application/x-www-form-urlencoded")),
            }),
            Body::Raw(bytes, media_type) => {
                Ok(Encoded { bytes: bytes.clone(), content_type: Some(HeaderValue::from_static(media_type)) })
            }
            Body::Multipart(parts) => encode_multipart(parts),
        }
    }

    /// `value`, an object, as `application/x-www-form-urlencoded` pairs: each member
    /// `name=value` (strings as they are, numbers and booleans as JSON text), an array
    /// member once per item, a nested object's members as `name[member]`; null members
    /// are left out; members in name order. Names and values are encoded as HTML forms
    /// encode them (a space is `+`; everything but `A-Z a-z 0-9 * - . _` is `%XX`).
    pub fn form<T: Serialize + ?Sized>(value: &T) -> Result<Body, ValidationError> {
        let value = serde_json::to_value(value)
            .map_err(|error| ValidationError::new("body", format!("cannot be serialized: {error}")))?;
        super::encode::form(&value).map(|text| Body::Form(text.into()))
    }

    /// `value` serialized as JSON.
    pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<Body, ValidationError> {
        serde_json::to_vec(value)
            .map(|bytes| Body::Json(bytes.into()))
            .map_err(|error| ValidationError::new("body", format!("cannot be serialized as JSON: {error}")))
    }

    /// `value` serialized as JSON, sent as `media_type` (a JSON media type the
    /// generator checked: header-safe).
    pub fn json_as<T: Serialize + ?Sized>(value: &T, media_type: &'static str) -> Result<Body, ValidationError> {
        Self::json(value).map(|body| match body {
            Body::Json(bytes) => Body::JsonAs(bytes, media_type),
            other => other,
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
        Self { name: name.into(), file_name: Some(file_name.into()), content_type, data: data.into() }
    }

    /// A plain text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), file_name: None, content_type: None, data: Bytes::from(value.into()) }
    }
}

/// `multipart/form-data` (RFC 7578): each part's name and file name quoted with `"`,
/// CR and LF percent-encoded, as browsers do.
fn encode_multipart(parts: &[MultipartPart]) -> Result<Encoded, ValidationError> {
    for part in parts {
        if let Some(content_type) = &part.content_type
            && !is_media_type(content_type)
        {
            return Err(ValidationError::new(
                format!("body.{}", part.name),
                format!("invalid content type {content_type:?}"),
            ));
        }
    }
    let mut seed = super::retry::jitter().to_bits();
    let boundary = loop {
        let candidate = format!("----rust-client-{seed:016x}");
        if !parts.iter().any(|p| contains(&p.data, candidate.as_bytes())) {
            break candidate;
        }
        seed = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(1);
    };
    let quote = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quote(&part.name)).as_bytes(),
        );
        if let Some(file_name) = &part.file_name {
            out.extend_from_slice(format!("; filename=\"{}\"", quote(file_name)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .map_err(|_| ValidationError::new("body", "invalid multipart boundary"))?;
    Ok(Encoded { bytes: Bytes::from(out), content_type: Some(content_type) })
}

/// `type/subtype` made of token characters, optionally followed by `; parameters`
/// (visible ASCII).
pub(crate) fn is_media_type(text: &str) -> bool {
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    let (essence, parameters) = text.split_once(';').unwrap_or((text, ""));
    let visible = parameters.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    matches!(essence.trim().split_once('/'), Some((a, b)) if token(a) && token(b)) && visible
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
