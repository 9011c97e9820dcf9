//! Fault injection: the generated client against servers on 127.0.0.1 that
//! misbehave. Every fault must end in a typed `Error` (or the documented
//! success), never a panic or a hang, and no error's `Display` or `Debug` (nor
//! those of its sources) may show a credential.
//!
//! What a well-formed HTTP server can do (drop a connection, send a bad body,
//! an HTML 502, a redirect) runs on `sunshine_conversations::testing::MockApi`
//! (wiremock). What it cannot (a TCP reset, a body shorter than its
//! `Content-Length`, a body dripped past the timeout, 200 KB of headers, a 1 GB
//! body) runs on the raw-TCP `support::FaultServer`, which serves one request
//! per connection, so its counts are attempts.
//!
//! The table at the end of this file sums up what the caller sees.
//!
//! Run with `cargo test -p xtask --test faults` (`-- --nocapture` prints the
//! measurements of the large-body tests).

use client_tests::fault_server as support;

use std::error::Error as _;
use std::fmt::Debug;
use std::time::{Duration, Instant};

use base64::Engine as _;
use sunshine_conversations::models::{
    Author, AuthorType, ConversationResponse, ConversationUpdateBody, MessagePost, TextMessage,
};
use sunshine_conversations::reqwest::StatusCode;
use sunshine_conversations::testing::wiremock::ResponseTemplate;
use sunshine_conversations::testing::{self, MockApi, Operation};
use sunshine_conversations::{
    ApiErrorBody, Auth, CallOptions, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Error, RetryPolicy,
    after_attempt, before_attempt,
};
use support::{Fault, FaultServer};

// ---- helpers ----------------------------------------------------------------

const APP: &str = "app";
const KEY_ID: &str = "app_fault_key";
const SECRET: &str = "fault-s3cret-value-0000";
/// Attempts of the retry policy every test uses.
const ATTEMPTS: usize = 3;
/// Every test must end well within this.
const TEST_LIMIT: Duration = Duration::from_secs(60);

/// Three attempts, millisecond backoff.
fn retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(ATTEMPTS as u32)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// A client for `url` with Basic credentials (to look for in errors), no proxy,
/// [`retries`], a 5 s timeout.
fn builder(url: &str) -> ClientBuilder {
    Client::builder(url)
        .configure_http(|http| http.no_proxy())
        .basic_auth(KEY_ID, SECRET)
        .retry_policy(retries())
        .timeout(Duration::from_secs(5))
}

fn client(url: &str) -> Client {
    builder(url).build().unwrap()
}

/// The same for a [`MockApi`] (its builder, with our credentials and retries).
fn mock_client(mock: &MockApi) -> Client {
    mock.client_builder().basic_auth(KEY_ID, SECRET).retry_policy(retries()).build().unwrap()
}

/// Asserts that no form of the credential shows in the error's `Display`,
/// `Debug` (plain and pretty), nor in those of its sources; returns the error.
fn clean<T: Debug, E: Debug>(result: Result<T, Error<E>>) -> Error<E> {
    let error = match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error,
    };
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY_ID}:{SECRET}"));
    let mut shown = format!("{error} {error:?} {error:#?}");
    let mut source = error.source();
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    for needle in [SECRET, basic.as_str(), "Basic "] {
        assert!(!shown.contains(needle), "{needle:?} shown in {shown}");
    }
    error
}

/// Runs `test` within [`TEST_LIMIT`]: a hang is a failure, not a stuck run.
async fn bounded<T>(test: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_LIMIT, test).await.expect("the fault test hung")
}

fn message() -> MessagePost {
    MessagePost::new(Author::new(AuthorType::Business), TextMessage::new().text("Your parcel is on its way."))
}

fn found() -> ConversationResponse {
    serde_json::from_slice(&conversation_bytes()).unwrap()
}

/// A JSON success body the client could decode (for the raw server).
fn conversation_bytes() -> Vec<u8> {
    testing::GetConversation::EXAMPLE.expect("the spec has an example").as_bytes().to_vec()
}

fn json_head(status: u16, length: usize) -> Vec<u8> {
    let length = length.to_string();
    support::head(status, &[("content-type", "application/json"), ("content-length", &length)])
}

fn is_transport<E>(error: &Error<E>) -> bool {
    matches!(error, Error::Transport(_))
}

/// A GET and a POST against `server`, which fails them at the transport level every
/// time: both are transport errors; the GET was retried, the POST sent once.
async fn transport_error_get_retried_post_once(server: &FaultServer, client: &Client) {
    let error = clean(client.get_conversation(APP, "c1").send().await);
    assert!(is_transport(&error), "{error:?}");
    assert_eq!(server.request_count(), ATTEMPTS, "GET: retried");

    let error = clean(client.post_message(APP, "c1", message()).send().await);
    assert!(is_transport(&error), "{error:?}");
    assert_eq!(server.request_count(), ATTEMPTS + 1, "POST: once");
}

/// Resident memory of this process, in KiB (`VmRSS` of `/proc/self/status`).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse().ok())
        .expect("a VmRSS line")
}

/// Samples [`rss_kib`] every 5 ms until dropped; the peak seen.
struct RssSampler {
    peak: std::sync::Arc<std::sync::atomic::AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    fn start() -> Self {
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(rss_kib()));
        let sampled = std::sync::Arc::clone(&peak);
        let task = tokio::spawn(async move {
            loop {
                sampled.fetch_max(rss_kib(), std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
        Self { peak, task }
    }

    fn peak_kib(&self) -> u64 {
        let now = rss_kib();
        self.peak.fetch_max(now, std::sync::atomic::Ordering::SeqCst).max(now)
    }
}

impl Drop for RssSampler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;
/// Largest growth of resident memory allowed while a huge body is refused.
const RSS_GROWTH_LIMIT_KIB: u64 = 200 * 1024;

// ---- 1. the connection ends before the response -----------------------------

/// The mock reads the request and closes the connection without a response.
/// GET and DELETE are retried; POST and PATCH are not: a message is never
/// posted twice because an answer was lost.
#[tokio::test]
async fn a_dropped_connection_is_retried_only_for_idempotent_methods() {
    bounded(async {
        // GET: dropped, dropped, answered.
        let mock = MockApi::start().await;
        mock.get_conversation().times(2).drop_connection().await;
        mock.get_conversation().times(1).respond(&found()).await;
        let response = mock_client(&mock).get_conversation(APP, "c1").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(mock.received::<testing::GetConversation>().await.len(), ATTEMPTS);

        // GET: dropped every time: the last transport error, after every attempt.
        let mock = MockApi::start().await;
        mock.get_conversation().times(ATTEMPTS as u64).drop_connection().await;
        let error = clean(mock_client(&mock).get_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(error.status(), None);

        // DELETE: dropped once, then answered.
        let mock = MockApi::start().await;
        mock.delete_conversation().times(1).drop_connection().await;
        mock.delete_conversation().times(1).respond(&serde_json::Map::new()).await;
        mock_client(&mock).delete_conversation(APP, "c1").send().await.unwrap();
        assert_eq!(mock.received::<testing::DeleteConversation>().await.len(), 2);

        // POST: sent once, the error returned; the (unmatched) retry would get a 404.
        let mock = MockApi::start().await;
        mock.post_message().times(1).drop_connection().await;
        let error = clean(mock_client(&mock).post_message(APP, "c1", message()).send().await);
        assert!(is_transport(&error), "{error:?}");
        let posted = mock.received::<testing::PostMessage>().await;
        assert_eq!(posted.len(), 1, "the message is posted exactly once");
        assert_eq!(posted[0].body, Some(message()));

        // PATCH: sent once.
        let mock = MockApi::start().await;
        mock.update_conversation().times(1).drop_connection().await;
        let update = ConversationUpdateBody::new().display_name("Order 1042");
        let error = clean(mock_client(&mock).update_conversation(APP, "c1", update).send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(mock.received::<testing::UpdateConversation>().await.len(), 1);
    })
    .await;
}

/// The same with a real TCP reset (RST) after the request was read.
#[tokio::test]
async fn a_tcp_reset_before_the_response_is_retried_only_for_idempotent_methods() {
    bounded(async {
        let server = FaultServer::always(Fault::Reset).await;
        let client = client(&server.url());

        let error = clean(client.get_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS, "GET: every attempt");

        let error = clean(client.delete_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(server.request_count(), 2 * ATTEMPTS, "DELETE: every attempt");

        let error = clean(client.post_message(APP, "c1", message()).send().await);
        assert!(is_transport(&error), "{error:?}");
        let update = ConversationUpdateBody::new().display_name("x");
        let error = clean(client.update_conversation(APP, "c1", update).send().await);
        assert!(is_transport(&error), "{error:?}");

        let methods: Vec<String> = server.requests().into_iter().map(|r| r.method).collect();
        assert_eq!(methods[2 * ATTEMPTS..], ["POST", "PATCH"], "POST and PATCH once each");
        assert_eq!(server.connections(), 2 * ATTEMPTS + 2);

        // Reset once, then answered: the GET succeeds on its second attempt.
        let body = conversation_bytes();
        let mut answer = json_head(200, body.len());
        answer.extend_from_slice(&body);
        let server = FaultServer::sequence(vec![Fault::Reset, Fault::Raw(answer)]).await;
        let response = self::client(&server.url()).get_conversation(APP, "c1").send().await.unwrap();
        assert_eq!(response.body(), &found());
        assert_eq!(server.request_count(), 2);
    })
    .await;
}

/// The server accepts the request and never answers: each attempt times out.
#[tokio::test]
async fn a_silent_server_times_out_each_attempt() {
    bounded(async {
        let server = FaultServer::always(Fault::Silence).await;
        let client = builder(&server.url()).timeout(Duration::from_millis(200)).build().unwrap();
        let started = Instant::now();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        assert!(matches!(error, Error::Timeout { elapsed } if elapsed >= Duration::from_millis(200)), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS);
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

        let error = clean(client.post_message(APP, "c1", message()).send().await);
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS + 1, "a POST is not retried after a timeout");
    })
    .await;
}

// ---- 2. broken bodies -------------------------------------------------------

/// `Content-Length: 1000`, 100 bytes, then the connection closes (FIN).
#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    bounded(async {
        let mut bytes = json_head(200, 1000);
        bytes.extend_from_slice(&conversation_bytes()[..100]);
        let server = FaultServer::always(Fault::Raw(bytes)).await;
        transport_error_get_retried_post_once(&server, &client(&server.url())).await;
    })
    .await;
}

/// The head and part of the body, then a TCP reset.
#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_is_a_transport_error() {
    bounded(async {
        let body = conversation_bytes();
        let mut bytes = json_head(200, body.len());
        bytes.extend_from_slice(&body[..body.len() / 2]);
        let server = FaultServer::always(Fault::RawThenReset(bytes)).await;
        transport_error_get_retried_post_once(&server, &client(&server.url())).await;
    })
    .await;
}

/// The head at once, then the body one byte every 50 ms: the per-attempt
/// timeout covers reading the body.
#[tokio::test]
async fn a_body_dripped_past_the_timeout_is_a_timeout() {
    bounded(async {
        let body = conversation_bytes();
        let server = FaultServer::always(Fault::Drip {
            head: json_head(200, body.len()),
            body,
            chunk: 1,
            every: Duration::from_millis(50),
        })
        .await;
        let client = builder(&server.url()).timeout(Duration::from_millis(300)).build().unwrap();

        let started = Instant::now();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        let Error::Timeout { elapsed } = error else { panic!("expected Error::Timeout, got {error:?}") };
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        assert_eq!(server.request_count(), ATTEMPTS, "GET: retried");

        let error = clean(client.post_message(APP, "c1", message()).send().await);
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS + 1, "POST: once");

        // The head itself dripped: the same.
        let mut whole = json_head(200, conversation_bytes().len());
        whole.extend_from_slice(&conversation_bytes());
        let server = FaultServer::always(Fault::Drip {
            head: Vec::new(),
            body: whole,
            chunk: 1,
            every: Duration::from_millis(50),
        })
        .await;
        let client = builder(&server.url()).timeout(Duration::from_millis(300)).build().unwrap();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS, "GET: retried");

        // A per-call timeout long enough lets the drip finish.
        let server = FaultServer::always(Fault::Drip {
            head: json_head(200, conversation_bytes().len()),
            body: conversation_bytes(),
            chunk: 64,
            every: Duration::from_millis(5),
        })
        .await;
        let client = builder(&server.url()).timeout(Duration::from_millis(100)).build().unwrap();
        let response = client.get_conversation(APP, "c1").timeout(Duration::from_secs(10)).send().await.unwrap();
        assert_eq!(response.body(), &found());
    })
    .await;
}

/// A 2xx whose body is not JSON, or not UTF-8: a decode error with the status
/// and the start of the body; never retried (the server did answer).
#[tokio::test]
async fn undecodable_success_bodies_are_decode_errors() {
    bounded(async {
        let mock = MockApi::start().await;
        let text = "Service temporarily unavailable, please try again";
        mock.get_conversation()
            .path_params(&[APP, "text"])
            .times(1)
            .respond_raw(ResponseTemplate::new(200).set_body_raw(text.as_bytes().to_vec(), "text/plain"))
            .await;
        let mut invalid_utf8 = br#"{"conversation":{"id":""#.to_vec();
        invalid_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3]);
        invalid_utf8.extend_from_slice(br#""}}"#);
        mock.get_conversation()
            .path_params(&[APP, "bytes"])
            .times(1)
            .respond_raw(ResponseTemplate::new(200).set_body_raw(invalid_utf8, "application/json"))
            .await;
        let client = mock_client(&mock);

        let error = clean(client.get_conversation(APP, "text").send().await);
        let Error::Decode { status, snippet, .. } = &error else { panic!("expected Error::Decode, got {error:?}") };
        assert_eq!((*status, snippet.as_str()), (StatusCode::OK, text));
        assert!(error.to_string().contains("Service temporarily"), "{error}");

        let error = clean(client.get_conversation(APP, "bytes").send().await);
        let Error::Decode { status, snippet, source } = &error else { panic!("expected Error::Decode, got {error:?}") };
        assert_eq!(*status, StatusCode::OK);
        assert!(snippet.starts_with(r#"{"conversation":{"id":""#), "{snippet:?}");
        assert!(snippet.contains('\u{fffd}'), "lossy: {snippet:?}");
        assert!(source.to_string().contains("UTF-8") || source.is_syntax(), "{source}");
    })
    .await;
}

/// An empty 2xx body: an error where the operation documents a JSON body
/// (GetConversation), fine where it documents `{}` (DeleteConversation).
#[tokio::test]
async fn an_empty_success_body_is_a_decode_error_only_where_a_body_is_documented() {
    bounded(async {
        let mock = MockApi::start().await;
        mock.get_conversation().times(1).respond_raw(ResponseTemplate::new(200)).await;
        mock.delete_conversation().times(1).respond_raw(ResponseTemplate::new(200)).await;
        let client = mock_client(&mock);

        let error = clean(client.get_conversation(APP, "c1").send().await);
        let Error::Decode { status, snippet, .. } = &error else { panic!("expected Error::Decode, got {error:?}") };
        assert_eq!((*status, snippet.as_str()), (StatusCode::OK, ""));

        let deleted = client.delete_conversation(APP, "c1").send().await.unwrap();
        assert_eq!(deleted.status(), StatusCode::OK);
        assert!(deleted.body().is_empty());
    })
    .await;
}

/// A proxy's HTML 502 page: `Error::Api` with the page as raw text; retried for
/// GET (502 is), not for POST.
#[tokio::test]
async fn an_html_bad_gateway_is_a_raw_api_error() {
    bounded(async {
        let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        let page = || ResponseTemplate::new(502).set_body_raw(html.as_bytes().to_vec(), "text/html");
        let mock = MockApi::start().await;
        mock.get_conversation().times(ATTEMPTS as u64).respond_raw(page()).await;
        mock.post_message().times(1).respond_raw(page()).await;
        let client = mock_client(&mock);

        for error in [
            clean(client.get_conversation(APP, "c1").send().await).api_error().map(|api| (api.status(), api.body().clone())),
            clean(client.post_message(APP, "c1", message()).send().await).api_error().map(|api| (api.status(), api.body().clone())),
        ] {
            assert_eq!(error, Some((StatusCode::BAD_GATEWAY, ApiErrorBody::Raw(html.to_owned()))));
        }
        assert_eq!(mock.received::<testing::GetConversation>().await.len(), ATTEMPTS, "GET: retried");
        assert_eq!(mock.received::<testing::PostMessage>().await.len(), 1, "POST: once");
    })
    .await;
}

/// Bytes that are not HTTP at all.
#[tokio::test]
async fn a_response_that_is_not_http_is_a_transport_error() {
    bounded(async {
        let server = FaultServer::always(Fault::Raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec())).await;
        let error = clean(client(&server.url()).get_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS, "GET: retried");
    })
    .await;
}

// ---- 3. oversized headers ---------------------------------------------------

/// A response head of 200 KB or more. The runtime sets no limit of its own:
/// hyper's apply (at most 100 header fields, a head of at most 408 KiB, its read
/// buffer), so memory stays bounded; beyond them the response is a transport
/// error (hyper's `Parse(TooLarge)`), retried for GET like any transport error.
/// Within them (200 KB in one field) the response is an ordinary success whose
/// `headers()` hold the field.
#[tokio::test]
async fn oversized_response_headers_are_bounded() {
    bounded(async {
        let body = conversation_bytes();
        let with_headers = |headers: &[(String, String)]| {
            let length = body.len().to_string();
            let mut all: Vec<(&str, &str)> = vec![("content-type", "application/json"), ("content-length", &length)];
            all.extend(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            let mut bytes = support::head(200, &all);
            bytes.extend_from_slice(&body);
            bytes
        };
        let one = |size: usize| vec![("x-filler".to_owned(), "v".repeat(size))];

        // 2,000 fields of 100 bytes: 200 KB of headers.
        let many: Vec<(String, String)> = (0..2_000).map(|i| (format!("x-filler-{i:04}"), "v".repeat(88))).collect();
        let head = with_headers(&many);
        assert!(head.len() > 200_000, "{}", head.len());
        let server = FaultServer::always(Fault::Raw(head)).await;
        let error = clean(client(&server.url()).get_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert!(format!("{error:?}").contains("TooLarge"), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS, "GET: retried");
        let error = clean(client(&server.url()).post_message(APP, "c1", message()).send().await);
        assert!(is_transport(&error), "{error:?}");
        assert_eq!(server.request_count(), ATTEMPTS + 1, "POST: once");

        // One field of 1 MB.
        let server = FaultServer::always(Fault::Raw(with_headers(&one(1 << 20)))).await;
        let error = clean(client(&server.url()).get_conversation(APP, "c1").send().await);
        assert!(is_transport(&error), "{error:?}");
        assert!(format!("{error:?}").contains("TooLarge"), "{error:?}");

        // One field of 200 KB: within hyper's limits, a success.
        let server = FaultServer::always(Fault::Raw(with_headers(&one(200 * 1024)))).await;
        let response = client(&server.url()).get_conversation(APP, "c1").send().await.unwrap();
        assert_eq!(response.body(), &found());
        assert_eq!(response.headers()["x-filler"].len(), 200 * 1024);
        assert_eq!(server.request_count(), 1);
    })
    .await;
}

// ---- 4. redirects -----------------------------------------------------------

/// A redirect to another host is not followed: the caller gets
/// `Error::Redirect` with the `Location`, and the other host hears nothing (so
/// no credential or body travels there).
#[tokio::test]
async fn a_redirect_to_another_host_is_refused() {
    bounded(async {
        let other = MockApi::start().await;
        other.get_conversation().respond(&found()).await;
        other.post_message().respond_example().await;
        let origin = MockApi::start().await;
        let to = format!("{}/v2/apps/app/conversations/c1", other.uri());
        origin
            .get_conversation()
            .times(1)
            .respond_raw(ResponseTemplate::new(302).insert_header("location", to.as_str()))
            .await;
        let to_messages = format!("{to}/messages");
        origin
            .post_message()
            .times(1)
            .respond_raw(ResponseTemplate::new(307).insert_header("location", to_messages.as_str()))
            .await;
        let client = mock_client(&origin);

        for (error, status, location) in [
            (clean(client.get_conversation(APP, "c1").send().await), 302, &to),
            (clean(client.post_message(APP, "c1", message()).send().await), 307, &to_messages),
        ] {
            let Error::Redirect { status: got, location: Some(got_location), reason } = &error else {
                panic!("expected Error::Redirect, got {error:?}")
            };
            assert_eq!((got.as_u16(), got_location), (status, location));
            assert!(reason.contains("another origin"), "{reason}");
            assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        }
        let heard = other.server().received_requests().await.unwrap();
        assert!(heard.is_empty(), "the other host got {heard:?}");
        assert_eq!(origin.received::<testing::GetConversation>().await.len(), 1, "not retried");
        assert_eq!(origin.received::<testing::PostMessage>().await.len(), 1, "not retried");
    })
    .await;
}

/// c1 → c2 → c1: `Error::Redirect` once the loop shows, each URL asked once.
/// And a 303 answering a POST is not turned into a GET.
#[tokio::test]
async fn a_redirect_loop_is_refused() {
    bounded(async {
        let mock = MockApi::start().await;
        for (from, to) in [("c1", "c2"), ("c2", "c1")] {
            let location = format!("/v2/apps/app/conversations/{to}");
            mock.get_conversation()
                .path_params(&[APP, from])
                .times(1)
                .respond_raw(ResponseTemplate::new(302).insert_header("location", location.as_str()))
                .await;
        }
        mock.post_message()
            .times(1)
            .respond_raw(ResponseTemplate::new(303).insert_header("location", "/v2/apps/app/conversations/c1"))
            .await;
        let client = mock_client(&mock);

        let error = clean(client.get_conversation(APP, "c1").send().await);
        let Error::Redirect { status, reason, .. } = &error else { panic!("expected Error::Redirect, got {error:?}") };
        assert_eq!(*status, StatusCode::FOUND);
        assert!(reason.contains("loop"), "{reason}");
        let asked: Vec<String> = mock
            .received::<testing::GetConversation>()
            .await
            .into_iter()
            .map(|call| call.path_params[1].clone())
            .collect();
        assert_eq!(asked, ["c1", "c2"]);

        let error = clean(client.post_message(APP, "c1", message()).send().await);
        let Error::Redirect { status, reason, .. } = &error else { panic!("expected Error::Redirect, got {error:?}") };
        assert_eq!(*status, StatusCode::SEE_OTHER);
        assert!(reason.contains("not re-sent as GET"), "{reason}");
        assert_eq!(mock.received::<testing::GetConversation>().await.len(), 2, "no GET after the 303");
    })
    .await;
}

/// The documented success: a same-origin 307 is followed, method, body and
/// credentials kept, and the message is posted once, at the new place.
#[tokio::test]
async fn a_same_origin_temporary_redirect_is_followed_once() {
    bounded(async {
        let mock = MockApi::start().await;
        mock.post_message()
            .path_params(&[APP, "old"])
            .times(1)
            .respond_raw(
                ResponseTemplate::new(307).insert_header("location", "/v2/apps/app/conversations/new/messages"),
            )
            .await;
        mock.post_message().path_params(&[APP, "new"]).times(1).respond_example().await;
        let response = mock_client(&mock).post_message(APP, "old", message()).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let posted = mock.received::<testing::PostMessage>().await;
        assert_eq!(posted.len(), 2);
        for call in &posted {
            assert_eq!(call.body, Some(message()));
            assert!(call.headers["authorization"].to_str().unwrap().starts_with("Basic "));
        }
        assert_eq!(posted[1].path_params, [APP, "new"]);
    })
    .await;
}

/// Same-origin redirects, each hop answered after 400 ms, with a 1 s timeout: the
/// timeout is one deadline for the whole attempt, hops included, so the attempt ends
/// with `Error::Timeout` during its third hop. (Were each hop given a fresh timeout, the
/// attempt would run through all 10 hops the client follows, 4 s, and end in
/// `Error::Redirect`: with a 30 s timeout, five minutes per attempt.)
#[tokio::test]
async fn slow_redirects_share_one_deadline_per_attempt() {
    bounded(async {
        let hop = Duration::from_millis(400);
        let server = FaultServer::start(move |seen| {
            // A fresh place each time: no loop for the client to see.
            let next = format!("/v2/apps/app/conversations/c{}", seen.index + 2);
            let redirect = support::response(307, &[("location", &next)], b"");
            Fault::Drip { head: Vec::new(), chunk: redirect.len(), body: redirect, every: hop }
        })
        .await;
        let client =
            builder(&server.url()).timeout(Duration::from_secs(1)).retry_policy(RetryPolicy::none()).build().unwrap();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        let Error::Timeout { elapsed } = error else { panic!("expected Error::Timeout, got {error:?}") };
        assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
        // Hops sent at 0, 0.4 and 0.8 s; the deadline passes during the third (two, on a
        // machine so loaded that the second answer came after 1 s).
        let first = server.request_count();
        assert!((2..=3).contains(&first), "{first} requests: the hops did not share one deadline");

        // Retried like any timeout of a GET: each attempt has a deadline of its own.
        let client = builder(&server.url()).timeout(Duration::from_secs(1)).build().unwrap();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        let retried = server.request_count() - first;
        assert!((2 * ATTEMPTS..=3 * ATTEMPTS).contains(&retried), "{retried} requests over {ATTEMPTS} attempts");
    })
    .await;
}

// ---- 5. huge bodies ---------------------------------------------------------

/// 1 GiB of body, streamed in 64 KiB chunks (`Transfer-Encoding: chunked`, no
/// length to refuse up front): the client reads up to its limit (8 MiB by
/// default), stops with `Error::TooLarge`, and hangs up; its memory stays
/// bounded, and the server could write little more than the limit plus what
/// the sockets buffer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_gigabyte_body_is_refused_after_the_limit() {
    bounded(async {
        let server = FaultServer::always(Fault::Stream {
            head: support::head(200, &[("content-type", "application/json"), ("transfer-encoding", "chunked")]),
            total: GIB,
            fill: b' ',
            chunked: true,
        })
        .await;
        let client = client(&server.url());
        let before = rss_kib();
        let sampler = RssSampler::start();
        let started = Instant::now();
        let error = clean(client.get_conversation(APP, "c1").send().await);
        let took = started.elapsed();
        let peak = sampler.peak_kib();
        drop(sampler);
        assert!(server.idle(Duration::from_secs(10)).await, "the server stops writing once the client hung up");
        let after = rss_kib();
        let written = server.body_bytes_written();
        eprintln!(
            "1 GiB chunked body, limit {} MiB: {error}; {took:?}; server wrote {:.1} MiB; \
             VmRSS before {} MiB, peak {} MiB (+{} MiB), after {} MiB",
            DEFAULT_MAX_RESPONSE_BYTES / MIB,
            written as f64 / MIB as f64,
            before / 1024,
            peak / 1024,
            peak.saturating_sub(before) / 1024,
            after / 1024,
        );
        assert!(
            matches!(
                error,
                Error::TooLarge { status: StatusCode::OK, limit: DEFAULT_MAX_RESPONSE_BYTES, decoded: false }
            ),
            "{error:?}"
        );
        assert_eq!(error.status(), Some(StatusCode::OK));
        assert_eq!(server.request_count(), 1, "not retried: the same body would come again");
        assert!(written >= DEFAULT_MAX_RESPONSE_BYTES, "the client read up to the limit: {written}");
        assert!(written <= DEFAULT_MAX_RESPONSE_BYTES + 64 * MIB, "and stopped there: {written}");
        assert!(peak.saturating_sub(before) < RSS_GROWTH_LIMIT_KIB, "peak {peak} KiB, before {before} KiB");
        assert!(after.saturating_sub(before) < RSS_GROWTH_LIMIT_KIB, "after {after} KiB, before {before} KiB");
    })
    .await;
}

/// `Content-Length: 1073741824`: refused from the head, before reading the body.
#[tokio::test]
async fn a_declared_one_gigabyte_body_is_refused_before_reading() {
    bounded(async {
        let length = GIB.to_string();
        let server = FaultServer::always(Fault::Stream {
            head: support::head(200, &[("content-type", "application/json"), ("content-length", &length)]),
            total: GIB,
            fill: b' ',
            chunked: false,
        })
        .await;
        let started = Instant::now();
        let error = clean(client(&server.url()).get_conversation(APP, "c1").send().await);
        assert!(
            matches!(
                error,
                Error::TooLarge { status: StatusCode::OK, limit: DEFAULT_MAX_RESPONSE_BYTES, decoded: false }
            ),
            "{error:?}"
        );
        assert!(server.idle(Duration::from_secs(10)).await);
        let written = server.body_bytes_written();
        eprintln!(
            "1 GiB declared body: {error}; {:?}; server wrote {:.1} MiB",
            started.elapsed(),
            written as f64 / MIB as f64
        );
        assert!(written < DEFAULT_MAX_RESPONSE_BYTES + 64 * MIB, "{written}");
        assert_eq!(server.request_count(), 1);
    })
    .await;
}

/// A per-call limit (`CallOptions::max_response_bytes` through `with_options`)
/// and a client-wide one; a body of exactly the limit is read.
#[tokio::test]
async fn smaller_limits_per_call_and_per_client() {
    bounded(async {
        let server = FaultServer::always(Fault::Stream {
            head: support::head(200, &[("content-type", "application/json"), ("transfer-encoding", "chunked")]),
            total: GIB,
            fill: b' ',
            chunked: true,
        })
        .await;
        let client = client(&server.url());
        let limited = CallOptions::new().max_response_bytes(100 * 1024);
        let error = clean(client.get_conversation(APP, "c1").with_options(limited).send().await);
        assert!(
            matches!(error, Error::TooLarge { status: StatusCode::OK, limit: 102_400, decoded: false }),
            "{error:?}"
        );
        assert!(error.to_string().contains("102400 bytes"), "{error}");
        assert!(server.idle(Duration::from_secs(10)).await);
        assert!(server.body_bytes_written() < 64 * MIB, "{}", server.body_bytes_written());

        // The boundary, on the mock: the example body is read with a limit of its
        // own length, refused with one byte less; per call or per client.
        let example = testing::GetConversation::EXAMPLE.unwrap().len() as u64;
        let mock = MockApi::start().await;
        mock.get_conversation().times(3).respond_example().await;
        let client = mock_client(&mock);
        let exact = CallOptions::new().max_response_bytes(example);
        client.get_conversation(APP, "c1").with_options(exact).send().await.unwrap();
        let short = CallOptions::new().max_response_bytes(example - 1);
        let error = clean(client.get_conversation(APP, "c1").with_options(short).send().await);
        assert!(matches!(error, Error::TooLarge { limit, .. } if limit == example - 1), "{error:?}");
        let small = mock.client_builder().max_response_bytes(example - 1).build().unwrap();
        let error = clean(small.get_conversation(APP, "c1").send().await);
        assert!(matches!(error, Error::TooLarge { limit, .. } if limit == example - 1), "{error:?}");
    })
    .await;
}

/// A gzip body of under 1 MB that inflates to 128 MiB: the limit counts the
/// inflated bytes, so the client stops at 8 MiB.
#[tokio::test]
async fn a_gzip_bomb_is_refused_after_the_limit() {
    bounded(async {
        let bomb = gzip_bomb(128 * MIB);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let length = bomb.len().to_string();
        let mut bytes = support::head(
            200,
            &[("content-type", "application/json"), ("content-encoding", "gzip"), ("content-length", &length)],
        );
        bytes.extend_from_slice(&bomb);
        let server = FaultServer::always(Fault::Raw(bytes)).await;
        let before = rss_kib();
        let error = clean(client(&server.url()).get_conversation(APP, "c1").send().await);
        assert!(
            matches!(
                error,
                Error::TooLarge { status: StatusCode::OK, limit: DEFAULT_MAX_RESPONSE_BYTES, decoded: false }
            ),
            "{error:?}"
        );
        let seen = server.requests();
        assert_eq!(seen.len(), 1);
        assert!(seen[0].header("accept-encoding").is_some_and(|v| v.contains("gzip")), "{:?}", seen[0].headers);
        let growth = rss_kib().saturating_sub(before);
        eprintln!("gzip bomb of {} KiB (128 MiB inflated): {error}; VmRSS +{} MiB", bomb.len() / 1024, growth / 1024);
        assert!(growth < RSS_GROWTH_LIMIT_KIB, "{growth} KiB");
    })
    .await;
}

/// A gzip member whose deflate stream inflates to about `size` bytes of spaces:
/// one fixed-Huffman block, a literal `' '` and then copies of 258 bytes at
/// distance 1 (13 bits each). Without the gzip trailer: a client that read it all
/// would fail on the missing CRC, so only a limit gives `Error::TooLarge`.
fn gzip_bomb(size: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        pending: u64,
        count: u32,
    }
    impl Bits {
        /// `count` bits of `value`, least significant first (header fields).
        fn put(&mut self, value: u64, count: u32) {
            self.pending |= value << self.count;
            self.count += count;
            while self.count >= 8 {
                self.out.push(self.pending as u8);
                self.pending >>= 8;
                self.count -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, length: u32) {
            let reversed = (0..length).fold(0, |acc, i| acc | (((code >> i) & 1) << (length - 1 - i)));
            self.put(reversed, length);
        }
    }
    // ID1 ID2 CM=deflate FLG MTIME(4) XFL OS=unknown
    let mut bits = Bits { out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff], pending: 0, count: 0 };
    bits.put(1, 1); // BFINAL
    bits.put(1, 2); // BTYPE 01: fixed Huffman codes
    bits.code(0x30 + u64::from(b' '), 8); // literal 0..=143: 8 bits from 0x30
    for _ in 0..(size - 1) / 258 {
        bits.code(0xc5, 8); // length 258: symbol 285, 8 bits from 0xc0 + (285 - 280)
        bits.code(0, 5); // distance 1: code 0, 5 bits
    }
    bits.code(0, 7); // end of block: symbol 256, 7 zero bits
    bits.put(0, 7); // flush to a byte boundary
    bits.out
}

#[test]
fn the_gzip_bomb_is_the_expected_stream() {
    // 10 header bytes; BFINAL=1, BTYPE=01, the literal ' ', two (258, 1) copies and
    // the end of block: 3 + 8 + 2 * 13 + 7 = 44 bits, 6 bytes. Python's
    // `zlib.decompressobj(16 + 15).decompress(...)` inflates these 16 bytes to
    // 517 spaces, with the stream unfinished (no trailer).
    let bomb = gzip_bomb(1 + 258 * 2);
    let hex: String = bomb.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "1f8b08000000000000ff531805a30000");
}

// ---- 6. query credentials ---------------------------------------------------
//
// A key sent as a query parameter (`Auth::query`, or a call's own `CallOptions::auth`)
// is part of the URL, which reqwest's errors print. Every transport failure kind must
// show the URL with the key's value `[redacted]`, never the key, in the error's
// `Display`, `Debug` and its sources', in what interceptors are shown, and in any
// tracing field.

const QUERY_NAME: &str = "api_key";
const QUERY_SECRET: &str = "SUPERSECRET-client-query-key-0001";
const CALL_QUERY_SECRET: &str = "SUPERSECRET-call-query-key-0002";

/// What interceptors and tracing were shown during the calls, as text.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// A client for `url` sending [`QUERY_SECRET`] as the query parameter `api_key`, no
/// retries, `timeout`, an interceptor recording what it is shown, and `configure` on
/// the HTTP client.
fn query_keyed(
    url: &str,
    timeout: Duration,
    seen: &Seen,
    configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
) -> Client {
    let (before, after) = (std::sync::Arc::clone(seen), std::sync::Arc::clone(seen));
    Client::builder(url)
        .configure_http(move |http| configure(http.no_proxy()))
        .auth(Auth::query(QUERY_NAME, QUERY_SECRET))
        .retry_policy(RetryPolicy::none())
        .timeout(timeout)
        .interceptor(before_attempt(move |request| before.lock().unwrap().push(format!("{request:?}"))))
        .interceptor(after_attempt(move |outcome| {
            let mut shown = format!("{outcome:?}");
            if let Some(error) = outcome.error() {
                shown.push_str(&format!(" {error} {error:?}"));
            }
            after.lock().unwrap().push(shown);
        }))
        .build()
        .unwrap()
}

/// Every text form of `error` (and of its sources), and what was `seen`, hold neither
/// query key in any spelling; the error names the key's parameter with `[redacted]`
/// when it shows a URL at all. Returns the error's `Display`.
fn redacted<E: Debug>(error: &Error<E>, seen: &Seen) -> String {
    let mut shown = format!("{error} {error:?} {error:#?}");
    let mut source = error.source();
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown.push_str(&seen.lock().unwrap().join(" "));
    for secret in [QUERY_SECRET, CALL_QUERY_SECRET] {
        for needle in [secret, "SUPERSECRET"] {
            assert!(!shown.contains(needle), "{needle:?} shown in {shown}");
        }
    }
    if shown.contains("?api_key") || shown.contains("&api_key") || shown.contains("?token") {
        assert!(shown.contains("=[redacted]"), "{shown}");
    }
    error.to_string()
}

/// A port on 127.0.0.1 nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A resolver that answers as RFC 6761 asks for `.invalid` names: they do not exist.
/// (Every other name too: the test must not reach a real DNS server.)
struct NoSuchName;

impl reqwest::dns::Resolve for NoSuchName {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let message = format!("{}: no such name (RFC 6761)", name.as_str());
        Box::pin(async move { Err(std::io::Error::new(std::io::ErrorKind::NotFound, message).into()) })
    }
}

/// A TLS server on 127.0.0.1 with the test certificate (`tests/tls/`), which the
/// client's default roots do not trust: every handshake fails. Returns its port.
async fn untrusted_tls_server() -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = vec![CertificateDer::from_pem_slice(include_bytes!("tls/server.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("tls/server.key")).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move { drop(acceptor.accept(tcp).await) });
        }
    });
    port
}

/// One call of a client keyed as [`query_keyed`] to `url` (with the call's own key
/// too when `own_key`), which must fail: its error, checked by [`redacted`], and no
/// tracing field of the call shows a key either. Returns the error's `Display`.
async fn failing_call(
    url: &str,
    timeout: Duration,
    own_key: bool,
    configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
) -> (Error, String) {
    let traced = Tracing::start();
    let seen = Seen::default();
    let client = query_keyed(url, timeout, &seen, configure);
    let mut call = client.get_conversation(APP, "c1");
    if own_key {
        call = call.with_options(CallOptions::new().auth(Auth::query("token", CALL_QUERY_SECRET)));
    }
    let error = call.send().await.expect_err("the call must fail");
    let text = redacted(&error, &seen);
    let fields = traced.fields();
    assert!(fields.contains("GetConversation"), "the call was traced: {fields}");
    assert!(!fields.contains("SUPERSECRET"), "{fields}");
    (error, text)
}

#[tokio::test]
async fn a_refused_connection_does_not_show_a_query_key() {
    bounded(async {
        let refused = format!("http://127.0.0.1:{}", closed_port());
        let (error, text) = failing_call(&refused, Duration::from_secs(5), false, |http| http).await;
        assert!(is_transport(&error), "{error:?}");
        assert!(text.contains("api_key=[redacted]"), "the URL is kept, the key is not: {text}");
        assert!(text.contains("refused"), "and the cause: {text}");
        // A call's own key (sent as `token`, instead of the client's) likewise.
        let (_, text) = failing_call(&refused, Duration::from_secs(5), true, |http| http).await;
        assert!(text.contains("token=[redacted]"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_name_that_does_not_resolve_does_not_show_a_query_key() {
    bounded(async {
        let url = "http://api.sunshine.invalid";
        let (error, text) = failing_call(url, Duration::from_secs(5), true, |http| http.dns_resolver(NoSuchName)).await;
        assert!(is_transport(&error), "{error:?}");
        assert!(text.contains("no such name") && text.contains("token=[redacted]"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_failed_tls_handshake_does_not_show_a_query_key() {
    bounded(async {
        let url = format!("https://127.0.0.1:{}", untrusted_tls_server().await);
        let (error, text) = failing_call(&url, Duration::from_secs(5), false, |http| http).await;
        assert!(is_transport(&error), "{error:?}");
        assert!(text.to_lowercase().contains("certificate") && text.contains("api_key=[redacted]"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_reset_connection_does_not_show_a_query_key() {
    bounded(async {
        // Before the response.
        let server = FaultServer::always(Fault::Reset).await;
        let (error, _) = failing_call(&server.url(), Duration::from_secs(5), false, |http| http).await;
        assert!(is_transport(&error), "{error:?}");
        assert!(server.requests()[0].target.contains(&format!("api_key={QUERY_SECRET}")), "the key was sent");
        // In the middle of the body.
        let body = conversation_bytes();
        let mut half = json_head(200, body.len());
        half.extend_from_slice(&body[..body.len() / 2]);
        let server = FaultServer::always(Fault::RawThenReset(half)).await;
        let (error, _) = failing_call(&server.url(), Duration::from_secs(5), true, |http| http).await;
        assert!(is_transport(&error), "{error:?}");
        // Bytes that are not HTTP.
        let server = FaultServer::always(Fault::Raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec())).await;
        let (error, _) = failing_call(&server.url(), Duration::from_secs(5), false, |http| http).await;
        assert!(is_transport(&error), "{error:?}");
    })
    .await;
}

#[tokio::test]
async fn a_timeout_does_not_show_a_query_key() {
    bounded(async {
        let server = FaultServer::always(Fault::Silence).await;
        let (error, _) = failing_call(&server.url(), Duration::from_millis(200), true, |http| http).await;
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    })
    .await;
}

/// A server that redirects with the key in the `Location` (echoing the query, as a
/// server moving a resource does): `Error::Redirect` keeps the `Location` with the key
/// `[redacted]`, whether the redirect goes to another host or loops.
#[tokio::test]
async fn a_redirect_location_does_not_show_a_query_key() {
    bounded(async {
        let elsewhere = format!("https://elsewhere.example/v2/x?page=2&{QUERY_NAME}={QUERY_SECRET}");
        let server = FaultServer::always(Fault::Raw(support::response(302, &[("location", &elsewhere)], b""))).await;
        let seen = Seen::default();
        let client = query_keyed(&server.url(), Duration::from_secs(5), &seen, |http| http);
        let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
        let Error::Redirect { location: Some(location), .. } = &error else { panic!("{error:?}") };
        assert_eq!(location, "https://elsewhere.example/v2/x?page=2&api_key=[redacted]");
        redacted(&error, &seen);
        // The same place again: a loop, refused with the key redacted too.
        let here = format!("/v2/apps/app/conversations/c1?{QUERY_NAME}={QUERY_SECRET}");
        let server = FaultServer::always(Fault::Raw(support::response(307, &[("location", &here)], b""))).await;
        let seen = Seen::default();
        let client = query_keyed(&server.url(), Duration::from_secs(5), &seen, |http| http);
        let error = client.get_conversation(APP, "c1").send().await.unwrap_err();
        let Error::Redirect { location: Some(location), reason, .. } = &error else { panic!("{error:?}") };
        assert!(reason.contains("loop"), "{reason}");
        assert_eq!(location, "/v2/apps/app/conversations/c1?api_key=[redacted]");
        redacted(&error, &seen);
    })
    .await;
}

/// Records every field of every span and event on this thread while it lives.
struct Tracing {
    fields: std::sync::Arc<std::sync::Mutex<String>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl Tracing {
    fn start() -> Self {
        let fields = std::sync::Arc::default();
        let recorder = Recorder { fields: std::sync::Arc::clone(&fields), next: Default::default() };
        Self { fields, _guard: tracing::subscriber::set_default(recorder) }
    }

    fn fields(&self) -> String {
        self.fields.lock().unwrap().clone()
    }
}

struct Recorder {
    fields: std::sync::Arc<std::sync::Mutex<String>>,
    next: std::sync::atomic::AtomicU64,
}

impl tracing::field::Visit for &Recorder {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn Debug) {
        self.fields.lock().unwrap().push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Recorder {
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        span.record(&mut &*self);
        tracing::span::Id::from_u64(self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut &*self);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        event.record(&mut &*self);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

// ---- what the caller sees ---------------------------------------------------
//
// Measured with the default client settings (8 MiB body limit) and a retry
// policy of 3 attempts; "retried" follows `RetryPolicy`: 429 for every method;
// 502/503/504, timeouts and transport errors for GET, HEAD, PUT, DELETE and
// OPTIONS only, never for POST or PATCH. No error's Display or Debug (or its
// sources') shows the Authorization value, the secret, or a key sent as a query
// parameter (its value shows as `[redacted]`, the URL kept; so in what interceptors
// are shown and in trace fields).
//
// | fault                                                                   | error the caller sees                                                           | retried?                                              |
// |-------------------------------------------------------------------------|---------------------------------------------------------------------------------|-------------------------------------------------------|
// | connection closed or reset (RST) after the request, before any response | `Error::Transport` (no status)                                                  | GET, DELETE: yes; POST, PATCH: no (sent exactly once) |
// | server reads the request, never answers                                 | `Error::Timeout { elapsed }` (per attempt)                                      | GET: yes; POST: no                                    |
// | response head dripped past the timeout                                  | `Error::Timeout`                                                                | GET: yes                                              |
// | body dripped past the per-attempt timeout                               | `Error::Timeout` (the timeout covers reading the body)                          | GET: yes; POST: no                                    |
// | body shorter than `Content-Length`, then FIN                            | `Error::Transport`                                                              | GET: yes; POST: no                                    |
// | reset (RST) in the middle of the body                                   | `Error::Transport`                                                              | GET: yes; POST: no                                    |
// | bytes that are not HTTP                                                 | `Error::Transport`                                                              | GET: yes                                              |
// | over 100 header fields (2,000 = 200 KB), or a head over 408 KiB         | `Error::Transport` (hyper's `Parse(TooLarge)`)                                  | GET: yes; POST: no                                    |
// | 200 KB in one header field (within hyper's limits)                      | success; the field is in `headers()`                                            | -                                                     |
// | 2xx, body not JSON                                                      | `Error::Decode { status, snippet (first 512 B), source }`                       | no                                                    |
// | 2xx, body not UTF-8                                                     | `Error::Decode` (snippet lossy, U+FFFD)                                         | no                                                    |
// | 2xx, empty body where a JSON body is documented (GetConversation)       | `Error::Decode` (snippet `""`)                                                  | no                                                    |
// | 2xx, empty body where `{}` is documented (DeleteConversation)           | success, empty map                                                              | -                                                     |
// | HTML 502 page from a proxy                                              | `Error::Api`, `ApiErrorBody::Raw(page)`, headers kept                           | GET: yes; POST: no                                    |
// | redirect (302 GET, 307 POST) to another host                            | `Error::Redirect { status, location, reason }`; the other host receives nothing | no                                                    |
// | redirect loop (c1 -> c2 -> c1)                                          | `Error::Redirect` ("loop"); each URL asked once                                 | no                                                    |
// | 303 answering a POST                                                    | `Error::Redirect` (not re-sent as GET)                                          | no                                                    |
// | same-origin 307                                                         | followed (method, body, credentials kept): success                              | -                                                     |
// | same-origin redirects, each hop slow (400 ms, 1 s timeout)              | `Error::Timeout`: one deadline per attempt, every hop included                  | GET: yes, each attempt with its own deadline          |
// | `Location` holding the query key (another host, or a loop)              | `Error::Redirect`, the `Location` with `api_key=[redacted]`                     | no                                                    |
// | refused, no such name, untrusted TLS, reset, timeout (query API key)    | `Error::Transport` / `Error::Timeout`; the URL shown with `api_key=[redacted]`  | as above                                              |
// | 1 GiB body, chunked (no length)                                         | `Error::TooLarge { status, limit: 8 MiB }` after reading the limit              | no                                                    |
// | `Content-Length: 1073741824`                                            | `Error::TooLarge`, from the head, before reading the body                       | no                                                    |
// | gzip body inflating to 128 MiB (825 KiB on the wire)                    | `Error::TooLarge` (inflated bytes count)                                        | no                                                    |
// | body over a per-call or per-client limit                                | `Error::TooLarge { limit }`; a body of exactly the limit is read                | no                                                    |
// | 429 with `Retry-After` (see client_wire.rs)                             | `Error::Api` (429) once retries run out or `Retry-After` exceeds the budget     | every method, after `Retry-After`                     |
// | 500, other 4xx/5xx (see client_wire.rs)                                 | `Error::Api`, typed body or `Raw` text                                          | no                                                    |
//
// Measured (1 GiB chunked body, default 8 MiB limit): about 25 ms; the server
// wrote 11-13 MiB before the client hung up (the limit plus socket buffers);
// the client process's VmRSS peaked 13-15 MiB above its level before the call.
