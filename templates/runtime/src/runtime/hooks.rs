//! [`Interceptor`]: behaviour added to every attempt of every call (a header, metrics,
//! logging) without forking the client. Set on the builder with
//! [`ClientBuilder::interceptor`](super::ClientBuilder::interceptor); several run in
//! the order they were added.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Url};

/// Hooks run around each attempt of a call (a retried call has several attempts).
///
/// Both methods do nothing by default; implement the ones you need. They run on the
/// task that sends the request, so keep them quick.
pub trait Interceptor: Send + Sync + 'static {
    /// Before an attempt is sent, after auth is applied: read or change its headers.
    fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
        let _ = request;
    }

    /// After an attempt: its status and headers, or its error, and whether the call
    /// will be retried.
    fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
        let _ = outcome;
    }
}

/// An interceptor from a closure run before each attempt.
pub fn before_attempt<F>(f: F) -> impl Interceptor
where
    F: Fn(&mut AttemptRequest<'_>) + Send + Sync + 'static,
{
    struct Before<F>(F);
    impl<F: Fn(&mut AttemptRequest<'_>) + Send + Sync + 'static> Interceptor for Before<F> {
        fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
            (self.0)(request)
        }
    }
    Before(f)
}

/// An interceptor from a closure run after each attempt.
pub fn after_attempt<F>(f: F) -> impl Interceptor
where
    F: Fn(&AttemptOutcome<'_>) + Send + Sync + 'static,
{
    struct After<F>(F);
    impl<F: Fn(&AttemptOutcome<'_>) + Send + Sync + 'static> Interceptor for After<F> {
        fn after_attempt(&self, outcome: &AttemptOutcome<'_>) {
            (self.0)(outcome)
        }
    }
    After(f)
}

/// An attempt about to be sent. `Debug` never shows a credential: the
/// `Authorization` header is marked sensitive and printed as such, and a key sent as a
/// query parameter shows as `[redacted]` in the URL.
pub struct AttemptRequest<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) request: &'a mut reqwest::Request,
    pub(crate) secrets: super::redact::QuerySecrets<'a>,
}

impl AttemptRequest<'_> {
    /// The spec's `operationId`, e.g. `PostMessage` (`send_raw` for raw calls).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// The full URL, as sent: with a key sent as a query parameter (`Auth::Query`) in
    /// it, so do not log it as it is (`Debug` of this request shows it redacted).
    pub fn url(&self) -> &Url {
        self.request.url()
    }

    /// The headers to be sent.
    pub fn headers(&self) -> &HeaderMap {
        self.request.headers()
    }

    /// The headers to be sent, to change.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.request.headers_mut()
    }
}

impl fmt::Debug for AttemptRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttemptRequest")
            .field("operation_id", &self.operation_id)
            .field("attempt", &self.attempt)
            .field("method", self.request.method())
            .field("url", &self.secrets.text(self.request.url().as_str()))
            .field("headers", self.request.headers())
            .finish()
    }
}

/// How an attempt ended.
#[derive(Debug)]
pub struct AttemptOutcome<'a> {
    pub(crate) operation_id: &'static str,
    pub(crate) attempt: u32,
    pub(crate) elapsed: Duration,
    pub(crate) status: Option<StatusCode>,
    pub(crate) headers: Option<&'a HeaderMap>,
    pub(crate) error: Option<&'a (dyn std::error::Error + 'static)>,
    pub(crate) retry_in: Option<Duration>,
}

impl AttemptOutcome<'_> {
    /// The spec's `operationId`.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// 1 for the first attempt, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How long the attempt took (until its body was read).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The response's status, when one was received.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The response's headers, when one was received.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.headers
    }

    /// Why the attempt failed without a response (transport error, timeout, a body
    /// over the limit, a redirect not followed).
    pub fn error(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error
    }

    /// When the call will be retried after this attempt: the delay before the next one.
    pub fn retry_in(&self) -> Option<Duration> {
        self.retry_in
    }
}
