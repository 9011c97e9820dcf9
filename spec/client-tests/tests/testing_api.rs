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
    // With a cursor the expectation does not match: the mock answers 404.
    let error = client
        .list_conversations("app1", filter)
        .page(models::Page::new().after("5f2b3c4d5e6f708192a3b4c5"))
        .send()
        .await
        .expect_err("a cursor must not match `without_query`");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{error}");
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
