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

// The TLS provider per feature set: `cargo xtask test` runs the `provider_` tests (and
// the JWT tests) with `--no-default-features`, alone and with `--features rustls-ring`;
// the default is `rustls-aws-lc-rs`; clippy `--all-features` builds both.

/// aws-lc-rs prefers the post-quantum hybrid (rustls' `prefer-post-quantum`), and wins
/// when both features are on.
#[cfg(feature = "rustls-aws-lc-rs")]
#[test]
fn provider_aws_lc_rs_prefers_x25519mlkem768() {
    let provider = features_provider().expect("a provider");
    let groups: Vec<rustls::NamedGroup> = provider.kx_groups.iter().map(|group| group.name()).collect();
    assert_eq!(groups.first(), Some(&rustls::NamedGroup::X25519MLKEM768), "{groups:?}");
}

/// aws-lc-rs: reqwest has it by itself, so building a client installs no process
/// default (no test of this crate installs one either).
#[cfg(feature = "rustls-aws-lc-rs")]
#[test]
fn provider_aws_lc_rs_leaves_the_process_default_alone() {
    Client::builder("https://api.smooch.io").build().unwrap();
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
}

/// *ring* alone: the builder installs it, since reqwest reads only the process default.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
#[test]
fn provider_ring_is_installed_by_the_builder() {
    let groups = |provider: &rustls::crypto::CryptoProvider| -> Vec<rustls::NamedGroup> {
        provider.kx_groups.iter().map(|group| group.name()).collect()
    };
    let ring = features_provider().expect("a provider");
    assert!(!groups(&ring).contains(&rustls::NamedGroup::X25519MLKEM768), "*ring* has no post-quantum group");
    Client::builder("https://api.smooch.io").build().unwrap();
    let installed = rustls::crypto::CryptoProvider::get_default().expect("installed by the builder");
    assert_eq!(groups(installed), groups(&ring));
}

/// No provider feature, nothing installed, no client given: a typed error (reqwest
/// would panic), and `install_crypto_provider` has nothing to install.
#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
#[test]
fn provider_none_is_a_build_error() {
    assert!(features_provider().is_none());
    install_crypto_provider();
    assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    for url in ["https://api.smooch.io", "http://127.0.0.1:1"] {
        let error = Client::builder(url).auth(Auth::basic("app_1", "topsecret")).build().unwrap_err();
        assert!(matches!(error, BuildError::NoCryptoProvider), "{error:?}");
        let text = error.to_string();
        assert!(text.contains("rustls-aws-lc-rs") && text.contains("http_client"), "{text}");
        assert!(!text.contains("topsecret"), "{text}");
    }
    // Settings are still checked first.
    assert!(matches!(Client::builder("ftp://x").build(), Err(BuildError::InvalidBaseUrl { .. })));
}
