//! Sending a [`Request`]: URL and headers, retries, timeouts, decoding.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::client::Client;
use super::error::{
    ApiError, ApiErrorBody, DECODE_SNIPPET_LIMIT, Error, RAW_BODY_LIMIT, ValidationError,
    utf8_prefix,
};
use super::request::{Body, Request};
use super::response::Response;
use super::retry::{self, Decision, Outcome};

/// A response whose body is not decoded yet.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Why the last attempt failed.
enum Failure {
    Status(RawResponse),
    Timeout(Duration),
    Transport(reqwest::Error),
}

impl Client {
    /// Sends `request` and decodes a 2xx body as `T`.
    ///
    /// An empty (or all-whitespace) body decodes as JSON `null` when `T`
    /// accepts it (`()`, `Option<_>`, `serde_json::Value`), else as `{}`
    /// (maps, structs whose fields are all optional).
    #[doc(hidden)]
    pub async fn execute_json<T: DeserializeOwned, E: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<T>, Error<E>> {
        let span = call_span(&request);
        async move {
            let raw = self.send_with_retries(&request).await?;
            match decode_body::<T>(&raw.body, request.empty_ok) {
                Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
                Err(source) => {
                    tracing::debug!(status = raw.status.as_u16(), "response body did not decode");
                    Err(Error::Decode {
                        status: raw.status,
                        snippet: utf8_prefix(&raw.body, DECODE_SNIPPET_LIMIT),
                        source,
                    })
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Sends `request`, ignoring a 2xx body.
    #[doc(hidden)]
    pub async fn execute_empty<E: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<Response<()>, Error<E>> {
        let span = call_span(&request);
        async move {
            let raw = self.send_with_retries(&request).await?;
            Ok(Response::new(raw.status, raw.headers, ()))
        }
        .instrument(span)
        .await
    }

    /// The attempt loop: returns the first 2xx response, or the error of the
    /// last attempt once [`retry::decide`] says stop.
    async fn send_with_retries<E: DeserializeOwned>(
        &self,
        request: &Request,
    ) -> Result<RawResponse, Error<E>> {
        let inner = &self.inner;
        let policy = request
            .options
            .retry_policy
            .as_ref()
            .unwrap_or(&inner.retry_policy);
        let timeout = request.options.timeout.unwrap_or(inner.timeout);
        let url = self.url(request)?;
        let headers = self.headers(request);
        let idempotent = retry::is_idempotent(&request.method);
        let start = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            let attempt_start = Instant::now();
            let mut builder = inner
                .http
                .request(request.method.clone(), url.clone())
                .headers(headers.clone())
                .timeout(timeout);
            builder = match &request.body {
                Body::Empty => builder,
                Body::Json(bytes) => builder.body(bytes.clone()),
                Body::Multipart(parts) => {
                    let mut form = reqwest::multipart::Form::new();
                    for part in parts {
                        form = form.part(part.name.clone(), part.to_reqwest()?);
                    }
                    builder.multipart(form)
                }
            };
            let result = async {
                let mut response = builder.send().await?;
                let status = response.status();
                // Taken, not cloned: the body is read next and needs no headers.
                let headers = std::mem::take(response.headers_mut());
                let body = response.bytes().await?;
                Ok::<_, reqwest::Error>(RawResponse {
                    status,
                    headers,
                    body,
                })
            }
            .await;

            let (outcome, retry_after, failure) = match result {
                Ok(raw) if raw.status.is_success() => {
                    tracing::debug!(attempt, status = raw.status.as_u16(), "response");
                    return Ok(raw);
                }
                Ok(raw) => {
                    tracing::debug!(attempt, status = raw.status.as_u16(), "error response");
                    let retry_after = raw
                        .headers
                        .get(RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| retry::parse_retry_after(value, SystemTime::now()));
                    (
                        Some(Outcome::Status(raw.status.as_u16())),
                        retry_after,
                        Failure::Status(raw),
                    )
                }
                Err(error) if error.is_timeout() => {
                    let elapsed = attempt_start.elapsed();
                    tracing::debug!(
                        attempt,
                        elapsed_ms = elapsed.as_millis() as u64,
                        "attempt timed out"
                    );
                    (Some(Outcome::Timeout), None, Failure::Timeout(elapsed))
                }
                Err(error) => {
                    tracing::debug!(attempt, "transport error");
                    // A request that could not even be built fails the same
                    // way every time: never retry it.
                    let outcome = (!error.is_builder()).then_some(Outcome::Transport);
                    (outcome, None, Failure::Transport(error))
                }
            };
            let decision = match outcome {
                Some(outcome) => retry::decide(
                    policy,
                    idempotent,
                    outcome,
                    attempt,
                    start.elapsed(),
                    retry_after,
                    retry::jitter(),
                ),
                None => Decision::Stop,
            };
            match decision {
                Decision::Retry(delay) => {
                    tracing::info!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Decision::Stop => return Err(failure.into_error()),
            }
        }
    }

    /// base URL + path + `?` + query.
    fn url(&self, request: &Request) -> Result<reqwest::Url, ValidationError> {
        let mut url = format!("{}{}", self.inner.base_url, request.path);
        if !request.query.is_empty() {
            url.push(if request.path.contains('?') { '&' } else { '?' });
            url.push_str(&request.query.encode());
        }
        reqwest::Url::parse(&url)
            .map_err(|error| ValidationError::new("url", format!("not a valid URL: {error}")))
    }

    /// Client headers, then per-call headers replacing those of the same name.
    fn headers(&self, request: &Request) -> HeaderMap {
        let inner = &self.inner;
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(request.accept));
        if let Body::Json(_) = request.body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        headers.insert(USER_AGENT, inner.user_agent.clone());
        if let Some(authorization) = &inner.authorization {
            headers.insert(AUTHORIZATION, authorization.clone());
        }
        for name in request.options.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &request.options.headers {
            let mut value = value.clone();
            if name == AUTHORIZATION {
                value.set_sensitive(true);
            }
            headers.append(name, value);
        }
        headers
    }
}

impl Failure {
    fn into_error<E: DeserializeOwned>(self) -> Error<E> {
        match self {
            Failure::Timeout(elapsed) => Error::Timeout { elapsed },
            Failure::Transport(error) => Error::Transport(error),
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

/// One span per call: operation, method and the path *template* (filled
/// paths may carry identifiers). Never headers, bodies or credentials.
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
    use super::super::auth::JwtScope;
    use super::super::client::{BaseUrl, ClientBuilder};
    use super::super::encode::{Query, UrlPath};
    use super::super::request::{CallOptions, MultipartPart};
    use super::super::retry::RetryPolicy;
    use super::*;
    use reqwest::Method;
    use reqwest::header::HeaderName;
    use serde::Deserialize;
    use std::sync::{Arc, Mutex};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[test]
    fn empty_bodies_decode_where_the_type_allows() {
        assert_eq!(decode_body::<()>(b"").unwrap(), ());
        assert_eq!(decode_body::<Option<u8>>(b" \n").unwrap(), None);
        assert_eq!(
            decode_body::<serde_json::Value>(b"").unwrap(),
            serde_json::Value::Null
        );
        assert!(
            decode_body::<serde_json::Map<String, serde_json::Value>>(b"")
                .unwrap()
                .is_empty()
        );
        #[derive(Deserialize)]
        struct AllOptional {
            meta: Option<String>,
        }
        assert!(decode_body::<AllOptional>(b"").unwrap().meta.is_none());
        #[derive(Debug, Deserialize)]
        struct Required {
            id: String,
        }
        assert_eq!(decode_body::<Required>(br#"{"id":"x"}"#).unwrap().id, "x");
        let error = decode_body::<Required>(b"").unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");
        assert_eq!(decode_body::<Vec<u8>>(b"[1]").unwrap(), [1]);
    }

    // ---- a tiny HTTP/1.1 server -------------------------------------------

    /// A canned response.
    #[derive(Clone)]
    struct Reply {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
        delay: Duration,
    }

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.to_owned(),
            delay: Duration::ZERO,
        }
    }

    impl Reply {
        fn header(mut self, name: &'static str, value: &str) -> Self {
            self.headers.push((name, value.to_owned()));
            self
        }
    }

    /// A request as the server saw it.
    #[derive(Debug, Clone)]
    struct Seen {
        method: String,
        target: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        }
    }

    /// Serves `replies` in order, one per connection, on 127.0.0.1; records
    /// every request. Returns the base URL and the record.
    async fn serve(replies: Vec<Reply>) -> (String, Arc<Mutex<Vec<Seen>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        tokio::spawn(async move {
            for reply in replies {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let record = Arc::clone(&record);
                // One task per connection, so a slow reply does not hold up
                // the next attempt's connection.
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    record.lock().unwrap().push(request);
                    tokio::time::sleep(reply.delay).await;
                    let mut head = format!(
                        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes()).await;
                    let _ = stream.write_all(reply.body.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        (base, seen)
    }

    async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Seen> {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            buffer.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next()?.split(' ');
        let method = request_line.next()?.to_owned();
        let target = request_line.next()?.to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = buffer[head_end + 4..].to_vec();
        let find = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(length) = find("content-length") {
            let length: usize = length.parse().ok()?;
            while body.len() < length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if find("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            // Keep the raw chunked framing; enough to read to the end.
            while !body.ends_with(b"0\r\n\r\n") {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        }
        Some(Seen {
            method,
            target,
            headers,
            body,
        })
    }

    /// A builder whose HTTP client ignores proxy settings from the
    /// environment: the test server is on 127.0.0.1.
    fn local_builder(base: impl Into<BaseUrl>) -> ClientBuilder {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        Client::builder(base).http_client(http)
    }

    fn fast_retries() -> RetryPolicy {
        RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(5))
    }

    fn client(base: &str) -> Client {
        local_builder(base)
            .timeout(Duration::from_secs(2))
            .retry_policy(fast_retries())
            .build()
            .unwrap()
    }

    fn request(method: Method, path: &str) -> Request {
        Request {
            method,
            operation_id: "test",
            path_template: "/test",
            path: path.to_owned(),
            query: Query::new(),
            body: Body::Empty,
            options: CallOptions::new(),
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ErrorBody {
        errors: Vec<ErrorItem>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct ErrorItem {
        code: String,
    }

    // ---- tests --------------------------------------------------------------

    #[tokio::test]
    async fn retries_429_with_retry_after_zero_even_for_post() {
        let (base, seen) = serve(vec![
            reply(429, r#"{"errors":[{"code":"too_many_requests"}]}"#).header("retry-after", "0"),
            reply(201, r#"{"id":"c1"}"#),
        ])
        .await;
        let response = client(&base)
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::POST, "/v2/things"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response["id"], "c1");
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn retries_503_for_get_but_not_for_post() {
        let (base, seen) = serve(vec![reply(503, "{}"), reply(200, r#"{"ok":true}"#)]).await;
        let response = client(&base)
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x"))
            .await
            .unwrap();
        assert_eq!(response.body()["ok"], true);
        assert_eq!(seen.lock().unwrap().len(), 2);

        let (base, seen) = serve(vec![reply(503, "{}"), reply(200, "{}")]).await;
        let error = client(&base)
            .execute_json::<serde_json::Value, serde_json::Value>(request(Method::POST, "/x"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts_with_the_last_error() {
        let (base, seen) = serve(vec![
            reply(503, r#"{"errors":[{"code":"first"}]}"#),
            reply(503, r#"{"errors":[{"code":"second"}]}"#),
            reply(503, r#"{"errors":[{"code":"third"}]}"#),
            reply(200, "{}"),
        ])
        .await;
        let error = client(&base)
            .execute_empty::<ErrorBody>(request(Method::DELETE, "/x"))
            .await
            .unwrap_err();
        let api = error.api_error().expect("an API error");
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(api.typed().unwrap().errors[0].code, "third");
        assert_eq!(api.headers()["content-type"], "application/json");
        assert_eq!(seen.lock().unwrap().len(), 3);
        assert!(error.to_string().contains("third"), "{error}");
    }

    #[tokio::test]
    async fn times_out_per_attempt() {
        let mut slow = reply(200, "{}");
        slow.delay = Duration::from_millis(400);
        let (base, seen) = serve(vec![slow]).await;
        let client = local_builder(base.as_str())
            .timeout(Duration::from_millis(50))
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let error = client
            .execute_empty::<serde_json::Value>(request(Method::GET, "/slow"))
            .await
            .unwrap_err();
        let Error::Timeout { elapsed } = error else {
            panic!("expected a timeout, got {error:?}");
        };
        assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
        assert!(
            started.elapsed() < Duration::from_millis(390),
            "did not wait for the reply"
        );
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn timeouts_are_retried_for_idempotent_calls_and_overridable_per_call() {
        let mut slow = reply(200, "{}");
        slow.delay = Duration::from_millis(400);
        let (base, seen) = serve(vec![slow, reply(200, r#"{"n":2}"#)]).await;
        let mut call = request(Method::GET, "/x");
        call.options = CallOptions::new().timeout(Duration::from_millis(50));
        let response = client(&base)
            .execute_json::<serde_json::Value, serde_json::Value>(call)
            .await
            .unwrap();
        assert_eq!(response["n"], 2);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn html_502_is_kept_raw() {
        let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        let (base, _) = serve(vec![reply(502, html).header("x-request-id", "r1")]).await;
        let error = client(&base)
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::POST, "/x"))
            .await
            .unwrap_err();
        let api = error.api_error().unwrap();
        assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(api.body(), &ApiErrorBody::Raw(html.to_owned()));
        assert_eq!(api.headers()["x-request-id"], "r1");
        assert!(error.typed().is_none());
        assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
    }

    #[tokio::test]
    async fn typed_error_bodies_and_decode_errors() {
        let (base, _) = serve(vec![
            reply(404, r#"{"errors":[{"code":"not_found"}]}"#),
            reply(200, "not json"),
        ])
        .await;
        let client = client(&base);
        let error = client
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x"))
            .await
            .unwrap_err();
        assert_eq!(
            error.typed(),
            Some(&ErrorBody {
                errors: vec![ErrorItem {
                    code: "not_found".into()
                }]
            })
        );
        let error = client
            .execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/x"))
            .await
            .unwrap_err();
        let Error::Decode {
            status, snippet, ..
        } = &error
        else {
            panic!("expected a decode error, got {error:?}");
        };
        assert_eq!((*status, snippet.as_str()), (StatusCode::OK, "not json"));
    }

    #[tokio::test]
    async fn sends_the_url_and_headers_as_built() {
        let (base, seen) = serve(vec![reply(200, ""), reply(204, "")]).await;
        let client = local_builder(format!("{base}/sc/"))
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
        call.body = Body::json(&serde_json::json!({"name": "Ada"})).unwrap();
        call.options = CallOptions::new().header(
            HeaderName::from_static("x-extra"),
            HeaderValue::from_static("1"),
        );
        let response = client
            .execute_json::<serde_json::Map<String, serde_json::Value>, serde_json::Value>(call)
            .await
            .unwrap();
        assert!(
            response.body().is_empty(),
            "an empty body decodes as an empty map"
        );
        {
            let seen = seen.lock().unwrap();
            let first = &seen[0];
            assert_eq!(first.method, "POST");
            assert_eq!(
                first.target,
                "/sc/v2/apps/a%2Fb%20c/users?filter[userId]=abc&page[after]=x%20y&page[size]=10"
            );
            assert_eq!(first.header("accept"), Some("application/json"));
            assert_eq!(first.header("content-type"), Some("application/json"));
            assert_eq!(first.header("user-agent"), Some("tests/1"));
            assert_eq!(
                first.header("authorization"),
                Some("Basic YXBwXzE6czNjcmV0")
            );
            assert_eq!(first.header("x-extra"), Some("1"));
            assert_eq!(first.body, br#"{"name":"Ada"}"#);
        }

        // Per-call headers replace the client's.
        let mut call = request(Method::GET, "/x");
        call.options = CallOptions::new()
            .header(ACCEPT, HeaderValue::from_static("text/plain"))
            .header(AUTHORIZATION, HeaderValue::from_static("Bearer other"));
        let response = client
            .execute_empty::<serde_json::Value>(call)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let seen = seen.lock().unwrap();
        assert_eq!(seen[1].header("accept"), Some("text/plain"));
        assert_eq!(seen[1].header("authorization"), Some("Bearer other"));
        assert_eq!(
            seen[1]
                .headers
                .iter()
                .filter(|(n, _)| n == "authorization")
                .count(),
            1
        );
        assert_eq!(seen[1].header("content-type"), None);
    }

    #[tokio::test]
    async fn bearer_and_jwt_authorization_headers() {
        let (base, seen) = serve(vec![reply(200, "{}"), reply(200, "{}"), reply(200, "{}")]).await;
        let bearer = local_builder(base.as_str())
            .bearer_auth("tok123")
            .build()
            .unwrap();
        bearer
            .execute_empty::<serde_json::Value>(request(Method::GET, "/a"))
            .await
            .unwrap();
        let jwt = local_builder(base.as_str())
            .jwt_auth("app_1", "jwt-secret", JwtScope::App)
            .build()
            .unwrap();
        jwt.execute_empty::<serde_json::Value>(request(Method::GET, "/b"))
            .await
            .unwrap();
        let none = local_builder(base.as_str()).build().unwrap();
        none.execute_empty::<serde_json::Value>(request(Method::GET, "/c"))
            .await
            .unwrap();

        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].header("authorization"), Some("Bearer tok123"));
        let token = seen[1]
            .header("authorization")
            .unwrap()
            .strip_prefix("Bearer ")
            .unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<serde_json::Value>(
            token,
            &jsonwebtoken::DecodingKey::from_secret(b"jwt-secret"),
            &validation,
        )
        .unwrap();
        assert_eq!(data.header.kid.as_deref(), Some("app_1"));
        assert_eq!(data.claims, serde_json::json!({"scope": "app"}));
        assert_eq!(seen[2].header("authorization"), None);
        assert_eq!(
            seen[2].header("user-agent"),
            Some(concat!(
                env!("CARGO_PKG_NAME"),
                "/",
                env!("CARGO_PKG_VERSION")
            ))
        );

        for client in [&bearer, &jwt] {
            let debug = format!("{client:?}");
            assert!(
                !debug.contains("tok123")
                    && !debug.contains("jwt-secret")
                    && !debug.contains(token),
                "{debug}"
            );
        }
    }

    #[tokio::test]
    async fn multipart_bodies_are_resent_on_retry() {
        let (base, seen) = serve(vec![
            reply(429, "{}").header("retry-after", "0"),
            reply(201, r#"{"ok":1}"#),
        ])
        .await;
        let mut call = request(Method::POST, "/upload");
        call.body = Body::Multipart(vec![
            MultipartPart::file(
                "source",
                "a.txt",
                Some("text/plain".into()),
                &b"hello file"[..],
            ),
            MultipartPart::text("access", "public"),
        ]);
        client(&base)
            .execute_json::<serde_json::Value, serde_json::Value>(call)
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        for request in seen.iter() {
            let content_type = request.header("content-type").unwrap();
            assert!(
                content_type.starts_with("multipart/form-data; boundary="),
                "{content_type}"
            );
            let body = String::from_utf8_lossy(&request.body);
            assert!(body.contains("filename=\"a.txt\""), "{body}");
            assert!(body.contains("hello file"), "{body}");
            assert!(body.contains("name=\"access\""), "{body}");
        }
    }

    #[tokio::test]
    async fn send_raw_keeps_auth_and_error_decoding() {
        let (base, seen) = serve(vec![
            reply(200, r#"{"apps":[]}"#),
            reply(400, r#"{"errors":[{"code":"bad_request"}]}"#),
        ])
        .await;
        let client = local_builder(base.as_str())
            .bearer_auth("t")
            .build()
            .unwrap();
        let response = client
            .send_raw(Method::GET, "v2/apps?limit=1", None, CallOptions::new())
            .await
            .unwrap();
        assert_eq!(response.body(), &serde_json::json!({"apps": []}));
        let body = serde_json::json!({"x": 1});
        let error = client
            .send_raw(Method::POST, "/v2/apps", Some(&body), CallOptions::new())
            .await
            .unwrap_err();
        assert_eq!(error.typed().unwrap()["errors"][0]["code"], "bad_request");
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].target, "/v2/apps?limit=1");
        assert_eq!(seen[0].header("authorization"), Some("Bearer t"));
        assert_eq!(seen[1].body, br#"{"x":1}"#);
    }

    #[test]
    fn futures_and_errors_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        let client = Client::builder("https://example.com").build().unwrap();
        assert_send(
            &client.execute_json::<serde_json::Value, ErrorBody>(request(Method::GET, "/")),
        );
        assert_send(&client.execute_empty::<ErrorBody>(request(Method::GET, "/")));
        assert_send(&client.send_raw(Method::GET, "/", None, CallOptions::new()));
        assert_send_sync::<Client>();
        assert_send_sync::<Error<ErrorBody>>();
    }

    #[tokio::test]
    async fn connection_refused_is_a_transport_error() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let error = client(&base)
            .execute_empty::<serde_json::Value>(request(Method::POST, "/x"))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert!(std::error::Error::source(&error).is_some());
    }
}
