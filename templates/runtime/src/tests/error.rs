//! Unit tests of `runtime/error.rs`.

use crate::runtime::error::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::error::Error as _;

#[test]
fn utf8_prefix_cuts_at_char_boundaries() {
    assert_eq!(utf8_prefix(b"hello", 3), "hel");
    assert_eq!(utf8_prefix(b"hello", 10), "hello");
    assert_eq!(utf8_prefix("héllo".as_bytes(), 2), "h");
    assert_eq!(utf8_prefix("héllo".as_bytes(), 3), "hé");
    assert_eq!(utf8_prefix(b"\xff\xfeab", 3), "\u{fffd}\u{fffd}a");
}

#[test]
fn display_and_accessors() {
    let error: Error<serde_json::Value> = Error::Api(ApiError::new(
        StatusCode::NOT_FOUND,
        HeaderMap::new(),
        ApiErrorBody::Typed(serde_json::json!({"errors": [{"code": "not_found"}]})),
        r#"{"errors": [{"code": "not_found"}]}"#.to_string(),
    ));
    assert!(error.api_error().unwrap().text().contains("not_found"));
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert!(error.typed().is_some());
    assert!(error.api_error().unwrap().raw().is_none());
    let text = error.to_string();
    assert!(text.starts_with("API error 404 Not Found: "), "{text}");
    assert!(text.contains("not_found"), "{text}");

    let raw: Error<()> = Error::Api(ApiError::new(
        StatusCode::BAD_GATEWAY,
        HeaderMap::new(),
        ApiErrorBody::Raw("x".repeat(2000)),
        "x".repeat(2000),
    ));
    let text = raw.to_string();
    assert!(text.len() < 600, "{}", text.len());
    assert!(text.ends_with('…'));
    assert!(raw.typed().is_none());

    let invalid: Error<()> = ValidationError::new("page.size", "maximum 100, got 101").into();
    assert_eq!(invalid.to_string(), "invalid request: page.size: maximum 100, got 101");
    assert!(invalid.source().is_some());
    assert_eq!(invalid.status(), None);

    let source = serde_json::from_str::<u8>("x").unwrap_err();
    let decode: Error<()> = Error::Decode { status: StatusCode::OK, snippet: "x".into(), source };
    assert_eq!(decode.status(), Some(StatusCode::OK));
    assert!(decode.source().is_some());
    assert!(decode.to_string().starts_with("could not decode the 200 OK response body"));
}

#[test]
fn error_stays_small() {
    assert!(std::mem::size_of::<Error<serde_json::Value>>() <= 64);
}

fn api<E: ErrorMessages>(status: StatusCode, body: ApiErrorBody<E>, text: &str) -> ApiError<E> {
    ApiError::new(status, HeaderMap::new(), body, text.to_string())
}

#[test]
fn an_api_error_reads_like_the_apis_own_message() {
    let body = serde_json::json!({"errors": [
        {"code": "conversation_not_found", "title": "Conversation not found"},
        {"code": "bad_request"}
    ]});
    let error = api(StatusCode::NOT_FOUND, ApiErrorBody::Typed(body.clone()), &body.to_string());
    assert_eq!(
        error.to_string(),
        "API error 404 Not Found: conversation_not_found: Conversation not found; bad_request"
    );
    // Other shapes of JSON bodies: OAuth's, a bare message.
    let oauth = serde_json::json!({"error": "invalid_grant", "error_description": "The code expired"});
    let error = api(StatusCode::BAD_REQUEST, ApiErrorBody::Typed(oauth.clone()), &oauth.to_string());
    assert_eq!(error.to_string(), "API error 400 Bad Request: invalid_grant: The code expired");
    let bare = serde_json::json!({"message": "Slow down"});
    let error = api(StatusCode::TOO_MANY_REQUESTS, ApiErrorBody::Typed(bare.clone()), &bare.to_string());
    assert_eq!(error.to_string(), "API error 429 Too Many Requests: Slow down");
}

#[test]
fn a_body_the_rule_cannot_read_is_shown_compact_never_as_debug() {
    let body = serde_json::json!({"unexpected": {"nested": [1, 2]}});
    let text = "{\n  \"unexpected\": {\"nested\": [1, 2]}\n}";
    let error = api(StatusCode::CONFLICT, ApiErrorBody::Typed(body), text);
    let shown = error.to_string();
    assert_eq!(shown, "API error 409 Conflict: { \"unexpected\": {\"nested\": [1, 2]} }");
    assert!(!shown.contains("Some(") && !shown.contains("Object {"), "{shown}");
    let raw: ApiError<serde_json::Value> =
        api(StatusCode::BAD_GATEWAY, ApiErrorBody::Raw("<html>bad gateway</html>".into()), "<html>bad gateway</html>");
    assert_eq!(raw.to_string(), "API error 502 Bad Gateway: <html>bad gateway</html>");
}
