//! The generated client (`generated/`, crate `sunshine-conversations`) on the
//! wire: every test drives the public API against an in-process HTTP/1.1
//! server on 127.0.0.1 (see `support/`) and checks the raw requests it sent
//! and how it decoded canned responses.
//!
//! Run with `cargo test -p xtask --test client_wire`.

mod support;

use std::fmt::Debug;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use sunshine_conversations::models::{
    Conversation, ConversationCreateBody, ConversationListFilter, ConversationListResponse, ConversationResponse,
    ConversationType, ConversationUpdateBody, ErrorResponse, Page, ParticipantSubSchema, ParticipantWithUserExternalId,
    ParticipantWithUserId,
};
use sunshine_conversations::reqwest::StatusCode;
use sunshine_conversations::{
    ApiErrorBody, Client, ClientBuilder, Error, JwtScope, RetryPolicy, Server, ValidationError,
};
use support::{Recorded, Reply, TestServer};

// ---- helpers ----------------------------------------------------------------

const APP: &str = "app";

type ApiResult<T> = Result<T, Error<ErrorResponse>>;

/// A builder for the server's URL: no proxy from the environment (the server is
/// on 127.0.0.1), no retries, a 5 s timeout.
fn builder(server: &TestServer) -> ClientBuilder {
    Client::builder(server.base_url())
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
}

fn client(server: &TestServer) -> Client {
    builder(server).build().unwrap()
}

/// Retries with millisecond backoff, so retry tests stay fast.
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

fn conversation_reply(id: &str) -> Reply {
    Reply::json(200, &json!({"conversation": conversation_json(id)}))
}

fn error_reply(status: u16, code: &str) -> Reply {
    Reply::json(status, &json!({"errors": [{"code": code, "title": format!("title of {code}")}]}))
}

/// The version of the generated crate, from its manifest.
fn generated_version() -> &'static str {
    include_str!("../../generated/Cargo.toml")
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

/// The request line, e.g. `GET /x HTTP/1.1`.
fn request_lines(server: &TestServer) -> Vec<String> {
    server.requests().into_iter().map(|r| r.request_line).collect()
}

fn assert_nothing_sent(server: &TestServer) {
    assert_eq!(server.request_count(), 0, "nothing may reach the server: {:?}", request_lines(server));
    assert_eq!(server.connection_count(), 0, "not even a connection");
}

fn assert_no_body(request: &Recorded) {
    assert!(request.body.is_empty(), "{:?}", request.body_text());
    assert_eq!(request.header("content-type"), None, "{}", request.request_line);
    assert_eq!(request.header("transfer-encoding"), None, "{}", request.request_line);
    assert!(matches!(request.header("content-length"), None | Some("0")), "{:?}", request.header("content-length"));
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
    let server = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let client = client(&server);
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
        let response = client.get_conversation(APP, id).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }
    let expected: Vec<String> =
        cases.iter().map(|(_, encoded)| format!("GET /v2/apps/app/conversations/{encoded} HTTP/1.1")).collect();
    assert_eq!(request_lines(&server), expected);
}

#[tokio::test]
async fn app_id_is_encoded_and_base_url_path_is_kept() {
    let server = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let client = Client::builder(Server::Custom(format!("{}/sc/", server.base_url())))
        .configure_http(|http| http.no_proxy())
        .build()
        .unwrap();
    client.get_conversation("my app/1", "c 1").send().await.unwrap();
    assert_eq!(server.single_request().target, "/sc/v2/apps/my%20app%2F1/conversations/c%201");
}

#[tokio::test]
async fn dot_and_empty_path_segments_are_rejected_before_sending() {
    let server = TestServer::start(vec![]).await;
    let client = client(&server);
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
    let server = TestServer::with_handler(|_| Reply::json(200, &json!({"conversations": []}))).await;
    let client = client(&server);
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

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            format!("/v2/apps/app/conversations?filter[userId]=abc&page[after]={after}&page[size]=10"),
            "/v2/apps/app/conversations?filter[userExternalId]=ext-9".to_owned(),
            "/v2/apps/app/conversations?filter[userId]=a%20b%26c%3Dd%2Be&page[before]=a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25i%5Bj%5D%C3%A9__x&page[size]=1".to_owned(),
            "/v2/apps/app/conversations?filter[userExternalId]=x&filter[userId]=u".to_owned(),
        ]
    );
    for request in server.requests() {
        assert_eq!(request.method, "GET");
        assert_no_body(&request);
    }
}

// ---- 3. tri-state null ------------------------------------------------------

#[tokio::test]
async fn update_body_distinguishes_absent_null_and_value() {
    let server = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let client = client(&server);

    let bodies = [
        ConversationUpdateBody::new().clear_display_name(),
        ConversationUpdateBody::new().description("only the description"),
        ConversationUpdateBody::new().display_name("New name"),
        ConversationUpdateBody::new().clear_metadata(),
        ConversationUpdateBody::new().metadata(json!({"a": 1}).as_object().unwrap().clone()).clear_icon_url(),
        ConversationUpdateBody::new(),
    ];
    for body in bodies {
        client.update_conversation(APP, "c1", body).send().await.unwrap();
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 6);
    for request in &requests {
        assert_eq!(request.request_line, "PATCH /v2/apps/app/conversations/c1 HTTP/1.1");
        assert_eq!(request.header("content-type"), Some("application/json"));
    }

    // Cleared: the key is present with `null`.
    assert_eq!(requests[0].body_json(), json!({"displayName": null}));
    assert_eq!(requests[0].body, br#"{"displayName":null}"#);

    // Left alone: the key is absent, not `null`.
    assert_eq!(requests[1].body_json(), json!({"description": "only the description"}));
    assert!(requests[1].body_json().get("displayName").is_none());
    assert!(!requests[1].body_text().contains("displayName"), "{}", requests[1].body_text());

    // Set.
    assert_eq!(requests[2].body_json(), json!({"displayName": "New name"}));

    // Metadata cleared.
    assert_eq!(requests[3].body_json(), json!({"metadata": null}));
    assert_eq!(requests[3].body, br#"{"metadata":null}"#);

    assert_eq!(requests[4].body_json(), json!({"metadata": {"a": 1}, "iconUrl": null}));

    // Nothing set: an empty object, not an empty body.
    assert_eq!(requests[5].body, b"{}");
}

// ---- 4. headers -------------------------------------------------------------

#[tokio::test]
async fn json_requests_carry_json_headers_and_the_user_agent() {
    let server =
        TestServer::with_handler(|_| Reply::json(201, &json!({"conversation": conversation_json("c9")}))).await;
    let client = client(&server);
    let response =
        client.create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let request = server.single_request();
    assert_eq!(request.request_line, "POST /v2/apps/app/conversations HTTP/1.1");
    assert_eq!(request.header_values("content-type"), ["application/json"]);
    assert_eq!(request.header_values("accept"), ["application/json"]);
    let user_agent = format!("sunshine-conversations/{}", generated_version());
    assert_eq!(request.header_values("user-agent"), [user_agent.as_str()]);
    assert_eq!(request.header("authorization"), None, "no auth configured");
    assert_eq!(request.header("content-length"), Some(request.body.len().to_string().as_str()));
    assert!(!request.chunked);
    assert_eq!(request.body, br#"{"type":"personal"}"#);
}

#[tokio::test]
async fn get_and_delete_send_no_body_and_no_content_type() {
    let server = TestServer::start(vec![conversation_reply("c1"), Reply::json(200, &json!({})), Reply::new(204)]).await;
    let client = client(&server);
    client.get_conversation(APP, "c1").send().await.unwrap();
    let deleted = client.delete_conversation(APP, "c1").send().await.unwrap();
    assert!(deleted.body().is_empty());
    let deleted = client.delete_conversation(APP, "c2").send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let requests = server.requests();
    assert_eq!(
        request_lines(&server),
        [
            "GET /v2/apps/app/conversations/c1 HTTP/1.1",
            "DELETE /v2/apps/app/conversations/c1 HTTP/1.1",
            "DELETE /v2/apps/app/conversations/c2 HTTP/1.1",
        ]
    );
    for request in &requests {
        assert_no_body(request);
        assert_eq!(request.header_values("accept"), ["application/json"]);
    }
}

#[tokio::test]
async fn basic_and_bearer_authorization_headers() {
    let server = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let basic = builder(&server).basic_auth("app_5f1b", "basic-s3cret-value").build().unwrap();
    let bearer = builder(&server).bearer_auth("bearer-t0ken-value").build().unwrap();
    basic.get_conversation(APP, "c1").send().await.unwrap();
    bearer.get_conversation(APP, "c1").send().await.unwrap();
    basic.update_conversation(APP, "c1", ConversationUpdateBody::new().display_name("x")).send().await.unwrap();

    let requests = server.requests();
    // `printf 'app_5f1b:basic-s3cret-value' | base64`
    let expected_basic = "Basic YXBwXzVmMWI6YmFzaWMtczNjcmV0LXZhbHVl";
    assert_eq!(requests[0].header_values("authorization"), [expected_basic]);
    assert_eq!(requests[1].header_values("authorization"), ["Bearer bearer-t0ken-value"]);
    assert_eq!(requests[2].header_values("authorization"), [expected_basic]);
}

// ---- 5. error decoding by status --------------------------------------------

#[tokio::test]
async fn not_found_decodes_the_typed_error_body_and_keeps_headers() {
    let server =
        TestServer::start(vec![error_reply(404, "conversation_not_found").header("x-request-id", "req-404-abc")]).await;
    let error = client(&server).get_conversation(APP, "missing").send().await.unwrap_err();
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
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn bad_request_decodes_the_typed_error_body() {
    let server = TestServer::start(vec![
        Reply::json(
            400,
            &json!({"errors": [
                {"code": "bad_request", "title": "participants is invalid"},
                {"code": "second_error"}
            ]}),
        )
        .header("x-request-id", "req-400"),
    ])
    .await;
    let error = client(&server)
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
    let server = TestServer::start(vec![Reply::text(502, "text/html", html).header("x-request-id", "edge-1")]).await;
    let error = client(&server).get_conversation(APP, "c1").send().await.unwrap_err();
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
    let server = TestServer::start(vec![
        Reply::json_text(200, "{\"conversation\": {\"id\": "),
        Reply::json_text(200, r#"{"conversation": "not an object"}"#),
        Reply::json_text(200, &long_garbage),
    ])
    .await;
    let client = client(&server);

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
    let server = TestServer::start(vec![Reply::json_text(503, body)]).await;
    let error = client(&server)
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
    let server = TestServer::start(vec![
        Reply::json(200, &json!({"conversation": conversation})),
        Reply::json(201, &json!({"conversation": conversation_json("c2")})),
    ])
    .await;
    let client = client(&server);
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
    client.create_conversation(APP, ConversationCreateBody::new(kind)).send().await.unwrap();
    assert_eq!(server.requests()[1].body, br#"{"type":"brandNew"}"#);
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
    let server = TestServer::start(vec![
        Reply::json(200, &json!({"conversation": conversation, "futureField": future.clone()})),
        Reply::json(
            200,
            &json!({
                "conversations": [conversation],
                "meta": {"hasMore": false, "futureField": future.clone()},
                "links": {"next": null, "futureField": 1},
                "futureField": future.clone()
            }),
        ),
        Reply::json(
            404,
            &json!({
                "errors": [{"code": "not_found", "title": "t", "futureField": future.clone()}],
                "futureField": future
            }),
        ),
    ])
    .await;
    let client = client(&server);

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

// ---- 8. nulls and absent fields in responses --------------------------------

#[tokio::test]
async fn nulls_and_absent_fields_in_responses_decode() {
    let server = TestServer::start(vec![
        Reply::json(
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
        ),
        Reply::json(200, &json!({"conversation": {"id": "c2"}})),
        Reply::json(200, &json!({})),
        Reply::json(200, &json!({"conversations": null, "meta": null, "links": null})),
    ])
    .await;
    let client = client(&server);

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
    let server = TestServer::start(vec![]).await;
    let client = client(&server);

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

    let participants: Vec<ParticipantSubSchema> = (0..11)
        .map(|i| ParticipantSubSchema::ParticipantWithUserId(ParticipantWithUserId::new().user_id(format!("user{i}"))))
        .collect();
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
        (Page::new().size(-1), "page.size", "minimum 1, got -1"),
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
    let server = TestServer::with_handler(|request| {
        if request.method == "GET" { Reply::json(200, &json!({"conversations": []})) } else { conversation_reply("c1") }
    })
    .await;
    let client = client(&server);
    // 100 characters (200 bytes): the limit counts characters.
    let name = "é".repeat(100);
    client
        .update_conversation(APP, "c1", ConversationUpdateBody::new().display_name(name.clone()))
        .send()
        .await
        .unwrap();
    let participants: Vec<ParticipantSubSchema> = (0..10)
        .map(|i| ParticipantSubSchema::ParticipantWithUserId(ParticipantWithUserId::new().user_id(format!("user{i}"))))
        .collect();
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
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].body_json()["displayName"], name.as_str());
    assert_eq!(requests[1].body_json()["participants"].as_array().unwrap().len(), 10);
    assert_eq!(requests[2].query(), Some("filter[userId]=u&page[size]=1"));
    assert_eq!(requests[3].query(), Some("filter[userId]=u&page[size]=100"));
}

// ---- 10. the anyOf participant union ----------------------------------------

#[tokio::test]
async fn participant_union_serializes_only_its_branch() {
    let server =
        TestServer::with_handler(|_| Reply::json(201, &json!({"conversation": conversation_json("c1")}))).await;
    let client = client(&server);
    let body = ConversationCreateBody::new(ConversationType::SdkGroup)
        .participants(vec![
            ParticipantSubSchema::ParticipantWithUserExternalId(
                ParticipantWithUserExternalId::new().user_external_id("ext-1").subscribe_sdk_client(true),
            ),
            ParticipantSubSchema::ParticipantWithUserId(ParticipantWithUserId::new().user_id("u2")),
        ])
        .display_name("Group");
    client.create_conversation(APP, body).send().await.unwrap();
    let request = server.single_request();
    assert_eq!(
        request.body_json(),
        json!({
            "type": "sdkGroup",
            "participants": [
                {"userExternalId": "ext-1", "subscribeSDKClient": true},
                {"userId": "u2"}
            ],
            "displayName": "Group"
        })
    );
    let text = request.body_text();
    assert_eq!(text.matches("userId").count(), 1, "{text}");
    assert!(!text.contains("null"), "{text}");
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

fn page_reply(ids: &[&str], next: Option<&str>) -> Reply {
    let conversations: Vec<Value> = ids.iter().map(|id| conversation_json(id)).collect();
    let meta = match next {
        Some(cursor) => json!({"hasMore": true, "afterCursor": cursor}),
        None => json!({"hasMore": false}),
    };
    Reply::json(200, &json!({"conversations": conversations, "meta": meta}))
}

/// Answers by `page[after]`: none → page 1, `cursor(1)` → page 2,
/// `cursor(2)` → `last`; anything else is a 400.
fn paged_server_handler(last: Reply) -> impl Fn(&Recorded) -> Reply + Send + Sync + 'static {
    move |request| {
        let query = request.query().unwrap_or_default();
        let after = query.split('&').find_map(|pair| pair.strip_prefix("page[after]="));
        match after {
            None => page_reply(&["c1", "c2"], Some(&cursor(1))),
            Some(c) if c == cursor(1) => page_reply(&["c3", "c4"], Some(&cursor(2))),
            Some(c) if c == cursor(2) => last.clone(),
            Some(_) => error_reply(400, "unexpected_cursor"),
        }
    }
}

fn ids(items: &[ApiResult<Conversation>]) -> Vec<String> {
    items.iter().map(|item| item.as_ref().unwrap().id.clone().unwrap()).collect()
}

#[tokio::test]
async fn into_stream_walks_every_page_in_order() {
    let server = TestServer::with_handler(paged_server_handler(page_reply(&["c5"], None))).await;
    let client = client(&server);
    let stream = client
        .list_conversations(APP, ConversationListFilter::new().user_id("u1"))
        .page(Page::new().size(2))
        .into_stream();
    let mut stream = std::pin::pin!(stream);

    // Lazy: nothing is fetched before the stream is polled, and one page at a
    // time.
    tokio::task::yield_now().await;
    assert_eq!(server.request_count(), 0);
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.id.as_deref(), Some("c1"));
    assert_eq!(server.request_count(), 1);

    let mut rest = Vec::new();
    while let Some(item) = stream.next().await {
        rest.push(item);
    }
    assert_eq!(ids(&rest), ["c2", "c3", "c4", "c5"]);

    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
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
    let server = TestServer::start(vec![
        page_reply(&["c1", "c2"], Some(&cursor(1))),
        error_reply(500, "internal_error").header("x-request-id", "page-2"),
        page_reply(&["never"], None),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();
    let items: Vec<ApiResult<Conversation>> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(ids(&items[..2]), ["c1", "c2"]);
    let error = items[2].as_ref().unwrap_err();
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.headers()["x-request-id"], "page-2");
    assert_eq!(error.typed().unwrap().errors.as_ref().unwrap()[0].code.as_deref(), Some("internal_error"));
    assert_eq!(server.request_count(), 2, "no request after the error");
}

#[tokio::test]
async fn into_stream_follows_has_more_not_just_the_cursor() {
    // `afterCursor` without `hasMore: true`: the last page.
    let server = TestServer::start(vec![Reply::json(
        200,
        &json!({
            "conversations": [conversation_json("c1")],
            "meta": {"hasMore": false, "afterCursor": cursor(1)}
        }),
    )])
    .await;
    let client = client(&server);
    let items: Vec<_> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(ids(&items), ["c1"]);
    assert_eq!(server.request_count(), 1);

    // `hasMore: true` without a cursor: nothing to follow.
    let server = TestServer::start(vec![Reply::json(
        200,
        &json!({"conversations": [conversation_json("c1")], "meta": {"hasMore": true}}),
    )])
    .await;
    let client = self::client(&server);
    let items: Vec<_> =
        client.list_conversations(APP, ConversationListFilter::new().user_id("u1")).into_stream().collect().await;
    assert_eq!(ids(&items), ["c1"]);
    assert_eq!(server.request_count(), 1);
}

// ---- 12. retries ------------------------------------------------------------

#[tokio::test]
async fn too_many_requests_with_retry_after_zero_is_retried() {
    let server = TestServer::start(vec![
        error_reply(429, "too_many_requests").header("retry-after", "0"),
        conversation_reply("c1"),
        error_reply(429, "too_many_requests").header("retry-after", "0"),
        Reply::json(201, &json!({"conversation": conversation_json("c2")})),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();

    let started = Instant::now();
    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(response.conversation.as_ref().unwrap().id.as_deref(), Some("c1"));
    assert_eq!(server.request_count(), 2);

    // 429 is retried for POST too, with the same body.
    let response = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal).display_name("n"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[0].request_line, requests[1].request_line);
    assert_eq!(requests[2].method, "POST");
    assert_eq!(requests[2].body, requests[3].body);
    assert_eq!(requests[3].body, br#"{"type":"personal","displayName":"n"}"#);
}

#[tokio::test]
async fn service_unavailable_is_retried_for_get_only() {
    let server = TestServer::start(vec![
        error_reply(503, "unavailable"),
        conversation_reply("c1"),
        error_reply(503, "unavailable").header("x-request-id", "post-503"),
        Reply::json(201, &json!({"conversation": conversation_json("never")})),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();

    client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(server.request_count(), 2);

    let error = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(error.api_error().unwrap().headers()["x-request-id"], "post-503");
    assert_eq!(server.request_count(), 3, "the POST is sent exactly once: {:?}", request_lines(&server));
}

#[tokio::test]
async fn retries_stop_at_max_attempts_with_the_last_error() {
    let server = TestServer::start(vec![
        error_reply(503, "first"),
        error_reply(503, "second"),
        error_reply(503, "third"),
        conversation_reply("never"),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.typed().unwrap().errors.as_ref().unwrap()[0].code.as_deref(), Some("third"));
    assert_eq!(server.request_count(), 3);

    // Not-retryable statuses are not retried.
    let server = TestServer::start(vec![error_reply(500, "boom"), conversation_reply("c1")]).await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_time_budget_is_not_waited_for() {
    let server = TestServer::start(vec![
        error_reply(429, "too_many_requests").header("retry-after", "3600"),
        conversation_reply("never"),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let api = error.api_error().expect("Error::Api");
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.headers()["retry-after"], "3600");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn dropped_connections_are_retried_for_get_only() {
    let server = TestServer::start(vec![
        Reply::hang_up(),
        conversation_reply("c1"),
        Reply::hang_up(),
        Reply::json(201, &json!({"conversation": conversation_json("never")})),
    ])
    .await;
    let client = builder(&server).retry_policy(fast_retries()).build().unwrap();

    let response = client.get_conversation(APP, "c1").send().await.unwrap();
    assert_eq!(response.conversation.as_ref().unwrap().id.as_deref(), Some("c1"));
    assert_eq!(server.request_count(), 2);

    let error = client
        .create_conversation(APP, ConversationCreateBody::new(ConversationType::Personal))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
    assert_eq!(server.request_count(), 3, "{:?}", request_lines(&server));
}

// ---- 13. timeouts -----------------------------------------------------------

#[tokio::test]
async fn per_call_timeout_gives_error_timeout() {
    let server = TestServer::with_handler(|_| conversation_reply("c1").delay(Duration::from_secs(2))).await;
    let client = client(&server); // 5 s default
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").timeout(Duration::from_millis(200)).send().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(error.status(), None);
    let Error::Timeout { elapsed } = error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn client_default_timeout_applies_and_per_call_overrides_it() {
    let server = TestServer::with_handler(|_| conversation_reply("c1").delay(Duration::from_millis(400))).await;
    let client = builder(&server).timeout(Duration::from_millis(150)).build().unwrap();
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "expected Error::Timeout, got {error:?}");
    assert!(started.elapsed() < Duration::from_millis(390), "{:?}", started.elapsed());

    // A longer per-call timeout wins over the client's.
    let response = client.get_conversation(APP, "c1").timeout(Duration::from_secs(3)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_timeout_covers_reading_the_body() {
    let server = TestServer::with_handler(|_| conversation_reply("c1").body_delay(Duration::from_secs(2))).await;
    let client = client(&server);
    let started = Instant::now();
    let error = client.get_conversation(APP, "c1").timeout(Duration::from_millis(200)).send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "expected Error::Timeout, got {error:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
}

// ---- 14. no secrets in Debug output -----------------------------------------

#[tokio::test]
async fn debug_output_never_contains_credentials() {
    const SECRET: &str = "very-secret-key-value";
    const TOKEN: &str = "very-secret-bearer-token";
    let server = TestServer::start(vec![
        error_reply(401, "unauthorized").header("x-request-id", "r1"),
        error_reply(401, "unauthorized"),
        error_reply(401, "unauthorized"),
        Reply::text(502, "text/html", "<html>bad gateway</html>"),
    ])
    .await;
    let basic = builder(&server).basic_auth("app_key_1", SECRET).build().unwrap();
    let bearer = builder(&server).bearer_auth(TOKEN).build().unwrap();
    let jwt = builder(&server).jwt_auth("app_key_1", SECRET, JwtScope::App).build().unwrap();

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
        builder(&server).basic_auth("app_key_1", SECRET),
        builder(&server).bearer_auth(TOKEN),
        builder(&server).jwt_auth("app_key_1", SECRET, JwtScope::App),
    ] {
        shown.push(format!("{builder:?}"));
    }
    let error = basic.get_conversation(APP, "c1").send().await.unwrap_err();
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

    // What the server received, to know the credentials' wire forms.
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let wire: Vec<String> = requests.iter().take(3).map(|r| r.header("authorization").unwrap().to_owned()).collect();
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
    let target = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let location = format!("{}/v2/apps/app/conversations/c1", target.base_url());
    let origin = TestServer::start(vec![Reply::new(307).header("location", &location)]).await;
    let client = builder(&origin).basic_auth("app_key_1", "redirect-secret").build().unwrap();
    let result = client.get_conversation(APP, "c1").send().await;
    assert_eq!(origin.single_request().header("authorization").map(|v| v.starts_with("Basic ")), Some(true));
    // Another origin is never contacted: the caller gets the redirect, typed.
    assert_eq!(target.request_count(), 0, "the redirect is not followed");
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
    use sunshine_conversations::CallOptions;
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
    let server = TestServer::with_handler(|_| conversation_reply("c1")).await;
    let app = builder(&server).jwt_auth("app_5f1b2c3d", "jwt-s3cret", JwtScope::App).build().unwrap();
    let account = builder(&server).jwt_auth("act_9", "jwt-s3cret", JwtScope::Account).build().unwrap();
    app.get_conversation(APP, "c1").send().await.unwrap();
    app.get_conversation(APP, "c2").send().await.unwrap();
    account.get_conversation(APP, "c1").send().await.unwrap();

    let requests = server.requests();
    let tokens: Vec<&str> = requests
        .iter()
        .map(|r| {
            let values = r.header_values("authorization");
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
