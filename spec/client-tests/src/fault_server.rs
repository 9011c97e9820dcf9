//! A minimal raw-TCP server for faults an HTTP library will not produce.
//!
//! Everything a well-behaved HTTP server can say is tested against
//! `sunshine_conversations::testing::MockApi` (wiremock). What is left is here:
//! a connection reset instead of an answer, a body shorter than its
//! `Content-Length`, a body dripped byte by byte, a 200 KB header block, a 1 GB
//! body streamed in chunks; and counting TCP connections, which wiremock does
//! not expose.
//!
//! [`FaultServer`] binds `127.0.0.1:0`. On every connection it reads one request
//! (head, and a body by `Content-Length`), records it, then plays the [`Fault`]
//! its script returns for it, and closes the connection: one request per
//! connection, so every attempt of the client is one connection. Dropping the
//! server stops it and every connection.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Largest request head accepted (a client bug otherwise).
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Size of one write of a streamed body.
const STREAM_CHUNK: usize = 64 * 1024;

/// What the server does once it has read a request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Resets the connection (TCP RST) without a byte of response.
    Reset,
    /// Says nothing; closes the connection only when the client does.
    Silence,
    /// Writes these bytes, then closes the connection (FIN).
    Raw(Vec<u8>),
    /// Writes these bytes, then resets the connection (RST).
    RawThenReset(Vec<u8>),
    /// Writes `head` at once, then `body` in pieces of `chunk` bytes, waiting
    /// `every` before each piece, then closes.
    Drip { head: Vec<u8>, body: Vec<u8>, chunk: usize, every: Duration },
    /// Writes `head`, then `body` (if any) and then `total` bytes of `fill`, in
    /// writes of 64 KiB, never holding more than one write in memory; with
    /// `chunked`, as `Transfer-Encoding: chunked` chunks (and the final empty
    /// chunk). Stops at the first write that fails (the client hung up).
    Stream { head: Vec<u8>, total: u64, fill: u8, chunked: bool },
}

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// 0-based arrival order.
    pub index: usize,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent: path and query.
    pub target: String,
    /// Header fields in order, values trimmed.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Seen {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

type Script = dyn Fn(&Seen) -> Fault + Send + Sync;

struct Shared {
    script: Box<Script>,
    requests: Mutex<Vec<Seen>>,
    connections: AtomicUsize,
    open: AtomicUsize,
    body_bytes_written: AtomicU64,
}

/// The server; stops when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// Plays `script(request)` for every request.
    pub async fn start(script: impl Fn(&Seen) -> Fault + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            script: Box::new(script),
            requests: Mutex::new(Vec::new()),
            connections: AtomicUsize::new(0),
            open: AtomicUsize::new(0),
            body_bytes_written: AtomicU64::new(0),
        });
        let accept_shared = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            // Owned by this task: aborting it drops the set, which aborts every
            // connection task too.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        accept_shared.connections.fetch_add(1, Ordering::SeqCst);
                        accept_shared.open.fetch_add(1, Ordering::SeqCst);
                        let shared = Arc::clone(&accept_shared);
                        connections.spawn(async move {
                            serve(stream, &shared).await;
                            shared.open.fetch_sub(1, Ordering::SeqCst);
                        });
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Self { addr, shared, task }
    }

    /// Plays `faults[n]` for the n-th request, and [`Fault::Reset`] for requests
    /// beyond the list.
    pub async fn sequence(faults: Vec<Fault>) -> Self {
        Self::start(move |seen| faults.get(seen.index).cloned().unwrap_or(Fault::Reset)).await
    }

    /// Plays the same fault for every request.
    pub async fn always(fault: Fault) -> Self {
        Self::start(move |_| fault.clone()).await
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// TCP connections accepted, with or without a request.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Every request read so far, in arrival order.
    pub fn requests(&self) -> Vec<Seen> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// How many requests were read.
    pub fn request_count(&self) -> usize {
        self.shared.requests.lock().unwrap().len()
    }

    /// Body bytes of [`Fault::Stream`]s written so far (the socket accepted them;
    /// the client may not have read them all).
    pub fn body_bytes_written(&self) -> u64 {
        self.shared.body_bytes_written.load(Ordering::SeqCst)
    }

    /// Waits (at most `limit`) until no connection is open; whether none is.
    pub async fn idle(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while self.shared.open.load(Ordering::SeqCst) > 0 {
            if start.elapsed() > limit {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        true
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A response head: status line, the given headers, `connection: close`, and the
/// blank line. Add `content-length` (or `transfer-encoding`) yourself.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("connection: close\r\n\r\n");
    text.into_bytes()
}

/// A whole response: `head` with `content-length` from the body, then the body.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut all = vec![("content-length", length.as_str())];
    all.extend_from_slice(headers);
    let mut bytes = head(status, &all);
    bytes.extend_from_slice(body);
    bytes
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        307 => "Temporary Redirect",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn serve(mut stream: TcpStream, shared: &Shared) {
    let Some(mut seen) = read_request(&mut stream).await else {
        return;
    };
    let fault = {
        let mut requests = shared.requests.lock().unwrap();
        seen.index = requests.len();
        requests.push(seen.clone());
        (shared.script)(&seen)
    };
    match fault {
        Fault::Reset => reset(stream),
        Fault::Silence => {
            // Until the client closes (or the server is dropped).
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
        }
        Fault::Raw(bytes) => {
            if stream.write_all(&bytes).await.is_ok() {
                let _ = stream.shutdown().await;
            }
        }
        Fault::RawThenReset(bytes) => {
            if stream.write_all(&bytes).await.is_ok() && stream.flush().await.is_ok() {
                // Let the bytes leave before the reset discards the send buffer.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            reset(stream);
        }
        Fault::Drip { head, body, chunk, every } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            for piece in body.chunks(chunk.max(1)) {
                tokio::time::sleep(every).await;
                if stream.write_all(piece).await.is_err() {
                    return;
                }
            }
            let _ = stream.shutdown().await;
        }
        Fault::Stream { head, total, fill, chunked } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let data = vec![fill; STREAM_CHUNK];
            let frame = |n: usize| {
                let mut bytes = Vec::with_capacity(n + 16);
                if chunked {
                    bytes.extend_from_slice(format!("{n:x}\r\n").as_bytes());
                }
                bytes.extend_from_slice(&data[..n]);
                if chunked {
                    bytes.extend_from_slice(b"\r\n");
                }
                bytes
            };
            let full = frame(STREAM_CHUNK);
            let mut left = total;
            while left > 0 {
                let n = usize::try_from(left).unwrap_or(usize::MAX).min(STREAM_CHUNK);
                let written =
                    if n == STREAM_CHUNK { stream.write_all(&full).await } else { stream.write_all(&frame(n)).await };
                if written.is_err() {
                    return;
                }
                shared.body_bytes_written.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
            if chunked && stream.write_all(b"0\r\n\r\n").await.is_err() {
                return;
            }
            let _ = stream.shutdown().await;
        }
    }
}

/// Closes with `SO_LINGER` 0: the peer gets a RST, not a FIN.
fn reset(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request: the head, then a body of `Content-Length` bytes. `None` if
/// the client closed first or sent something that is not a request this server
/// understands (e.g. a chunked body: the client under test never sends one).
async fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buffer, b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buffer.len() + n > MAX_HEAD_BYTES {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let text = String::from_utf8_lossy(&buffer[..head_end - 4]).into_owned();
    let mut lines = text.split("\r\n");
    let mut request_line = lines.next()?.splitn(3, ' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.to_owned(), value.trim().to_owned()))
        .collect();
    let value = |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    if value("transfer-encoding").is_some() {
        return None;
    }
    let length: usize = match value("content-length") {
        Some(length) => length.parse().ok()?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return None;
    }
    let mut body = buffer.split_off(head_end);
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Seen { index: 0, method, target, headers, body })
}
