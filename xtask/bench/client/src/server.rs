//! A minimal HTTP/1.1 keep-alive server on 127.0.0.1 with canned responses, on its own
//! thread and tokio runtime so it does not share a scheduler with the clients.
//!
//! Routes (by path only; the query is not interpreted):
//! - `GET /v2/apps/{appId}/conversations/{conversationId}`: one conversation;
//! - `GET /v2/apps/{appId}/conversations`: 100 conversations;
//! - `GET /v2/apps/{appId}/conversations/{conversationId}/messages`: 100 messages;
//! - anything else: 404 with an error body.
//!
//! The two lists are sent gzip-compressed (compressed once, at startup) when the
//! request's `Accept-Encoding` lists gzip, uncompressed otherwise.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use flate2::Compression;
use flate2::write::GzEncoder;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::bodies;

/// What the server saw, for checking that two clients send the same bytes.
#[derive(Default)]
pub struct Record {
    /// Record every request head while set.
    pub capturing: AtomicBool,
    /// Request heads recorded while `capturing`, in arrival order.
    pub captured: Mutex<Vec<Vec<u8>>>,
    /// The first request head seen per route, always recorded.
    pub first: Mutex<BTreeMap<&'static str, String>>,
    /// Requests served per route.
    pub counts: Mutex<BTreeMap<&'static str, u64>>,
}

impl Record {
    /// Runs `f` while recording request heads and returns them.
    pub async fn capture<F: Future<Output = ()>>(&self, f: F) -> Vec<Vec<u8>> {
        self.captured.lock().unwrap().clear();
        self.capturing.store(true, Ordering::SeqCst);
        f.await;
        self.capturing.store(false, Ordering::SeqCst);
        std::mem::take(&mut *self.captured.lock().unwrap())
    }
}

/// One route's canned response, as sent on the wire (head and body).
pub struct Canned {
    /// Uncompressed.
    pub identity: Vec<u8>,
    /// gzip-compressed (`Content-Encoding: gzip`), for requests that accept it; `None`
    /// where the route is always sent uncompressed.
    pub gzip: Option<Vec<u8>>,
}

impl Canned {
    fn plain(status: &str, body: &str) -> Self {
        Self { identity: response(status, body.as_bytes(), None), gzip: None }
    }

    /// Compressed once, here, at startup.
    fn compressible(body: &str) -> Self {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(body.as_bytes()).expect("gzip into memory");
        let compressed = encoder.finish().expect("gzip into memory");
        Self {
            identity: response("200 OK", body.as_bytes(), None),
            gzip: Some(response("200 OK", &compressed, Some("gzip"))),
        }
    }

    fn reply(&self, accepts_gzip: bool) -> &[u8] {
        match &self.gzip {
            Some(gzip) if accepts_gzip => gzip,
            _ => &self.identity,
        }
    }
}

/// The canned responses by route.
pub struct Responses {
    /// GetConversation: one conversation, never compressed.
    pub get: Canned,
    /// ListConversations: 100 conversations.
    pub list: Canned,
    /// ListMessages: 100 messages.
    pub messages: Canned,
    not_found: Canned,
}

impl Responses {
    /// Builds (and compresses) every response.
    pub fn new() -> Self {
        Self {
            get: Canned::plain("200 OK", &bodies::get_conversation()),
            list: Canned::compressible(&bodies::list_conversations()),
            messages: Canned::compressible(&bodies::list_messages()),
            not_found: Canned::plain("404 Not Found", r#"{"errors":[{"code":"not_found","title":"Not found"}]}"#),
        }
    }
}

fn response(status: &str, body: &[u8], encoding: Option<&str>) -> Vec<u8> {
    let encoding = encoding.map_or(String::new(), |e| format!("content-encoding: {e}\r\n"));
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{encoding}content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Starts the server on its own thread; returns its base URL and record.
pub fn start() -> (String, Arc<Record>) {
    let responses = Arc::new(Responses::new());
    let record = Arc::new(Record::default());
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("nonblocking listener");
    let base = format!("http://{}", std_listener.local_addr().expect("local address"));
    let shared = Arc::clone(&record);
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("tokio listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else { continue };
                    tokio::spawn(connection(stream, Arc::clone(&responses), Arc::clone(&shared)));
                }
            });
        })
        .expect("spawn server thread");
    (base, record)
}

/// Serves one keep-alive connection until the client closes it.
async fn connection(mut stream: TcpStream, responses: Arc<Responses>, record: Arc<Record>) {
    let _ = stream.set_nodelay(true);
    let mut buffer: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let body_len = content_length(&head);
        while buffer.len() < head_end + body_len {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let target = head.split(' ').nth(1).unwrap_or("");
        let path = target.split('?').next().unwrap_or("");
        let (route, canned) = route(path, &responses);
        let reply = canned.reply(accepts_gzip(&head));
        if record.capturing.load(Ordering::Relaxed) {
            record.captured.lock().unwrap().push(buffer[..head_end + body_len].to_vec());
        }
        record.first.lock().unwrap().entry(route).or_insert_with(|| head.clone());
        *record.counts.lock().unwrap().entry(route).or_default() += 1;
        buffer.drain(..head_end + body_len);
        if stream.write_all(reply).await.is_err() {
            return;
        }
        if head.to_ascii_lowercase().contains("\r\nconnection: close") {
            return;
        }
    }
}

fn route<'a>(path: &str, responses: &'a Responses) -> (&'static str, &'a Canned) {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["v2", "apps", _, "conversations", _] => ("GetConversation", &responses.get),
        ["v2", "apps", _, "conversations"] => ("ListConversations", &responses.list),
        ["v2", "apps", _, "conversations", _, "messages"] => ("ListMessages", &responses.messages),
        _ => ("not found", &responses.not_found),
    }
}

/// The value of the first header called `name` in a request head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
}

fn content_length(head: &str) -> usize {
    header(head, "content-length").and_then(|value| value.parse().ok()).unwrap_or(0)
}

/// Whether the request's `Accept-Encoding` lists gzip (without `;q=0`).
fn accepts_gzip(head: &str) -> bool {
    header(head, "accept-encoding").is_some_and(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && !parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("q=0"))
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn gzip_is_served_when_accepted() {
        assert!(super::accepts_gzip("GET / HTTP/1.1\r\naccept-encoding: gzip\r\n\r\n"));
        assert!(super::accepts_gzip("GET / HTTP/1.1\r\nAccept-Encoding: br, gzip;q=0.5\r\n\r\n"));
        assert!(!super::accepts_gzip("GET / HTTP/1.1\r\nAccept-Encoding: identity\r\n\r\n"));
        assert!(!super::accepts_gzip("GET / HTTP/1.1\r\naccept-encoding: gzip;q=0\r\n\r\n"));
        assert!(!super::accepts_gzip("GET / HTTP/1.1\r\n\r\n"));
    }
}
