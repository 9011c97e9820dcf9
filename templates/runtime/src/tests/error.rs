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
