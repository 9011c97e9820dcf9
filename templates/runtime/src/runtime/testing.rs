//! Test doubles for code that uses this client (cargo feature `testing`): a mock of
//! the API on 127.0.0.1, driven by typed expectations per operation, built on
//! `wiremock`; and helpers that build webhook deliveries.
//!
//! The generated `testing` module adds one method per operation to [`MockApi`] and
//! one marker type per operation for [`MockApi::received`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::matchers::{any, body_json, method, path_regex, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::client::{Client, ClientBuilder};
use super::encode::UrlPath;
use super::retry::RetryPolicy;

/// What the mock knows of one operation (implemented by the generated marker types).
pub trait Operation: Send + Sync + 'static {
    /// The spec's `operationId`.
    const ID: &'static str;
    /// HTTP method, e.g. `GET`.
    const METHOD: &'static str;
    /// Path template, e.g. `/v2/apps/{appId}/conversations`.
    const PATH: &'static str;
    /// The documented success status.
    const SUCCESS_STATUS: u16;
    /// The spec's example of the success body (compact JSON), if it has one.
    const EXAMPLE: Option<&'static str>;
    /// The success body.
    type Response: Serialize;
    /// The error body.
    type Error: Serialize;
    /// The JSON request body (`()` when there is none).
    type Body: DeserializeOwned + Serialize;

    /// A success body as the API sends it: its bytes and media type (JSON, but for
    /// operations whose success body is text or bytes).
    fn encode_response(body: &Self::Response) -> (Vec<u8>, &'static str) {
        let json = serde_json::to_vec(body).unwrap_or_else(|e| panic!("{}: response: {e}", Self::ID));
        (json, "application/json")
    }
}

/// The status the mock answers a request with when no expectation matches it: `418`,
/// a status the API never sends, so the answer cannot be taken for one of the API's (a
/// `404` would read as "not found"). Its body, plain text, names the request; the
/// request is listed by [`MockApi::unmatched`], and the test fails when the mock is
/// dropped (unless it called [`MockApi::allow_unmatched`]).
pub const UNMATCHED_STATUS: u16 = 418;

/// The first backoff of [`MockApi::client`]'s retries: 1 ms (it doubles on each retry).
pub const CLIENT_INITIAL_BACKOFF: Duration = Duration::from_millis(1);
/// The longest backoff of [`MockApi::client`]'s retries: 5 ms.
pub const CLIENT_MAX_BACKOFF: Duration = Duration::from_millis(5);
/// The longest wait of [`MockApi::client`] for a `Retry-After`, whatever the mock asks
/// (e.g. [`Expect::rate_limited`], in whole seconds): 10 ms.
pub const CLIENT_MAX_RETRY_AFTER: Duration = Duration::from_millis(10);

/// A mock of the API on 127.0.0.1. Expectations are set per operation; those with
/// [`Expect::times`] are verified when the mock is dropped (the test fails if they
/// were not met). A request no expectation matches gets [`UNMATCHED_STATUS`] (418) with
/// a body naming it, never an answer the API could give; it is listed by
/// [`unmatched`](Self::unmatched), and fails the test when the mock is dropped unless
/// [`allow_unmatched`](Self::allow_unmatched) was called.
pub struct MockApi {
    server: MockServer,
    /// Prefix of every operation path, e.g. `/sc` (empty: the API at the root).
    base_path: String,
    /// The requests no expectation matched, in order.
    unmatched: Arc<Mutex<Vec<Unmatched>>>,
    allow_unmatched: AtomicBool,
}

impl std::fmt::Debug for MockApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockApi").field("uri", &self.uri()).finish()
    }
}

/// A request no expectation of a [`MockApi`] matched (see [`MockApi::unmatched`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unmatched {
    /// HTTP method, e.g. `GET`.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query as sent, without `?` (empty when none).
    pub query: String,
    /// The body, as lossy UTF-8 (at most 1 KiB of it).
    pub body: String,
}

impl fmt::Display for Unmatched {
    /// `GET /v2/apps/app/conversations/c1?x=1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if !self.query.is_empty() {
            write!(f, "?{}", self.query)?;
        }
        Ok(())
    }
}

/// The mock's answer when no expectation matches: [`UNMATCHED_STATUS`], the request
/// named, and the request recorded.
struct NoExpectation {
    unmatched: Arc<Mutex<Vec<Unmatched>>>,
}

impl Respond for NoExpectation {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let unmatched = Unmatched {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query().unwrap_or_default().to_owned(),
            body: super::error::utf8_prefix(&request.body, 1024),
        };
        let text = format!(
            "MockApi: no expectation matches {unmatched} (an expectation used up by `times(n)`, or narrowed by path, \
             body or query, does not match); this is not an answer of the API. See `MockApi::unmatched()`.\n"
        );
        self.unmatched.lock().unwrap_or_else(PoisonError::into_inner).push(unmatched);
        ResponseTemplate::new(UNMATCHED_STATUS).set_body_raw(text.into_bytes(), "text/plain; charset=utf-8")
    }
}

impl MockApi {
    /// Starts a mock on a free port of 127.0.0.1, serving the API at the root.
    pub async fn start() -> Self {
        Self::start_with_base_path("").await
    }

    /// Starts a mock that serves the API below `base_path` (e.g. `/sc`, as the
    /// Zendesk server URL has it): operations match `{base_path}/v2/...` and
    /// [`uri`](Self::uri) includes the prefix.
    pub async fn start_with_base_path(base_path: &str) -> Self {
        let base_path = base_path.trim_end_matches('/');
        let base_path = if base_path.is_empty() || base_path.starts_with('/') {
            base_path.to_owned()
        } else {
            format!("/{base_path}")
        };
        let server = MockServer::start().await;
        let unmatched = Arc::default();
        // The lowest priority: it answers only what no expectation (nor a mock mounted
        // on `server()`) matches.
        Mock::given(any())
            .respond_with(NoExpectation { unmatched: Arc::clone(&unmatched) })
            .with_priority(u8::MAX)
            .named("no expectation matched")
            .mount(&server)
            .await;
        Self { server, base_path, unmatched, allow_unmatched: AtomicBool::new(false) }
    }

    /// The mock's base URL, e.g. `http://127.0.0.1:41873` (plus the base path).
    pub fn uri(&self) -> String {
        format!("{}{}", self.server.uri(), self.base_path)
    }

    /// A client for the mock: bearer auth, no proxy, a 5 s timeout, and retries that
    /// wait a few milliseconds: backoff from [`CLIENT_INITIAL_BACKOFF`] (1 ms) up to
    /// [`CLIENT_MAX_BACKOFF`] (5 ms), and a `Retry-After` obeyed up to
    /// [`CLIENT_MAX_RETRY_AFTER`] (10 ms), so a test of retries or rate limits runs in
    /// milliseconds.
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(error) => panic!("a client for the mock: {error}"),
        }
    }

    /// The builder behind [`client`](Self::client), to change it (e.g. add
    /// interceptors).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.uri())
            .auth(super::auth::Auth::bearer("mock-token"))
            .configure_http(|http| http.no_proxy())
            .timeout(Duration::from_secs(5))
            .retry_policy(
                RetryPolicy::default()
                    .initial_backoff(CLIENT_INITIAL_BACKOFF)
                    .max_backoff(CLIENT_MAX_BACKOFF)
                    .max_retry_after(CLIENT_MAX_RETRY_AFTER),
            )
    }

    /// The requests no expectation matched so far, in order (each was answered
    /// [`UNMATCHED_STATUS`]).
    pub fn unmatched(&self) -> Vec<Unmatched> {
        self.unmatched.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Lets requests that no expectation matches pass when the mock is dropped (they
    /// still get [`UNMATCHED_STATUS`]): for a test that sends them on purpose.
    pub fn allow_unmatched(&self) {
        self.allow_unmatched.store(true, Ordering::SeqCst);
    }

    /// The `wiremock` server underneath, for what the typed API does not cover.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// An expectation for operation `O` (the generated methods call this).
    pub fn expect<O: Operation>(&self) -> Expect<'_, O> {
        Expect {
            mock: self,
            path: None,
            body: None,
            query: Vec::new(),
            without_query: Vec::new(),
            headers: Vec::new(),
            times: None,
            delay: None,
            operation: PhantomData,
        }
    }

    /// Every call of `O` the mock received, in order, with its path parameters,
    /// query and decoded body.
    pub async fn received<O: Operation>(&self) -> Vec<Received<O>> {
        let pattern = PathPattern::new(&format!("{}{}", self.base_path, O::PATH));
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| r.method.as_str() == O::METHOD)
            .filter_map(|r| {
                let path_params = pattern.captures(r.url.path())?;
                let query = decode_query(r.url.query().unwrap_or_default());
                let body = if r.body.is_empty() { None } else { serde_json::from_slice(&r.body).ok() };
                let mut headers = HeaderMap::new();
                for (name, value) in &r.headers {
                    headers.append(name.clone(), value.clone());
                }
                Some(Received { path_params, query, body, raw_body: r.body, headers, operation: PhantomData })
            })
            .collect()
    }
}

impl MockApi {
    /// Every request the mock received, in order, each named by the operation whose
    /// method and path template it matches (the one with the fewest parameters when
    /// several do) among `operations` (`(operationId, method, path template)`; the
    /// generated `MockApi::calls` passes the API's).
    pub(crate) async fn calls_among(&self, operations: &[(&'static str, &'static str, &'static str)]) -> Vec<Call> {
        let patterns: Vec<(&'static str, &str, PathPattern, usize)> = operations
            .iter()
            .map(|(id, method, path)| {
                (*id, *method, PathPattern::new(&format!("{}{}", self.base_path, path)), path.matches('{').count())
            })
            .collect();
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .map(|r| {
                let found = patterns
                    .iter()
                    .filter(|(_, method, _, _)| r.method.as_str() == *method)
                    .filter_map(|(id, _, pattern, params)| Some((*id, pattern.captures(r.url.path())?, *params)))
                    .min_by_key(|(_, _, params)| *params);
                let (operation, path_params) = match found {
                    Some((id, values, _)) => (Some(id), values),
                    None => (None, Vec::new()),
                };
                let mut headers = HeaderMap::new();
                for (name, value) in &r.headers {
                    headers.append(name.clone(), value.clone());
                }
                Call {
                    operation,
                    method: r.method.as_str().to_owned(),
                    path: r.url.path().to_owned(),
                    path_params,
                    query: decode_query(r.url.query().unwrap_or_default()),
                    body: serde_json::from_slice(&r.body).ok(),
                    raw_body: r.body,
                    headers,
                }
            })
            .collect()
    }
}

impl Drop for MockApi {
    /// Fails the test when a request matched no expectation (unless
    /// [`allow_unmatched`](Self::allow_unmatched)), then `wiremock` verifies the
    /// expectations' `times`. Nothing is checked while the test is already failing.
    fn drop(&mut self) {
        if std::thread::panicking() || self.allow_unmatched.load(Ordering::SeqCst) {
            return;
        }
        let unmatched = self.unmatched();
        if !unmatched.is_empty() {
            let list: Vec<String> = unmatched.iter().map(|u| format!("- {u}")).collect();
            panic!(
                "MockApi: {} request(s) matched no expectation (each was answered {UNMATCHED_STATUS}, which the API \
                 never sends):\n{}\nSet an expectation for each, or call `MockApi::allow_unmatched()` if the test \
                 sends them on purpose.",
                unmatched.len(),
                list.join("\n")
            );
        }
    }
}

/// A request the mock received, whichever operation it was: see `MockApi::calls`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Call {
    /// The `operationId` it matched, or `None` for a request no operation has.
    pub operation: Option<&'static str>,
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// Path parameter values of the operation, decoded, in the template's order.
    pub path_params: Vec<String>,
    /// Query parameters, percent-decoded, in order.
    pub query: Vec<(String, String)>,
    /// The body as JSON, when it is JSON.
    pub body: Option<serde_json::Value>,
    /// The body as received.
    pub raw_body: Vec<u8>,
    /// The request headers.
    pub headers: HeaderMap,
}

impl Call {
    /// Whether this is a call of operation `O` (one of the generated marker types).
    pub fn is<O: Operation>(&self) -> bool {
        self.operation == Some(O::ID)
    }

    /// The body decoded as operation `O`'s, when this is a call of `O` and it decodes.
    pub fn body_as<O: Operation>(&self) -> Option<O::Body> {
        if !self.is::<O>() {
            return None;
        }
        serde_json::from_slice(&self.raw_body).ok()
    }
}

/// A call of operation `O` as the mock received it.
#[derive(Debug)]
pub struct Received<O: Operation> {
    /// Path parameter values, decoded, in the template's order.
    pub path_params: Vec<String>,
    /// Query parameters, percent-decoded (a `+` stays a `+`), in order
    /// (`page[after]`, ...).
    pub query: Vec<(String, String)>,
    /// The JSON body, decoded as the operation's body type (`None` when absent or not
    /// decodable: see `raw_body`).
    pub body: Option<O::Body>,
    /// The body as received.
    pub raw_body: Vec<u8>,
    /// The request headers.
    pub headers: HeaderMap,
    operation: PhantomData<O>,
}

/// An expectation being set up: which calls of `O` it matches, how it answers.
/// Finish it with one of the `respond*` / `fail*` methods.
#[must_use = "an expectation does nothing until one of its `respond` methods is awaited"]
pub struct Expect<'a, O: Operation> {
    mock: &'a MockApi,
    path: Option<String>,
    body: Option<serde_json::Value>,
    query: Vec<(String, String)>,
    without_query: Vec<String>,
    headers: Vec<(String, String)>,
    times: Option<u64>,
    delay: Option<Duration>,
    operation: PhantomData<O>,
}

impl<O: Operation> Expect<'_, O> {
    /// Matches only these path parameter values, in the template's order (the path is
    /// encoded as the client encodes it).
    pub fn path_params(mut self, values: &[&str]) -> Self {
        let mut path = UrlPath::new();
        let mut values = values.iter();
        for piece in PathPattern::pieces(O::PATH) {
            match piece {
                Piece::Literal(text) => path.literal(text),
                Piece::Param(name) => {
                    let value = values.next().copied().unwrap_or_else(|| panic!("{}: no value for `{name}`", O::ID));
                    if path.param(name, value).is_err() {
                        panic!("{}: `{value}` is not a valid path segment", O::ID)
                    }
                }
            }
        }
        self.path = Some(format!("{}{}", self.mock.base_path, path.finish()));
        self
    }

    /// Matches only requests whose JSON body equals `body`.
    pub fn body(mut self, body: &O::Body) -> Self {
        self.body = Some(serde_json::to_value(body).unwrap_or_else(|e| panic!("{}: body: {e}", O::ID)));
        self
    }

    /// Matches only requests with this query parameter (e.g. `page[size]`, `10`).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Matches only requests without this query parameter (e.g. no `page[after]` on
    /// the first page).
    pub fn without_query(mut self, name: impl Into<String>) -> Self {
        self.without_query.push(name.into());
        self
    }

    /// Answers at most `n` calls and fails the test, when the mock is dropped, unless
    /// exactly `n` came. `times(0)`: the operation must not be called at all.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Waits this long before answering (not with
    /// [`drop_connection`](Self::drop_connection), which panics on it).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Adds a header to the response (e.g. `x-request-id`, or `retry-after` on a 503).
    pub fn response_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers with the documented success status and `body`.
    pub async fn respond(self, body: &O::Response) {
        self.respond_with_status(O::SUCCESS_STATUS, body).await;
    }

    /// Answers with `status` and `body`.
    pub async fn respond_with_status(self, status: u16, body: &O::Response) {
        let (bytes, media_type) = O::encode_response(body);
        self.respond_raw(ResponseTemplate::new(status).set_body_raw(bytes, media_type)).await;
    }

    /// Answers with the documented success status and the spec's own example.
    ///
    /// # Panics
    ///
    /// When the spec has no example for the operation's success response.
    pub async fn respond_example(self) {
        let example =
            O::EXAMPLE.unwrap_or_else(|| panic!("{}: the spec has no example of its success response", O::ID));
        let template =
            ResponseTemplate::new(O::SUCCESS_STATUS).set_body_raw(example.as_bytes().to_vec(), "application/json");
        self.respond_raw(template).await;
    }

    /// Answers with an API error: `status` and the typed error body.
    pub async fn fail(self, status: u16, error: &O::Error) {
        let json = serde_json::to_vec(error).unwrap_or_else(|e| panic!("{}: error: {e}", O::ID));
        self.respond_raw(ResponseTemplate::new(status).set_body_raw(json, "application/json")).await;
    }

    /// Answers `429 Too Many Requests` with `Retry-After` (in whole seconds, rounded up).
    pub async fn rate_limited(self, retry_after: Duration) {
        let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
        let body = r#"{"errors":[{"code":"too_many_requests","title":"Rate limit exceeded"}]}"#;
        let template = ResponseTemplate::new(429)
            .insert_header("retry-after", seconds.to_string().as_str())
            .set_body_raw(body.as_bytes().to_vec(), "application/json");
        self.respond_raw(template).await;
    }

    /// Closes the connection without answering (the client sees a transport error).
    ///
    /// # Panics
    ///
    /// With [`delay`](Self::delay) or [`response_header`](Self::response_header):
    /// `wiremock` cannot delay a dropped connection, and nothing is answered.
    pub async fn drop_connection(self) {
        assert!(
            self.delay.is_none() && self.headers.is_empty(),
            "{}: drop_connection() answers nothing, so it cannot be delayed or carry headers",
            O::ID
        );
        let mock = self.matcher().respond_with_err(|_: &wiremock::Request| {
            std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped by the mock")
        });
        self.mount(mock).await;
    }

    /// Answers with any `wiremock` response (plus the delay and the response headers
    /// set on this expectation).
    pub async fn respond_raw(self, template: ResponseTemplate) {
        let mut template = match self.delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        };
        for (name, value) in &self.headers {
            template = template.insert_header(name.as_str(), value.as_str());
        }
        let mock = self.matcher().respond_with(template);
        self.mount(mock).await;
    }

    fn matcher(&self) -> wiremock::MockBuilder {
        let path = match &self.path {
            Some(path) => format!("^{}$", escape_regex(path)),
            None => PathPattern::new(&format!("{}{}", self.mock.base_path, O::PATH)).regex,
        };
        let mut builder = Mock::given(method(O::METHOD)).and(path_regex(path));
        if let Some(body) = &self.body {
            builder = builder.and(body_json(body));
        }
        for (name, value) in &self.query {
            builder = builder.and(query_param(name.as_str(), value.as_str()));
        }
        for name in &self.without_query {
            builder = builder.and(query_param_is_missing(name.as_str()));
        }
        builder
    }

    async fn mount(self, mock: Mock) {
        let mock = mock.named(O::ID);
        let mock = match self.times {
            // wiremock's `up_to_n_times` wants at least 1; `expect(0)` alone fails the
            // test on drop if the operation was called.
            Some(0) => mock.expect(0),
            Some(n) => mock.up_to_n_times(n).expect(n),
            None => mock,
        };
        mock.mount(&self.mock.server).await;
    }
}

enum Piece<'a> {
    Literal(&'a str),
    Param(&'a str),
}

/// A path template as a regular expression with one group per parameter.
struct PathPattern {
    regex: String,
    matcher: Vec<PieceOwned>,
}

enum PieceOwned {
    Literal(String),
    Param,
}

impl PathPattern {
    fn pieces(template: &str) -> Vec<Piece<'_>> {
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            if open > 0 {
                pieces.push(Piece::Literal(&rest[..open]));
            }
            pieces.push(Piece::Param(&rest[open + 1..open + close]));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Literal(rest));
        }
        pieces
    }

    fn new(template: &str) -> Self {
        let mut regex = String::from("^");
        let mut matcher = Vec::new();
        for piece in Self::pieces(template) {
            match piece {
                Piece::Literal(text) => {
                    regex.push_str(&escape_regex(text));
                    matcher.push(PieceOwned::Literal(text.to_owned()));
                }
                Piece::Param(_) => {
                    regex.push_str("[^/]+");
                    matcher.push(PieceOwned::Param);
                }
            }
        }
        regex.push('$');
        Self { regex, matcher }
    }

    /// The decoded parameter values of `path`, if it matches.
    fn captures(&self, path: &str) -> Option<Vec<String>> {
        let mut rest = path;
        let mut values = Vec::new();
        for (i, piece) in self.matcher.iter().enumerate() {
            match piece {
                PieceOwned::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
                PieceOwned::Param => {
                    let end = match self.matcher.get(i + 1) {
                        Some(PieceOwned::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.len(),
                    };
                    let raw = &rest[..end];
                    if raw.is_empty() || raw.contains('/') {
                        return None;
                    }
                    values.push(percent_decode_str(raw).decode_utf8_lossy().into_owned());
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(values)
    }
}

/// `a=1&b=%2B` as pairs, percent-decoded; unlike form decoding, `+` is kept (the
/// client encodes a plus as `%2B` and a space as `%20`).
fn decode_query(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| percent_decode_str(text).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The headers and body of a webhook delivery of `payload`, as the API would send it
/// with the webhook secret `secret` in `header` (the generated `testing` module names
/// the header).
pub(crate) fn webhook_delivery<T: Serialize>(header: &'static str, secret: &str, payload: &T) -> (HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    let key =
        reqwest::header::HeaderValue::from_str(secret).unwrap_or_else(|_| panic!("the secret is not a header value"));
    headers.insert(header, key);
    headers.insert(reqwest::header::CONTENT_TYPE, reqwest::header::HeaderValue::from_static("application/json"));
    let body = serde_json::to_vec(payload).unwrap_or_else(|e| panic!("the payload does not serialize: {e}"));
    (headers, body)
}

/// A webhook delivery of `payload` as an axum request to `uri`.
#[cfg(feature = "axum")]
pub(crate) fn webhook_request<T: Serialize>(
    header: &'static str,
    uri: &str,
    secret: &str,
    payload: &T,
) -> axum::http::Request<axum::body::Body> {
    let (headers, body) = webhook_delivery(header, secret, payload);
    let mut request = axum::http::Request::post(uri);
    for (name, value) in &headers {
        request = request.header(name.as_str(), value.as_bytes());
    }
    request.body(axum::body::Body::from(body)).unwrap_or_else(|e| panic!("a webhook request: {e}"))
}

/// Posts a webhook delivery of `payload` to a running server at `url`; returns the
/// status and body of its answer.
pub(crate) async fn post_webhook<T: Serialize>(
    header: &'static str,
    url: &str,
    secret: &str,
    payload: &T,
) -> Result<(u16, String), reqwest::Error> {
    super::client::install_crypto_provider();
    let (headers, body) = webhook_delivery(header, secret, payload);
    let http = reqwest::Client::builder().no_proxy().build()?;
    let response = http.post(url).headers(headers).body(body).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

/// The payload of a spec example (JSON), with `changes` applied: each sets the value
/// at a JSON pointer (e.g. `/events/0/payload/message/content/text`), creating the
/// objects on the way. Panics, naming the example, when a change cannot be applied or
/// the result does not decode: a test fixture that is wrong should fail the test.
#[allow(dead_code, reason = "the generated `testing::events` fixtures call it, when the spec has webhook examples")]
pub(crate) fn example_with<T: DeserializeOwned>(name: &str, json: &str, changes: &[(&str, serde_json::Value)]) -> T {
    let mut value: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("the example `{name}` is not JSON: {e}"));
    for (pointer, new) in changes {
        set(&mut value, pointer, new.clone())
            .unwrap_or_else(|e| panic!("example `{name}`, change at `{pointer}`: {e}"));
    }
    serde_json::from_value(value).unwrap_or_else(|e| panic!("the example `{name}` does not decode: {e}"))
}

/// Sets the value at `pointer`, creating missing object members on the way (array
/// elements must exist).
#[allow(dead_code, reason = "the generated `testing::events` fixtures use it, when the spec has webhook examples")]
fn set(root: &mut serde_json::Value, pointer: &str, new: serde_json::Value) -> Result<(), String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        if !pointer.is_empty() {
            return Err("a JSON pointer starts with `/`".into());
        }
        *root = new;
        return Ok(());
    };
    let tokens: Vec<String> = rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let mut node = root;
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        node = match node {
            serde_json::Value::Object(map) => {
                if last {
                    map.insert(token.clone(), new);
                    return Ok(());
                }
                map.entry(token.clone()).or_insert_with(|| serde_json::Value::Object(Default::default()))
            }
            serde_json::Value::Array(items) => {
                let index: usize = token.parse().map_err(|_| format!("`{token}` is not an array index"))?;
                let len = items.len();
                let item =
                    items.get_mut(index).ok_or_else(|| format!("index {index} past the array's {len} elements"))?;
                if last {
                    *item = new;
                    return Ok(());
                }
                item
            }
            _ => return Err(format!("`{token}` is inside a value that is neither an object nor an array")),
        };
    }
    Ok(())
}

/// Delivers a webhook to an axum router, in process, as the API would (the secret
/// in `header`); returns the status and text of its answer.
#[cfg(feature = "axum")]
pub(crate) async fn deliver<T: Serialize>(
    header: &'static str,
    router: &axum::Router,
    uri: &str,
    secret: &str,
    payload: &T,
) -> (u16, String) {
    use tower_service::Service as _;
    let request = webhook_request(header, uri, secret, payload);
    // A router is always ready; its error type is `Infallible`.
    let response = match router.clone().call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
    (status, String::from_utf8_lossy(&body).into_owned())
}
