//! Webhook deliveries over real HTTP: an axum server on 127.0.0.1 with the generated
//! extractor receives every event of spec/'s examples, and every way a delivery can
//! be wrong gets its documented status.

use std::net::SocketAddr;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::post;
use serde_json::Value;
use sunshine_conversations::models::{Event, WebhookPayload};
use sunshine_conversations::reqwest;
use sunshine_conversations::webhooks::{self, API_KEY_HEADER, Verifier, Webhook, WebhookError};

const SECRET: &str = "whsec-test-0123456789";

#[derive(Clone)]
struct State {
    verifier: Verifier,
}

impl FromRef<State> for Verifier {
    fn from_ref(state: &State) -> Verifier {
        state.verifier.clone()
    }
}

/// Answers with the tag and id of every event, one per line.
async fn receive(Webhook(payload): Webhook<WebhookPayload>) -> String {
    payload
        .events
        .iter()
        .flatten()
        .map(|event| format!("{} {}", event.tag().unwrap_or("?"), event.id().unwrap_or("?")))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn serve(limit: usize) -> SocketAddr {
    serve_with(Verifier::new(SECRET).unwrap().max_body_bytes(limit)).await
}

async fn serve_with(verifier: Verifier) -> SocketAddr {
    let state = State { verifier };
    let app = Router::new().route("/hooks", post(receive)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

fn http() -> reqwest::Client {
    sunshine_conversations::install_crypto_provider();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn deliver(address: SocketAddr, key: Option<&str>, body: Vec<u8>) -> (u16, String) {
    deliver_with_keys(address, key.as_slice(), body).await
}

/// A delivery with one `X-API-Key` header per key.
async fn deliver_with_keys(address: SocketAddr, keys: &[&str], body: Vec<u8>) -> (u16, String) {
    let mut request =
        http().post(format!("http://{address}/hooks")).header("content-type", "application/json").body(body);
    for key in keys {
        request = request.header(API_KEY_HEADER, *key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// spec/'s webhook examples: (name, payload).
fn examples() -> Vec<(String, Value)> {
    let root = client_tests::repository_root();
    let spec: Value =
        serde_yaml::from_str(&std::fs::read_to_string(root.join("spec/sunshine-conversations.yaml")).unwrap()).unwrap();
    let examples =
        spec.pointer("/x-webhooks/Webhook Event/post/requestBody/content/application~1json/examples").unwrap();
    examples
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, example)| {
            let reference = example["$ref"].as_str().unwrap().trim_start_matches('#');
            (name.clone(), spec.pointer(reference).unwrap()["value"].clone())
        })
        .collect()
}

#[tokio::test]
async fn every_event_is_received_typed() {
    let address = serve(webhooks::DEFAULT_MAX_WEBHOOK_BYTES).await;
    let examples = examples();
    // One example per event type the payload's union knows (read from the IR).
    let text =
        std::fs::read_to_string(client_tests::repository_root().join("spec/sunshine-conversations.yaml")).unwrap();
    let options = generator::Options::new("sunshine-conversations", "spec/sunshine-conversations.yaml");
    let (api, _) = generator::intermediate(&text, &options).unwrap();
    let Some(generator::ir::ModelKind::Union(events)) = api.model("Event").map(|m| &m.kind) else {
        panic!("no Event union")
    };
    let mut tags: Vec<&str> = events.variants.iter().flat_map(|v| v.tags.iter().map(String::as_str)).collect();
    let mut names: Vec<&str> = examples.iter().map(|(name, _)| name.as_str()).collect();
    tags.sort_unstable();
    names.sort_unstable();
    assert_eq!(names, tags, "one example per event type");
    for (name, payload) in examples {
        let (status, body) = deliver(address, Some(SECRET), serde_json::to_vec(&payload).unwrap()).await;
        assert_eq!(status, 200, "{name}: {body}");
        let expected_id = payload["events"][0]["id"].as_str().unwrap();
        assert_eq!(body, format!("{name} {expected_id}"), "{name}");
        // And the typed variant, not the catch-all.
        let decoded: WebhookPayload = serde_json::from_value(payload).unwrap();
        let event = &decoded.events.as_ref().unwrap()[0];
        assert!(!matches!(event, Event::Other(_)), "{name} decoded into the catch-all: {event:?}");
    }
}

#[tokio::test]
async fn bad_deliveries_get_their_status_and_never_a_panic() {
    let address = serve(4096).await;
    let (name, payload) = examples().into_iter().find(|(name, _)| name == "conversation:message").unwrap();
    let body = serde_json::to_vec(&payload).unwrap();
    assert!(body.len() < 4096, "{name} fits the limit");
    /// What is sent, the key, the body, and the status and text expected back.
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        ("right key", Some(SECRET), body.clone(), 200, "conversation:message"),
        ("wrong key", Some("whsec-guess"), body.clone(), 401, "wrong webhook key"),
        ("missing key", None, body.clone(), 401, "missing the webhook key header"),
        ("oversized body", Some(SECRET), vec![b' '; 5000], 413, "larger than 4096"),
        ("malformed JSON", Some(SECRET), b"{\"events\": [".to_vec(), 400, "malformed payload"),
        ("wrong type", Some(SECRET), br#"{"events": {"id": 1}}"#.to_vec(), 400, "at events"),
        (
            "unknown event type",
            Some(SECRET),
            br#"{"events": [{"id": "e9", "type": "conversation:teleport", "createdAt": "2026-01-01T00:00:00.000Z"}]}"#
                .to_vec(),
            200,
            "conversation:teleport e9",
        ),
    ];
    for (what, key, body, status, text) in cases {
        let (got, answer) = deliver(address, key, body).await;
        assert_eq!(got, status, "{what}: {answer}");
        assert!(answer.contains(text), "{what}: {answer:?} lacks {text:?}");
        assert!(!answer.contains(SECRET), "{what}: the secret is never echoed");
    }
}

#[test]
fn parse_outside_axum_and_known_events_that_do_not_decode() {
    let verifier = Verifier::new(SECRET).unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(API_KEY_HEADER, SECRET.parse().unwrap());
    let body =
        br#"{"events": [{"id": "e1", "type": "conversation:message", "payload": {"message": "not an object"}}]}"#;
    let payload = webhooks::parse(&verifier, &headers, body).unwrap();
    let event = &payload.events.unwrap()[0];
    // A known type whose body does not decode is kept whole, with the reason.
    let Event::Other(unknown) = event else { panic!("{event:?}") };
    assert!(unknown.error().is_some(), "{unknown:?}");
    assert_eq!(event.tag(), Some("conversation:message"));
    assert_eq!(event.id(), Some("e1"));
    headers.insert(API_KEY_HEADER, "nope".parse().unwrap());
    assert_eq!(webhooks::parse(&verifier, &headers, body).unwrap_err(), WebhookError::WrongKey);
}

#[tokio::test]
async fn empty_and_repeated_keys_never_authenticate() {
    assert!(Verifier::new("").is_err(), "an empty secret is refused when the verifier is built");
    let address = serve(webhooks::DEFAULT_MAX_WEBHOOK_BYTES).await;
    let body = br#"{"events": []}"#.to_vec();
    assert_eq!(deliver_with_keys(address, &[""], body.clone()).await.0, 401, "an empty key");
    for keys in [[SECRET, "wrong"], ["wrong", SECRET], [SECRET, SECRET]] {
        let (status, answer) = deliver_with_keys(address, &keys, body.clone()).await;
        assert_eq!(status, 401, "{keys:?}");
        assert!(answer.contains("more than one"), "{answer}");
    }
    assert_eq!(deliver_with_keys(address, &[SECRET], body).await.0, 200);
}

#[tokio::test]
async fn several_secrets_while_rotating() {
    let address = serve_with(Verifier::new("new-secret").unwrap().also_accept(SECRET).unwrap()).await;
    let body = br#"{"events": []}"#.to_vec();
    assert_eq!(deliver(address, Some("new-secret"), body.clone()).await.0, 200);
    assert_eq!(deliver(address, Some(SECRET), body.clone()).await.0, 200);
    assert_eq!(deliver(address, Some("older-secret"), body).await.0, 401);
}

#[tokio::test]
async fn one_bad_event_does_not_sink_the_others() {
    let address = serve(webhooks::DEFAULT_MAX_WEBHOOK_BYTES).await;
    let good = r#"{"id": "e1", "type": "conversation:message", "createdAt": "2026-01-01T00:00:00.000Z"}"#;
    for (what, bad) in [
        ("a lone surrogate", r#"{"id": "e2", "type": "conversation:message", "payload": {"x": "\ud800"}}"#),
        ("a number out of range", r#"{"id": "e2", "type": "conversation:message", "payload": {"x": 1e999}}"#),
        ("a repeated member", r#"{"id": "e2", "type": "conversation:message", "type": "conversation:read"}"#),
    ] {
        let body = format!(r#"{{"events": [{good}, {bad}, {good}]}}"#);
        let (status, answer) = deliver(address, Some(SECRET), body.into_bytes()).await;
        assert_eq!(status, 200, "{what}: {answer}");
        let lines: Vec<&str> = answer.lines().collect();
        assert_eq!(lines.len(), 3, "{what}: {answer}");
        assert_eq!(lines[0], "conversation:message e1", "{what}");
        assert_eq!(lines[2], "conversation:message e1", "{what}");
    }
    // The event kept aside has its text and the reason.
    let verifier = Verifier::new(SECRET).unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(API_KEY_HEADER, SECRET.parse().unwrap());
    let bad = r#"{"id":"e2","type":"conversation:message","payload":{"x":"\ud800"}}"#;
    let body = format!(r#"{{"events": [{good}, {bad}]}}"#);
    let payload = webhooks::parse(&verifier, &headers, body.as_bytes()).unwrap();
    let Event::Other(unknown) = &payload.events.unwrap()[1] else { panic!() };
    assert_eq!(unknown.raw(), Some(bad));
    assert!(unknown.error().is_some());
    // A member repeated in the envelope rejects the delivery: one rule, wherever the object.
    let (status, answer) = deliver(address, Some(SECRET), br#"{"events": [], "events": []}"#.to_vec()).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.contains("more than once"), "{answer}");
}

#[tokio::test]
async fn a_delivery_cannot_decode_into_far_more_than_its_size() {
    // Just under the default 1 MiB limit: half a million tiny events.
    let limit = webhooks::DEFAULT_MAX_WEBHOOK_BYTES;
    let mut body = String::from(r#"{"events":["#);
    while body.len() < limit - 8 {
        body.push_str("{},");
    }
    body.push_str("{}]}");
    let address = serve(limit).await;
    let (status, answer) = deliver(address, Some(SECRET), body.into_bytes()).await;
    assert_eq!(status, 413, "{answer}");
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let timeout = std::time::Duration::from_millis(300);
    let address = serve_with(Verifier::new(SECRET).unwrap().body_timeout(timeout)).await;
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /hooks HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\n{API_KEY_HEADER}: {SECRET}\r\ncontent-length: 100\r\n\r\n{{\"events\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    // The rest of the body never comes; the server answers anyway.
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= timeout, "answered after the timeout");
}

/// The platform sends a delivery again when the first attempt took too long; meanwhile
/// the first handling goes on, and then fails. With the documented pattern (claim;
/// `BeingHandled` answers 503, so the platform keeps retrying the re-send; a failed
/// handling answers 503 and releases the claim) the event is handled exactly once in
/// the end. Answering 200 to `BeingHandled` (the former pattern: `claim` returned `None`
/// for both cases, and `None` was taken for "handled already") would have ended the
/// platform's retries while the handling that then failed was still running: the event
/// lost.
#[tokio::test]
async fn a_delivery_sent_again_while_the_first_fails_is_handled_exactly_once() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::extract::State as Extract;
    use axum::http::StatusCode;
    use sunshine_conversations::testing;
    use sunshine_conversations::webhooks::{ClaimOutcome, Deduplicator};
    use tokio::sync::Notify;

    #[derive(Clone)]
    struct Bot {
        verifier: Verifier,
        handled: Deduplicator,
        /// Handlings started, and those that succeeded.
        started: Arc<AtomicUsize>,
        succeeded: Arc<AtomicUsize>,
        /// The first handling says it started, then waits to be told to fail.
        first_started: Arc<Notify>,
        fail_first: Arc<Notify>,
    }
    impl FromRef<Bot> for Verifier {
        fn from_ref(bot: &Bot) -> Verifier {
            bot.verifier.clone()
        }
    }
    /// The handling of one event: the first one fails (after being told to).
    async fn handle(bot: &Bot) -> Result<(), ()> {
        if bot.started.fetch_add(1, Ordering::SeqCst) == 0 {
            bot.first_started.notify_one();
            bot.fail_first.notified().await;
            return Err(());
        }
        bot.succeeded.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    /// The pattern of the guide and `examples/webhook_bot.rs`.
    async fn receive(Extract(bot): Extract<Bot>, Webhook(payload): Webhook<WebhookPayload>) -> StatusCode {
        let mut status = StatusCode::OK;
        for event in payload.events.iter().flatten() {
            let Some(id) = event.id() else { continue };
            let claim = match bot.handled.claim(id) {
                ClaimOutcome::Claimed(claim) => claim,
                ClaimOutcome::HandledAlready => continue,
                ClaimOutcome::BeingHandled => {
                    status = StatusCode::SERVICE_UNAVAILABLE;
                    continue;
                }
            };
            match handle(&bot).await {
                Ok(()) => claim.done(),
                Err(()) => status = StatusCode::SERVICE_UNAVAILABLE,
            }
        }
        status
    }

    let bot = Bot {
        verifier: Verifier::new(SECRET).unwrap(),
        handled: Deduplicator::new(100),
        started: Arc::default(),
        succeeded: Arc::default(),
        first_started: Arc::default(),
        fail_first: Arc::default(),
    };
    let router = Router::new().route("/hooks", post(receive)).with_state(bot.clone());
    let payload = testing::events::conversation_message();

    // The first attempt: its handling starts, and hangs.
    let slow = router.clone();
    let sent = payload.clone();
    let first = tokio::spawn(async move { testing::deliver(&slow, "/hooks", SECRET, &sent).await });
    bot.first_started.notified().await;
    // The re-send, while the first is being handled: not acknowledged.
    assert_eq!(testing::deliver(&router, "/hooks", SECRET, &payload).await.0, 503, "being handled: retry later");
    // The first handling fails: 503, and its claim is released.
    bot.fail_first.notify_one();
    assert_eq!(first.await.unwrap().0, 503);
    assert_eq!(bot.succeeded.load(Ordering::SeqCst), 0);
    // The platform retries the re-send (it got no 2xx): handled now.
    assert_eq!(testing::deliver(&router, "/hooks", SECRET, &payload).await.0, 200);
    // Any later delivery of the event is acknowledged without handling it again.
    assert_eq!(testing::deliver(&router, "/hooks", SECRET, &payload).await.0, 200);
    assert_eq!(bot.succeeded.load(Ordering::SeqCst), 1, "handled exactly once");
    assert_eq!(bot.started.load(Ordering::SeqCst), 2, "the failed handling and the one that succeeded");
}
