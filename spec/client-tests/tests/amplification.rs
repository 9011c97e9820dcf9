//! What a body decodes into, measured with a counting allocator: the peak memory a call
//! adds, for worst-case bodies just under the byte limit, of every list response and of
//! the webhook payload (arrays of `{}`, free-form objects of tiny members), and for a
//! realistic page. Each is decoded two ways: unbounded (`serde_json::from_slice`, what
//! the client did before decoding was bounded) and through the client or the verifier
//! (bounded), which must stay within `BOUND` times the limit (plus a little for the
//! connection).
//!
//! `cargo test -p client-tests --test amplification -- --nocapture` prints the table
//! the guide's fault table quotes. A test binary of its own (no harness): the
//! allocator counts one measurement at a time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use client_tests::fault_server::{Fault, FaultServer, response};
use serde::de::DeserializeOwned;
use sunshine_conversations::models::{
    Author, Content, Conversation, ConversationListFilter, ConversationListResponse, Event, Message,
    MessageListResponse, Participant, ParticipantListResponse, WebhookPayload,
};
use sunshine_conversations::webhooks::{self, API_KEY_HEADER, ClaimOutcome, Deduplicator, Verifier};
use sunshine_conversations::{Client, DECODED_BYTES_PER_BODY_BYTE, Error, RetryPolicy};

/// The client's peak over its byte limit, at most: the decoding budget (whose vectors
/// may hold up to twice what they charge while they grow), the body itself, and its
/// read buffer's growth.
const BOUND: usize = 2 * DECODED_BYTES_PER_BODY_BYTE + 2;
/// The byte limit of the client and the verifier in these measurements; bodies are just
/// under it.
const LIMIT: usize = 1 << 20;
const BODY_BYTES: usize = LIMIT;
/// Allocations a call makes whatever the body (connection, request, runtime).
const SLACK: usize = 256 << 10;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator with the caller's layout; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: as the caller's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size >= layout.size() {
            let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: as the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak memory `f` adds, in bytes.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = CURRENT.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let value = f();
    (PEAK.load(Ordering::SeqCst).saturating_sub(before), value)
}

/// `{"<member>":[{},{},...]}` of about [`BODY_BYTES`].
fn tiny_objects(member: &str) -> Vec<u8> {
    let mut body = format!(r#"{{"{member}":["#);
    while body.len() < BODY_BYTES - 8 {
        body.push_str("{},");
    }
    body.push_str("{}]}");
    body.into_bytes()
}

/// One message whose free-form `metadata` has tiny members, about [`BODY_BYTES`].
fn tiny_members() -> Vec<u8> {
    let mut body = String::from(r#"{"messages":[{"metadata":{"#);
    let mut i = 0;
    while body.len() < BODY_BYTES - 16 {
        body.push_str(&format!(r#""{i:x}":0,"#));
        i += 1;
    }
    body.push_str(r#""end":0}}]}"#);
    body.into_bytes()
}

/// A realistic page: 100 text messages with author, source and metadata.
fn realistic_messages() -> Vec<u8> {
    let message = |i: usize| {
        serde_json::json!({
            "id": format!("{i:024x}"), "received": "2026-03-01T10:15:30.000Z",
            "author": {"type": "user", "userId": "3f1b2c4d5e6f708192a3b4c5", "displayName": "Ada Lovelace",
                       "avatarUrl": "https://example.com/a.png"},
            "content": {"type": "text", "text": "Hello, I would like to know where my order is. It was due yesterday."},
            "source": {"type": "web", "integrationId": "5e6f7a8b9c0d1e2f3a4b5c6d", "originalMessageId": "m-1"},
            "metadata": {"lang": "en", "priority": 2}
        })
    };
    let page = serde_json::json!({
        "messages": (0..100).map(message).collect::<Vec<_>>(),
        "meta": {"hasMore": true, "beforeCursor": "6601a2b3c4d5e6f708192a3b"}
    });
    serde_json::to_vec(&page).unwrap()
}

struct Row {
    what: &'static str,
    body: usize,
    unbounded: usize,
    client: usize,
    outcome: String,
}

fn unbounded<T: DeserializeOwned>(body: &[u8]) -> usize {
    peak_of(|| serde_json::from_slice::<T>(body).map(drop)).0
}

/// The peak of one `ListMessages`/`ListConversations`/`ListParticipants` call whose
/// response body is `body`, the server's own copy of the response left out.
fn through_client(runtime: &tokio::runtime::Runtime, list: &str, body: &[u8]) -> (usize, String) {
    let reply = Arc::new(response(200, &[("content-type", "application/json")], body));
    let served = Arc::clone(&reply);
    let server = runtime.block_on(FaultServer::start(move |_| Fault::Raw(served.to_vec())));
    let client = Client::builder(server.url())
        .max_response_bytes(LIMIT as u64)
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let (peak, outcome) = peak_of(|| {
        runtime.block_on(async {
            let outcome: Result<usize, Error<_>> = match list {
                "messages" => {
                    client.list_messages("app", "conv").send().await.map(|r| size_hint(r.body().messages.as_deref()))
                }
                "conversations" => client
                    .list_conversations("app", ConversationListFilter::new().user_id("u"))
                    .send()
                    .await
                    .map(|r| size_hint(r.body().conversations.as_deref())),
                _ => client
                    .list_participants("app", "conv")
                    .send()
                    .await
                    .map(|r| size_hint(r.body().participants.as_deref())),
            };
            match outcome {
                Ok(items) => format!("`Ok`, {items} items"),
                Err(Error::TooLarge { decoded: true, .. }) => "`Error::TooLarge { decoded: true }`".to_owned(),
                Err(other) => format!("{other}"),
            }
        })
    });
    // Let the server's tasks end and free what they hold before the next measurement.
    runtime.block_on(async move {
        drop(server);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    });
    // The server clones the response once per request (`Fault::Raw` takes it by value).
    (peak.saturating_sub(reply.len()), outcome)
}

fn size_hint<T>(items: Option<&[T]>) -> usize {
    items.map_or(0, <[T]>::len)
}

fn through_verifier(body: &[u8]) -> (usize, String) {
    let verifier = Verifier::new("k").unwrap();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(API_KEY_HEADER, "k".parse().unwrap());
    let (peak, outcome) = peak_of(|| match webhooks::parse(&verifier, &headers, body) {
        Ok(payload) => format!("`Ok`, {} events", payload.events.map_or(0, |e| e.len())),
        Err(error) => format!("{} (`{error:?}`)", error.status()),
    });
    (peak, outcome)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut rows = Vec::new();
    for (what, list, body) in [
        ("ListMessages, `{}` items", "messages", tiny_objects("messages")),
        ("ListConversations, `{}` items", "conversations", tiny_objects("conversations")),
        ("ListParticipants, `{}` items", "participants", tiny_objects("participants")),
        ("ListMessages, free-form `metadata` of tiny members", "messages", tiny_members()),
        ("ListMessages, 100 realistic messages", "messages", realistic_messages()),
    ] {
        let unbounded = match list {
            "messages" => unbounded::<MessageListResponse>(&body),
            "conversations" => unbounded::<ConversationListResponse>(&body),
            _ => unbounded::<ParticipantListResponse>(&body),
        };
        let (client, outcome) = through_client(&runtime, list, &body);
        rows.push(Row { what, body: body.len(), unbounded, client, outcome });
    }
    let events = tiny_objects("events");
    let (client, outcome) = through_verifier(&events);
    rows.push(Row {
        what: "webhook payload, `{}` events",
        body: events.len(),
        unbounded: unbounded::<WebhookPayload>(&events),
        client,
        outcome,
    });

    let table = guide_table(&rows);
    println!("{table}");
    let sizes = [
        ("Message", size_of::<Message>()),
        ("Conversation", size_of::<Conversation>()),
        ("Participant", size_of::<Participant>()),
        ("Author", size_of::<Author>()),
        ("Content", size_of::<Content>()),
        ("Event", size_of::<Event>()),
    ];
    println!("| type | size_of |");
    println!("|---|---|");
    for (name, size) in sizes {
        println!("| `{name}` | {size} |");
    }
    check_guide(&rows, &table, &sizes);
    for row in &rows {
        assert!(
            row.client <= BOUND * LIMIT + SLACK,
            "{}: the client's peak {} is over {BOUND} × the limit ({LIMIT})",
            row.what,
            row.client,
        );
    }
    let realistic = rows.iter().find(|r| r.what.contains("realistic")).unwrap();
    assert!(realistic.outcome.starts_with("`Ok`"), "a realistic page decodes: {}", realistic.outcome);
    deduplicator_memory();
}

/// What a `Deduplicator` keeps: a fixed-size hash per id, so its memory is bounded in
/// bytes by its capacity, whatever the ids' length (it kept each id twice, as text: 300
/// ids of 1 MB held 600 MB). Checked against the guide's "about 100 bytes" per id.
fn deduplicator_memory() {
    let retained = |count: usize, length: usize| {
        let handled = Deduplicator::new(count);
        let before = CURRENT.load(Ordering::SeqCst);
        for i in 0..count {
            let id = format!("{}{i:020}", "x".repeat(length - 20));
            if let ClaimOutcome::Claimed(claim) = handled.claim(&id) {
                claim.done();
            }
        }
        let kept = CURRENT.load(Ordering::SeqCst).saturating_sub(before);
        assert_eq!(handled.len(), count);
        kept
    };
    let short = retained(300, 24);
    let long = retained(300, 100 << 10);
    println!("Deduplicator: 300 ids of 24 bytes keep {short} bytes; 300 ids of 100 KiB keep {long} bytes");
    assert_eq!(long, short, "what an id costs does not depend on its length");
    let many = 10_000;
    let per_id = retained(many, 24) / many;
    println!("Deduplicator: {per_id} bytes per id remembered ({many} ids)");
    assert!((50..=150).contains(&per_id), "the guide says about 100 bytes per id: {per_id}");
}

/// The table as `spec/guide.md` quotes it ("What happens when").
fn guide_table(rows: &[Row]) -> String {
    let mib = |bytes: usize| bytes as f64 / f64::from(1 << 20);
    let mut table =
        String::from("| body | unbounded: peak (× body) | bounded: peak (× limit) | outcome |\n|---|---|---|---|\n");
    for row in rows {
        table.push_str(&format!(
            "| {} | {:.1} MiB ({:.1}×) | {:.1} MiB ({:.1}×) | {} |\n",
            row.what,
            mib(row.unbounded),
            row.unbounded as f64 / row.body as f64,
            mib(row.client),
            row.client as f64 / LIMIT as f64,
            row.outcome,
        ));
    }
    table
}

/// The guide quotes these measurements; they must stay true as the crate changes. The
/// sizes exactly (they are the same on every 64-bit target); the peaks within a fifth
/// (a debug build, which `cargo xtask test` runs, and a release build allocate alike,
/// but allocator details may move them a little).
/// The unions among the types whose sizes the guide bounds.
const UNIONS: [&str; 2] = ["Content", "Event"];

fn check_guide(rows: &[Row], table: &str, sizes: &[(&str, usize)]) {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../guide.md")).unwrap();
    let stale = |what: String| panic!("spec/guide.md is out of date: {what}; the measured table:\n{table}");
    for row in rows {
        let prefix = format!("| {} |", row.what);
        let Some(line) = guide.lines().find(|line| line.starts_with(&prefix)) else {
            stale(format!("no row `{}`", row.what))
        };
        let multiples: Vec<f64> = line
            .split('(')
            .skip(1)
            .filter_map(|part| part.split_once("×)").and_then(|(number, _)| number.parse().ok()))
            .collect();
        let measured = [row.unbounded as f64 / row.body as f64, row.client as f64 / LIMIT as f64];
        if multiples.len() != 2
            || multiples.iter().zip(measured).any(|(quoted, now)| (quoted - now).abs() > now / 5.0 + 0.1)
        {
            stale(format!("`{line}` quotes {multiples:?}, measured {measured:.1?}"));
        }
    }
    // The guide states bounds, not sizes (a new field must not make it stale): unions
    // are two words, models at most 2 KiB.
    let prose = guide.split_whitespace().collect::<Vec<_>>().join(" ");
    for promise in ["is two words, its branch boxed", "is over 2 KiB"] {
        if !prose.contains(promise) {
            stale(format!("it no longer says `{promise}`"));
        }
    }
    for (name, size) in sizes {
        let bound = if UNIONS.contains(name) { 2 * size_of::<usize>() } else { 2048 };
        assert!(*size <= bound, "`{name}` is {size} bytes, over the guide's bound of {bound}");
    }
}
