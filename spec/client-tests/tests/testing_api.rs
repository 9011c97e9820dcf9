//! The generated crate's `testing` feature, as a user's test would use it: the corners
//! of [`MockApi`] and [`Expect`] that the wire tests do not reach.

use std::time::Duration;

use sunshine_conversations::models::{self, ConversationListFilter};
use sunshine_conversations::testing::{self, MockApi};

fn conversation(id: &str) -> models::ConversationResponse {
    models::ConversationResponse::new().conversation(models::Conversation::new().id(id))
}

#[tokio::test]
async fn a_base_path_is_served_and_read_back() {
    let mock = MockApi::start_with_base_path("/sc").await;
    assert!(mock.uri().ends_with("/sc"), "{}", mock.uri());
    mock.get_conversation().path_params(&["app1", "c1"]).times(1).respond(&conversation("c1")).await;
    let client = mock.client();
    let response = client.get_conversation("app1", "c1").send().await.expect("served below /sc");
    assert_eq!(response.body().conversation.as_ref().and_then(|c| c.id.as_deref()), Some("c1"));
    let calls = mock.received::<testing::GetConversation>().await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path_params, ["app1", "c1"]);
}

#[tokio::test]
async fn a_missing_query_parameter_can_be_matched() {
    let mock = MockApi::start().await;
    let page = models::ConversationListResponse::new().conversations(vec![]);
    mock.list_conversations().without_query("page[after]").times(1).respond(&page).await;
    let client = mock.client();
    let filter = ConversationListFilter::new().user_id("u1");
    client.list_conversations("app1", filter.clone()).send().await.expect("first page matches");
    // With a cursor the expectation does not match: the mock says so (418).
    let error = client
        .list_conversations("app1", filter)
        .page(models::Page::new().after("5f2b3c4d5e6f708192a3b4c5"))
        .send()
        .await
        .expect_err("a cursor must not match `without_query`");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(testing::UNMATCHED_STATUS), "{error}");
    assert_eq!(mock.unmatched().len(), 1);
    mock.allow_unmatched();
}

#[tokio::test]
async fn a_request_no_expectation_matches_is_never_taken_for_an_api_answer() {
    let mock = MockApi::start().await;
    mock.get_conversation().times(1).respond(&conversation("c1")).await;
    let client = mock.client();
    client.get_conversation("app1", "c1").send().await.expect("the expectation's one answer");
    // `times(1)` is used up: not a 404 ("not found"), but a status the API never sends,
    // a body naming the request, and the request listed.
    let error = client.get_conversation("app1", "c1").send().await.expect_err("no expectation left");
    let api = error.api_error().expect("an answer of the mock");
    assert_eq!(api.status().as_u16(), testing::UNMATCHED_STATUS);
    assert_eq!(testing::UNMATCHED_STATUS, 418);
    let text = api.raw().expect("plain text, not the API's error body");
    assert!(text.contains("no expectation matches GET /v2/apps/app1/conversations/c1"), "{text}");
    assert!(error.to_string().contains("no expectation matches"), "the error says it: {error}");
    let unmatched = mock.unmatched();
    assert_eq!(unmatched.len(), 1, "answered once: 418 is not retried");
    assert_eq!((unmatched[0].method.as_str(), unmatched[0].path.as_str()), ("GET", "/v2/apps/app1/conversations/c1"));
    assert_eq!(unmatched[0].to_string(), "GET /v2/apps/app1/conversations/c1");
    // The call log still has it, named by its operation.
    assert_eq!(mock.calls().await.len(), 2);
    mock.allow_unmatched();
}

#[tokio::test]
#[should_panic(expected = "1 request(s) matched no expectation")]
async fn an_unmatched_request_fails_the_test_when_the_mock_is_dropped() {
    let mock = MockApi::start().await;
    mock.get_conversation().path_params(&["app1", "c1"]).respond(&conversation("c1")).await;
    // Another conversation: no expectation matches. The test forgot to look.
    let _ = mock.client().get_conversation("app1", "c2").send().await;
}

#[tokio::test]
async fn a_test_may_send_unmatched_requests_on_purpose() {
    let mock = MockApi::start().await;
    mock.allow_unmatched();
    let error = mock.client().delete_conversation("app1", "c1").send().await.expect_err("nothing expected");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(testing::UNMATCHED_STATUS));
    // Dropping the mock does not fail the test.
}

/// What the guide says of `mock.client()`'s retries, kept true: it cites the constants
/// with their values, and the client waits no longer than they say, also when the mock
/// asks for 30 s with `Retry-After`. (The delays the client decided are read, not timed.)
#[tokio::test]
async fn the_mock_client_waits_as_the_guide_says() {
    use std::sync::{Arc, Mutex};

    let guide = std::fs::read_to_string(client_tests::repository_root().join("spec/guide.md")).unwrap();
    let guide = guide.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, value) in [
        ("CLIENT_INITIAL_BACKOFF", testing::CLIENT_INITIAL_BACKOFF),
        ("CLIENT_MAX_BACKOFF", testing::CLIENT_MAX_BACKOFF),
        ("CLIENT_MAX_RETRY_AFTER", testing::CLIENT_MAX_RETRY_AFTER),
    ] {
        let cited = format!("`testing::{name}` ({} ms)", value.as_millis());
        assert!(guide.contains(&cited), "spec/guide.md must cite {cited}");
    }
    assert!(!guide.contains("do not wait"), "the mock's client does wait, a few milliseconds");
    let cited = format!("`testing::UNMATCHED_STATUS` ({}", testing::UNMATCHED_STATUS);
    assert!(guide.contains(&cited), "spec/guide.md must cite {cited}");

    let delays: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let recorded = Arc::clone(&delays);
    let mock = MockApi::start().await;
    mock.get_conversation().times(2).rate_limited(Duration::from_secs(30)).await;
    mock.get_conversation().times(1).respond(&conversation("c1")).await;
    mock.list_conversations().times(2).fail(503, &models::ErrorResponse::new()).await;
    mock.list_conversations().times(1).respond(&models::ConversationListResponse::new()).await;
    let client = mock
        .client_builder()
        .interceptor(sunshine_conversations::after_attempt(move |outcome| {
            recorded.lock().unwrap().extend(outcome.retry_in());
        }))
        .build()
        .unwrap();
    client.get_conversation("app1", "c1").send().await.expect("after two 429s");
    let after_429 = std::mem::take(&mut *delays.lock().unwrap());
    assert_eq!(after_429, [testing::CLIENT_MAX_RETRY_AFTER; 2], "Retry-After: 30 cut to the documented bound");
    client
        .list_conversations("app1", ConversationListFilter::new().user_id("u1"))
        .send()
        .await
        .expect("after two 503s");
    let backoff = std::mem::take(&mut *delays.lock().unwrap());
    assert_eq!(backoff.len(), 2);
    assert!(backoff[0] <= testing::CLIENT_INITIAL_BACKOFF, "{backoff:?}");
    assert!(backoff.iter().all(|delay| *delay <= testing::CLIENT_MAX_BACKOFF), "{backoff:?}");
}

#[tokio::test]
async fn times_zero_accepts_no_call() {
    let mock = MockApi::start().await;
    mock.delete_conversation().times(0).respond(&Default::default()).await;
    // Not called: dropping the mock verifies the expectation without panicking.
    drop(mock);
}

#[tokio::test]
#[should_panic(expected = "DeleteConversation")]
async fn times_zero_fails_the_test_when_called() {
    let mock = MockApi::start().await;
    mock.delete_conversation().times(0).respond(&Default::default()).await;
    let _ = mock.client().delete_conversation("app1", "c1").send().await;
    // Dropping the mock verifies: one call against `times(0)` panics, naming the operation.
}

#[tokio::test]
async fn response_headers_reach_the_error() {
    let mock = MockApi::start().await;
    let error = models::ErrorResponse::new();
    mock.get_conversation().response_header("x-request-id", "req-42").fail(404, &error).await;
    let failed = mock.client().get_conversation("app1", "c1").send().await.expect_err("404");
    let api = failed.api_error().expect("an API error");
    assert_eq!(api.headers().get("x-request-id").map(|v| v.as_bytes()), Some(&b"req-42"[..]));
}

#[tokio::test]
#[should_panic(expected = "cannot be delayed")]
async fn a_dropped_connection_cannot_be_delayed() {
    let mock = MockApi::start().await;
    mock.get_conversation().delay(Duration::from_millis(10)).drop_connection().await;
}

#[tokio::test]
async fn a_plus_in_the_query_is_read_back_as_sent() {
    let mock = MockApi::start().await;
    let page = models::ConversationListResponse::new().conversations(vec![]);
    mock.list_conversations().respond(&page).await;
    let filter = ConversationListFilter::new().user_external_id("a+b c");
    mock.client().list_conversations("app1", filter).send().await.expect("listed");
    let calls = mock.received::<testing::ListConversations>().await;
    let value = calls[0].query.iter().find(|(name, _)| name == "filter[userExternalId]").map(|(_, v)| v.as_str());
    assert_eq!(value, Some("a+b c"));
}
