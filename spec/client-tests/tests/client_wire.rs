//! The generated client (`generated/`, crate `sunshine-conversations`) on the
//! wire: every test drives the public API against
//! `sunshine_conversations::testing::MockApi` (a wiremock server on 127.0.0.1,
//! with typed expectations per operation) and checks the requests it sent, as
//! wiremock recorded them (method, path and query as encoded, headers, body
//! bytes), and how it decoded the mock's responses.
//!
//! Two checks need the raw-TCP server of `client_tests::fault_server` instead, because wiremock
//! cannot do them: that a request rejected by validation opens no connection at
//! all (wiremock does not count connections), and a response whose head arrives
//! at once but whose body comes late (wiremock delays whole responses).
//! Faults (resets, truncation, huge bodies, ...) are in `faults.rs`.
//!
//! Run with `cargo test -p xtask --test client_wire`.

use client_tests::fault_server as support;

use std::fmt::Debug;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use sunshine_conversations::models::{
    Conversation, ConversationCreateBody, ConversationListFilter, ConversationListResponse, ConversationResponse,
    ConversationType, ConversationUpdateBody, ErrorResponse, Meta, Page, ParticipantSubSchema,
    ParticipantWithUserExternalId, ParticipantWithUserId,
};
use sunshine_conversations::reqwest::{Method, StatusCode};
use sunshine_conversations::testing::wiremock::matchers::{any, method, path, query_param_is_missing};
use sunshine_conversations::testing::wiremock::{Mock, Request as Recorded, ResponseTemplate};
use sunshine_conversations::testing::{self, MockApi};
use sunshine_conversations::{
    ApiErrorBody, Auth, CallOptions, Client, ClientBuilder, Error, JwtScope, RetryPolicy, Server, ValidationError,
};
use support::{Fault, FaultServer};

// ---- helpers ----------------------------------------------------------------

const APP: &str = "app";

type ApiResult<T> = Result<T, Error<ErrorResponse>>;

/// A builder for the mock: the mock's own (no proxy, a 5 s timeout) without its
/// bearer token and with no retries.
fn builder(mock: &MockApi) -> ClientBuilder {
    mock.client_builder().auth(Auth::None).retry_policy(RetryPolicy::none())
}

fn client(mock: &MockApi) -> Client {
    builder(mock).build().unwrap()
}

/// Retries with millisecond backoff, so retry tests stay fast; `Retry-After` is
/// obeyed as sent (unlike the mock's own client, which caps it).
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A 24-character cursor / record id.
fn cursor(n: u32) -> String {
    let id = format!("5f1b2c3d4e5f60718293a{n:03}");
    assert_eq!(id.len(), 24);
    id
}

fn conversation_json(id: &str) -> Value {
    json!({
        "id": id,
        "type": "personal",
        "isDefault": true,
        "displayName": format!("Conversation {id}"),
        "metadata": {"tier": "gold", "n": 1},
        "createdAt": "2024-01-02T03:04:05.678Z"
    })
}

/// [`conversation_json`], typed.
fn conversation(id: &str) -> Conversation {
    serde_json::from_value(conversation_json(id)).unwrap()
}

/// The body of a GetConversation (and Create, Update) success.
fn found(id: &str) -> ConversationResponse {
    ConversationResponse::new().conversation(conversation(id))
}

fn error_body(code: &str) -> ErrorResponse {
    ErrorResponse::new()
        .errors(vec![sunshine_conversations::models::Error::new().code(code).title(format!("title of {code}"))])
}

/// A JSON response with this status and exact body text.
fn json_text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

fn json_value(status: u16, body: &Value) -> ResponseTemplate {
    json_text(status, &body.to_string())
}

/// An error response with the typed `errorResponse` body of `code`.
fn error_reply(status: u16, code: &str) -> ResponseTemplate {
    json_text(status, &serde_json::to_string(&error_body(code)).unwrap())
}

/// The version of the generated crate, from its manifest.
fn generated_version() -> &'static str {
    include_str!("../../../generated/Cargo.toml")
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("generated/Cargo.toml has a version line")
}

/// The `ValidationError` of an `Error::InvalidRequest`; panics otherwise.
fn invalid<T: Debug>(result: ApiResult<T>) -> ValidationError {
    match result {
        Err(Error::InvalidRequest(error)) => error,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

/// Every request the mock received, in arrival order, as wiremock recorded it.
async fn requests(mock: &MockApi) -> Vec<Recorded> {
    mock.server().received_requests().await.expect("request recording is on")
}

/// The request target exactly as sent: the path and `?query`, encoding kept.
fn target(request: &Recorded) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

/// `METHOD target`, e.g. `GET /v2/apps/app/conversations/c1`.
fn line(request: &Recorded) -> String {
    format!("{} {}", request.method, target(request))
}

async fn lines(mock: &MockApi) -> Vec<String> {
    requests(mock).await.iter().map(line).collect()
}

/// Every value of a header, in order.
fn header_values<'a>(request: &'a Recorded, name: &str) -> Vec<&'a str> {
    request.headers.get_all(name).iter().map(|value| value.to_str().expect("an ASCII header value")).collect()
}

/// The first value of a header.
fn header<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    header_values(request, name).into_iter().next()
}

fn body_text(request: &Recorded) -> String {
    String::from_utf8_lossy(&request.body).into_owned()
}

/// The body parsed as JSON; panics with the body text if it is not JSON.
fn body_json(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body)
        .unwrap_or_else(|error| panic!("request body is not JSON ({error}): {:?}", body_text(request)))
}

fn assert_no_body(request: &Recorded) {
    assert!(request.body.is_empty(), "{:?}", body_text(request));
    assert_eq!(header(request, "content-type"), None, "{}", line(request));
    assert_eq!(header(request, "transfer-encoding"), None, "{}", line(request));
    assert!(matches!(header(request, "content-length"), None | Some("0")), "{:?}", header(request, "content-length"));
}

/// A client of a [`FaultServer`]: one attempt, a 5 s timeout.
fn fault_client(server: &FaultServer) -> Client {
    Client::builder(server.url())
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// A listener for tests that send nothing: it counts TCP connections, which
/// wiremock cannot, and answers none.
async fn nothing_expected() -> (FaultServer, Client) {
    let server = FaultServer::always(Fault::Silence).await;
    let client = fault_client(&server);
    (server, client)
}

fn assert_nothing_sent(server: &FaultServer) {
    assert_eq!(server.request_count(), 0, "nothing may reach the server: {:?}", server.requests());
    assert_eq!(server.connections(), 0, "not even a connection");
}

/// Decodes unpadded (or padded) base64url, as used by JWTs.
fn base64url_decode(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {:?}", char::from(c)),
        }
    }
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    assert_ne!(bytes.len() % 4, 1, "impossible base64 length: {text:?}");
    let mut out = Vec::new();
    for group in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in group.iter().enumerate() {
            n |= sextet(c) << (18 - 6 * i);
        }
        let [_, a, b, c] = n.to_be_bytes();
        out.extend_from_slice(&[a, b, c][..group.len() - 1]);
    }
    out
}

#[test]
fn base64url_decoder_matches_known_vectors() {
    // RFC 4648 test vectors, in the URL-safe alphabet, unpadded.
    for (encoded, decoded) in [
        ("", ""),
        ("Zg", "f"),
        ("Zm8", "fo"),
        ("Zm9v", "foo"),
        ("Zm9vYg", "foob"),
        ("Zm9vYmE", "fooba"),
        ("Zm9vYmFy", "foobar"),
        ("Zm9vYmFy==", "foobar"),
    ] {
        assert_eq!(base64url_decode(encoded), decoded.as_bytes(), "{encoded}");
    }
    assert_eq!(base64url_decode("-_8"), [0xfb, 0xff]);
}

// ---- 1. path encoding -------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded_as_one_segment() {
    let mock = MockApi::start().await;
    let client = client(&mock);
    let cases = [
        ("a/b", "a%2Fb"),
        ("a b", "a%20b"),
        ("?#", "%3F%23"),
        ("%2F", "%252F"),
        ("é", "%C3%A9"),
        ("a+b&c=d;e:f@g", "a%2Bb%26c%3Dd%3Be%3Af%40g"),
        ("[x]", "%5Bx%5D"),
        ("a\r\nb: c", "a%0D%0Ab%3A%20c"),
        ("...", "..."),
        ("AZaz09-._~", "AZaz09-._~"),
    ];
    for (id, _) in cases {
        mock.get_conversation().path_params(&[APP, id]).times(1).respond(&found("c1")).await;
    }
    for (id, _) in cases {
        let response = client.get_conversation(APP, id).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let expected: Vec<String> =
        cases.iter().map(|(_, encoded)| format!("GET /v2/apps/app/conversations/{encoded}")).collect();
    assert_eq!(lines(&mock).await, expected);
    // The mock decodes each back to the value given.
    let received: Vec<Vec<String>> =
        mock.received::<testing::GetConversation>().await.into_iter().map(|call| call.path_params).collect();
    let given: Vec<Vec<String>> = cases.iter().map(|(id, _)| vec![APP.to_owned(), (*id).to_owned()]).collect();
    assert_eq!(received, given);
}

#[tokio::test]
async fn app_id_is_encoded_and_base_url_path_is_kept() {
    let mock = MockApi::start().await;
    // The typed expectations assume the API at the root of the mock's URL: a base
    // path needs a raw wiremock mock.
    Mock::given(any())
        .respond_with(json_value(200, &json!({"conversation": conversation_json("c1")})))
        .expect(1)
        .mount(mock.server())
        .await;
    let client = Client::builder(Server::Custom(format!("{}/sc/", mock.uri())))
        .configure_http(|http| http.no_proxy())
        .build()
        .unwrap();
    client.get_conversation("my app/1", "c 1").send().await.unwrap();
    assert_eq!(lines(&mock).await, ["GET /sc/v2/apps/my%20app%2F1/conversations/c%201"]);
}

#[tokio::test]
async fn dot_and_empty_path_segments_are_rejected_before_sending() {
    let (server, client) = nothing_expected().await;
    for id in ["..", ".", ""] {
        let error = invalid(client.get_conversation(APP, id).send().await);
        assert_eq!(error.path, "conversationId", "{id:?}");
        assert!(error.rule.contains("path segment"), "{id:?}: {}", error.rule);

        let error = invalid(client.get_conversation(id, "c1").send().await);
        assert_eq!(error.path, "appId", "{id:?}");

        let error = invalid(client.delete_conversation(APP, id).send().await);
        assert_eq!(error.path, "conversationId", "{id:?}");
        let error =
            invalid(client.update_conversation(APP, id, ConversationUpdateBody::new().display_name("x")).send().await);
        assert_eq!(error.path, "conversationId", "{id:?}");
    }
    assert_nothing_sent(&server);
}

// ---- 2. deepObject query ----------------------------------------------------

#[tokio::test]
async fn list_query_is_deep_object_and_byte_exact() {
    let mock = MockApi::start().await;
    mock.list_conversations().times(4).respond(&ConversationListResponse::new().conversations(Vec::new())).await;
    let client = client(&mock);
    let after = cursor(1);

    client
        .list_conversations(APP, ConversationListFilter::new().user_id("abc"))
        .page(Page::new().after(after.clone()).size(10))
        .send()
        .await
        .unwrap();
    // Only the filter.
    client.list_conversations(APP, ConversationListFilter::new().user_external_id("ext-9")).send().await.unwrap();
    // Reserved characters in values; 24 characters so that validation passes.
    let odd_cursor = "a b&c=d+e/f?g#h%i[j]é__x";
    assert_eq!(odd_cursor.chars().count(), 24);
    client
        .list_conversations(APP, ConversationListFilter::new().user_id("a b&c=d+e"))
        .page(Page::new().before(odd_cursor).size(1))
        .send()
        .await
        .unwrap();
    // Both filter members: sorted by name.
    client
        .list_conversations(APP, ConversationListFilter::new().user_id("u").user_external_id("x"))
        .send()
        .await
        .unwrap();

    let recorded = requests(&mock).await;
    let targets: Vec<String> = recorded.iter().map(target).collect();
    assert_eq!(
        targets,
        [
            format!("/v2/apps/app/conversations?filter[userId]=abc&page[after]={after}&page[size]=10"),
            "/v2/apps/app/conversations?filter[userExternalId]=ext-9".to_owned(),
            "/v2/apps/app/conversations?filter[userId]=a%20b%26c%3Dd%2Be&page[before]=a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25i%5Bj%5D%C3%A9__x&page[size]=1".to_owned(),
            "/v2/apps/app/conversations?filter[userExternalId]=x&filter[userId]=u".to_owned(),
        ]
    );
    for request in &recorded {
        assert_eq!(request.method, Method::GET);
        assert_no_body(request);
    }
    // Decoded by the mock, the values are the ones given.
    let calls = mock.received::<testing::ListConversations>().await;
    let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    };
    assert_eq!(calls.len(), 4);
    assert_eq!(
        calls[2].query,
        pairs(&[("filter[userId]", "a b&c=d+e"), ("page[before]", odd_cursor), ("page[size]", "1")])
    );
}

// ---- 3. tri-state null ------------------------------------------------------

#[tokio::test]
async fn update_body_distinguishes_absent_null_and_value() {
    let mock = MockApi::start().await;
    mock.update_conversation().path_params(&[APP, "c1"]).times(6).respond(&found("c1")).await;
    let client = client(&mock);

    let bodies = [
        ConversationUpdateBody::new().clear_display_name(),
        ConversationUpdateBody::new().description("only the description"),
        ConversationUpdateBody::new().display_name("New name"),
        ConversationUpdateBody::new().clear_metadata(),
        ConversationUpdateBody::new().metadata(sunshine_conversations::object!({"a": 1})).clear_icon_url(),
        ConversationUpdateBody::new(),
    ];
    for body in bodies.clone() {
        client.update_conversation(APP, "c1", body).send().await.unwrap();
    }
    let requests = requests(&mock).await;
    assert_eq!(requests.len(), 6);
    for request in &requests {
        assert_eq!(line(request), "PATCH /v2/apps/app/conversations/c1");
        assert_eq!(header(request, "content-type"), Some("application/json"));
    }

    // Cleared: the key is present with `null`.
    assert_eq!(body_json(&requests[0]), json!({"displayName": null}));
    assert_eq!(requests[0].body, br#"{"displayName":null}"#);

    // Left alone: the key is absent, not `null`.
    assert_eq!(body_json(&requests[1]), json!({"description": "only the description"}));
    assert!(body_json(&requests[1]).get("displayName").is_none());
    assert!(!body_text(&requests[1]).contains("displayName"), "{}", body_text(&requests[1]));

    // Set.
    assert_eq!(body_json(&requests[2]), json!({"displayName": "New name"}));

    // Metadata cleared.
    assert_eq!(body_json(&requests[3]), json!({"metadata": null}));
    assert_eq!(requests[3].body, br#"{"metadata":null}"#);

    assert_eq!(body_json(&requests[4]), json!({"metadata": {"a": 1}, "iconUrl": null}));

    // Nothing set: an empty object, not an empty body.
    assert_eq!(requests[5].body, b"{}");

    // Read back typed, each body is the one sent: absent, null and value survive
    // the round trip.
    let received: Vec<Option<ConversationUpdateBody>> =
        mock.received::<testing::UpdateConversation>().await.into_iter().map(|call| call.body).collect();
    let sent: Vec<Option<ConversationUpdateBody>> = bodies.into_iter().map(Some).collect();
    assert_eq!(received, sent);
}

// ---- 4. headers -------------------------------------------------------------

#[tokio::test]
async fn json_requests_carry_json_headers_and_the_user_agent() {
    let mock = MockApi::start().await;
    mock.create_conversation()
        .path_params(&[APP])
        .body(&ConversationCreateBody::new(ConversationType::Personal))
        .times(1)
        .respond(&found("c9"))
        .await;
    let client = client(&mock);
    let response =
        client.create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let recorded = requests(&mock).await;
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert_eq!(line(request), "POST /v2/apps/app/conversations");
    assert_eq!(header_values(request, "content-type"), ["application/json"]);
    assert_eq!(header_values(request, "accept"), ["application/json"]);
    let user_agent = format!("sunshine-conversations/{}", generated_version());
    assert_eq!(header_values(request, "user-agent"), [user_agent.as_str()]);
    assert_eq!(header(request, "authorization"), None, "no auth configured");
    assert_eq!(header(request, "content-length"), Some(request.body.len().to_string().as_str()));
    assert_eq!(header(request, "transfer-encoding"), None, "not chunked");
    assert_eq!(request.body, br#"{"type":"personal"}"#);
}

#[tokio::test]
async fn get_and_delete_send_no_body_and_no_content_type() {
    let mock = MockApi::start().await;
    mock.get_conversation().path_params(&[APP, "c1"]).times(1).respond(&found("c1")).await;
    mock.delete_conversation().path_params(&[APP, "c1"]).times(1).respond(&serde_json::Map::new()).await;
    mock.delete_conversation().path_params(&[APP, "c2"]).times(1).respond_raw(ResponseTemplate::new(204)).await;
    let client = client(&mock);
    client.get_conversation(APP, "c1").send().await.unwrap();
    let deleted = client.delete_conversation(APP, "c1").send().await.unwrap();
    assert!(deleted.body().is_empty());
    let deleted = client.delete_conversation(APP, "c2").send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    assert_eq!(
        lines(&mock).await,
        [
            "GET /v2/apps/app/conversations/c1",
            "DELETE /v2/apps/app/conversations/c1",
            "DELETE /v2/apps/app/conversations/c2",
        ]
    );
    for request in &requests(&mock).await {
        assert_no_body(request);
        assert_eq!(header_values(request, "accept"), ["application/json"]);
    }
}

/// No generated operation sends a POST without a body; `send_raw` can, and then
/// says `Content-Length: 0` (some proxies answer a POST without a length with
/// 411).
#[tokio::test]
async fn a_bodiless_post_says_content_length_zero() {
    let mock = MockApi::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/apps/app/conversations/c1/join"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(mock.server())
        .await;
    let response = client(&mock)
        .send_raw(Method::POST, "/v2/apps/app/conversations/c1/join", None, CallOptions::new())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.body(), &Value::Null);
    let recorded = requests(&mock).await;
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].body.is_empty());
    assert_eq!(header_values(&recorded[0], "content-length"), ["0"]);
    assert_eq!(header(&recorded[0], "content-type"), None);
    assert_eq!(header(&recorded[0], "transfer-encoding"), None);
}

#[tokio::test]
async fn basic_and_bearer_authorization_headers() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(2).respond(&found("c1")).await;
    mock.update_conversation().times(1).respond(&found("c1")).await;
    let basic = builder(&mock).basic_auth("app_5f1b", "basic-s3cret-value").build().unwrap();
    let bearer = builder(&mock).bearer_auth("bearer-t0ken-value").build().unwrap();
    basic.get_conversation(APP, "c1").send().await.unwrap();
    bearer.get_conversation(APP, "c1").send().await.unwrap();
    basic.update_conversation(APP, "c1", ConversationUpdateBody::new().display_name("x")).send().await.unwrap();

    let requests = requests(&mock).await;
    // `printf 'app_5f1b:basic-s3cret-value' | base64`
    let expected_basic = "Basic YXBwXzVmMWI6YmFzaWMtczNjcmV0LXZhbHVl";
    assert_eq!(header_values(&requests[0], "authorization"), [expected_basic]);
    assert_eq!(header_values(&requests[1], "authorization"), ["Bearer bearer-t0ken-value"]);
    assert_eq!(header_values(&requests[2], "authorization"), [expected_basic]);
}

// ---- 5. error decoding by status --------------------------------------------

#[tokio::test]
async fn not_found_decodes_the_typed_error_body_and_keeps_headers() {
    let mock = MockApi::start().await;
    mock.get_conversation()
        .path_params(&[APP, "missing"])
        .times(1)
        .respond_raw(error_reply(404, "conversation_not_found").insert_header("x-request-id", "req-404-abc"))
        .await;
    let error = client(&mock).get_conversation(APP, "missing").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()["x-request-id"], "req-404-abc");
    let typed = api.typed().expect("a typed errorResponse");
    let errors = typed.errors.as_ref().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code.as_deref(), Some("conversation_not_found"));
    assert_eq!(errors[0].title.as_deref(), Some("title of conversation_not_found"));
    assert!(api.raw().is_none());
    assert!(matches!(api.body(), ApiErrorBody::Typed(_)));
    let text = error.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("conversation_not_found"), "{text}");
    assert_eq!(requests(&mock).await.len(), 1);
}

#[tokio::test]
async fn typed_failures_from_the_mock_decode_as_the_typed_error() {
    // `Expect::fail`: the typed error body, as a caller's own tests would set it.
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).fail(409, &error_body("conflict")).await;
    let error = client(&mock).get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(error.typed(), Some(&error_body("conflict")));
}

#[tokio::test]
async fn bad_request_decodes_the_typed_error_body() {
    let mock = MockApi::start().await;
    mock.create_conversation()
        .times(1)
        .respond_raw(
            json_value(
                400,
                &json!({"errors": [
                    {"code": "bad_request", "title": "participants is invalid"},
                    {"code": "second_error"}
                ]}),
            )
            .insert_header("x-request-id", "req-400"),
        )
        .await;
    let error = client(&mock)
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::SdkGroup))
        .send()
        .await
        .unwrap_err();
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::BAD_REQUEST);
    assert_eq!(api.headers()["x-request-id"], "req-400");
    let errors = error.typed().unwrap().errors.clone().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].code.as_deref(), Some("bad_request"));
    assert_eq!(errors[0].title.as_deref(), Some("participants is invalid"));
    assert_eq!(errors[1].code.as_deref(), Some("second_error"));
    assert_eq!(errors[1].title, None);
}

#[tokio::test]
async fn html_bad_gateway_is_kept_raw() {
    let html = "<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center></body></html>\n";
    let mock = MockApi::start().await;
    mock.get_conversation()
        .times(1)
        .respond_raw(
            ResponseTemplate::new(502)
                .set_body_raw(html.as_bytes().to_vec(), "text/html")
                .insert_header("x-request-id", "edge-1"),
        )
        .await;
    let error = client(&mock).get_conversation(APP, "c1").send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(api.body(), &ApiErrorBody::Raw(html.to_owned()));
    assert_eq!(api.raw(), Some(html));
    assert!(api.typed().is_none());
    assert_eq!(api.headers()["x-request-id"], "edge-1");
    assert_eq!(api.headers()["content-type"], "text/html");
}

#[tokio::test]
async fn invalid_json_in_a_success_response_is_a_decode_error() {
    let long_garbage = format!("{{\"conversation\": {}", "x".repeat(2000));
    let mock = MockApi::start().await;
    for body in ["{\"conversation\": {\"id\": ", r#"{"conversation": "not an object"}"#, long_garbage.as_str()] {
        mock.get_conversation().times(1).respond_raw(json_text(200, body)).await;
    }
    let client = client(&mock);

    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    let Error::Decode { status, snippet, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(*status, StatusCode::OK);
    assert_eq!(snippet, "{\"conversation\": {\"id\": ");
    assert_eq!(error.status(), Some(StatusCode::OK));

    // Valid JSON of the wrong shape.
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    let Error::Decode { snippet, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(snippet, r#"{"conversation": "not an object"}"#);

    // The snippet is a bounded prefix of the body.
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    let Error::Decode { snippet, .. } = &error else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert!(snippet.len() <= 512, "{}", snippet.len());
    assert!(long_garbage.starts_with(snippet.as_str()));
    assert!(snippet.starts_with("{\"conversation\": xxx"));
}

/// A JSON error body that is not an `errorResponse` (e.g. from a proxy or a
/// gateway) must not be silently reduced to `ErrorResponse { errors: None }`:
/// what the server said has to be recoverable from the error.
#[tokio::test]
async fn foreign_json_error_bodies_are_not_lost() {
    let body = r#"{"message":"upstream connect error or disconnect/reset before headers"}"#;
    let mock = MockApi::start().await;
    mock.create_conversation().times(1).respond_raw(json_text(503, body)).await;
    let error = client(&mock)
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal))
        .send()
        .await
        .unwrap_err();
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.text(), body, "the body text is kept whether or not it parsed");
    let shown = format!("{error:?}");
    assert!(shown.contains("upstream connect error"), "Debug shows the body text: {shown}");
}

// ---- 6. unknown enum values -------------------------------------------------

#[tokio::test]
async fn unknown_enum_values_are_kept_and_sent_back() {
    let mut conversation = conversation_json("c1");
    conversation["type"] = json!("brandNew");
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).respond_raw(json_value(200, &json!({"conversation": conversation}))).await;
    mock.create_conversation().times(1).respond(&found("c2")).await;
    let client = client(&mock);
    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    let conversation = response.conversation.clone().unwrap();
    let kind = conversation.type_.clone().unwrap();
    assert_eq!(kind, ConversationType::Other("brandNew".to_owned()));
    assert_eq!(kind.as_str(), "brandNew");
    assert_eq!(kind.to_string(), "brandNew");
    let reserialized = serde_json::to_value(&conversation).unwrap();
    assert_eq!(reserialized["type"], "brandNew");
    assert_eq!(serde_json::to_string(&kind).unwrap(), r#""brandNew""#);

    // Known values still map to their variants.
    let known: ConversationType = serde_json::from_value(json!("sdkGroup")).unwrap();
    assert_eq!(known, ConversationType::SdkGroup);

    // And an unknown value goes back on the wire unchanged.
    client.create_conversation(APP, ConversationCreateBody::new(kind.clone())).send().await.unwrap();
    let created = mock.received::<testing::CreateConversation>().await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].raw_body, br#"{"type":"brandNew"}"#);
    assert_eq!(created[0].body, Some(ConversationCreateBody::new(kind)));
}

// ---- 7. unknown response fields ---------------------------------------------

#[tokio::test]
async fn unknown_response_fields_are_ignored_at_every_level() {
    let future = json!({"nested": [1, {"deep": true}], "s": "x"});
    let mut conversation = conversation_json("c1");
    conversation["futureField"] = future.clone();
    conversation["activeSwitchboardIntegration"] = json!({
        "id": "sw1",
        "name": "bot",
        "integrationId": "int1",
        "integrationType": "zd:agentWorkspace",
        "futureField": future.clone()
    });
    let mock = MockApi::start().await;
    mock.get_conversation()
        .times(1)
        .respond_raw(json_value(200, &json!({"conversation": conversation, "futureField": future.clone()})))
        .await;
    mock.list_conversations()
        .times(1)
        .respond_raw(json_value(
            200,
            &json!({
                "conversations": [conversation],
                "meta": {"hasMore": false, "futureField": future.clone()},
                "links": {"next": null, "futureField": 1},
                "futureField": future.clone()
            }),
        ))
        .await;
    mock.get_conversation()
        .times(1)
        .respond_raw(json_value(
            404,
            &json!({
                "errors": [{"code": "not_found", "title": "t", "futureField": future.clone()}],
                "futureField": future
            }),
        ))
        .await;
    let client = client(&mock);

    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    let conversation = response.conversation.as_ref().unwrap();
    assert_eq!(conversation.id.as_deref(), Some("c1"));
    assert_eq!(conversation.type_, Some(ConversationType::Personal));
    assert_eq!(conversation.display_name.as_deref(), Some("Conversation c1"));
    assert_eq!(conversation.is_default, Some(true));
    let switchboard = conversation.active_switchboard_integration.as_ref().unwrap();
    assert_eq!(switchboard.id.as_deref(), Some("sw1"));
    assert_eq!(switchboard.integration_id.as_deref(), Some("int1"));
    assert_eq!(switchboard.integration_type.as_deref(), Some("zd:agentWorkspace"));

    let list = client.list_conversations(APP, ConversationListFilter::new().user_id("u")).send().await.unwrap();
    assert_eq!(list.conversations.as_ref().unwrap().len(), 1);
    assert_eq!(list.meta.as_ref().unwrap().has_more, Some(false));
    assert_eq!(list.links.as_ref().unwrap().next, None);

    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    let errors = error.typed().expect("typed").errors.clone().unwrap();
    assert_eq!(errors[0].code.as_deref(), Some("not_found"));
}

/// One message's free-form `metadata` holding what `serde_json` cannot (a lone
/// surrogate, a number out of range) no longer sinks the page: that member is left
/// unset and kept aside in the message's `extra`, as received, and written back on
/// encode; the other messages are untouched. A typed field holding such a value still
/// fails the page.
#[tokio::test]
async fn an_unholdable_free_form_value_stays_aside_and_the_page_decodes() {
    let page = r#"{"messages":[
        {"id":"m1","metadata":{"lang":"en"}},
        {"id":"m2","metadata":{"lang":"\ud800"}},
        {"id":"m3","metadata":{"n":1e999},"author":{"type":"user"}}
    ],"meta":{"hasMore":false}}"#;
    let raw = |status: u16, body: &str| {
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
    };
    let mock = MockApi::start().await;
    mock.list_messages().times(2).respond_raw(raw(200, page)).await;
    let client = client(&mock);

    let response = client.list_messages(APP, "c1").send().await.expect("the page decodes");
    let messages = response.messages.as_deref().unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0].metadata.as_ref().unwrap()["lang"], "en");
    assert!(messages[0].extra.aside().is_empty());
    for (message, kept) in [(&messages[1], r#"{"lang":"\ud800"}"#), (&messages[2], r#"{"n":1e999}"#)] {
        assert_eq!(message.metadata, None, "left unset");
        let [aside] = message.extra.aside() else { panic!("{:?}", message.extra) };
        assert_eq!((aside.name(), aside.raw()), ("metadata", kept));
        assert!(!aside.error().is_empty());
        let written = serde_json::to_string(message).unwrap();
        assert!(written.ends_with(&format!(r#""metadata":{kept}}}"#)), "written back as received: {written}");
    }
    assert!(messages[2].author.is_some(), "the rest of the message decodes");
    // The stream likewise.
    let ids: Vec<String> =
        client.list_messages(APP, "c1").into_stream().map(|m| m.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["m3", "m2", "m1"]);

    // A typed field is not free-form: the page fails, as before.
    let typed = r#"{"messages":[{"id":"m1"},{"id":"m2","received":"\ud800"}]}"#;
    let mock = MockApi::start().await;
    mock.list_messages().times(1).respond_raw(raw(200, typed)).await;
    let error = self::client(&mock).list_messages(APP, "c1").send().await.unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

// ---- 8. nulls and absent fields in responses --------------------------------

#[tokio::test]
async fn nulls_and_absent_fields_in_responses_decode() {
    let mock = MockApi::start().await;
    mock.get_conversation()
        .path_params(&[APP, "c1"])
        .times(1)
        .respond_raw(json_value(
            200,
            &json!({"conversation": {
                "id": "c1",
                "type": null,
                "displayName": null,
                "description": null,
                "metadata": null,
                "activeSwitchboardIntegration": null,
                "pendingSwitchboardIntegration": null,
                "isDefault": null
            }}),
        ))
        .await;
    mock.get_conversation()
        .path_params(&[APP, "c2"])
        .times(1)
        .respond_raw(json_value(200, &json!({"conversation": {"id": "c2"}})))
        .await;
    mock.get_conversation().path_params(&[APP, "c3"]).times(1).respond_raw(json_value(200, &json!({}))).await;
    mock.list_conversations()
        .times(1)
        .respond_raw(json_value(200, &json!({"conversations": null, "meta": null, "links": null})))
        .await;
    let client = client(&mock);

    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    let conversation = response.conversation.as_ref().unwrap();
    assert_eq!(conversation.id.as_deref(), Some("c1"));
    assert_eq!(conversation.type_, None);
    assert_eq!(conversation.display_name, None);
    assert_eq!(conversation.metadata, None);
    assert_eq!(conversation.active_switchboard_integration, None);
    assert_eq!(conversation.pending_switchboard_integration, None);

    let response = client.get_conversation(APP, "c2").send().await.unwrap();
    assert_eq!(response.body(), &ConversationResponse::new().conversation(Conversation::new().id("c2")));

    let response = client.get_conversation(APP, "c3").send().await.unwrap();
    assert_eq!(response.conversation, None);

    let list = client.list_conversations(APP, ConversationListFilter::new().user_id("u")).send().await.unwrap();
    assert_eq!(list.body(), &ConversationListResponse::new());
}

// ---- 9. client-side validation ----------------------------------------------

#[tokio::test]
async fn invalid_requests_are_rejected_before_sending() {
    let (server, client) = nothing_expected().await;

    let error = invalid(
        client.update_conversation(APP, "c1", ConversationUpdateBody::new().display_name("x".repeat(101))).send().await,
    );
    assert_eq!(error.path, "body.displayName");
    assert_eq!(error.rule, "maxLength 100, got 101 characters");

    let error =
        invalid(client.update_conversation(APP, "c1", ConversationUpdateBody::new().display_name("")).send().await);
    assert_eq!(error.path, "body.displayName");
    assert_eq!(error.rule, "minLength 1, got 0 characters");

    let error = invalid(
        client
            .create_conversation(
                APP,
                ConversationCreateBody::new(ConversationType::Personal).display_name("y".repeat(101)),
            )
            .send()
            .await,
    );
    assert_eq!(error.path, "body.displayName");

    let participants: Vec<ParticipantSubSchema> =
        (0..11).map(|i| ParticipantSubSchema::from(ParticipantWithUserId::new().user_id(format!("user{i}")))).collect();
    let error = invalid(
        client
            .create_conversation(
                APP,
                ConversationCreateBody::new(ConversationType::SdkGroup).participants(participants),
            )
            .send()
            .await,
    );
    assert_eq!(error.path, "body.participants");
    assert_eq!(error.rule, "maxItems 10, got 11 items");

    let filter = || ConversationListFilter::new().user_id("u");
    for (page, path, rule) in [
        (Page::new().size(0), "page.size", "minimum 1, got 0"),
        (Page::new().size(101), "page.size", "maximum 100, got 101"),
        // A negative size cannot be written: `size` is a `u8` (its schema bounds it to 1..=100).
        (Page::new().size(u8::MAX), "page.size", "maximum 100, got 255"),
        (Page::new().after("a".repeat(23)), "page.after", "minLength 24, got 23 characters"),
        (Page::new().after("a".repeat(25)), "page.after", "maxLength 24, got 25 characters"),
        (Page::new().before("b".repeat(23)), "page.before", "minLength 24, got 23 characters"),
    ] {
        let error = invalid(client.list_conversations(APP, filter()).page(page.clone()).send().await);
        assert_eq!((error.path.as_str(), error.rule.as_str()), (path, rule), "{page:?}");
        // The error's text names the field and the rule.
        let text = Error::<ErrorResponse>::InvalidRequest(error).to_string();
        assert!(text.contains(path) && text.contains(rule), "{text}");
    }

    // Pagination validates too, before the first request.
    let mut stream = std::pin::pin!(client.list_conversations(APP, filter()).page(Page::new().size(0)).into_stream());
    let first = stream.next().await.expect("one item: the error");
    assert_eq!(invalid(first.map(|_| ())).path, "page.size");
    assert!(stream.next().await.is_none());

    assert_nothing_sent(&server);
}

#[tokio::test]
async fn values_at_the_limits_are_sent() {
    let mock = MockApi::start().await;
    mock.update_conversation().times(1).respond(&found("c1")).await;
    mock.create_conversation().times(1).respond(&found("c1")).await;
    mock.list_conversations().times(2).respond(&ConversationListResponse::new().conversations(Vec::new())).await;
    let client = client(&mock);
    // 100 characters (200 bytes): the limit counts characters.
    let name = "é".repeat(100);
    client
        .update_conversation(APP, "c1", ConversationUpdateBody::new().display_name(name.clone()))
        .send()
        .await
        .unwrap();
    let participants: Vec<ParticipantSubSchema> =
        (0..10).map(|i| ParticipantSubSchema::from(ParticipantWithUserId::new().user_id(format!("user{i}")))).collect();
    client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::SdkGroup).participants(participants))
        .send()
        .await
        .unwrap();
    for size in [1, 100] {
        client
            .list_conversations(APP, ConversationListFilter::new().user_id("u"))
            .page(Page::new().size(size))
            .send()
            .await
            .unwrap();
    }
    let requests = requests(&mock).await;
    assert_eq!(requests.len(), 4);
    assert_eq!(body_json(&requests[0])["displayName"], name.as_str());
    assert_eq!(body_json(&requests[1])["participants"].as_array().unwrap().len(), 10);
    assert_eq!(requests[2].url.query(), Some("filter[userId]=u&page[size]=1"));
    assert_eq!(requests[3].url.query(), Some("filter[userId]=u&page[size]=100"));
}

// ---- 10. the anyOf participant union ----------------------------------------

#[tokio::test]
async fn participant_union_serializes_only_its_branch() {
    let mock = MockApi::start().await;
    mock.create_conversation().times(1).respond(&found("c1")).await;
    let client = client(&mock);
    let body = ConversationCreateBody::new(ConversationType::SdkGroup)
        .participants(vec![
            ParticipantWithUserExternalId::new().user_external_id("ext-1").subscribe_sdk_client(true).into(),
            ParticipantWithUserId::new().user_id("u2").into(),
        ])
        .display_name("Group");
    client.create_conversation(APP, body.clone()).send().await.unwrap();
    let recorded = requests(&mock).await;
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert_eq!(
        body_json(request),
        json!({
            "type": "sdkGroup",
            "participants": [
                {"userExternalId": "ext-1", "subscribeSDKClient": true},
                {"userId": "u2"}
            ],
            "displayName": "Group"
        })
    );
    let text = body_text(request);
    assert_eq!(text.matches("userId").count(), 1, "{text}");
    assert!(!text.contains("null"), "{text}");
    // Read back typed, each participant lands in its branch again.
    let created = mock.received::<testing::CreateConversation>().await;
    assert_eq!(created[0].body.as_ref(), Some(&body));
}

#[test]
fn participant_union_decodes_into_the_matching_branch() {
    let external: ParticipantSubSchema =
        serde_json::from_value(json!({"userExternalId": "ext-1", "subscribeSDKClient": false})).unwrap();
    let ParticipantSubSchema::ParticipantWithUserExternalId(branch) = &external else {
        panic!("expected the userExternalId branch, got {external:?}");
    };
    assert_eq!(branch.user_external_id.as_deref(), Some("ext-1"));
    assert_eq!(branch.subscribe_sdk_client, Some(false));
    assert_eq!(
        serde_json::to_value(&external).unwrap(),
        json!({"userExternalId": "ext-1", "subscribeSDKClient": false})
    );

    let by_id: ParticipantSubSchema = serde_json::from_value(json!({"userId": "u1"})).unwrap();
    let ParticipantSubSchema::ParticipantWithUserId(branch) = &by_id else {
        panic!("expected the userId branch, got {by_id:?}");
    };
    assert_eq!(branch.user_id.as_deref(), Some("u1"));

    let only_external: ParticipantSubSchema = serde_json::from_value(json!({"userExternalId": "ext-2"})).unwrap();
    assert!(matches!(only_external, ParticipantSubSchema::ParticipantWithUserExternalId(_)), "{only_external:?}");

    // Matching neither branch exactly: kept whole, sent back unchanged.
    let both = json!({"userId": "u1", "userExternalId": "ext-1"});
    let other: ParticipantSubSchema = serde_json::from_value(both.clone()).unwrap();
    assert_eq!(other, ParticipantSubSchema::Other(sunshine_conversations::Unknown::new(both.clone())));
    assert_eq!(serde_json::to_value(&other).unwrap(), both);

    // Inside a whole body.
    let body: ConversationCreateBody = serde_json::from_value(json!({
        "type": "sdkGroup",
        "participants": [{"userExternalId": "e"}, {"userId": "u"}]
    }))
    .unwrap();
    let participants = body.participants.as_ref().unwrap();
    assert!(matches!(participants[0], ParticipantSubSchema::ParticipantWithUserExternalId(_)));
    assert!(matches!(participants[1], ParticipantSubSchema::ParticipantWithUserId(_)));
}

// ---- 11. pagination over HTTP -----------------------------------------------

fn page(ids: &[&str], next: Option<&str>) -> ConversationListResponse {
    let meta = match next {
        Some(cursor) => Meta::new().has_more(true).after_cursor(cursor),
        None => Meta::new().has_more(false),
    };
    ConversationListResponse::new().conversations(ids.iter().map(|id| conversation(id)).collect::<Vec<_>>()).meta(meta)
}

/// Answers the first page (a request without `page[after]`) `times` times.
async fn first_page(mock: &MockApi, body: &ConversationListResponse, times: u64) {
    // `Expect` cannot say "this query parameter is absent": a raw wiremock mock.
    Mock::given(method("GET"))
        .and(path("/v2/apps/app/conversations"))
        .and(query_param_is_missing("page[after]"))
        .respond_with(json_text(200, &serde_json::to_string(body).unwrap()))
        .up_to_n_times(times)
        .expect(times)
        .mount(mock.server())
        .await;
}

fn ids(items: &[ApiResult<Conversation>]) -> Vec<String> {
    items.iter().map(|item| item.as_ref().unwrap().id.clone().unwrap()).collect()
}

#[tokio::test]
async fn into_stream_walks_every_page_in_order() {
    let mock = MockApi::start().await;
    // By `page[after]`: none → page 1, `cursor(1)` → page 2, `cursor(2)` → page 3;
    // anything else finds no expectation (404).
    first_page(&mock, &page(&["c1", "c2"], Some(&cursor(1))), 1).await;
    mock.list_conversations()
        .query("page[after]", cursor(1))
        .times(1)
        .respond(&page(&["c3", "c4"], Some(&cursor(2))))
        .await;
    mock.list_conversations().query("page[after]", cursor(2)).times(1).respond(&page(&["c5"], None)).await;
    let client = client(&mock);
    let stream = client
        .list_conversations(APP, ConversationListFilter::new().user_id("u1"))
        .page(Page::new().size(2))
        .into_stream();
    let mut stream = std::pin::pin!(stream);

    // Lazy: nothing is fetched before the stream is polled, and one page at a
    // time.
    tokio::task::yield_now().await;
    assert_eq!(requests(&mock).await.len(), 0);
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("c1"));
    assert_eq!(requests(&mock).await.len(), 1);

    let mut rest = Vec::new();
    while let Some(item) = stream.next().await {
        rest.push(item);
    }
    assert_eq!(ids(&rest), ["c2", "c3", "c4", "c5"]);

    let targets: Vec<String> = requests(&mock).await.iter().map(target).collect();
    let base = "/v2/apps/app/conversations?filter[userId]=u1";
    assert_eq!(
        targets,
        [
            format!("{base}&page[size]=2"),
            format!("{base}&page[after]={}&page[size]=2", cursor(1)),
            format!("{base}&page[after]={}&page[size]=2", cursor(2)),
        ]
    );
}

#[tokio::test]
async fn into_stream_stops_after_an_error_on_page_two() {
    let mock = MockApi::start().await;
    first_page(&mock, &page(&["c1", "c2"], Some(&cursor(1))), 1).await;
    mock.list_conversations()
        .query("page[after]", cursor(1))
        .times(1)
        .respond_raw(error_reply(500, "internal_error").insert_header("x-request-id", "page-2"))
        .await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();
    let items: Vec<ApiResult<Conversation>> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(ids(&items[..2]), ["c1", "c2"]);
    let error = items[2].as_ref().unwrap_err();
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.headers()["x-request-id"], "page-2");
    assert_eq!(error.typed().unwrap().errors.as_ref().unwrap()[0].code.as_deref(), Some("internal_error"));
    assert_eq!(requests(&mock).await.len(), 2, "no request after the error");
}

#[tokio::test]
async fn into_stream_follows_has_more_not_just_the_cursor() {
    // `afterCursor` without `hasMore: true`: the last page.
    let mock = MockApi::start().await;
    mock.list_conversations()
        .times(1)
        .respond_raw(json_value(
            200,
            &json!({
                "conversations": [conversation_json("c1")],
                "meta": {"hasMore": false, "afterCursor": cursor(1)}
            }),
        ))
        .await;
    let client = client(&mock);
    let items: Vec<_> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(ids(&items), ["c1"]);
    assert_eq!(requests(&mock).await.len(), 1);

    // `hasMore: true` without a cursor: nothing to follow.
    let mock = MockApi::start().await;
    mock.list_conversations()
        .times(1)
        .respond_raw(json_value(200, &json!({"conversations": [conversation_json("c1")], "meta": {"hasMore": true}})))
        .await;
    let client = self::client(&mock);
    let items: Vec<_> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(ids(&items), ["c1"]);
    assert_eq!(requests(&mock).await.len(), 1);
}

// ---- 12. retries ------------------------------------------------------------

#[tokio::test]
async fn too_many_requests_with_retry_after_zero_is_retried() {
    let mock = MockApi::start().await;
    // Mounted in order: each answers once, then the next one matches.
    mock.get_conversation().times(1).rate_limited(Duration::ZERO).await;
    mock.get_conversation().times(1).respond(&found("c1")).await;
    mock.create_conversation().times(1).rate_limited(Duration::ZERO).await;
    mock.create_conversation().times(1).respond(&found("c2")).await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();

    let started = Instant::now();
    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(response.conversation.as_ref().unwrap().id.as_deref(), Some("c1"));
    assert_eq!(requests(&mock).await.len(), 2);

    // 429 is retried for POST too, with the same body.
    let response = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal).display_name("n"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());

    let requests = requests(&mock).await;
    assert_eq!(requests.len(), 4);
    assert_eq!(line(&requests[0]), line(&requests[1]));
    assert_eq!(requests[2].method, Method::POST);
    assert_eq!(requests[2].body, requests[3].body);
    assert_eq!(requests[3].body, br#"{"type":"personal","displayName":"n"}"#);
}

#[tokio::test]
async fn service_unavailable_is_retried_for_get_only() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).fail(503, &error_body("unavailable")).await;
    mock.get_conversation().times(1).respond(&found("c1")).await;
    mock.create_conversation()
        .times(1)
        .respond_raw(error_reply(503, "unavailable").insert_header("x-request-id", "post-503"))
        .await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();

    client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(requests(&mock).await.len(), 2);

    let error = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.api_error().unwrap().headers()["x-request-id"], "post-503");
    assert_eq!(requests(&mock).await.len(), 3, "the POST is sent exactly once: {:?}", lines(&mock).await);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let mock = MockApi::start().await;
    for code in ["first", "second", "third"] {
        mock.get_conversation().times(1).fail(503, &error_body(code)).await;
    }
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.typed().unwrap().errors.as_ref().unwrap()[0].code.as_deref(), Some("third"));
    assert_eq!(requests(&mock).await.len(), 3);

    // Not-retryable statuses are not retried.
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).fail(500, &error_body("boom")).await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(requests(&mock).await.len(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_time_budget_is_not_waited_for() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).rate_limited(Duration::from_secs(3600)).await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.headers()["retry-after"], "3600");
    assert_eq!(requests(&mock).await.len(), 1);
}

#[tokio::test]
async fn dropped_connections_are_retried_for_get_only() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).drop_connection().await;
    mock.get_conversation().times(1).respond(&found("c1")).await;
    mock.create_conversation().times(1).drop_connection().await;
    let client = builder(&mock).retry_policy(fast_retries()).build().unwrap();

    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(response.conversation.as_ref().unwrap().id.as_deref(), Some("c1"));
    assert_eq!(requests(&mock).await.len(), 2);

    let error = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(requests(&mock).await.len(), 3, "{:?}", lines(&mock).await);
}

// ---- 13. timeouts -----------------------------------------------------------

#[tokio::test]
async fn per_call_timeout_gives_error_timeout() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).delay(Duration::from_secs(2)).respond(&found("c1")).await;
    let client = client(&mock); // 5 s default
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").timeout(Duration::from_millis(200)).send().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.status(), None);
    let Error::Timeout { elapsed } = error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert_eq!(requests(&mock).await.len(), 1);
}

#[tokio::test]
async fn client_default_timeout_applies_and_per_call_overrides_it() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(2).delay(Duration::from_millis(400)).respond(&found("c1")).await;
    let client = builder(&mock).timeout(Duration::from_millis(150)).build().unwrap();
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "expected Error::Timeout, got {error:?}");
    assert!(started.elapsed() < Duration::from_millis(390), "{:?}", started.elapsed());

    // A longer per-call timeout wins over the client's.
    let response = client.get_conversation(APP, "c1").timeout(Duration::from_secs(3)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(requests(&mock).await.len(), 2);
}

/// The head arrives at once, the body 2 s later: wiremock delays whole
/// responses only, so this runs on the raw server of `client_tests::fault_server`.
#[tokio::test]
async fn the_timeout_covers_reading_the_body() {
    let body = json!({"conversation": conversation_json("c1")}).to_string().into_bytes();
    let length = body.len().to_string();
    let server = FaultServer::always(Fault::Drip {
        head: support::head(200, &[("content-type", "application/json"), ("content-length", &length)]),
        chunk: body.len(),
        body,
        every: Duration::from_secs(2),
    })
    .await;
    let client = fault_client(&server);
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").timeout(Duration::from_millis(200)).send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "expected Error::Timeout, got {error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(server.request_count(), 1);
}

// ---- 14. no secrets in Debug output -----------------------------------------

#[tokio::test]
async fn debug_output_never_contains_credentials() {
    const SECRET: &str = "very-secret-key-value";
    const TOKEN: &str = "very-secret-bearer-token";
    let mock = MockApi::start().await;
    mock.get_conversation()
        .times(1)
        .respond_raw(error_reply(401, "unauthorized").insert_header("x-request-id", "r1"))
        .await;
    mock.get_conversation().times(2).fail(401, &error_body("unauthorized")).await;
    mock.get_conversation()
        .times(1)
        .respond_raw(ResponseTemplate::new(502).set_body_raw(b"<html>bad gateway</html>".to_vec(), "text/html"))
        .await;
    let basic = builder(&mock).basic_auth("app_key_1", SECRET).build().unwrap();
    let bearer = builder(&mock).bearer_auth(TOKEN).build().unwrap();
    let jwt = builder(&mock).jwt_auth("app_key_1", SECRET, JwtScope::App).build().unwrap();

    let mut shown = Vec::new();
    for client in [&basic, &bearer, &jwt] {
        shown.push(format!("{client:?} {client:#?}"));
        let request = client.get_conversation(APP, "c1");
        shown.push(format!("{request:?}"));
        let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
        assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
        shown.push(format!("{error:?} {error:#?} {error}"));
    }
    for builder in [
        builder(&mock).basic_auth("app_key_1", SECRET),
        builder(&mock).bearer_auth(TOKEN),
        builder(&mock).jwt_auth("app_key_1", SECRET, JwtScope::App),
    ] {
        shown.push(format!("{builder:?}"));
    }
    let error = basic.get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
    shown.push(format!("{error:?} {error}"));
    let error = invalid(basic.update_conversation(APP, "..", ConversationUpdateBody::new()).send().await);
    shown.push(format!("{error:?} {error}"));

    // A transport error: nothing listens on this port any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let unreachable = Client::builder(format!("http://{closed}"))
        .configure_http(|http| http.no_proxy())
        .basic_auth("app_key_1", SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let error = unreachable.get_conversation(APP, "c1").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    shown.push(format!("{error:?} {error}"));

    // What the mock received, to know the credentials' wire forms.
    let requests = requests(&mock).await;
    assert_eq!(requests.len(), 4);
    let wire: Vec<String> = requests.iter().take(3).map(|r| header(r, "authorization").unwrap().to_owned()).collect();
    let basic_value = wire[0].strip_prefix("Basic ").unwrap().to_owned();
    let jwt_value = wire[2].strip_prefix("Bearer ").unwrap().to_owned();
    assert_eq!(wire[1], format!("Bearer {TOKEN}"));
    let jwt_signature = jwt_value.rsplit('.').next().unwrap().to_owned();

    for text in &shown {
        for needle in [SECRET, TOKEN, &basic_value, &jwt_value, &jwt_signature] {
            assert!(!text.contains(needle), "{needle:?} shown in {text}");
        }
    }
    assert!(shown[0].contains("Client"), "{}", shown[0]);
}

#[tokio::test]
async fn cross_origin_redirects_do_not_forward_credentials() {
    let target = MockApi::start().await;
    target.get_conversation().respond(&found("c1")).await;
    let location = format!("{}/v2/apps/app/conversations/c1", target.uri());
    let origin = MockApi::start().await;
    origin
        .get_conversation()
        .times(1)
        .respond_raw(ResponseTemplate::new(307).insert_header("location", location.as_str()))
        .await;
    let client = builder(&origin).basic_auth("app_key_1", "redirect-secret").build().unwrap();
    let result = client.get_conversation(APP, "c1").send().await;
    let seen = requests(&origin).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(header(&seen[0], "authorization").map(|v| v.starts_with("Basic ")), Some(true));
    // Another origin is never contacted: the caller gets the redirect, typed.
    assert_eq!(requests(&target).await.len(), 0, "the redirect is not followed");
    let error = result.unwrap_err();
    let Error::Redirect { status, location: Some(to), .. } = &error else {
        panic!("expected Error::Redirect, got {error:?}")
    };
    assert_eq!((status.as_u16(), to.as_str()), (307, location.as_str()));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("redirect-secret") && !shown.contains("Basic "), "{shown}");
}

#[test]
fn per_call_authorization_is_not_shown_by_debug() {
    use sunshine_conversations::reqwest::header::{AUTHORIZATION, HeaderValue};
    let client = Client::builder("http://127.0.0.1:9").build().unwrap();
    let options = CallOptions::new().header(AUTHORIZATION, HeaderValue::from_static("Bearer per-call-secret-token"));
    let request = client.get_conversation(APP, "c1").with_options(options.clone());
    let shown = format!("{options:?} {request:?}");
    assert!(!shown.contains("per-call-secret-token"), "{shown}");
}

// ---- 15. the minted JWT -----------------------------------------------------

#[tokio::test]
async fn jwt_auth_sends_a_minted_hs256_token() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(3).respond(&found("c1")).await;
    let app = builder(&mock).jwt_auth("app_5f1b2c3d", "jwt-s3cret", JwtScope::App).build().unwrap();
    let account = builder(&mock).jwt_auth("act_9", "jwt-s3cret", JwtScope::Account).build().unwrap();
    app.get_conversation(APP, "c1").send().await.unwrap();
    app.get_conversation(APP, "c2").send().await.unwrap();
    account.get_conversation(APP, "c1").send().await.unwrap();

    let requests = requests(&mock).await;
    let tokens: Vec<&str> = requests
        .iter()
        .map(|r| {
            let values = header_values(r, "authorization");
            assert_eq!(values.len(), 1, "{values:?}");
            values[0].strip_prefix("Bearer ").expect("a bearer token")
        })
        .collect();
    assert_eq!(tokens[0], tokens[1], "minted once, reused");

    for (token, kid, scope) in [(tokens[0], "app_5f1b2c3d", "app"), (tokens[2], "act_9", "account")] {
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        assert!(
            parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')),
            "unpadded base64url: {token}"
        );
        let header: Value = serde_json::from_slice(&base64url_decode(parts[0])).unwrap();
        let claims: Value = serde_json::from_slice(&base64url_decode(parts[1])).unwrap();
        assert_eq!(header["alg"], "HS256", "{header}");
        assert_eq!(header["kid"], kid, "{header}");
        assert_eq!(header["typ"], "JWT", "{header}");
        assert_eq!(claims["scope"], scope, "{claims}");
        // HMAC-SHA256: a 32-byte signature.
        assert_eq!(base64url_decode(parts[2]).len(), 32);
        assert!(!token.contains("jwt-s3cret"));
    }
}
