//! Unit tests of `runtime/response.rs`.

use crate::runtime::response::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

#[test]
fn accessors() {
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", "abc".parse().unwrap());
    let response = Response::new(StatusCode::CREATED, headers, vec![1, 2]);
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["x-request-id"], "abc");
    assert_eq!(response.body(), &[1, 2]);
    assert_eq!(response.len(), 2);
    let response = response.map(|body| body.len());
    let (status, headers, body) = response.clone().into_parts();
    assert_eq!((status, headers.len(), body), (StatusCode::CREATED, 1, 2));
    assert_eq!(response.into_body(), 2);
}
