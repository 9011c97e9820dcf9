//! Unit tests of `runtime/request.rs`.

use crate::runtime::request::*;
use crate::runtime::retry::RetryPolicy;
use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use std::time::Duration;

#[test]
fn json_body() {
    let Body::Json(bytes) = Body::json(&serde_json::json!({"a": [1, "x"]})).unwrap() else {
        panic!("not JSON");
    };
    assert_eq!(&bytes[..], br#"{"a":[1,"x"]}"#);

    let mut bad = std::collections::HashMap::new();
    bad.insert((1, 2), 3);
    let error = Body::json(&bad).unwrap_err();
    assert_eq!(error.path, "body");
    assert!(error.rule.starts_with("cannot be serialized as JSON"), "{}", error.rule);
}

#[test]
fn call_options() {
    let options = CallOptions::new()
        .timeout(Duration::from_secs(1))
        .header(HeaderName::from_static("x-a"), HeaderValue::from_static("1"))
        .header(HeaderName::from_static("x-a"), HeaderValue::from_static("2"))
        .retry_policy(RetryPolicy::none());
    assert_eq!(options.timeout_override(), Some(Duration::from_secs(1)));
    assert_eq!(options.headers_override().unwrap().get_all("x-a").iter().count(), 2);
    assert_eq!(options.retry_policy_override(), Some(&RetryPolicy::none()));
    assert_eq!(options.max_response_bytes_override(), None);
    let none = CallOptions::new();
    assert!(none.timeout_override().is_none() && none.headers_override().is_none());
    assert_eq!(
        format!("{none:?}"),
        "CallOptions { timeout: None, headers: {}, retry_policy: None, max_response_bytes: None, query: [], auth: None }"
    );
    let secret = CallOptions::new().header(reqwest::header::AUTHORIZATION, HeaderValue::from_static("Bearer s3"));
    assert!(!format!("{secret:?}").contains("s3"), "{secret:?}");
    let secret = CallOptions::new().auth(crate::Auth::basic("key", "s3cret")).query("a", "b");
    assert!(!format!("{secret:?}").contains("s3cret"), "{secret:?}");
    assert!(format!("{secret:?}").contains(r#"query: [("a", "b")], auth: Some("basic")"#), "{secret:?}");
    assert_eq!(secret.query_override(), [("a".to_string(), "b".to_string())]);
    assert_eq!(size_of::<CallOptions>(), size_of::<usize>(), "a request carries a pointer");
}

#[test]
fn multipart_bodies() {
    let parts = vec![
        MultipartPart::file("source", "a \"b\"\r\n.png", Some("image/png".into()), &b"\x89PNG"[..]),
        MultipartPart::text("access", "public"),
    ];
    let encoded = Body::Multipart(parts).encode().unwrap();
    let content_type = encoded.content_type.unwrap();
    let boundary = content_type.to_str().unwrap().strip_prefix("multipart/form-data; boundary=").unwrap().to_owned();
    let text = String::from_utf8_lossy(&encoded.bytes);
    assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"source\"; filename=\"a %22b%22%0D%0A.png\"\r\nContent-Type: image/png\r\n\r\n")), "{text}");
    assert!(text.contains("name=\"access\"\r\n\r\npublic\r\n"), "{text}");
    assert!(text.ends_with(&format!("--{boundary}--\r\n")), "{text}");
    // A part that contains a would-be boundary gets another one.
    let sneaky = MultipartPart::text("x", format!("--{boundary}"));
    let again = Body::Multipart(vec![sneaky]).encode().unwrap();
    let other = again.content_type.unwrap();
    let other = other.to_str().unwrap().rsplit('=').next().unwrap();
    assert!(!format!("--{boundary}").contains(other), "the boundary is not in the data");
    let bad = MultipartPart::file("source", "a.png", Some("not a mime".into()), Bytes::new());
    assert_eq!(Body::Multipart(vec![bad]).encode().unwrap_err().path, "body.source");
    assert!(is_media_type("text/plain; charset=utf-8") && !is_media_type("text") && !is_media_type("a/b\nc"));
}
