//! [`Error`]: one error type separating validation, transport, timeout,
//! decode and API errors.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Longest raw error body kept in [`ApiErrorBody::Raw`], in bytes.
pub(crate) const RAW_BODY_LIMIT: usize = 64 * 1024;
/// Longest body prefix kept in [`Error::Decode`], in bytes.
pub(crate) const DECODE_SNIPPET_LIMIT: usize = 512;
/// Longest part of a raw error body shown by `Display`, in bytes.
const DISPLAY_SNIPPET_LIMIT: usize = 512;

/// The error of every API call.
///
/// `E` is the error body API errors decode into: by default the crate's
/// [`ErrorBody`](crate::ErrorBody), the body the API documents, which every operation
/// and [`Client::send_raw`](super::Client::send_raw) use, so `?` carries any call's
/// error.
///
/// No variant ever holds the request's `Authorization` header or any other
/// credential: a key sent as a query parameter shows as `[redacted]` in the URL a
/// transport error carries, and in a redirect's `Location`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = crate::ErrorBody> {
    /// Client-side validation failed; nothing was sent.
    InvalidRequest(ValidationError),
    /// Connecting, TLS, or reading or writing the connection failed. The error's URL
    /// (`reqwest::Error::url`, shown by its `Display`) has query credentials redacted.
    Transport(reqwest::Error),
    /// An attempt took longer than the configured per-attempt timeout.
    Timeout {
        /// How long the last attempt ran before it was abandoned.
        elapsed: Duration,
    },
    /// A 2xx response whose body did not decode as the expected type.
    Decode {
        /// Status of the response.
        status: StatusCode,
        /// The first 512 bytes of the body, as lossy UTF-8.
        snippet: String,
        /// Why decoding failed.
        source: serde_json::Error,
    },
    /// The API answered with a non-2xx status.
    Api(ApiError<E>),
    /// The response body was longer than the limit
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)),
    /// and reading stopped there; or (`decoded`) it was within the limit but would decode
    /// into more than [`DECODED_BYTES_PER_BODY_BYTE`](super::DECODED_BYTES_PER_BODY_BYTE)
    /// times as many bytes, and decoding stopped there.
    TooLarge {
        /// Status of the response.
        status: StatusCode,
        /// The limit on the body, in bytes.
        limit: u64,
        /// The body was within the limit; what it decodes into was not.
        decoded: bool,
    },
    /// A paginated walk stopped because the server's pages made no progress (see the
    /// `Pages` stream of a paginated operation): a cursor sent before, a page repeated,
    /// a run of empty pages that say more follow; or because it read the default bound
    /// of pages (`DEFAULT_MAX_PAGES`) and more would follow.
    Pagination(PaginationError),
    /// A redirect that was not followed: to another origin, a `POST` answered with
    /// `303`, a loop; or a redirect the operation documents but whose body cannot be
    /// its success type. The status and `Location` are kept.
    Redirect {
        /// The 3xx status.
        status: StatusCode,
        /// The `Location` header, if any.
        location: Option<String>,
        /// Why it was not followed.
        reason: &'static str,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the response, when one was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::Decode { status, .. } | Self::TooLarge { status, .. } | Self::Redirect { status, .. } => {
                Some(*status)
            }
            Self::Transport(error) => error.status(),
            Self::InvalidRequest(_) | Self::Timeout { .. } | Self::Pagination(_) => None,
        }
    }

    /// The API error, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError<E>> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }

    /// The typed error body, for an [`Error::Api`] whose body parsed as `E`.
    pub fn typed(&self) -> Option<&E> {
        self.api_error().and_then(ApiError::typed)
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(error) => write!(f, "invalid request: {error}"),
            Self::Transport(error) => {
                write!(f, "HTTP transport error: {error}")?;
                // reqwest's message ("error sending request for url ...") hides why;
                // the innermost cause says it (connection reset, head too large, ...).
                let mut cause: &dyn std::error::Error = error;
                while let Some(next) = cause.source() {
                    cause = next;
                }
                if !std::ptr::addr_eq(cause, error as &dyn std::error::Error) {
                    write!(f, ": {cause}")?;
                }
                Ok(())
            }
            Self::Timeout { elapsed } => write!(f, "request timed out after {elapsed:?}"),
            Self::Decode { status, snippet, source } => {
                write!(f, "could not decode the {status} response body: {source} (body starts with {snippet:?})")
            }
            Self::Api(error) => error.fmt(f),
            Self::TooLarge { status, limit, decoded: false } => {
                write!(f, "the {status} response body is larger than the limit of {limit} bytes")
            }
            Self::TooLarge { status, limit, decoded: true } => write!(
                f,
                "the {status} response body would decode into more than {} times its limit of {limit} bytes",
                super::DECODED_BYTES_PER_BODY_BYTE
            ),
            Self::Pagination(error) => write!(f, "pagination stopped: {error}"),
            Self::Redirect { status, location, reason } => {
                write!(f, "{status} redirect")?;
                if let Some(location) = location {
                    write!(f, " to {location:?}")?;
                }
                write!(f, " not followed: {reason}")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    /// The underlying error: the `reqwest::Error` of [`Error::Transport`], the
    /// `serde_json::Error` of [`Error::Decode`], the [`ValidationError`] of
    /// [`Error::InvalidRequest`].
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidRequest(error) => Some(error),
            Self::Transport(error) => Some(error),
            Self::Decode { source, .. } => Some(source),
            Self::Pagination(error) => Some(error),
            Self::Timeout { .. } | Self::Api(_) | Self::TooLarge { .. } | Self::Redirect { .. } => None,
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Self::InvalidRequest(error)
    }
}

/// Why a paginated walk stopped although the server said more pages follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// Page `page` gave a next cursor that an earlier page of the walk gave: the
    /// pages go round in a cycle.
    RepeatedCursor {
        /// The page (1-based) that repeated a cursor.
        page: u32,
    },
    /// Page `page` holds exactly the items of an earlier page: the cursor moves, the
    /// list does not.
    RepeatedPage {
        /// The page (1-based) that repeated an earlier one.
        page: u32,
    },
    /// `count` pages in a row were empty yet said more follow (`MAX_EMPTY_PAGES`).
    EmptyPages {
        /// Empty pages in a row.
        count: u32,
    },
    /// The walk read `DEFAULT_MAX_PAGES` pages and the server says more follow: a list
    /// longer than any the API holds, or a server that always has one more page. A walk
    /// given its own bound (`max_pages`) ends quietly there instead;
    /// `without_page_limit()` lifts the bound.
    TooManyPages {
        /// Pages read.
        pages: u32,
    },
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RepeatedCursor { page } => write!(f, "page {page} repeats the cursor of an earlier page (a cycle)"),
            Self::RepeatedPage { page } => write!(f, "page {page} repeats the items of an earlier page"),
            Self::EmptyPages { count } => write!(f, "{count} empty pages in a row, each saying more follow"),
            Self::TooManyPages { pages } => write!(
                f,
                "{pages} pages read and the server says more follow (the default bound of a walk: \
                 `max_pages` sets another, `without_page_limit` lifts it)"
            ),
        }
    }
}

impl std::error::Error for PaginationError {}

/// A non-2xx response: status, response headers and body.
///
/// Fields are read through accessors; the data is boxed so that
/// `Result<_, Error<E>>` stays small.
pub struct ApiError<E> {
    inner: Box<ApiErrorInner<E>>,
}

struct ApiErrorInner<E> {
    status: StatusCode,
    headers: HeaderMap,
    body: ApiErrorBody<E>,
    text: String,
    /// What the typed body says ([`ErrorMessages`]), read when it decoded: `Display`
    /// prints it without asking more of `E` than `Debug`.
    messages: Vec<(Option<String>, Option<String>)>,
}

impl<E> ApiError<E> {
    /// `text` is the body as received (lossy UTF-8, bounded), kept even when it
    /// parsed: a proxy's `{"message": ...}` also "parses" as an all-optional type.
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: ApiErrorBody<E>, text: String) -> Self
    where
        E: ErrorMessages,
    {
        let messages = match &body {
            ApiErrorBody::Typed(typed) => {
                typed.messages().into_iter().map(|m| (m.code.map(str::to_owned), m.text.map(str::to_owned))).collect()
            }
            ApiErrorBody::Raw(_) => Vec::new(),
        };
        Self { inner: Box::new(ApiErrorInner { status, headers, body, text, messages }) }
    }

    /// What the body says, as [`ErrorMessages`] reads it: each message's code and text,
    /// in the body's order (empty when it did not decode, or says nothing readable).
    pub fn messages(&self) -> impl Iterator<Item = ErrorMessage<'_>> {
        self.inner.messages.iter().map(|(code, text)| ErrorMessage { code: code.as_deref(), text: text.as_deref() })
    }

    /// The body's text as received (lossy UTF-8, at most 64 KiB), whether or not
    /// it parsed as `E`.
    pub fn text(&self) -> &str {
        &self.inner.text
    }

    /// Status of the response.
    pub fn status(&self) -> StatusCode {
        self.inner.status
    }

    /// Headers of the response (e.g. `x-request-id`, `retry-after`).
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// The body: typed, or raw text when it did not parse as `E`.
    pub fn body(&self) -> &ApiErrorBody<E> {
        &self.inner.body
    }

    /// The typed body, when the response body parsed as `E`.
    pub fn typed(&self) -> Option<&E> {
        match &self.inner.body {
            ApiErrorBody::Typed(typed) => Some(typed),
            ApiErrorBody::Raw(_) => None,
        }
    }

    /// The raw body text, when the response body did not parse as `E`.
    pub fn raw(&self) -> Option<&str> {
        match &self.inner.body {
            ApiErrorBody::Typed(_) => None,
            ApiErrorBody::Raw(raw) => Some(raw),
        }
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, ApiErrorBody<E>) {
        let inner = *self.inner;
        (inner.status, inner.headers, inner.body)
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.inner.status)
            .field("headers", &self.inner.headers)
            .field("body", &self.inner.body)
            .field("text", &self.inner.text)
            .finish()
    }
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    /// The status and what the body says, as the API wrote it: each message's code and
    /// text (`API error 404 Not Found: conversation_not_found: Conversation not found`),
    /// else the body's own text, compact and cut at 512 bytes; never a `Debug` dump.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.inner.status)?;
        let messages = &self.inner.messages;
        if !messages.is_empty() {
            for (i, (code, text)) in messages.iter().enumerate() {
                f.write_str(if i == 0 { ": " } else { "; " })?;
                match (code.as_deref(), text.as_deref()) {
                    (Some(code), Some(text)) => write!(f, "{code}: {text}")?,
                    (Some(one), None) | (None, Some(one)) => f.write_str(one)?,
                    (None, None) => {}
                }
            }
            return Ok(());
        }
        let text = self.inner.text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let snippet = utf8_prefix(text.as_bytes(), DISPLAY_SNIPPET_LIMIT);
        let compact: String = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        let ellipsis = if snippet.len() < text.len() { "…" } else { "" };
        write!(f, ": {compact}{ellipsis}")
    }
}

/// What an API error body says, in words: each message's code and text, in the body's
/// order. The generated error models implement it by a rule read from their schema (an
/// array of objects with code- and title/message/detail-like members, or such members
/// at the top level); JSON without a model ([`serde_json::Value`]) by the same rule on
/// the value. [`ApiError`]'s `Display` prints them.
pub trait ErrorMessages {
    /// The messages, in order; empty when the body holds none the rule recognises.
    fn messages(&self) -> Vec<ErrorMessage<'_>>;
}

/// One message of an API error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMessage<'a> {
    /// A machine-readable code, e.g. `conversation_not_found`.
    pub code: Option<&'a str>,
    /// What a person reads, e.g. `Conversation not found`.
    pub text: Option<&'a str>,
}

/// The members read as a message's code and text, in order of preference.
const CODES: [&str; 3] = ["code", "type", "error"];
const TEXTS: [&str; 5] = ["title", "message", "detail", "description", "error_description"];

/// The rule on JSON: the objects of an `errors` (or `error`) array, else of the body
/// itself; each the first string member named like a code and like a text.
impl ErrorMessages for serde_json::Value {
    fn messages(&self) -> Vec<ErrorMessage<'_>> {
        for list in ["errors", "error"] {
            if let Some(items) = self.get(list).and_then(serde_json::Value::as_array) {
                return items.iter().filter_map(json_message).collect();
            }
        }
        json_message(self).into_iter().collect()
    }
}

/// The message an object says: its first string member named like a code, and like a text.
fn json_message(object: &serde_json::Value) -> Option<ErrorMessage<'_>> {
    let first = |names: &[&str]| names.iter().find_map(|name| object.get(*name)?.as_str());
    let found = ErrorMessage { code: first(&CODES), text: first(&TEXTS) };
    (found.code.is_some() || found.text.is_some()).then_some(found)
}

/// A JSON object without a model: the rule of [`serde_json::Value`] on it.
impl ErrorMessages for serde_json::Map<String, serde_json::Value> {
    fn messages(&self) -> Vec<ErrorMessage<'_>> {
        for list in ["errors", "error"] {
            if let Some(items) = self.get(list).and_then(serde_json::Value::as_array) {
                return items.iter().filter_map(json_message).collect();
            }
        }
        let first = |names: &[&str]| names.iter().find_map(|name| self.get(*name)?.as_str());
        let found = ErrorMessage { code: first(&CODES), text: first(&TEXTS) };
        if found.code.is_some() || found.text.is_some() { vec![found] } else { Vec::new() }
    }
}

/// A list of error bodies: the messages of each, in order.
impl<T: ErrorMessages> ErrorMessages for Vec<T> {
    fn messages(&self) -> Vec<ErrorMessage<'_>> {
        self.iter().flat_map(ErrorMessages::messages).collect()
    }
}

/// A map of values of another type says nothing: `Display` shows its text.
impl<T> ErrorMessages for std::collections::BTreeMap<String, T> {
    fn messages(&self) -> Vec<ErrorMessage<'_>> {
        Vec::new()
    }
}

/// Error bodies that are a number or a boolean say nothing: `Display` shows their text.
macro_rules! says_nothing {
    ($($ty:ty),*) => {$(
        impl ErrorMessages for $ty {
            fn messages(&self) -> Vec<ErrorMessage<'_>> {
                Vec::new()
            }
        }
    )*};
}
says_nothing!(bool, f64, i8, i16, i32, i64, u8, u16, u32, u64, ());

/// A body of plain text: that text.
impl ErrorMessages for String {
    fn messages(&self) -> Vec<ErrorMessage<'_>> {
        vec![ErrorMessage { code: None, text: Some(self.as_str()) }]
    }
}

impl<E: fmt::Debug> std::error::Error for ApiError<E> {}

/// Body of an [`ApiError`].
#[derive(Debug, Clone, PartialEq)]
pub enum ApiErrorBody<E> {
    /// The body parsed as the operation's error type.
    Typed(E),
    /// The body did not parse as the error type (e.g. an HTML 502 page from
    /// a proxy): its text, lossy UTF-8, cut to at most 64 KiB.
    Raw(String),
}

/// A request that failed client-side validation: nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Where the offending value is, e.g. `body.participants[0].userId` or
    /// `page.size`.
    pub path: String,
    /// The rule that failed, with the limit and the actual value, e.g.
    /// `maxLength 100, got 101 characters`.
    pub rule: String,
}

impl ValidationError {
    /// A validation error at `path` breaking `rule`.
    pub fn new(path: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { path: path.into(), rule: rule.into() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.rule)
    }
}

impl std::error::Error for ValidationError {}

/// At most `limit` bytes of `bytes`, cut at a character boundary when the
/// bytes are UTF-8, decoded as lossy UTF-8.
pub(crate) fn utf8_prefix(bytes: &[u8], limit: usize) -> String {
    let mut end = bytes.len().min(limit);
    if end < bytes.len() {
        // Step back over continuation bytes so a multi-byte character is not
        // cut in half (at most 3 steps for valid UTF-8).
        let mut steps = 0;
        while end > 0 && steps < 3 && bytes[end] & 0xC0 == 0x80 {
            end -= 1;
            steps += 1;
        }
    }
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}
