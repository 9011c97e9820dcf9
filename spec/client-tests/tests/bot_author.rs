//! What a bot author uses daily, on the wire against `testing::MockApi`: one error
//! type for every call, the app-scoped handle, members the crate does not declare
//! kept through a read-modify-write, constructors and accessors that say intent, the
//! mock's ordered call log, webhook fixtures from the spec's examples delivered to an
//! axum router, per-call query and credentials, `Client::from_env`, and `send_raw`
//! going through the client's auth, retries, limits and hooks.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use sunshine_conversations::models::{
    ActivityPost, ActivityPostType, Author, AuthorType, ConversationCreateBody, ConversationResponse, ConversationType,
    MessagePost, TextMessage, WebhookPayload,
};
use sunshine_conversations::reqwest::Method;
use sunshine_conversations::testing::wiremock::matchers::{method, path};
use sunshine_conversations::testing::wiremock::{Mock, ResponseTemplate};
use sunshine_conversations::testing::{self, MockApi};
use sunshine_conversations::webhooks::{Verifier, Webhook};
use sunshine_conversations::{AppClient, Auth, BuildError, CallOptions, Client, Error, RetryPolicy, after_attempt};

const APP: &str = "app_1";

fn app(mock: &MockApi) -> AppClient {
    mock.client().app(APP)
}

/// One function, two operations (one documents no error body): `?` carries both.
async fn typing_then_lookup(app: &AppClient) -> Result<(), Error> {
    app.post_activity("c1", ActivityPost::typing_start(Author::business())).send().await?;
    app.get_conversation("c1").send().await?;
    Ok(())
}

#[tokio::test]
async fn one_error_type_serves_every_call() {
    let mock = MockApi::start().await;
    let body = json!({"errors": [{"code": "conversation_not_found", "title": "Conversation not found"}]});
    let template = ResponseTemplate::new(404).set_body_json(&body);
    mock.post_activity().respond_raw(template).await;
    let error = typing_then_lookup(&app(&mock)).await.unwrap_err();
    // The operation documents no error body; its errors decode as the API's usual one.
    let typed = error.typed().expect("the usual error body");
    assert_eq!(typed.errors.as_ref().unwrap()[0].code.as_deref(), Some("conversation_not_found"));
    // It reads like the API's own message: no `Debug` dump of the body.
    assert_eq!(error.to_string(), "API error 404 Not Found: conversation_not_found: Conversation not found");
}

#[tokio::test]
async fn the_app_handle_binds_the_app_id() {
    let mock = MockApi::start().await;
    mock.get_conversation().path_params(&[APP, "c 1"]).respond_example().await;
    let handle = app(&mock);
    assert_eq!(handle.app_id(), APP);
    handle.get_conversation("c 1").send().await.unwrap();
    let calls = mock.calls().await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path, "/v2/apps/app_1/conversations/c%201");
    assert_eq!(calls[0].path_params, [APP, "c 1"]);
}

#[tokio::test]
async fn members_the_crate_does_not_declare_survive_a_round_trip() {
    let mock = MockApi::start().await;
    let sent = json!({
        "conversation": {"id": "c1", "type": "personal", "priority": {"level": 3, "tags": ["vip"]}},
        "addedLater": true
    });
    Mock::given(method("GET"))
        .and(path("/v2/apps/app_1/conversations/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&sent))
        .mount(mock.server())
        .await;
    let response = app(&mock).get_conversation("c1").send().await.unwrap().into_body();
    let conversation = response.conversation.as_ref().unwrap();
    assert_eq!(conversation.extra["priority"], json!({"level": 3, "tags": ["vip"]}));
    assert_eq!(response.extra["addedLater"], json!(true));
    // Read, change, write back: nothing is lost.
    let mut changed: ConversationResponse = response.clone();
    if let Some(conversation) = changed.conversation.as_mut() {
        conversation.display_name = Some("Renamed".into());
    }
    let written = serde_json::to_value(&changed).unwrap();
    assert_eq!(written["conversation"]["priority"], sent["conversation"]["priority"]);
    assert_eq!(written["addedLater"], json!(true));
    assert_eq!(written["conversation"]["displayName"], json!("Renamed"));
    // A member sent twice is still an error, as with serde's derive.
    let twice = r#"{"conversation": {"id": "a", "id": "b"}}"#;
    assert!(
        serde_json::from_str::<ConversationResponse>(twice).unwrap_err().to_string().contains("duplicate field `id`")
    );
}

#[test]
fn constructors_say_intent() {
    assert_eq!(Author::business(), Author::new(AuthorType::Business));
    assert_eq!(Author::user().user_id("u1"), Author::new(AuthorType::User).user_id("u1"));
    let author = Author::business();
    assert_eq!(
        ActivityPost::typing_start(author.clone()),
        ActivityPost::new(author.clone(), ActivityPostType::TypingStart)
    );
    assert_eq!(ConversationCreateBody::sdk_group(), ConversationCreateBody::new(ConversationType::SdkGroup));
}

#[test]
fn event_fixtures_come_from_the_spec_and_accessors_reach_into_them() {
    let payload = testing::events::conversation_message();
    let event = &payload.events.as_ref().unwrap()[0];
    let conversation_id = event.conversation().and_then(|c| c.id.as_deref());
    assert!(conversation_id.is_some_and(|id| !id.is_empty()), "{event:?}");
    let message = event.as_conversation_message().unwrap().payload.as_ref().unwrap().message.as_ref().unwrap();
    assert_eq!(message.author.as_ref().unwrap().type_, AuthorType::User);
    assert!(message.content.as_ref().unwrap().text().is_some());

    // The same with changes, at JSON pointers.
    let changed = testing::events::conversation_message_with(&[
        ("/events/0/payload/message/content/text", json!("human, please")),
        ("/events/0/payload/conversation/id", json!("c-42")),
    ]);
    let event = &changed.events.as_ref().unwrap()[0];
    assert_eq!(event.conversation().and_then(|c| c.id.as_deref()), Some("c-42"));
    let content = event.as_conversation_message().unwrap().payload.as_ref().unwrap().message.as_ref().unwrap();
    assert_eq!(content.content.as_ref().unwrap().text(), Some("human, please"));
}

#[tokio::test]
async fn the_mock_logs_every_call_in_order() {
    let mock = MockApi::start().await;
    mock.post_activity().respond_example().await;
    mock.post_message().respond_example().await;
    let handle = app(&mock);
    handle.post_activity("c1", ActivityPost::typing_start(Author::business())).send().await.unwrap();
    let reply = MessagePost::new(Author::business(), TextMessage::new().text("hello"));
    handle.post_message("c1", reply.clone()).send().await.unwrap();
    // No expectation: answered 418, never an answer the API could give, and listed.
    let unmatched = handle.get_conversation("c1").send().await.unwrap_err();
    assert_eq!(unmatched.status().map(|s| s.as_u16()), Some(testing::UNMATCHED_STATUS));
    let listed: Vec<String> = mock.unmatched().iter().map(ToString::to_string).collect();
    assert_eq!(listed, ["GET /v2/apps/app_1/conversations/c1"]);
    mock.allow_unmatched(); // sent on purpose: the mock's drop does not fail the test
    let calls = mock.calls().await;
    let operations: Vec<Option<&str>> = calls.iter().map(|c| c.operation).collect();
    assert_eq!(operations, [Some("PostActivity"), Some("PostMessage"), Some("GetConversation")]);
    assert!(calls[1].is::<testing::PostMessage>());
    assert_eq!(calls[1].body_as::<testing::PostMessage>(), Some(reply));
    assert_eq!(calls[0].body_as::<testing::PostMessage>(), None, "not a PostMessage call");
}

#[tokio::test]
async fn a_webhook_is_delivered_to_a_router_in_one_call() {
    async fn handler(Webhook(payload): Webhook<WebhookPayload>) -> String {
        let events = payload.events.unwrap_or_default();
        events.iter().filter_map(|e| e.tag()).collect::<Vec<_>>().join(",")
    }
    let router =
        axum::Router::new().route("/hooks", axum::routing::post(handler)).with_state(Verifier::new("whsec").unwrap());
    let payload = testing::events::conversation_message();
    assert_eq!(testing::deliver(&router, "/hooks", "whsec", &payload).await, (200, "conversation:message".into()));
    let (status, _) = testing::deliver(&router, "/hooks", "wrong", &payload).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn call_options_add_query_parameters_and_replace_credentials() {
    let mock = MockApi::start().await;
    mock.get_conversation().respond_example().await;
    let client = mock.client_builder().auth(Auth::basic("app_key", "app_secret")).build().unwrap();
    let options = CallOptions::new().query("include", "everything").bearer_auth("integration-token");
    client.get_conversation(APP, "c1").with_options(options).send().await.unwrap();
    client.get_conversation(APP, "c1").send().await.unwrap();
    let calls = mock.calls().await;
    assert_eq!(calls[0].query, [("include".to_string(), "everything".to_string())]);
    let authorization = |i: usize| calls[i].headers.get_all("authorization").iter().collect::<Vec<_>>();
    assert_eq!(authorization(0), ["Bearer integration-token"], "one credential: the call's");
    assert_eq!(authorization(1).len(), 1);
    assert!(authorization(1)[0].to_str().unwrap().starts_with("Basic "), "the client's again");
    // No credentials for one call.
    client.get_conversation(APP, "c1").with_options(CallOptions::new().auth(Auth::None)).send().await.unwrap();
    assert!(mock.calls().await[2].headers.get("authorization").is_none());
}

#[test]
fn from_env_names_the_variables_to_set() {
    let prefix = "BOT_AUTHOR_TEST_FROM_ENV";
    let missing = |error: BuildError| match error {
        BuildError::MissingEnv { alternatives } => alternatives,
        other => panic!("{other}"),
    };
    let set = |name: &str, value: &str| {
        // SAFETY: only this test reads or writes variables with this prefix.
        unsafe { std::env::set_var(format!("{prefix}_{name}"), value) }
    };
    let alternatives = missing(Client::from_env_with_prefix(prefix).unwrap_err());
    assert_eq!(alternatives, [[format!("{prefix}_SUBDOMAIN")]]);
    set("BASE_URL", "http://127.0.0.1:9");
    let error = Client::from_env_with_prefix(prefix).unwrap_err();
    assert!(error.to_string().contains(&format!("{prefix}_KEY_ID and {prefix}_SECRET, or {prefix}_TOKEN")), "{error}");
    set("KEY_ID", "app_key");
    set("SECRET", " ");
    assert!(Client::from_env_with_prefix(prefix).is_err(), "a blank secret counts as missing");
    set("SECRET", "s3cret");
    let client = Client::from_env_with_prefix(prefix).unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    assert!(!format!("{client:?}").contains("s3cret"));
}

/// Startup tested without touching the process environment: the variables come from
/// a map, and the builder from them still takes every other setting.
#[tokio::test]
async fn from_env_with_reads_a_map_and_the_builder_keeps_its_other_settings() {
    use std::collections::HashMap;
    use sunshine_conversations::ClientBuilder;
    let mock = MockApi::start().await;
    let vars: HashMap<String, String> = [
        ("SUNSHINE_CONVERSATIONS_BASE_URL".to_string(), mock.uri()),
        ("SUNSHINE_CONVERSATIONS_KEY_ID".to_string(), "app_key".to_string()),
        ("SUNSHINE_CONVERSATIONS_SECRET".to_string(), "s3cret".to_string()),
    ]
    .into();
    let lookup = |name: &str| vars.get(name).cloned();
    let error = Client::from_env_with(|_: &str| None).unwrap_err();
    assert!(matches!(error, BuildError::MissingEnv { .. }), "{error}");
    let client = ClientBuilder::from_env_with(lookup)
        .unwrap()
        .retry_policy(RetryPolicy::none())
        .user_agent("export-tool/1")
        .build()
        .unwrap();
    mock.get_conversation().respond_example().await;
    client.app(APP).get_conversation("c1").send().await.unwrap();
    let calls = mock.calls().await;
    assert_eq!(calls[0].headers["user-agent"], "export-tool/1");
    assert!(calls[0].headers["authorization"].to_str().unwrap().starts_with("Basic "));
}

#[tokio::test]
async fn send_raw_goes_through_auth_retries_limits_and_hooks() {
    let mock = MockApi::start().await;
    let raw_path = "/v2/apps/app_1/extras";
    Mock::given(method("GET"))
        .and(path(raw_path))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(mock.server())
        .await;
    Mock::given(method("GET"))
        .and(path(raw_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"big": "x".repeat(2000)})))
        .mount(mock.server())
        .await;
    let attempts = Arc::new(AtomicUsize::new(0));
    let seen = attempts.clone();
    let client = mock
        .client_builder()
        .auth(Auth::basic("app_key", "app_secret"))
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .interceptor(after_attempt(move |_| {
            seen.fetch_add(1, Ordering::SeqCst);
        }))
        .build()
        .unwrap();
    let response = client.send_raw(Method::GET, raw_path, None, CallOptions::new()).await.unwrap();
    assert_eq!(response.body()["big"].as_str().map(str::len), Some(2000));
    assert_eq!(attempts.load(Ordering::SeqCst), 2, "the 503 was retried, the hook saw both attempts");
    let calls = mock.calls().await;
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.operation.is_none() && c.headers.get("authorization").is_some()));
    // The byte limit applies too.
    let limited = CallOptions::new().max_response_bytes(100);
    let error = client.send_raw(Method::GET, raw_path, None, limited).await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error}");
}

/// Read, change, send back: a conversation read from the API becomes its update body
/// (`From<&Conversation>`), one field is changed, and the PATCH carries every other
/// member as it was (metadata included) and no member the value lacked.
#[tokio::test]
async fn a_conversation_read_becomes_its_update_with_one_field_changed() {
    use sunshine_conversations::models::ConversationUpdateBody;
    let mock = MockApi::start().await;
    let read = json!({"conversation": {
        "id": "c1", "type": "personal", "displayName": "Old name",
        "metadata": {"lang": "en", "tier": 2}
    }});
    mock.get_conversation().respond_raw(ResponseTemplate::new(200).set_body_json(&read)).await;
    mock.update_conversation().respond_raw(ResponseTemplate::new(200).set_body_json(&read)).await;
    let app = app(&mock);
    let conversation = app.get_conversation("c1").send().await.unwrap().into_body().conversation.unwrap();
    let update = ConversationUpdateBody::from(&conversation).display_name("New name");
    app.update_conversation("c1", update).send().await.unwrap();
    let sent = &mock.received::<testing::UpdateConversation>().await[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.raw_body).unwrap();
    assert_eq!(body, json!({"displayName": "New name", "metadata": {"lang": "en", "tier": 2}}));
}
