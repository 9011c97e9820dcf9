//! HTTPS with the generated client's own TLS stack, for each TLS provider feature of the
//! crate: `cargo xtask test` runs this file with the default (`rustls-aws-lc-rs`), with
//! `--no-default-features --features rustls-ring`, with no provider feature and with
//! both (`--all-features`). The server (`tls/server.rs`, on 127.0.0.1 with the test CA)
//! reports the key-exchange group it negotiated, which names the client's provider:
//! X25519MLKEM768 (post-quantum hybrid) for aws-lc-rs, X25519 for *ring*.
//!
//! The client trusts the test CA through `configure_http`; without it the handshake must
//! fail (so verification is really on). No test here installs a process default before
//! the crate does: `tls_app_provider.rs` does, in a process of its own.

#[path = "tls/server.rs"]
#[allow(dead_code, reason = "shared with tls_app_provider.rs; each feature set uses part of it")]
mod server;

use rustls::NamedGroup;
use rustls::crypto::CryptoProvider;

#[cfg(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring"))]
mod with_a_provider_feature {
    use super::*;
    use server::{CERT, call, tls_server, trusting_client};
    use sunshine_conversations::{Client, Error};

    /// The group the features' provider gets from the server: aws-lc-rs (which wins
    /// when both features are on) offers X25519MLKEM768 first, *ring* has no
    /// post-quantum group.
    const EXPECTED: NamedGroup =
        if cfg!(feature = "rustls-aws-lc-rs") { NamedGroup::X25519MLKEM768 } else { NamedGroup::X25519 };

    #[tokio::test]
    async fn an_https_call_works_with_the_features_provider() {
        let (port, mut seen) = tls_server().await;
        let client = trusting_client(port).expect("client");
        let group = call(&client, &mut seen).await;
        println!("negotiated key-exchange group: {group:?}");
        assert_eq!(group, EXPECTED);
    }

    /// aws-lc-rs: the post-quantum hybrid, and reqwest used the provider by itself, so
    /// the process default is still the application's to install.
    #[cfg(feature = "rustls-aws-lc-rs")]
    #[tokio::test]
    async fn the_aws_lc_rs_feature_negotiates_x25519mlkem768_and_installs_nothing() {
        let (port, mut seen) = tls_server().await;
        let client = trusting_client(port).expect("client");
        assert_eq!(call(&client, &mut seen).await, NamedGroup::X25519MLKEM768);
        assert!(CryptoProvider::get_default().is_none(), "the crate installed a process default");
    }

    /// *ring* alone: reqwest only reads the process default, so the builder installed
    /// *ring* there (no application provider was installed).
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
    #[tokio::test]
    async fn the_ring_feature_is_installed_as_the_process_default() {
        let (port, mut seen) = tls_server().await;
        let client = trusting_client(port).expect("client");
        let installed = CryptoProvider::get_default().expect("Client::builder installs *ring*");
        assert!(installed.kx_groups.iter().all(|group| group.name() != NamedGroup::X25519MLKEM768), "not *ring*");
        assert_eq!(call(&client, &mut seen).await, NamedGroup::X25519);
    }

    #[tokio::test]
    async fn an_untrusted_certificate_is_refused() {
        let (port, mut seen) = tls_server().await;
        // Trusts only a root that did not sign the server's certificate: the server's own
        // leaf, which is not a CA.
        let client = Client::builder(format!("https://127.0.0.1:{port}"))
            .basic_auth("app_key_id", "app_key_secret")
            .configure_http(|http| {
                let leaf = reqwest::Certificate::from_pem(CERT).expect("test leaf");
                http.no_proxy().tls_certs_only([leaf])
            })
            .build()
            .expect("client");
        let error = client.get_conversation("app1", "c1").send().await.expect_err("handshake must fail");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let text = error.to_string();
        assert!(text.contains("certificate") || text.contains("Certificate"), "names the cause: {text}");
        assert!(!text.contains("app_key_secret"), "{text}");
        assert!(seen.try_recv().is_err(), "no request may reach an unverified server");
    }

    #[tokio::test]
    async fn the_default_roots_do_not_trust_the_test_ca() {
        let (port, mut seen) = tls_server().await;
        let client = Client::builder(format!("https://127.0.0.1:{port}"))
            .basic_auth("app_key_id", "app_key_secret")
            .configure_http(|http| http.no_proxy())
            .build()
            .expect("client");
        let error = client.get_conversation("app1", "c1").send().await.expect_err("handshake must fail");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert!(seen.try_recv().is_err(), "no request may reach an unverified server");
    }
}

/// No provider feature: no provider of the crate's is compiled, so the application
/// brings one. One test, in order, since the process default cannot be uninstalled.
#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
#[tokio::test]
async fn without_a_provider_feature_the_application_brings_the_provider() {
    use std::sync::Arc;

    use rustls::crypto::aws_lc_rs::{self, kx_group};
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use server::{CA, call, tls_server, trusting_client};
    use sunshine_conversations::{BuildError, Client};

    let (port, mut seen) = tls_server().await;
    // Nothing installed and no client given: a typed error, where reqwest would panic.
    sunshine_conversations::install_crypto_provider();
    assert!(CryptoProvider::get_default().is_none(), "no provider feature: nothing to install");
    let error = trusting_client(port).expect_err("no provider anywhere");
    assert!(matches!(error, BuildError::NoCryptoProvider), "{error:?}");
    assert!(error.to_string().contains("rustls-aws-lc-rs"), "says what to do: {error}");

    // The application's own client, its rustls configuration naming its provider
    // (aws-lc-rs, post-quantum first): no process default needed.
    let provider = rustls::crypto::CryptoProvider {
        kx_groups: vec![kx_group::X25519MLKEM768, kx_group::X25519],
        ..aws_lc_rs::default_provider()
    };
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(CA).expect("test CA")).expect("root");
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let http = reqwest::Client::builder().no_proxy().tls_backend_preconfigured(tls).build().expect("its client");
    let client = Client::builder(format!("https://127.0.0.1:{port}"))
        .basic_auth("app_key_id", "app_key_secret")
        .http_client(http)
        .build()
        .expect("a client of the application's");
    assert_eq!(call(&client, &mut seen).await, NamedGroup::X25519MLKEM768);
    assert!(CryptoProvider::get_default().is_none());

    // The application installs a process default (*ring*): the crate's own TLS stack
    // uses it.
    ring_provider().install_default().expect("nothing installed yet");
    let client = trusting_client(port).expect("the application's process default");
    assert_eq!(call(&client, &mut seen).await, NamedGroup::X25519);
}

/// rustls' *ring* provider, as an application that chose it installs it.
#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
#[allow(deprecated, reason = "rustls 0.23.48 deprecates *ring* (no post-quantum key exchange); still supported")]
fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}
