//! Unit tests of `runtime/encode.rs`.

use crate::runtime::encode::*;
use crate::runtime::error::ValidationError;
use serde::Serialize;
use serde_json::json;

fn path_with(value: &str) -> Result<String, ValidationError> {
    let mut path = UrlPath::new();
    path.literal("/v2/apps/");
    path.param("appId", value)?;
    path.literal("/users");
    Ok(path.finish())
}

#[test]
fn path_params_are_one_segment() {
    assert_eq!(path_with("abc-1.2_3~").unwrap(), "/v2/apps/abc-1.2_3~/users");
    assert_eq!(path_with("a/b?c#d%e f").unwrap(), "/v2/apps/a%2Fb%3Fc%23d%25e%20f/users");
    assert_eq!(path_with("é+&=;:@").unwrap(), "/v2/apps/%C3%A9%2B%26%3D%3B%3A%40/users");
    assert_eq!(path_with("...").unwrap(), "/v2/apps/.../users");
    assert_eq!(path_with("%2E%2E").unwrap(), "/v2/apps/%252E%252E/users");
}

#[test]
fn dot_segments_and_empty_are_rejected() {
    for value in ["", ".", ".."] {
        let error = path_with(value).unwrap_err();
        assert_eq!(error.path, "appId");
        assert!(error.rule.starts_with("a path segment cannot be empty, '.' or '..'"));
    }
}

#[test]
fn query_is_byte_exact() {
    let mut query = Query::new();
    query.push("filter[userId]", "abc");
    query.push("page[after]", "x");
    query.push("page[size]", 10);
    assert_eq!(query.encode(), "filter[userId]=abc&page[after]=x&page[size]=10");

    let mut query = Query::new();
    query.push("q", "a b&c=d+e#f[g]%~");
    query.push("name with space", "ü");
    assert_eq!(query.encode(), "q=a%20b%26c%3Dd%2Be%23f%5Bg%5D%25~&name%20with%20space=%C3%BC");
    assert!(!query.is_empty());
    assert!(Query::new().is_empty());
    assert_eq!(Query::new().encode(), "");
}

#[test]
fn push_each_explodes() {
    let mut query = Query::new();
    query.push_each("types", &["user", "business"]);
    query.push_each::<u8>("none", &[]);
    assert_eq!(query.encode(), "types=user&types=business");
}

#[test]
fn deep_object() {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Page {
        size: Option<u32>,
        after: Option<String>,
        before: Option<String>,
    }
    let mut query = Query::new();
    query.push_deep_object("filter", &json!({"userId": "abc", "externalId": null}), true).unwrap();
    query.push_deep_object("page", &Page { size: Some(10), after: Some("x".into()), before: None }, false).unwrap();
    assert_eq!(query.encode(), "filter[userId]=abc&page[after]=x&page[size]=10");

    let mut query = Query::new();
    query
        .push_deep_object(
            "f",
            &json!({"b": true, "n": 1.5, "tags": ["a b", "c"], "o": {"x": {"y": 1}}, "s": "&="}),
            false,
        )
        .unwrap();
    assert_eq!(query.encode(), "f[b]=true&f[n]=1.5&f[o][x][y]=1&f[s]=%26%3D&f[tags]=a%20b&f[tags]=c");

    let mut query = Query::new();
    query.push_deep_object("empty", &json!({}), false).unwrap();
    query.push_deep_object("nothing", &json!(null), false).unwrap();
    assert!(query.is_empty());
    // A required parameter with nothing set would not reach the server at all.
    let error = query.push_deep_object("filter", &json!({"userId": null}), true).unwrap_err();
    assert_eq!(error.path, "filter");
    assert!(error.rule.contains("required"), "{}", error.rule);
}

#[test]
fn url_crate_keeps_the_encoding() {
    let mut query = Query::new();
    query.push("filter[userId]", "a b/c%");
    query.push("page[size]", 10);
    let path = path_with("a/b c").unwrap();
    let url = format!("https://api.example.com/sc{path}?{}", query.encode());
    assert_eq!(url, "https://api.example.com/sc/v2/apps/a%2Fb%20c/users?filter[userId]=a%20b%2Fc%25&page[size]=10");
    let parsed = reqwest::Url::parse(&url).unwrap();
    assert_eq!(parsed.as_str(), url);
    assert_eq!(parsed.path(), "/sc/v2/apps/a%2Fb%20c/users");
    assert_eq!(parsed.query(), Some("filter[userId]=a%20b%2Fc%25&page[size]=10"));
    assert_eq!(parsed.path_segments().unwrap().count(), 5);
}

#[test]
fn a_form_body_is_encoded_as_html_forms_encode_it() {
    let value = serde_json::json!({
        "b": "x y/ü*-._~+",
        "a": [1, true, "z"],
        "n": null,
        "o": {"k": "v w", "deep": {"e": 1.5}},
        "empty": "",
    });
    assert_eq!(
        crate::runtime::encode::form(&value).unwrap(),
        "a=1&a=true&a=z&b=x+y%2F%C3%BC*-._%7E%2B&empty=&o%5Bdeep%5D%5Be%5D=1.5&o%5Bk%5D=v+w"
    );
    assert_eq!(crate::runtime::encode::form(&serde_json::json!({})).unwrap(), "");
    let refused = crate::runtime::encode::form(&serde_json::json!(["not", "an", "object"])).unwrap_err();
    assert_eq!(refused.to_string(), "body: must be an object to be sent as a form");
}
