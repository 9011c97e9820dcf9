//! HTTPS with the generated client's own TLS stack (rustls with the *ring* provider,
//! installed by `Client::builder`): a local TLS server on 127.0.0.1 with a test
//! certificate (`tests/tls/`: a test CA, and a `localhost` / `127.0.0.1` certificate it
//! signed; private keys of no value, valid until 2125).
//!
//! The client trusts the test CA through `configure_http`; without it the handshake
//! must fail (so verification is really on).

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sunshine_conversations::{Client, Error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const CA: &[u8] = include_bytes!("tls/ca.pem");
const CERT: &[u8] = include_bytes!("tls/server.pem");
const KEY: &[u8] = include_bytes!("tls/server.key");

const BODY: &str = r#"{"conversation":{"id":"c1","type":"personal"}}"#;

/// A TLS server answering every request on its connections with `BODY`; returns its
/// port and a receiver of the request heads it read.
async fn tls_server() -> (u16, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = vec![CertificateDer::from_pem_slice(CERT).expect("test certificate")];
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("test key");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    let (heads, received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            let heads = heads.clone();
            tokio::spawn(async move {
                // A failed handshake (the untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{BODY}",
                    BODY.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, received)
}

fn trusting_client(port: u16) -> Client {
    Client::builder(format!("https://127.0.0.1:{port}"))
        .basic_auth("app_key_id", "app_key_secret")
        .configure_http(|http| {
            let ca = reqwest::Certificate::from_pem(CA).expect("test CA");
            http.no_proxy().tls_certs_only([ca])
        })
        .build()
        .expect("client")
}

#[tokio::test]
async fn an_https_call_works_with_the_ring_provider() {
    let (port, mut heads) = tls_server().await;
    let client = trusting_client(port);
    let response = client.get_conversation("app1", "c1").send().await.expect("HTTPS call");
    assert_eq!(response.status(), 200);
    let conversation = response.body().conversation.as_ref().expect("conversation");
    assert_eq!(conversation.id.as_deref(), Some("c1"));
    let head = heads.recv().await.expect("the server read a request");
    assert!(head.starts_with("GET /v2/apps/app1/conversations/c1 HTTP/1.1\r\n"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nauthorization: basic "), "{head}");
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let (port, mut heads) = tls_server().await;
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
    assert!(heads.try_recv().is_err(), "no request may reach an unverified server");
}

#[tokio::test]
async fn the_default_roots_do_not_trust_the_test_ca() {
    let (port, mut heads) = tls_server().await;
    let client = Client::builder(format!("https://127.0.0.1:{port}"))
        .basic_auth("app_key_id", "app_key_secret")
        .configure_http(|http| http.no_proxy())
        .build()
        .expect("client");
    let error = client.get_conversation("app1", "c1").send().await.expect_err("handshake must fail");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(heads.try_recv().is_err(), "no request may reach an unverified server");
}
