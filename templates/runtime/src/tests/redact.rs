//! Unit tests of `runtime/redact.rs`: query credentials out of URLs and `Location`s.

use reqwest::Url;

use crate::runtime::redact::QuerySecrets;

const KEY: &str = "k3y-value-0123456789";

fn secrets() -> QuerySecrets<'static> {
    QuerySecrets::from_keys([Some(("api_key", KEY)), Some(("token", "short"))])
}

#[test]
fn a_query_key_keeps_its_name_and_loses_its_value() {
    let cases = [
        // (as sent or received, as shown)
        (
            format!("https://api.example/v2/x?page=2&api_key={KEY}"),
            "https://api.example/v2/x?page=2&api_key=[redacted]",
        ),
        (format!("/v2/x?api_key={KEY}#top"), "/v2/x?api_key=[redacted]#top"),
        // The name percent-encoded, the other key by name, a key under another name.
        (format!("/v2/x?api%5Fkey={KEY}&token=short"), "/v2/x?api%5Fkey=[redacted]&token=[redacted]"),
        (format!("/v2/x?other={KEY}"), "/v2/x?other=[redacted]"),
        // A long key anywhere else, also percent-encoded.
        (format!("/v2/{KEY}/x"), "/v2/[redacted]/x"),
        // Nothing to redact: the text as it is.
        ("/v2/x?page=2&short=1".to_owned(), "/v2/x?page=2&short=1"),
    ];
    for (given, shown) in cases {
        assert_eq!(secrets().text(&given), shown, "{given}");
    }
    // A key whose value needs encoding is found encoded too.
    let spaced = QuerySecrets::from_keys([Some(("api_key", "a key/with spaces")), None]);
    assert_eq!(spaced.text("/v2/x?a=a%20key%2Fwith%20spaces"), "/v2/x?a=[redacted]");
    assert_eq!(spaced.text("/v2/x?api_key=a+key%2Fwith+spaces"), "/v2/x?api_key=[redacted]");
}

#[test]
fn a_url_stays_a_url_and_nothing_is_done_without_keys() {
    let url = Url::parse(&format!("http://127.0.0.1:8080/v2/apps/a?api_key={KEY}&b=1")).unwrap();
    let redacted = secrets().url(&url).unwrap();
    assert_eq!(redacted.as_str(), "http://127.0.0.1:8080/v2/apps/a?api_key=[redacted]&b=1");
    let none = QuerySecrets::default();
    assert!(none.is_empty());
    assert_eq!(none.text(url.as_str()), url.as_str());
}
