//! Unit tests of `runtime/redirect.rs`.

use crate::runtime::redirect::*;
use reqwest::{Method, StatusCode, Url};

#[test]
fn decisions() {
    let from = Url::parse("https://api.example.com/v2/apps/a").unwrap();
    let url = |s: &str| Url::parse(s).unwrap();
    let go = |status: u16, method: Method, location: Option<&str>, visited: &[Url]| {
        next(StatusCode::from_u16(status).unwrap(), &method, &from, location, visited)
    };
    let rows: [(u16, Method, Option<&str>, Next); 11] = [
        (307, Method::POST, Some("/v2/apps/b"), Next::Follow(url("https://api.example.com/v2/apps/b"))),
        (308, Method::PATCH, Some("https://api.example.com/x"), Next::Follow(url("https://api.example.com/x"))),
        (302, Method::GET, Some("b"), Next::Follow(url("https://api.example.com/v2/apps/b"))),
        (301, Method::HEAD, Some("/y"), Next::Follow(url("https://api.example.com/y"))),
        (303, Method::POST, Some("/y"), Next::Stop("a request with a body is not re-sent as GET after a 301/302/303")),
        (
            302,
            Method::GET,
            Some("https://evil.example.com/"),
            Next::Stop("a redirect to another origin is not followed (credentials stay with the API's host)"),
        ),
        (
            307,
            Method::GET,
            Some("https://api.example.com:8443/"),
            Next::Stop("a redirect to another origin is not followed (credentials stay with the API's host)"),
        ),
        (302, Method::GET, None, Next::Stop("the redirect has no usable Location")),
        (302, Method::GET, Some("/v2/apps/a"), Next::Stop("redirect loop, or too many redirects")),
        (304, Method::GET, Some("/z"), Next::Stop("this 3xx status is not a redirect to follow")),
        (300, Method::GET, Some("/z"), Next::Stop("this 3xx status is not a redirect to follow")),
    ];
    for (status, method, location, expected) in rows {
        assert_eq!(go(status, method.clone(), location, &[]), expected, "{status} {method} {location:?}");
    }
    let visited = vec![url("https://api.example.com/y")];
    assert_eq!(go(302, Method::GET, Some("/y"), &visited), Next::Stop("redirect loop, or too many redirects"));
    let many: Vec<Url> = (0..MAX_HOPS).map(|i| url(&format!("https://api.example.com/{i}"))).collect();
    assert_eq!(go(302, Method::GET, Some("/new"), &many), Next::Stop("redirect loop, or too many redirects"));
    let http = Url::parse("http://api.example.com/a").unwrap();
    let upgrade = next(StatusCode::MOVED_PERMANENTLY, &Method::GET, &http, Some("https://api.example.com/a"), &[]);
    assert_eq!(upgrade, Next::Follow(url("https://api.example.com/a")));
    let downgrade = next(StatusCode::MOVED_PERMANENTLY, &Method::GET, &from, Some("http://api.example.com/a"), &[]);
    assert!(matches!(downgrade, Next::Stop(_)));
}
