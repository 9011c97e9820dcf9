//! The local TLS server of `tests/tls.rs` and `tests/tls_app_provider.rs`: 127.0.0.1,
//! a test certificate (`tests/tls/`: a test CA, and a `localhost` / `127.0.0.1`
//! certificate it signed; private keys of no value, valid until 2125), rustls with
//! aws-lc-rs offering X25519MLKEM768 then X25519, so the group it reports shows which
//! provider the client had: aws-lc-rs sends an X25519MLKEM768 key share first, *ring*
//! has no post-quantum group and gets X25519.

use std::sync::Arc;

use rustls::NamedGroup;
use rustls::crypto::aws_lc_rs::{self, kx_group};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sunshine_conversations::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

pub const CA: &[u8] = include_bytes!("ca.pem");
pub const CERT: &[u8] = include_bytes!("server.pem");
const KEY: &[u8] = include_bytes!("server.key");

pub const BODY: &str = r#"{"conversation":{"id":"c1","type":"personal"}}"#;

/// What the server saw of one connection: the request head and the key-exchange group
/// the handshake negotiated.
#[derive(Debug)]
pub struct Seen {
    pub head: String,
    pub group: Option<NamedGroup>,
}

/// A TLS server answering every request on its connections with `BODY`; returns its
/// port and a receiver of what it saw.
pub async fn tls_server() -> (u16, tokio::sync::mpsc::UnboundedReceiver<Seen>) {
    let provider = rustls::crypto::CryptoProvider {
        kx_groups: vec![kx_group::X25519MLKEM768, kx_group::X25519],
        ..aws_lc_rs::default_provider()
    };
    let certs = vec![CertificateDer::from_pem_slice(CERT).expect("test certificate")];
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("test key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("address").port();
    let (seen, received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                // A failed handshake (the untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let group = tls.get_ref().1.negotiated_key_exchange_group().map(|group| group.name());
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = seen.send(Seen { head: String::from_utf8_lossy(&head).into_owned(), group });
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

/// A client of the server at `port` trusting the test CA (only), through
/// `configure_http`: the crate's own TLS stack with the provider it chose.
pub fn trusting_client(port: u16) -> Result<Client, sunshine_conversations::BuildError> {
    Client::builder(format!("https://127.0.0.1:{port}"))
        .basic_auth("app_key_id", "app_key_secret")
        .configure_http(|http| {
            let ca = reqwest::Certificate::from_pem(CA).expect("test CA");
            http.no_proxy().tls_certs_only([ca])
        })
        .build()
}

/// One GET through `client`: checks the answer and the request head, and returns the
/// group the handshake negotiated.
pub async fn call(client: &Client, seen: &mut tokio::sync::mpsc::UnboundedReceiver<Seen>) -> NamedGroup {
    let response = client.get_conversation("app1", "c1").send().await.expect("HTTPS call");
    assert_eq!(response.status(), 200);
    let conversation = response.body().conversation.as_ref().expect("conversation");
    assert_eq!(conversation.id.as_deref(), Some("c1"));
    let Seen { head, group } = seen.recv().await.expect("the server read a request");
    assert!(head.starts_with("GET /v2/apps/app1/conversations/c1 HTTP/1.1\r\n"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nauthorization: basic "), "{head}");
    group.expect("a TLS 1.3 handshake negotiates a group")
}
