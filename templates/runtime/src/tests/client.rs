//! Unit tests of `runtime/client.rs`.

use crate::runtime::auth::Auth;
use crate::runtime::client::*;
use std::sync::Arc;

#[test]
fn base_url_trims_trailing_slashes() {
    assert_eq!(BaseUrl::from("https://api.smooch.io/").as_str(), "https://api.smooch.io");
    assert_eq!(BaseUrl::from("https://x.zendesk.com/sc//".to_owned()).to_string(), "https://x.zendesk.com/sc");
    let client = Client::builder("https://api.smooch.io/").build().unwrap();
    assert_eq!(client.base_url(), "https://api.smooch.io");
}

#[test]
fn build_rejects_bad_settings() {
    for url in ["api.smooch.io", "ftp://x", "https://x/?a=1", "https://{subdomain}.zendesk.com/sc"] {
        assert!(matches!(Client::builder(url).build(), Err(BuildError::InvalidBaseUrl { .. })), "{url}");
    }
    let error = Client::builder("https://user:pw@x/sc").build().unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("pw") && !text.contains("user"), "{text}");
    let error = Client::builder("https://x").user_agent("a\nb").build().unwrap_err();
    assert!(matches!(error, BuildError::InvalidHeader { name: "user-agent" }));
    let error = Client::builder("https://x").auth(crate::runtime::auth::Auth::bearer("sec\nret")).build().unwrap_err();
    assert!(!format!("{error} {error:?}").contains("sec"));
}

#[test]
fn debug_shows_url_and_auth_kind_only() {
    let builder =
        Client::builder("https://api.smooch.io").auth(crate::runtime::auth::Auth::basic("app_1", "topsecret"));
    assert!(!format!("{builder:?}").contains("topsecret"));
    let client = builder.build().unwrap();
    let debug = format!("{client:?} {client:#?}");
    assert!(debug.contains("https://api.smooch.io"), "{debug}");
    assert!(debug.contains("basic"), "{debug}");
    assert!(!debug.contains("topsecret"), "{debug}");
    assert!(!debug.contains("app_1"), "{debug}");
    let client = Client::builder("https://x").auth(Auth::jwt("k", "jwtsecret", "scope", "app")).build().unwrap();
    assert!(!format!("{client:?}").contains("jwtsecret"));
    let cloned = client.clone();
    assert!(Arc::ptr_eq(&client.inner, &cloned.inner));
}
