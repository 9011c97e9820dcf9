//! A minimal HTTP/1.1 keep-alive server on 127.0.0.1 with canned responses, on its own
//! thread and tokio runtime so it does not share a scheduler with the clients.
//!
//! Routes (by path only; the query is not interpreted):
//! - `GET /v2/apps/{appId}/conversations/{conversationId}`: one conversation;
//! - `GET /v2/apps/{appId}/conversations`: 100 conversations;
//! - anything else: 404 with an error body.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How many conversations the list response carries.
pub const LIST_SIZE: usize = 100;

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

/// Canned responses: full HTTP response bytes, head and body.
struct Responses {
    get: Vec<u8>,
    list: Vec<u8>,
    not_found: Vec<u8>,
}

/// One conversation as the API returns it.
pub fn conversation(i: usize) -> Value {
    json!({
        "id": format!("{:024x}", 0x5f2b_3c4d_5e6f_7081_92a3_b4c5_u128 + i as u128),
        "type": "personal",
        "metadata": { "lang": "en-ca", "tier": "gold", "order": i },
        "activeSwitchboardIntegration": {
            "id": "5ef21b86e933b7355c11c604",
            "name": "zd-agentWorkspace",
            "integrationId": "5ef21b86e933b7355c11c605",
            "integrationType": "zd:agentWorkspace"
        },
        "isDefault": i == 0,
        "displayName": format!("Conversation {i}"),
        "description": "A conversation between a customer and the support team.",
        "iconUrl": "https://www.gravatar.com/image.jpg",
        "businessLastRead": "2025-06-01T12:00:00.000Z",
        "lastUpdatedAt": "2025-06-02T08:30:00.000Z",
        "createdAt": "2025-05-30T17:45:12.345Z"
    })
}

/// The GetConversation and ListConversations response bodies.
pub fn bodies() -> (String, String) {
    let get = json!({ "conversation": conversation(0) });
    let list = json!({
        "conversations": (0..LIST_SIZE).map(conversation).collect::<Vec<_>>(),
        "meta": {
            "hasMore": true,
            "afterCursor": "5f2b3c4d5e6f708192a3b528",
            "beforeCursor": "5f2b3c4d5e6f708192a3b4c5"
        },
        "links": {
            "next": "https://api.smooch.io/v2/apps/app_bench/conversations?filter[userId]=user_bench&page[after]=5f2b3c4d5e6f708192a3b528"
        }
    });
    (get.to_string(), list.to_string())
}

fn response(status: &str, body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Starts the server on its own thread; returns its base URL and record.
pub fn start() -> (String, Arc<Record>) {
    let (get, list) = bodies();
    let responses = Arc::new(Responses {
        get: response("200 OK", &get),
        list: response("200 OK", &list),
        not_found: response("404 Not Found", r#"{"errors":[{"code":"not_found","title":"Not found"}]}"#),
    });
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
        let (route, reply) = route(path, &responses);
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

fn route<'a>(path: &str, responses: &'a Responses) -> (&'static str, &'a [u8]) {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["v2", "apps", _, "conversations", _] => ("GetConversation", &responses.get),
        ["v2", "apps", _, "conversations"] => ("ListConversations", &responses.list),
        _ => ("not found", &responses.not_found),
    }
}

fn content_length(head: &str) -> usize {
    head.split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}
