//! The request-bodies fixture on the wire: a form body byte-exact as an HTML form
//! encodes it, text and bytes sent as given with their media type, a media range sent
//! as `application/octet-stream`, JSON preferred when a form is documented too. Copied
//! into the fixture's crate by `cargo xtask test`.

use fixture_request_bodies::models::{Preferences, RequestDeviceTokenBody, RequestDeviceTokenBodyExtra};
use fixture_request_bodies::testing::MockApi;

/// The one call the mock received: its `Content-Type` and body bytes.
async fn sent(mock: &MockApi) -> (String, Vec<u8>) {
    let calls = mock.calls().await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    let content_type = call.headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (content_type, call.raw_body.clone())
}

#[tokio::test]
async fn a_form_body_is_sent_as_an_html_form_encodes_it() {
    let mock = MockApi::start().await;
    mock.request_device_token().respond_with_status(204, &()).await;
    let body = RequestDeviceTokenBody::new("urn:ietf:params:oauth:grant-type:device_code", "app 1/ü")
        .scope(vec!["read".to_string(), "write*all".to_string()])
        .max_age(60_i64)
        .extra(RequestDeviceTokenBodyExtra::new().note("a+b=c&d"));
    mock.client().request_device_token(body).send().await.unwrap();
    let (content_type, bytes) = sent(&mock).await;
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "client_id=app+1%2F%C3%BC&extra%5Bnote%5D=a%2Bb%3Dc%26d\
         &grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code\
         &max_age=60&scope=read&scope=write*all"
    );
}

#[tokio::test]
async fn a_text_body_is_sent_as_given_with_its_media_type() {
    let mock = MockApi::start().await;
    mock.put_note().respond_with_status(204, &()).await;
    mock.client().put_note("n1", "# Title\n\nbody ü").send().await.unwrap();
    let (content_type, bytes) = sent(&mock).await;
    assert_eq!(content_type, "text/x-markdown");
    assert_eq!(bytes, "# Title\n\nbody ü".as_bytes());
}

#[tokio::test]
async fn a_binary_body_is_sent_as_given_and_an_optional_one_may_be_left_out() {
    let mock = MockApi::start().await;
    mock.put_blob().times(2).respond_with_status(204, &()).await;
    let bytes = vec![0_u8, 159, 146, 150, 255];
    mock.client().put_blob("b1").body(bytes.clone()).send().await.unwrap();
    mock.client().put_blob("b2").send().await.unwrap();
    let calls = mock.calls().await;
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].headers["content-type"], "application/octet-stream");
    assert_eq!(calls[0].raw_body, bytes);
    assert!(calls[1].raw_body.is_empty());
    assert!(calls[1].headers.get("content-type").is_none());
}

#[tokio::test]
async fn a_media_range_is_sent_as_octet_stream() {
    let mock = MockApi::start().await;
    mock.post_anything().respond_with_status(204, &()).await;
    mock.client().post_anything(b"\x01\x02".as_slice()).send().await.unwrap();
    let (content_type, bytes) = sent(&mock).await;
    assert_eq!(content_type, "application/octet-stream");
    assert_eq!(bytes, [1, 2]);
}

#[tokio::test]
async fn json_is_preferred_to_a_form() {
    let mock = MockApi::start().await;
    mock.set_preferences().respond_with_status(204, &()).await;
    mock.client().set_preferences(Preferences::new().theme("dark")).send().await.unwrap();
    let (content_type, bytes) = sent(&mock).await;
    assert_eq!(content_type, "application/json");
    assert_eq!(bytes, br#"{"theme":"dark"}"#);
}
