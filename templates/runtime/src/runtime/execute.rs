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
use super::decode;
use super::encode::Query;
use super::error::{
    ApiError, ApiErrorBody, DECODE_SNIPPET_LIMIT, Error, ErrorMessages, RAW_BODY_LIMIT, ValidationError, utf8_prefix,
};
use super::hooks::{AttemptOutcome, AttemptRequest};
use super::redact::QuerySecrets;
use super::redirect::{self, Next};
use super::request::{Encoded, Request};
use super::response::Response;
use super::retry::{self, Decision, Outcome};

/// A response whose body is read (within the limit) but not decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The byte limit the body was read under (decoding gets a budget from it).
    limit: u64,
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
    pub(crate) fn execute_json<T: DeserializeOwned, E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response<T>, Error<E>>> + '_ {
        let span = call_span(&request);
        Box::pin(
            async move {
                let raw = self.send_with_retries::<E>(&request).await?;
                decode(raw, request.empty_ok).map_err(|error| redacted(error, QuerySecrets::of(self, &request)))
            }
            .instrument(span),
        )
    }

    /// Sends `request`, ignoring a 2xx body (one boxed future, as
    /// [`execute_json`](Self::execute_json)).
    #[allow(dead_code, reason = "used by the operations that return no JSON body, if the spec has any")]
    pub(crate) fn execute_empty<E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
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

    /// Sends `request` and returns a 2xx body as it came: for operations whose success
    /// body is not JSON (a file, an export). Bounded by the byte limit like every body.
    #[allow(dead_code, reason = "used by the operations whose success body is not JSON, if the spec has any")]
    pub(crate) fn execute_bytes<E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response<Bytes>, Error<E>>> + '_ {
        let span = call_span(&request);
        Box::pin(
            async move {
                let raw = self.send_with_retries::<E>(&request).await?;
                Ok(Response::new(raw.status, raw.headers, raw.body))
            }
            .instrument(span),
        )
    }

    /// Sends `request` and returns a 2xx `text/*` body as a `String`; a body that is not
    /// UTF-8 is [`Error::Decode`].
    #[allow(dead_code, reason = "used by the operations whose success body is text, if the spec has any")]
    pub(crate) fn execute_text<E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response<String>, Error<E>>> + '_ {
        let span = call_span(&request);
        Box::pin(
            async move {
                let raw = self.send_with_retries::<E>(&request).await?;
                match String::from_utf8(raw.body.to_vec()) {
                    Ok(text) => Ok(Response::new(raw.status, raw.headers, text)),
                    Err(error) => Err(Error::Decode {
                        status: raw.status,
                        snippet: utf8_prefix(&raw.body, DECODE_SNIPPET_LIMIT),
                        source: <serde_json::Error as serde::de::Error>::custom(format_args!(
                            "the text body is not UTF-8: {error}"
                        )),
                    }),
                }
            }
            .instrument(span),
        )
    }

    /// The attempt loop: returns the first 2xx response (or a documented 3xx), or the
    /// error of the last attempt once [`retry::decide`] says stop.
    ///
    /// Only what crosses an `await` is kept in the future (it is boxed once per call):
    /// each attempt's outcome is settled by [`settle`], a plain function.
    async fn send_with_retries<E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
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
            // A paced attempt waits for its turn first; its timeout starts after.
            let attempt_start = match &self.inner.pace {
                Some(pace) => {
                    pace.wait().await;
                    Instant::now()
                }
                None if attempt == 1 => start,
                None => Instant::now(),
            };
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
    ///
    /// The per-attempt timeout is one deadline for the whole attempt: each redirect hop
    /// gets only the time left, and reading the last hop's body is within it too.
    fn attempt<'a>(
        &'a self,
        request: &'a Request,
        attempt: u32,
        url: Url,
        body: &'a Encoded,
    ) -> impl Future<Output = Result<RawResponse, Failure>> + 'a {
        let inner = &self.inner;
        let limit = request.options.max_response_bytes_override().unwrap_or(inner.max_response_bytes);
        let started = Instant::now();
        let mut pending = inner.http.execute(http_request(self, request, attempt, url, body, None));
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
                            let timeout = request.options.timeout_override().unwrap_or(inner.timeout);
                            let elapsed = started.elapsed();
                            let left = timeout.saturating_sub(elapsed);
                            if left.is_zero() {
                                return Err(Failure::Timeout(elapsed));
                            }
                            tracing::debug!(status = status.as_u16(), "following a same-origin redirect");
                            visited.push(from);
                            pending =
                                inner.http.execute(http_request(self, request, attempt, target, body, Some(left)));
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
        let mut separator = if request.path.contains('?') { '&' } else { '?' };
        if !request.query.is_empty() {
            url.push(separator);
            request.query.encode_into(&mut url);
            separator = '&';
        }
        let extra = request.options.query_override();
        if !extra.is_empty() {
            let mut query = Query::new();
            for (name, value) in extra {
                query.push(name, value);
            }
            url.push(separator);
            query.encode_into(&mut url);
            separator = '&';
        }
        let query_key = match request.options.auth_override() {
            Some(auth) => match &auth.resolved {
                Ok((_, key)) => key.as_ref(),
                Err(error) => return Err(ValidationError::new("auth", format!("the call's credentials: {error}"))),
            },
            None => self.inner.query_key.as_ref(),
        };
        if let Some((name, value)) = query_key {
            let mut key = Query::new();
            key.push(name, value.expose());
            url.push(separator);
            key.encode_into(&mut url);
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
        if let Some(auth) = request.options.auth_override() {
            if let Some(name) = &self.inner.auth_header {
                headers.remove(name);
            }
            // An unusable override fails the call in `url`, before this.
            if let Ok((Some((name, value)), _)) = &auth.resolved {
                headers.insert(name.clone(), value.clone());
            }
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
fn settle<E: DeserializeOwned + std::fmt::Debug + ErrorMessages + 'static>(
    client: &Client,
    request: &Request,
    start: Instant,
    attempt: u32,
    attempt_start: Instant,
    result: Result<RawResponse, Failure>,
) -> ControlFlow<Result<RawResponse, Error<E>>, Duration> {
    // No error leaves with a query credential in it: not to the caller, not to the
    // interceptors.
    let secrets = QuerySecrets::of(client, request);
    let result = match result {
        Err(Failure::Transport(error)) => Err(Failure::Transport(secrets.error(error))),
        Err(Failure::Redirect { status, location, reason }) => {
            Err(Failure::Redirect { status, location: location.map(|l| secrets.text(&l).into_owned()), reason })
        }
        other => other,
    };
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
        // The attempt's deadline passed between redirect hops.
        Err(Failure::Timeout(_)) => {
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
/// built the same way), shown to the interceptors. A redirect hop gets the time `left`
/// of its attempt as its timeout.
fn http_request(
    client: &Client,
    request: &Request,
    attempt: u32,
    url: Url,
    body: &Encoded,
    left: Option<Duration>,
) -> reqwest::Request {
    let inner = &client.inner;
    let mut http_request = reqwest::Request::new(request.method.clone(), url);
    *http_request.headers_mut() = client.headers(request, body);
    let timeout = left.unwrap_or_else(|| request.options.timeout_override().unwrap_or(inner.timeout));
    if left.is_some() || inner.http_timeout != Some(timeout) {
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
            secrets: QuerySecrets::of(client, request),
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
        let raw = RawResponse { status, headers, body: body.into_bytes(), limit };
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
    fn into_error<E: DeserializeOwned + ErrorMessages>(self) -> Error<E> {
        match self {
            Failure::Timeout(elapsed) => Error::Timeout { elapsed },
            Failure::Transport(error) => Error::Transport(error),
            Failure::TooLarge { status, limit } => Error::TooLarge { status, limit, decoded: false },
            Failure::Redirect { status, location, reason } => Error::Redirect { status, location, reason },
            Failure::Status(raw) => {
                let text = utf8_prefix(&raw.body, RAW_BODY_LIMIT);
                let body = match decode::from_slice::<E>(&raw.body, decode_budget(raw.limit), false) {
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
    let budget = decode_budget(raw.limit);
    if raw.status.is_redirection() {
        return match decode_body::<T>(b"", true, budget) {
            Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
            Err(_) => Err(Error::Redirect {
                status: raw.status,
                location: raw.headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_owned),
                reason: "the operation documents this redirect, and its success type needs a body",
            }),
        };
    }
    match decode_body::<T>(&raw.body, empty_ok, budget) {
        Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
        Err(decode::Failure::OverBudget) => {
            tracing::debug!(status = raw.status.as_u16(), "response body over the decoding budget");
            Err(Error::TooLarge { status: raw.status, limit: raw.limit, decoded: true })
        }
        Err(decode::Failure::Malformed { error, .. }) => {
            tracing::debug!(status = raw.status.as_u16(), "response body did not decode");
            Err(Error::Decode {
                status: raw.status,
                snippet: utf8_prefix(&raw.body, DECODE_SNIPPET_LIMIT),
                source: error,
            })
        }
    }
}

/// `error` with the query credentials redacted from a redirect's `Location` (the only
/// place a decoded response's error can hold one).
fn redacted<E>(error: Error<E>, secrets: QuerySecrets<'_>) -> Error<E> {
    match error {
        Error::Redirect { status, location: Some(location), reason } => {
            Error::Redirect { status, location: Some(secrets.text(&location).into_owned()), reason }
        }
        other => other,
    }
}

/// The decoding budget of a body read under a byte limit.
fn decode_budget(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX).saturating_mul(decode::DECODED_BYTES_PER_BODY_BYTE)
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

/// Decodes a 2xx body within `budget` decoded bytes. An empty body is an error unless
/// the operation allows one (`empty_ok`); then it is tried as `null`, then as `{}`.
pub(crate) fn decode_body<T: DeserializeOwned>(
    body: &[u8],
    empty_ok: bool,
    budget: usize,
) -> Result<T, decode::Failure> {
    if empty_ok && body.iter().all(u8::is_ascii_whitespace) {
        decode::from_slice(b"null", budget, false).or_else(|_| decode::from_slice(b"{}", budget, false))
    } else {
        decode::from_slice(body, budget, false)
    }
}
