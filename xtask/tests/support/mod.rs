//! A small in-process HTTP/1.1 server for integration tests.
//!
//! [`TestServer`] binds `127.0.0.1:0`, records every request as it arrived
//! (request line, headers in order and as spelled, raw head bytes, body bytes)
//! and answers with [`Reply`]s: canned ones in order ([`TestServer::start`]) or
//! computed by a handler ([`TestServer::with_handler`]). Connections are kept
//! alive unless the client or the reply asks for `connection: close`; every
//! connection runs in its own task, so a delayed reply never holds up another
//! connection. Dropping the server stops it and all its connections.
//!
//! Generic on purpose: nothing here knows about the API under test.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Largest request head or body the server accepts (a test bug otherwise).
const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// A response to send.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers, written in order, after `content-length`.
    pub headers: Vec<(String, String)>,
    /// Body bytes; `content-length` is set from their length.
    pub body: Vec<u8>,
    /// Wait before writing anything.
    pub delay: Duration,
    /// Wait between the head and the body.
    pub body_delay: Duration,
    /// Close the connection (after `delay`) without answering.
    pub hang_up: bool,
}

impl Reply {
    /// A reply with this status, no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            body_delay: Duration::ZERO,
            hang_up: false,
        }
    }

    /// Closes the connection without answering: the client sees a
    /// transport error.
    pub fn hang_up() -> Self {
        Self { hang_up: true, ..Self::new(0) }
    }

    /// A JSON reply (`content-type: application/json`).
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::text(status, "application/json", body.to_string())
    }

    /// A reply with `content-type: application/json` and this exact body text,
    /// valid JSON or not.
    pub fn json_text(status: u16, body: &str) -> Self {
        Self::text(status, "application/json", body)
    }

    /// A reply with this content type and body.
    pub fn text(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        let mut reply = Self::new(status).header("content-type", content_type);
        reply.body = body.into();
        reply
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the head at once, then waits this long before the body.
    pub fn body_delay(mut self, delay: Duration) -> Self {
        self.body_delay = delay;
        self
    }

    fn closes(&self) -> bool {
        self.headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close"))
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// 0-based arrival order across all connections.
    pub index: usize,
    /// 0-based number of the connection it came on.
    pub connection: usize,
    /// The request line, e.g. `GET /a?b=c HTTP/1.1`.
    pub request_line: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target exactly as sent: path and query.
    pub target: String,
    /// `HTTP/1.1`.
    pub version: String,
    /// Header fields in order, names as spelled by the client, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The raw head: request line and headers up to and including the
    /// blank line.
    pub head: Vec<u8>,
    /// The body bytes (chunked bodies de-chunked).
    pub body: Vec<u8>,
    /// Whether the body came with `transfer-encoding: chunked`.
    pub chunked: bool,
}

impl Recorded {
    /// The target's path (before any `?`).
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(p, _)| p)
    }

    /// The target's query (after the first `?`), if any.
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }

    /// Every value of a header, by case-insensitive name, in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect()
    }

    /// The body as lossy UTF-8.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON; panics with the body text if it is not JSON.
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("request body is not JSON ({error}): {:?}", self.body_text()))
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    connections: AtomicUsize,
    handler: Box<Handler>,
}

/// The server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl TestServer {
    /// Answers the n-th request with `replies[n]`; requests beyond the list
    /// get a `500` with a `text/plain` body saying so.
    pub async fn start(replies: Vec<Reply>) -> Self {
        let queue = Mutex::new(VecDeque::from(replies));
        Self::with_handler(move |request| {
            queue.lock().unwrap().pop_front().unwrap_or_else(|| {
                Reply::text(
                    500,
                    "text/plain",
                    format!(
                        "test server: no canned reply left for request #{} ({})",
                        request.index, request.request_line
                    ),
                )
            })
        })
        .await
    }

    /// Answers every request with `handler(request)`.
    pub async fn with_handler(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            handler: Box::new(handler),
        });
        let accept_shared = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            // Owned by this task: aborting it drops the set, which aborts
            // every connection task too.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let id = accept_shared.connections.fetch_add(1, Ordering::SeqCst);
                        connections.spawn(serve_connection(stream, id, Arc::clone(&accept_shared)));
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Self { addr, shared, task }
    }

    /// `http://127.0.0.1:<port>`, without a trailing `/`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.shared.requests.lock().unwrap().len()
    }

    /// How many TCP connections were accepted (with or without a request).
    pub fn connection_count(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// The only request received; panics unless there was exactly one.
    pub fn single_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {:#?}",
            requests.iter().map(|r| &r.request_line).collect::<Vec<_>>()
        );
        requests.into_iter().next().unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(mut stream: TcpStream, connection: usize, shared: Arc<Shared>) {
    let mut buffer = Vec::new();
    loop {
        let Some(mut request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        request.connection = connection;
        {
            let mut requests = shared.requests.lock().unwrap();
            request.index = requests.len();
            requests.push(request.clone());
        }
        let reply = (shared.handler)(&request);
        let close =
            reply.closes() || request.header_values("connection").iter().any(|v| v.eq_ignore_ascii_case("close"));
        if !reply.delay.is_zero() {
            tokio::time::sleep(reply.delay).await;
        }
        if reply.hang_up {
            let _ = stream.shutdown().await;
            return;
        }
        let mut head =
            format!("HTTP/1.1 {} {}\r\ncontent-length: {}\r\n", reply.status, reason(reply.status), reply.body.len());
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if stream.write_all(head.as_bytes()).await.is_err() || stream.flush().await.is_err() {
            return;
        }
        if !reply.body_delay.is_zero() {
            tokio::time::sleep(reply.body_delay).await;
        }
        if stream.write_all(&reply.body).await.is_err() || stream.flush().await.is_err() {
            return;
        }
        if close {
            let _ = stream.shutdown().await;
            return;
        }
    }
}

/// Reads more bytes into `buffer`; `None` on end of stream or error.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 || buffer.len() + n > MAX_REQUEST_BYTES {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request; bytes after it stay in `buffer` (pipelining).
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Recorded> {
    let head_end = loop {
        if let Some(i) = find(buffer, b"\r\n\r\n") {
            break i + 4;
        }
        read_more(stream, buffer).await?;
    };
    let head: Vec<u8> = buffer.drain(..head_end).collect();
    let text = String::from_utf8_lossy(&head[..head.len() - 4]).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let mut parts = request_line.splitn(3, ' ');
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let version = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    let value_of = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let chunked = value_of("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        read_chunked(stream, buffer).await?
    } else if let Some(length) = value_of("content-length") {
        let length: usize = length.trim().parse().ok()?;
        if length > MAX_REQUEST_BYTES {
            return None;
        }
        while buffer.len() < length {
            read_more(stream, buffer).await?;
        }
        buffer.drain(..length).collect()
    } else {
        Vec::new()
    };
    Some(Recorded { index: 0, connection: 0, request_line, method, target, version, headers, head, body, chunked })
}

async fn read_line(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let end = loop {
        if let Some(i) = find(buffer, b"\r\n") {
            break i;
        }
        read_more(stream, buffer).await?;
    };
    let line: Vec<u8> = buffer.drain(..end + 2).collect();
    Some(String::from_utf8_lossy(&line[..end]).into_owned())
}

async fn read_chunked(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream, buffer).await?;
        let size = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(stream, buffer).await?.is_empty() {}
            return Some(body);
        }
        if body.len() + size > MAX_REQUEST_BYTES {
            return None;
        }
        while buffer.len() < size + 2 {
            read_more(stream, buffer).await?;
        }
        body.extend(buffer.drain(..size));
        buffer.drain(..2);
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}
