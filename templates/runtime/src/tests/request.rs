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
fn param_headers() {
    let options = CallOptions::new()
        .header(HeaderName::from_static("x-trace"), HeaderValue::from_static("from-options"))
        .param_header("X-Trace", "from-param")
        .unwrap()
        .param_header("X-Count", 7)
        .unwrap();
    let headers = options.headers_override().unwrap();
    assert_eq!(headers.get_all("x-trace").iter().collect::<Vec<_>>(), ["from-param"], "the parameter replaces");
    assert_eq!(headers["x-count"], "7");
    let error = CallOptions::new().param_header("X-Trace", "a\r\nInjected: 1").unwrap_err();
    assert_eq!(error.path, "X-Trace");
    assert!(error.rule.contains("line break"), "{}", error.rule);
    assert!(CallOptions::new().param_header("X Trace", "a").is_err(), "not a token");
}

/// A header parameter on the wire, read byte for byte from the connection.
#[tokio::test]
async fn param_headers_on_the_wire() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut seen = Vec::new();
        let mut chunk = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the request ended early");
            seen.extend_from_slice(&chunk[..n]);
        }
        socket.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await.unwrap();
        seen
    });
    let client = crate::runtime::client::Client::builder(base).build().unwrap();
    let options = CallOptions::new()
        .param_header("X-Request-Id", "abc 1/2;q=\"x\"")
        .unwrap()
        .param_header("X-Limit", 10)
        .unwrap();
    let request = Request {
        method: reqwest::Method::GET,
        operation_id: "test",
        path_template: "/x",
        accept: "application/json",
        redirects: false,
        empty_ok: true,
        path: "/x".to_owned(),
        query: crate::runtime::encode::Query::new(),
        body: Body::Empty,
        options,
    };
    client.execute_empty::<serde_json::Value>(request).await.unwrap();
    let seen = String::from_utf8(server.await.unwrap()).unwrap();
    assert!(seen.starts_with("GET /x HTTP/1.1\r\n"), "{seen}");
    assert!(seen.contains("\r\nx-request-id: abc 1/2;q=\"x\"\r\n"), "{seen}");
    assert!(seen.contains("\r\nx-limit: 10\r\n"), "{seen}");
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
