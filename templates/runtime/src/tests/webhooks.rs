//! Unit tests of `runtime/webhooks.rs`.

use crate::runtime::webhooks::*;
use reqwest::header::HeaderMap;
use reqwest::header::HeaderValue;

fn headers(key: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Some(key) = key {
        headers.insert(API_KEY_HEADER, HeaderValue::from_str(key).unwrap());
    }
    headers
}

#[test]
fn keys_are_compared_in_constant_time_by_subtle() {
    assert!(keys_match(b"s3cret", b"s3cret"));
    assert!(!keys_match(b"s3cret", b"s3creT"));
    assert!(!keys_match(b"s3cret", b"s3cre"));
    assert!(!keys_match(b"s3cret", b""));
}

#[test]
fn verifies_bounds_and_decodes() {
    let verifier = Verifier::new("s3cret").max_body_bytes(64);
    let body = br#"{"events":[{"id":"e1"}]}"#;
    let payload: serde_json::Value = verifier.parse(&headers(Some("s3cret")), body).unwrap();
    assert_eq!(payload["events"][0]["id"], "e1");
    assert_eq!(verifier.parse::<serde_json::Value>(&headers(None), body).unwrap_err(), WebhookError::MissingKey);
    assert_eq!(verifier.parse::<serde_json::Value>(&headers(Some("guess")), body).unwrap_err(), WebhookError::WrongKey);
    let big = vec![b' '; 65];
    assert_eq!(
        verifier.parse::<serde_json::Value>(&headers(Some("s3cret")), &big).unwrap_err(),
        WebhookError::TooLarge { limit: 64 }
    );
    for (status, error) in [(401, WebhookError::WrongKey), (413, WebhookError::TooLarge { limit: 1 })] {
        assert_eq!(error.status(), status);
    }
}

#[test]
fn malformed_payloads_name_the_place() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Payload {
        events: Vec<Event>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Event {
        id: String,
    }
    let verifier = Verifier::new("k");
    let error = verifier.parse::<Payload>(&headers(Some("k")), br#"{"events":[{"id":"a"},{"id":7}]}"#).unwrap_err();
    let WebhookError::Malformed { path, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "events[1].id");
    assert_eq!(error.status(), 400);
    let error = verifier.parse::<Payload>(&headers(Some("k")), b"{not json").unwrap_err();
    assert!(matches!(error, WebhookError::Malformed { .. }), "{error:?}");
    let error = verifier.parse::<Payload>(&headers(Some("k")), br#"{"events":[]} trailing"#).unwrap_err();
    assert!(matches!(error, WebhookError::Malformed { .. }), "{error:?}");
}

#[test]
fn never_shows_the_secret() {
    let verifier = Verifier::new("top-secret-value");
    let shown = format!("{verifier:?}");
    assert!(!shown.contains("top-secret-value"), "{shown}");
    for error in [WebhookError::MissingKey, WebhookError::WrongKey] {
        assert!(!format!("{error} {error:?}").contains("top-secret-value"));
    }
}
