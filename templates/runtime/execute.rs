//! Sending a [`Request`]: URL and headers, retries, timeouts, redirects, bounded
//! reading, decoding.

use std::ops::ControlFlow;
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::client::{Client, DEFAULT_ACCEPT};
use super::error::{ApiError, ApiErrorBody, DECODE_SNIPPET_LIMIT, Error, RAW_BODY_LIMIT, ValidationError, utf8_prefix};
use super::hooks::{AttemptOutcome, AttemptRequest};
use super::redirect::{self, Next};
use super::request::{Encoded, Request};
use super::response::Response;
use super::retry::{self, Decision, Outcome};

/// A response whose body is read (within the limit) but not decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Why an attempt failed.
enum Failure {
    Status(RawResponse),
    Timeout(Duration),
    Transport(reqwest::Error),
    TooLarge { status: StatusCode, limit: u64 },
    Redirect { status: StatusCode, location: Option<String>, reason: &'static str },
}

impl Client {
    /// Sends `request` and decodes a 2xx body as `T`.
    ///
    /// An empty 2xx body is a decode error, unless the operation allows one
    /// (`empty_ok`); then it decodes as JSON `null` when `T` accepts it (`()`,
    /// `Option<_>`, `serde_json::Value`), else as `{}`.
    ///
    /// The whole call (the request, the attempt loop, the decoding) is one boxed
    /// future: one allocation per call, and the caller's future (a request builder's
    /// `send()`, and whatever holds it) only holds the box.
    #[doc(hidden)]
    pub fn execute_json<T: DeserializeOwned, E: DeserializeOwned + std::fmt::Debug + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>> + '_ {
        let span = call_span(&request);
        Box::pin(
            async move {
                let raw = self.send_with_retries::<E>(&request).await?;
                decode(raw, request.empty_ok)
            }
            .instrument(span),
        )
    }

    /// Sends `request`, ignoring a 2xx body (one boxed future, as
    /// [`execute_json`](Self::execute_json)).
    #[doc(hidden)]
    pub fn execute_empty<E: DeserializeOwned + std::fmt::Debug + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response<()>, Error<E>>> + '_ {
        let span = call_span(&request);
        Box::pin(
            async move {
                let raw = self.send_with_retries::<E>(&request).await?;
                Ok(Response::new(raw.status, raw.headers, ()))
            }
            .instrument(span),
        )
    }

    /// The attempt loop: returns the first 2xx response (or a documented 3xx), or the
    /// error of the last attempt once [`retry::decide`] says stop.
    ///
    /// Only what crosses an `await` is kept in the future (it is boxed once per call):
    /// each attempt's outcome is settled by [`settle`], a plain function.
    async fn send_with_retries<E: DeserializeOwned + std::fmt::Debug + 'static>(
        &self,
        request: &Request,
    ) -> Result<RawResponse, Error<E>> {
        // The first attempt sends this URL; a retry builds it again (the same URL: it
        // only depends on the request).
        let mut first_url = Some(self.url(request)?);
        let body = request.body.encode()?;
        let start = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let attempt_start = if attempt == 1 { start } else { Instant::now() };
            // Blocks, not named locals: what is moved into an awaited future must not
            // be kept beside it.
            let result = {
                let url = match first_url.take() {
                    Some(url) => url,
                    None => self.url(request)?,
                };
                self.attempt(request, attempt, url, &body)
            }
            .await;
            let delay = match settle::<E>(self, request, start, attempt, attempt_start, result) {
                ControlFlow::Break(done) => return done,
                ControlFlow::Continue(delay) => delay,
            };
            tracing::info!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: interceptors, the request, redirects the policy follows, the body
    /// read within the limit. The first request is built (and shown to the
    /// interceptors) here, when the caller starts the attempt; the future only keeps
    /// what crosses an `await`.
    fn attempt<'a>(
        &'a self,
        request: &'a Request,
        attempt: u32,
        url: Url,
        body: &'a Encoded,
    ) -> impl Future<Output = Result<RawResponse, Failure>> + 'a {
        let inner = &self.inner;
        let limit = request.options.max_response_bytes_override().unwrap_or(inner.max_response_bytes);
        let mut pending = inner.http.execute(http_request(self, request, attempt, url, body));
        async move {
            let mut visited: Vec<Url> = Vec::new();
            // A block, not a named local: the response is moved into the read.
            {
                let response = loop {
                    let response = pending.await.map_err(Failure::Transport)?;
                    let status = response.status();
                    if !status.is_redirection() || request.redirects {
                        break response;
                    }
                    let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
                    let from = response.url().clone();
                    match redirect::next(status, &request.method, &from, location.as_deref(), &visited) {
                        Next::Follow(target) => {
                            tracing::debug!(status = status.as_u16(), "following a same-origin redirect");
                            visited.push(from);
                            pending = inner.http.execute(http_request(self, request, attempt, target, body));
                        }
                        Next::Stop(reason) => return Err(Failure::Redirect { status, location, reason }),
                    }
                };
                read_response(response, limit)
            }
            .await
        }
    }

    /// Runs the interceptors' `after_attempt` (nothing to do, not even reading the
    /// clock, without interceptors).
    fn after(
        &self,
        request: &Request,
        attempt: u32,
        attempt_start: Instant,
        response: Option<(StatusCode, &HeaderMap)>,
        error: Option<&(dyn std::error::Error + 'static)>,
        retry_in: Option<Duration>,
    ) {
        if self.inner.interceptors.is_empty() {
            return;
        }
        let outcome = AttemptOutcome {
            operation_id: request.operation_id,
            attempt,
            elapsed: attempt_start.elapsed(),
            status: response.map(|(status, _)| status),
            headers: response.map(|(_, headers)| headers),
            error,
            retry_in,
        };
        for interceptor in &self.inner.interceptors {
            interceptor.after_attempt(&outcome);
        }
    }

    /// base URL + path + `?` + query, built in one string.
    fn url(&self, request: &Request) -> Result<Url, ValidationError> {
        let base = &self.inner.base_url;
        let mut url = String::with_capacity(base.len() + request.path.len() + request.query.encoded_len_hint());
        url.push_str(base);
        url.push_str(&request.path);
        if !request.query.is_empty() {
            url.push(if request.path.contains('?') { '&' } else { '?' });
            request.query.encode_into(&mut url);
        }
        Url::parse(&url).map_err(|error| ValidationError::new("url", format!("not a valid URL: {error}")))
    }

    /// The client's headers (`Accept: application/json`, user agent, credentials), the
    /// operation's `Accept` if another, and the body's `Content-Type`, then per-call
    /// headers replacing those of the same name.
    fn headers(&self, request: &Request, body: &Encoded) -> HeaderMap {
        let mut headers = self.inner.base_headers.clone();
        if request.accept != DEFAULT_ACCEPT {
            // Replaced in place: `Accept` stays first.
            headers.insert(ACCEPT, HeaderValue::from_static(request.accept));
        }
        if let Some(content_type) = &body.content_type {
            headers.insert(CONTENT_TYPE, content_type.clone());
        }
        if let Some(overrides) = request.options.headers_override() {
            for name in overrides.keys() {
                headers.remove(name);
            }
            for (name, value) in overrides {
                let mut value = value.clone();
                if name == reqwest::header::AUTHORIZATION || name == reqwest::header::PROXY_AUTHORIZATION {
                    value.set_sensitive(true);
                }
                headers.append(name, value);
            }
        }
        headers
    }
}

/// What to do after an attempt: return its response or error, or retry after a
/// delay. Runs the interceptors' `after_attempt`.
fn settle<E: DeserializeOwned + std::fmt::Debug + 'static>(
    client: &Client,
    request: &Request,
    start: Instant,
    attempt: u32,
    attempt_start: Instant,
    result: Result<RawResponse, Failure>,
) -> ControlFlow<Result<RawResponse, Error<E>>, Duration> {
    let (outcome, retry_after, failure) = match result {
        Ok(raw) => {
            tracing::debug!(attempt, status = raw.status.as_u16(), "response");
            client.after(request, attempt, attempt_start, Some((raw.status, &raw.headers)), None, None);
            return ControlFlow::Break(Ok(raw));
        }
        Err(Failure::Status(raw)) => {
            tracing::debug!(attempt, status = raw.status.as_u16(), "error response");
            let retry_after = raw
                .headers
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| retry::parse_retry_after(value, SystemTime::now()));
            (Some(Outcome::Status(raw.status.as_u16())), retry_after, Failure::Status(raw))
        }
        Err(Failure::Transport(error)) if error.is_timeout() => {
            let elapsed = attempt_start.elapsed();
            tracing::debug!(attempt, elapsed_ms = elapsed.as_millis() as u64, "attempt timed out");
            (Some(Outcome::Timeout), None, Failure::Timeout(elapsed))
        }
        Err(Failure::Transport(error)) => {
            tracing::debug!(attempt, "transport error");
            // A request that could not even be built fails the same way
            // every time: never retry it.
            let outcome = (!error.is_builder()).then_some(Outcome::Transport);
            (outcome, None, Failure::Transport(error))
        }
        Err(failure) => (None, None, failure),
    };
    let policy = request.options.retry_policy_override().unwrap_or(&client.inner.retry_policy);
    let idempotent = retry::is_idempotent(&request.method);
    let decision = match outcome {
        Some(outcome) => {
            retry::decide(policy, idempotent, outcome, attempt, start.elapsed(), retry_after, retry::jitter())
        }
        None => Decision::Stop,
    };
    let retry_in = match decision {
        Decision::Retry(delay) => Some(delay),
        Decision::Stop => None,
    };
    let error = failure.into_error::<E>();
    let status = match &error {
        Error::Api(api) => Some((api.status(), api.headers())),
        _ => None,
    };
    let source = match &error {
        Error::Api(_) => None,
        other => Some(other as &(dyn std::error::Error + 'static)),
    };
    client.after(request, attempt, attempt_start, status, source, retry_in);
    match retry_in {
        Some(delay) => ControlFlow::Continue(delay),
        None => ControlFlow::Break(Err(error)),
    }
}

/// The request sent to `url` (every request of an attempt, redirect hops too, is
/// built the same way), shown to the interceptors.
fn http_request(client: &Client, request: &Request, attempt: u32, url: Url, body: &Encoded) -> reqwest::Request {
    let inner = &client.inner;
    let mut http_request = reqwest::Request::new(request.method.clone(), url);
    *http_request.headers_mut() = client.headers(request, body);
    let timeout = request.options.timeout_override().unwrap_or(inner.timeout);
    if inner.http_timeout != Some(timeout) {
        *http_request.timeout_mut() = Some(timeout);
    }
    if has_body(&request.method, body) {
        if body.bytes.is_empty() {
            // hyper sends nothing for an empty body; some proxies answer a
            // POST without a length with 411.
            http_request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        *http_request.body_mut() = Some(reqwest::Body::from(body.bytes.clone()));
    }
    for interceptor in &inner.interceptors {
        interceptor.before_attempt(&mut AttemptRequest {
            operation_id: request.operation_id,
            attempt,
            request: &mut http_request,
        });
    }
    http_request
}

/// Whether to send a body: when there are bytes, and for POST, PUT and PATCH even
/// when empty (then with `Content-Length: 0`).
fn has_body(method: &Method, body: &Encoded) -> bool {
    !body.bytes.is_empty() || *method == Method::POST || *method == Method::PUT || *method == Method::PATCH
}

/// A response's status, headers and body (an error unless 2xx or 3xx): the body read,
/// but no more than `limit` bytes (a larger `Content-Length` fails at once, a body that
/// grows past the limit fails when it does; bytes after decompression count). A body
/// that arrives in one chunk is kept as it is, without copying.
///
/// Not an `async fn`: the future owns `response` once (an `async fn` would keep its
/// argument and its own binding of it: 144 more bytes in every call's future).
#[expect(clippy::manual_async_fn, reason = "an async fn would store `response` twice")]
fn read_response(mut response: reqwest::Response, limit: u64) -> impl Future<Output = Result<RawResponse, Failure>> {
    async move {
        let status = response.status();
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(Failure::TooLarge { status, limit });
        }
        let headers = std::mem::take(response.headers_mut());
        let expected = response.content_length().unwrap_or(0).min(limit).min(1 << 20);
        let mut body = Chunks::None;
        while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Failure::TooLarge { status, limit });
            }
            body.push(chunk, expected);
        }
        let raw = RawResponse { status, headers, body: body.into_bytes() };
        if status.is_success() || status.is_redirection() { Ok(raw) } else { Err(Failure::Status(raw)) }
    }
}

/// A body being read: the one chunk it came in so far, or the chunks copied together.
enum Chunks {
    None,
    One(Bytes),
    Many(BytesMut),
}

impl Chunks {
    fn len(&self) -> usize {
        match self {
            Chunks::None => 0,
            Chunks::One(bytes) => bytes.len(),
            Chunks::Many(bytes) => bytes.len(),
        }
    }

    /// Adds a chunk; `expected` is the capacity to copy into once there are two.
    fn push(&mut self, chunk: Bytes, expected: u64) {
        *self = match std::mem::replace(self, Chunks::None) {
            Chunks::None => Chunks::One(chunk),
            Chunks::One(first) => {
                let mut joined = BytesMut::with_capacity(usize::try_from(expected).unwrap_or(0));
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
                Chunks::Many(joined)
            }
            Chunks::Many(mut joined) => {
                joined.extend_from_slice(&chunk);
                Chunks::Many(joined)
            }
        };
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Chunks::None => Bytes::new(),
            Chunks::One(bytes) => bytes,
            Chunks::Many(bytes) => bytes.freeze(),
        }
    }
}

impl Failure {
    fn into_error<E: DeserializeOwned>(self) -> Error<E> {
        match self {
            Failure::Timeout(elapsed) => Error::Timeout { elapsed },
            Failure::Transport(error) => Error::Transport(error),
            Failure::TooLarge { status, limit } => Error::TooLarge { status, limit },
            Failure::Redirect { status, location, reason } => Error::Redirect { status, location, reason },
            Failure::Status(raw) => {
                let text = utf8_prefix(&raw.body, RAW_BODY_LIMIT);
                let body = match serde_json::from_slice::<E>(&raw.body) {
                    Ok(typed) => ApiErrorBody::Typed(typed),
                    Err(_) => ApiErrorBody::Raw(text.clone()),
                };
                Error::Api(ApiError::new(raw.status, raw.headers, body, text))
            }
        }
    }
}

/// The response for the caller: a decoded 2xx, or a documented 3xx when `T` needs no
/// body (else [`Error::Redirect`], with its `Location`).
fn decode<T: DeserializeOwned, E>(raw: RawResponse, empty_ok: bool) -> Result<Response<T>, Error<E>> {
    if raw.status.is_redirection() {
        return match decode_body::<T>(b"", true) {
            Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
            Err(_) => Err(Error::Redirect {
                status: raw.status,
                location: raw.headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
                reason: "the operation documents this redirect, and its success type needs a body",
            }),
        };
    }
    match decode_body::<T>(&raw.body, empty_ok) {
        Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
        Err(source) => {
            tracing::debug!(status = raw.status.as_u16(), "response body did not decode");
            Err(Error::Decode { status: raw.status, snippet: utf8_prefix(&raw.body, DECODE_SNIPPET_LIMIT), source })
        }
    }
}

/// One span per call: operation, method and the path *template* (filled paths may
/// carry identifiers). Never headers, bodies or credentials.
fn call_span(request: &Request) -> tracing::Span {
    tracing::info_span!(
        "api_call",
        operation = request.operation_id,
        method = %request.method,
        path = request.path_template,
    )
}

/// Decodes a 2xx body. An empty body is an error unless the operation allows one
/// (`empty_ok`); then it is tried as `null`, then as `{}`.
fn decode_body<T: DeserializeOwned>(body: &[u8], empty_ok: bool) -> Result<T, serde_json::Error> {
    if empty_ok && body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null").or_else(|_| serde_json::from_slice(b"{}"))
    } else {
        serde_json::from_slice(body)
    }
}

#[cfg(test)]
mod tests {
    use super::super::client::ClientBuilder;
    use super::super::encode::{Query, UrlPath};
    use super::super::hooks::{Interceptor, after_attempt, before_attempt};
    use super::super::request::{Body, CallOptions, MultipartPart};
    use super::super::retry::RetryPolicy;
    use super::*;
    use reqwest::header::{AUTHORIZATION, HeaderName};
    use serde::Deserialize;
    use std::sync::{Arc, Mutex};
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[derive(Debug, PartialEq, Deserialize)]
    struct ErrorBody {
        errors: Vec<ErrorItem>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ErrorItem {
        code: String,
    }

    /// Retries without waiting; no other settings.
    fn local_builder(base: impl Into<super::super::client::BaseUrl>) -> ClientBuilder {
        Client::builder(base).retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
    }

    fn client(server: &MockServer) -> Client {
        local_builder(server.uri()).build().unwrap()
    }

    fn request(method: Method, path: &str) -> Request {
        Request {
            method,
            operation_id: "test",
            path_template: "/test",
            accept: "application/json",
            redirects: false,
            empty_ok: true,
            path: path.to_owned(),
            query: Query::new(),
            body: Body::Empty,
            options: CallOptions::new(),
        }
    }

    fn json(status: u16, body: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
    }

    /// `responses` answered in order, one each, to any request.
    async fn serve(responses: Vec<ResponseTemplate>) -> MockServer {
        let server = MockServer::start().await;
        for response in responses {
            Mock::given(wiremock::matchers::any()).respond_with(response).up_to_n_times(1).mount(&server).await;
        }
        server
    }

    async fn received(server: &MockServer) -> Vec<wiremock::Request> {
        server.received_requests().await.unwrap_or_default()
    }

    /// Path and query as sent.
    fn target(request: &wiremock::Request) -> String {
        match request.url.query() {
            Some(query) => format!("{}?{query}", request.url.path()),
            None => request.url.path().to_owned(),
        }
    }

    #[test]
    fn empty_bodies_decode_only_where_the_operation_allows_them() {
        assert_eq!(decode_body::<()>(b"", true).unwrap(), ());
        assert_eq!(decode_body::<Option<u8>>(b" \n", true).unwrap(), None);
        assert_eq!(decode_body::<serde_json::Value>(b"", true).unwrap(), serde_json::Value::Null);
        assert!(decode_body::<serde_json::Map<String, serde_json::Value>>(b"", true).unwrap().is_empty());
        #[derive(Debug, Deserialize)]
        struct AllOptional {
            meta: Option<String>,
        }
        assert!(decode_body::<AllOptional>(b"", true).unwrap().meta.is_none());
        let error = decode_body::<AllOptional>(b"  ", false).unwrap_err();
        assert!(error.is_eof(), "{error}");
        assert_eq!(decode_body::<Vec<u8>>(b"[1]", false).unwrap(), [1]);
    }

    #[tokio::test]
    async fn retries_429_with_retry_after_zero_even_for_post() {
        let server = serve(vec![
            json(429, r#"{"errors":[{"code":"too_many_requests"}]}"#).insert_header("retry-after", "0"),
            json(201, r#"{"id":"c1"}"#),
        ])
        .await;
        let response = client(&server)
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::POST, "/v2/things"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response["id"], "c1");
        assert_eq!(received(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn retries_503_for_get_but_not_for_post_or_patch() {
        let server = serve(vec![json(503, "{}"), json(200, r#"{"ok":true}"#)]).await;
        let response =
            client(&server).execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x")).await.unwrap();
        assert_eq!(response.body()["ok"], true);
        assert_eq!(received(&server).await.len(), 2);
        for method in [Method::POST, Method::PATCH] {
            let server = serve(vec![json(503, "{}"), json(200, "{}")]).await;
            let error = client(&server)
                .execute_json::<serde_json::Value, serde_json::Value>(request(method.clone(), "/x"))
                .await
                .unwrap_err();
            assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE), "{method}");
            assert_eq!(received(&server).await.len(), 1, "{method} is sent once");
        }
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts_with_the_last_error() {
        let server = serve(vec![
            json(503, r#"{"errors":[{"code":"first"}]}"#),
            json(503, r#"{"errors":[{"code":"second"}]}"#),
            json(503, r#"{"errors":[{"code":"third"}]}"#),
            json(200, "{}"),
        ])
        .await;
        let error = client(&server).execute_empty::<ErrorBody>(request(Method::DELETE, "/x")).await.unwrap_err();
        let api = error.api_error().expect("an API error");
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.typed().unwrap().errors[0].code, "third");
        assert_eq!(api.headers()["content-type"], "application/json");
        assert_eq!(received(&server).await.len(), 3);
        assert!(error.to_string().contains("third"), "{error}");
    }

    #[tokio::test]
    async fn times_out_per_attempt_and_retries_idempotent_calls() {
        let server = serve(vec![json(200, "{}").set_delay(Duration::from_millis(400))]).await;
        let impatient = local_builder(server.uri())
            .timeout(Duration::from_millis(50))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = impatient.execute_empty::<serde_json::Value>(request(Method::GET, "/slow")).await.unwrap_err();
        let Error::Timeout { elapsed } = error else { panic!("expected a timeout, got {error:?}") };
        assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
        assert!(started.elapsed() < Duration::from_millis(390), "did not wait for the reply");

        let server = serve(vec![json(200, "{}").set_delay(Duration::from_millis(400)), json(200, r#"{"n":2}"#)]).await;
        let mut call = request(Method::GET, "/x");
        call.options = CallOptions::new().timeout(Duration::from_millis(50));
        let response = client(&server).execute_json::<serde_json::Value, serde_json::Value>(call).await.unwrap();
        assert_eq!(response["n"], 2);
        assert_eq!(received(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn error_bodies_typed_raw_and_decode_errors() {
        let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let server = serve(vec![
            ResponseTemplate::new(502).set_body_string(html).insert_header("x-request-id", "r1"),
            json(404, r#"{"errors":[{"code":"not_found"}]}"#),
            json(200, "not json"),
            json(200, ""),
        ])
        .await;
        let client = client(&server);
        let error = client.execute_json::<serde_json::Value, ErrorBody>(request(Method::POST, "/x")).await.unwrap_err();
        let api = error.api_error().unwrap();
        assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(api.body(), &ApiErrorBody::Raw(html.to_owned()));
        assert_eq!(api.headers()["x-request-id"], "r1");
        assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
        let error = client.execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x")).await.unwrap_err();
        assert_eq!(error.typed(), Some(&ErrorBody { errors: vec![ErrorItem { code: "not_found".into() }] }));
        let error = client.execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x")).await.unwrap_err();
        let Error::Decode { status, snippet, .. } = &error else { panic!("expected a decode error, got {error:?}") };
        assert_eq!((*status, snippet.as_str()), (StatusCode::OK, "not json"));
        // An empty 2xx where the operation documents a body.
        let mut call = request(Method::GET, "/x");
        call.empty_ok = false;
        let error = client.execute_json::<serde_json::Value, ErrorBody>(call).await.unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    }

    #[tokio::test]
    async fn sends_the_url_and_headers_as_built() {
        let server = serve(vec![json(200, ""), ResponseTemplate::new(204)]).await;
        let client = local_builder(format!("{}/sc/", server.uri()))
            .basic_auth("app_1", "s3cret")
            .user_agent("tests/1")
            .build()
            .unwrap();
        let mut path = UrlPath::new();
        path.literal("/v2/apps/");
        path.param("appId", "a/b c").unwrap();
        path.literal("/users");
        let mut query = Query::new();
        query.push("filter[userId]", "abc");
        query.push("page[after]", "x y");
        query.push("page[size]", 10);
        let mut call = request(Method::POST, &path.finish());
        call.query = query;
        call.accept = "application/json, text/plain";
        call.body = Body::json(&serde_json::json!({"name": "Ada"})).unwrap();
        call.options = CallOptions::new().header(HeaderName::from_static("x-extra"), HeaderValue::from_static("1"));
        let response =
            client.execute_json::<serde_json::Map<String, serde_json::Value>, serde_json::Value>(call).await.unwrap();
        assert!(response.body().is_empty(), "an empty body decodes as an empty map");
        let seen = received(&server).await;
        let first = &seen[0];
        assert_eq!(first.method.as_str(), "POST");
        assert_eq!(target(first), "/sc/v2/apps/a%2Fb%20c/users?filter[userId]=abc&page[after]=x%20y&page[size]=10");
        assert_eq!(first.headers["accept"], "application/json, text/plain");
        assert_eq!(first.headers["content-type"], "application/json");
        assert_eq!(first.headers["user-agent"], "tests/1");
        assert_eq!(first.headers["authorization"], "Basic YXBwXzE6czNjcmV0");
        assert_eq!(first.headers["x-extra"], "1");
        assert_eq!(first.body, br#"{"name":"Ada"}"#);

        // Per-call headers replace the client's; a bodiless POST says `Content-Length: 0`.
        let mut call = request(Method::POST, "/x");
        call.options = CallOptions::new()
            .header(ACCEPT, HeaderValue::from_static("text/plain"))
            .header(AUTHORIZATION, HeaderValue::from_static("Bearer other"));
        let response = client.execute_empty::<serde_json::Value>(call).await.unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let seen = received(&server).await;
        assert_eq!(seen[1].headers["accept"], "text/plain");
        assert_eq!(seen[1].headers.get_all("authorization").iter().collect::<Vec<_>>(), ["Bearer other"]);
        assert_eq!(seen[1].headers.get("content-type"), None);
        assert_eq!(seen[1].headers["content-length"], "0");
    }

    #[tokio::test]
    async fn bearer_and_jwt_authorization_headers() {
        let server = serve(vec![json(200, "{}"), json(200, "{}"), json(200, "{}")]).await;
        let bearer = local_builder(server.uri()).bearer_auth("tok123").build().unwrap();
        bearer.execute_empty::<serde_json::Value>(request(Method::GET, "/a")).await.unwrap();
        let jwt = local_builder(server.uri())
            .jwt_auth("app_1", "jwt-secret", super::super::auth::JwtScope::App)
            .build()
            .unwrap();
        jwt.execute_empty::<serde_json::Value>(request(Method::GET, "/b")).await.unwrap();
        let none = local_builder(server.uri()).build().unwrap();
        none.execute_empty::<serde_json::Value>(request(Method::GET, "/c")).await.unwrap();
        let seen = received(&server).await;
        assert_eq!(seen[0].headers["authorization"], "Bearer tok123");
        let token = seen[1].headers["authorization"].to_str().unwrap().strip_prefix("Bearer ").unwrap().to_owned();
        assert_eq!(token.split('.').count(), 3, "{token}");
        assert!(seen[2].headers.get("authorization").is_none());
        assert_eq!(seen[2].headers["user-agent"], concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")));
        for client in [&bearer, &jwt] {
            let debug = format!("{client:?}");
            assert!(!debug.contains("tok123") && !debug.contains("jwt-secret") && !debug.contains(&token), "{debug}");
        }
    }

    #[tokio::test]
    async fn multipart_bodies_are_resent_on_retry() {
        let server = serve(vec![json(429, "{}").insert_header("retry-after", "0"), json(201, r#"{"ok":1}"#)]).await;
        let mut call = request(Method::POST, "/upload");
        call.body = Body::Multipart(vec![
            MultipartPart::file("source", "a.txt", Some("text/plain".into()), &b"hello file"[..]),
            MultipartPart::text("access", "public"),
        ]);
        client(&server).execute_json::<serde_json::Value, serde_json::Value>(call).await.unwrap();
        let seen = received(&server).await;
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].body, seen[1].body, "the same bytes on the retry");
        let content_type = seen[0].headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
        let body = String::from_utf8_lossy(&seen[0].body);
        assert!(
            body.contains("filename=\"a.txt\"") && body.contains("hello file") && body.contains("name=\"access\""),
            "{body}"
        );
    }

    #[tokio::test]
    async fn send_raw_keeps_auth_and_error_decoding() {
        let server =
            serve(vec![json(200, r#"{"apps":[]}"#), json(400, r#"{"errors":[{"code":"bad_request"}]}"#)]).await;
        let client = local_builder(server.uri()).bearer_auth("t").build().unwrap();
        let response = client.send_raw(Method::GET, "v2/apps?limit=1", None, CallOptions::new()).await.unwrap();
        assert_eq!(response.body(), &serde_json::json!({"apps": []}));
        let body = serde_json::json!({"x": 1});
        let error = client.send_raw(Method::POST, "/v2/apps", Some(&body), CallOptions::new()).await.unwrap_err();
        assert_eq!(error.typed().unwrap()["errors"][0]["code"], "bad_request");
        let seen = received(&server).await;
        assert_eq!(target(&seen[0]), "/v2/apps?limit=1");
        assert_eq!(seen[0].headers["authorization"], "Bearer t");
        assert_eq!(seen[1].body, br#"{"x":1}"#);
    }

    #[tokio::test]
    async fn bodies_are_read_up_to_the_limit() {
        let big = "x".repeat(10_000);
        let server =
            serve(vec![json(200, &format!("\"{big}\"")), json(500, &format!("\"{big}\"")), json(200, "\"small\"")])
                .await;
        let client = local_builder(server.uri()).max_response_bytes(1_000).build().unwrap();
        let error = client.execute_json::<String, serde_json::Value>(request(Method::GET, "/x")).await.unwrap_err();
        assert!(matches!(error, Error::TooLarge { limit: 1_000, status: StatusCode::OK }), "{error:?}");
        assert!(error.to_string().contains("1000 bytes"), "{error}");
        let error = client.execute_json::<String, serde_json::Value>(request(Method::DELETE, "/x")).await.unwrap_err();
        assert!(matches!(error, Error::TooLarge { status: StatusCode::INTERNAL_SERVER_ERROR, .. }), "{error:?}");
        let mut call = request(Method::GET, "/x");
        call.options = CallOptions::new().max_response_bytes(7);
        let response = client.execute_json::<String, serde_json::Value>(call).await.unwrap();
        assert_eq!(response.body(), "small", "a per-call limit");
    }

    #[tokio::test]
    async fn redirects_documented_returned_same_origin_followed_others_refused() {
        let server = MockServer::start().await;
        Mock::given(path("/moved"))
            .respond_with(ResponseTemplate::new(307).insert_header("location", "/here"))
            .mount(&server)
            .await;
        Mock::given(path("/here")).respond_with(json(200, r#"{"at":"here"}"#)).mount(&server).await;
        Mock::given(path("/away"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "https://elsewhere.example.com/steal"))
            .mount(&server)
            .await;
        Mock::given(path("/loop"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop2"))
            .mount(&server)
            .await;
        Mock::given(path("/loop2"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
            .mount(&server)
            .await;
        Mock::given(path("/authorize"))
            .respond_with(
                ResponseTemplate::new(302)
                    .insert_header("location", "https://app.example.com/done")
                    .set_body_string("Found"),
            )
            .mount(&server)
            .await;
        let client = local_builder(server.uri()).bearer_auth("secret-token").build().unwrap();
        let response =
            client.execute_json::<serde_json::Value, serde_json::Value>(request(Method::POST, "/moved")).await.unwrap();
        assert_eq!(response["at"], "here");
        let here = received(&server).await.into_iter().find(|r| r.url.path() == "/here").unwrap();
        assert_eq!(here.method.as_str(), "POST", "307 keeps the method");
        for (target, reason) in [("/away", "another origin"), ("/loop", "loop")] {
            let error = client.execute_empty::<serde_json::Value>(request(Method::GET, target)).await.unwrap_err();
            let Error::Redirect { status, reason: why, .. } = &error else { panic!("{error:?}") };
            assert_eq!(*status, StatusCode::FOUND);
            assert!(why.contains(reason), "{why}");
            assert!(!format!("{error} {error:?}").contains("secret-token"));
        }
        let paths: Vec<String> = received(&server).await.iter().map(target).collect();
        assert_eq!(paths.iter().filter(|p| p.starts_with("/loop")).count(), 2, "each loop URL once: {paths:?}");
        // An operation documenting its 302 gets it back, with the Location.
        let mut call = request(Method::GET, "/authorize");
        call.redirects = true;
        call.accept = "text/plain";
        let response = client.execute_empty::<serde_json::Value>(call.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(response.headers()["location"], "https://app.example.com/done");
        let error = client.execute_json::<serde_json::Value, serde_json::Value>(call).await;
        assert_eq!(error.unwrap().status(), StatusCode::FOUND, "`Value` needs no body");
    }

    #[tokio::test]
    async fn interceptors_see_every_attempt_in_order_without_credentials() {
        let server = serve(vec![json(503, "{}").insert_header("retry-after", "0"), json(200, "{}")]).await;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (first, second, after) = (Arc::clone(&log), Arc::clone(&log), Arc::clone(&log));
        struct Tag(Arc<Mutex<Vec<String>>>);
        impl Interceptor for Tag {
            fn before_attempt(&self, request: &mut AttemptRequest<'_>) {
                let debug = format!("{request:?}");
                assert!(!debug.contains("hunter2"), "{debug}");
                self.0.lock().unwrap().push(format!("tag {}", request.attempt()));
                request.headers_mut().insert("x-correlation-id", HeaderValue::from_static("c-1"));
            }
        }
        let hooked = local_builder(server.uri())
            .bearer_auth("hunter2")
            .interceptor(Tag(first))
            .interceptor(before_attempt(move |request| {
                let seen = request.headers().get("x-correlation-id").is_some();
                second.lock().unwrap().push(format!("{} sees tag: {seen}", request.operation_id()));
            }))
            .interceptor(after_attempt(move |outcome| {
                after.lock().unwrap().push(format!(
                    "after {} {:?} retry {:?}",
                    outcome.attempt(),
                    outcome.status().map(|s| s.as_u16()),
                    outcome.retry_in()
                ));
            }))
            .build()
            .unwrap();
        hooked.execute_empty::<serde_json::Value>(request(Method::GET, "/x")).await.unwrap();
        assert_eq!(
            *log.lock().unwrap(),
            [
                "tag 1",
                "test sees tag: true",
                "after 1 Some(503) retry Some(0ns)",
                "tag 2",
                "test sees tag: true",
                "after 2 Some(200) retry None"
            ]
        );
        assert!(received(&server).await.iter().all(|r| r.headers["x-correlation-id"] == "c-1"));
    }

    #[test]
    fn futures_and_errors_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        let client = Client::builder("https://example.com").build().unwrap();
        assert_send(&client.execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/")));
        assert_send(&client.execute_empty::<ErrorBody>(request(Method::GET, "/")));
        assert_send(&client.send_raw(Method::GET, "/", None, CallOptions::new()));
        assert_send_sync::<Client>();
        assert_send_sync::<Error<ErrorBody>>();
    }

    #[tokio::test]
    async fn connection_refused_is_a_transport_error() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let client = local_builder(base).build().unwrap();
        let error = client.execute_empty::<serde_json::Value>(request(Method::POST, "/x")).await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert!(std::error::Error::source(&error).is_some());
    }
}
