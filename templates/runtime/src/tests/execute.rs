//! Unit tests of `runtime/execute.rs`.

use crate::runtime::client::Client;
use crate::runtime::client::ClientBuilder;
use crate::runtime::decode::Failure;
use crate::runtime::encode::{Query, UrlPath};
use crate::runtime::error::{ApiErrorBody, Error};
use crate::runtime::execute::*;
use crate::runtime::hooks::AttemptRequest;
use crate::runtime::hooks::{Interceptor, after_attempt, before_attempt};
use crate::runtime::request::Request;
use crate::runtime::request::{Body, CallOptions, MultipartPart};
use crate::runtime::retry::RetryPolicy;
use reqwest::header::{ACCEPT, HeaderValue};
use reqwest::header::{AUTHORIZATION, HeaderName};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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

/// As a generated error model says its messages: each item's code.
impl crate::runtime::error::ErrorMessages for ErrorBody {
    fn messages(&self) -> Vec<crate::runtime::error::ErrorMessage<'_>> {
        self.errors.iter().map(|e| crate::runtime::error::ErrorMessage { code: Some(&e.code), text: None }).collect()
    }
}

/// Retries without waiting; no other settings.
fn local_builder(base: impl Into<crate::runtime::client::BaseUrl>) -> ClientBuilder {
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

const BUDGET: usize = 1 << 20;

#[test]
fn empty_bodies_decode_only_where_the_operation_allows_them() {
    assert_eq!(decode_body::<()>(b"", true, BUDGET).unwrap(), ());
    assert_eq!(decode_body::<Option<u8>>(b" \n", true, BUDGET).unwrap(), None);
    assert_eq!(decode_body::<serde_json::Value>(b"", true, BUDGET).unwrap(), serde_json::Value::Null);
    assert!(decode_body::<serde_json::Map<String, serde_json::Value>>(b"", true, BUDGET).unwrap().is_empty());
    #[derive(Debug, Deserialize)]
    struct AllOptional {
        meta: Option<String>,
    }
    assert!(decode_body::<AllOptional>(b"", true, BUDGET).unwrap().meta.is_none());
    let error = decode_body::<AllOptional>(b"  ", false, BUDGET).unwrap_err();
    assert!(matches!(&error, Failure::Malformed { error, .. } if error.is_eof()), "{error:?}");
    assert_eq!(decode_body::<Vec<u8>>(b"[1]", false, BUDGET).unwrap(), [1]);
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
        .auth(crate::runtime::auth::Auth::basic("app_1", "s3cret"))
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
    let bearer = local_builder(server.uri()).auth(crate::runtime::auth::Auth::bearer("tok123")).build().unwrap();
    bearer.execute_empty::<serde_json::Value>(request(Method::GET, "/a")).await.unwrap();
    let jwt = local_builder(server.uri())
        .auth(crate::runtime::auth::Auth::jwt("app_1", "jwt-secret", "scope", "app"))
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
    let server = serve(vec![json(200, r#"{"apps":[]}"#), json(400, r#"{"errors":[{"code":"bad_request"}]}"#)]).await;
    let client = local_builder(server.uri()).auth(crate::runtime::auth::Auth::bearer("t")).build().unwrap();
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
        serve(vec![json(200, &format!("\"{big}\"")), json(500, &format!("\"{big}\"")), json(200, "\"small\"")]).await;
    let client = local_builder(server.uri()).max_response_bytes(1_000).build().unwrap();
    let error = client.execute_json::<String, serde_json::Value>(request(Method::GET, "/x")).await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { limit: 1_000, status: StatusCode::OK, decoded: false }), "{error:?}");
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
    let client = local_builder(server.uri()).auth(crate::runtime::auth::Auth::bearer("secret-token")).build().unwrap();
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
        .auth(crate::runtime::auth::Auth::bearer("hunter2"))
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
