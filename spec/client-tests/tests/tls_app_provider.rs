//! The application installed a rustls process default before building a client: the
//! crate uses it and installs nothing of its own, whatever its features. The
//! application's provider is the other one than the features would choose, so the
//! negotiated group (see `tls/server.rs`) tells which was used: *ring* (X25519) when
//! the crate would use aws-lc-rs, aws-lc-rs with X25519MLKEM768 first otherwise.
//! `cargo xtask test` runs it with each feature set, as `tls.rs`; a process of its own,
//! since a process default cannot be uninstalled.

#[path = "tls/server.rs"]
#[allow(dead_code, reason = "shared with tls.rs; this file uses part of it")]
mod server;

use std::sync::Arc;

use rustls::NamedGroup;
use rustls::crypto::CryptoProvider;
use server::{call, tls_server, trusting_client};

/// The application's provider and the group it gets from the server.
fn application_provider() -> (CryptoProvider, NamedGroup) {
    if cfg!(feature = "rustls-aws-lc-rs") {
        (ring_provider(), NamedGroup::X25519)
    } else {
        use rustls::crypto::aws_lc_rs::{self, kx_group};
        let provider = CryptoProvider {
            kx_groups: vec![kx_group::X25519MLKEM768, kx_group::X25519],
            ..aws_lc_rs::default_provider()
        };
        (provider, NamedGroup::X25519MLKEM768)
    }
}

#[allow(deprecated, reason = "rustls 0.23.48 deprecates *ring* (no post-quantum key exchange); still supported")]
fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

#[tokio::test]
async fn the_applications_process_default_is_used_and_kept() {
    let (provider, expected) = application_provider();
    provider.install_default().expect("the first provider installed in this process");
    let installed: *const CryptoProvider = Arc::as_ptr(CryptoProvider::get_default().expect("installed"));
    let (port, mut seen) = tls_server().await;
    let client = trusting_client(port).expect("client");
    sunshine_conversations::install_crypto_provider();
    let group = call(&client, &mut seen).await;
    println!("negotiated key-exchange group: {group:?}");
    assert_eq!(group, expected, "the application's provider was used");
    let after = Arc::as_ptr(CryptoProvider::get_default().expect("still installed"));
    assert!(std::ptr::eq(installed, after), "the process default is still the application's");
}
