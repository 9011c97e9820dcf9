//! `bench-client`: the runtime half of `cargo xtask bench`. Built in release.
//!
//! - `bench-client run --seconds S --rounds N --concurrency C`: starts the canned
//!   server, checks that the generated client and the raw reqwest code send
//!   byte-identical requests, then measures requests/s of both for GetConversation and
//!   ListConversations, sequentially and with C requests in flight. Prints JSON.
//! - `bench-client serve`: starts the server, prints its base URL on the first line of
//!   stdout, serves until stdin is closed, then prints JSON with the first request head
//!   seen per route and the request counts (for the Python client).

mod server;

use std::future::Future;
use std::hint::black_box;
use std::io::Read;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use serde_json::json;
use sunshine_conversations::{Client, models};

/// Request parameters shared by every client (and the Python script).
const APP_ID: &str = "app_bench";
const CONVERSATION_ID: &str = "5f2b3c4d5e6f708192a3b4c5";
const USER_ID: &str = "user_bench";
const PAGE_SIZE: i64 = 100;
const KEY_ID: &str = "app_5963ceb97cde542d000dbdb1";
const SECRET: &str = "bench-secret";
const UA: &str = "sunshine-conversations-bench/1";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("serve") => serve(),
        Some("bodies") => {
            let (get, list) = server::bodies();
            println!("{}", json!({ "get": get.len(), "list": list.len() }));
        }
        _ => {
            eprintln!("usage: bench-client run [--seconds S] [--rounds N] [--concurrency C] [--only OPERATION] | serve | bodies");
            std::process::exit(2);
        }
    }
}

fn serve() {
    let (base, record) = server::start();
    println!("{base}");
    // Serve until the parent closes stdin.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    let first = record.first.lock().unwrap().clone();
    let counts = record.counts.lock().unwrap().clone();
    println!("{}", json!({ "first": first, "counts": counts }));
}

struct Settings {
    seconds: f64,
    rounds: usize,
    concurrency: usize,
    /// Only this operation (for profiling).
    only: Option<String>,
}

fn parse(args: &[String]) -> Settings {
    let mut settings = Settings { seconds: 1.0, rounds: 5, concurrency: 32, only: None };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--seconds" => settings.seconds = value.parse().expect("--seconds: a number"),
            "--rounds" => settings.rounds = value.parse().expect("--rounds: a count"),
            "--concurrency" => settings.concurrency = value.parse().expect("--concurrency: a count"),
            "--only" => settings.only = Some(value.clone()),
            other => panic!("unknown argument {other}"),
        }
    }
    settings
}

/// Hand-written client code: what one would write with reqwest directly, sending the
/// same bytes as the generated client and decoding into the same model types.
struct Raw {
    http: reqwest::Client,
    base: String,
    user_agent: HeaderValue,
    authorization: HeaderValue,
}

impl Raw {
    fn new(base: &str) -> Self {
        let pair = format!("{KEY_ID}:{SECRET}");
        let mut authorization = HeaderValue::from_str(&format!("Basic {}", base64(pair.as_bytes()))).unwrap();
        authorization.set_sensitive(true);
        Self {
            http: reqwest::Client::new(),
            base: base.to_owned(),
            user_agent: HeaderValue::from_static(UA),
            authorization,
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, url: String) -> T {
        let response = self
            .http
            .get(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("raw request");
        let bytes = response.bytes().await.expect("raw body");
        serde_json::from_slice(&bytes).expect("raw decode")
    }

    async fn get_conversation(&self) -> models::ConversationResponse {
        self.get(format!("{}/v2/apps/{APP_ID}/conversations/{CONVERSATION_ID}", self.base)).await
    }

    async fn list_conversations(&self) -> models::ConversationListResponse {
        self.get(format!(
            "{}/v2/apps/{APP_ID}/conversations?filter[userId]={USER_ID}&page[size]={PAGE_SIZE}",
            self.base
        ))
        .await
    }
}

/// Standard base64 with padding (the raw side's own, as hand-written code would use a crate).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn generated_get(client: &Client) -> models::ConversationResponse {
    client.get_conversation(APP_ID, CONVERSATION_ID).send().await.expect("generated request").into_body()
}

async fn generated_list(client: &Client) -> models::ConversationListResponse {
    client
        .list_conversations(APP_ID, models::ConversationListFilter::new().user_id(USER_ID))
        .page(models::Page::new().size(PAGE_SIZE))
        .send()
        .await
        .expect("generated request")
        .into_body()
}

/// One measurement: requests/s and the client thread's CPU time per request.
#[derive(Clone, Copy)]
struct Sample {
    rps: f64,
    /// `None` where /proc/thread-self/schedstat is not available.
    cpu_us: Option<f64>,
}

/// Nanoseconds this thread has spent on a CPU (Linux).
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Requests/s of `make` over `duration`, keeping `concurrency` requests in flight
/// (one task, a shared client). The clients run on a current-thread runtime, so this
/// thread's CPU time is all their work (reqwest's connection tasks included).
async fn throughput<Fut: Future<Output = ()>>(duration: Duration, concurrency: usize, make: impl Fn() -> Fut) -> Sample {
    let cpu_start = thread_cpu_ns();
    let start = Instant::now();
    let mut done = 0u64;
    if concurrency <= 1 {
        while start.elapsed() < duration {
            make().await;
            done += 1;
        }
    } else {
        let mut in_flight: FuturesUnordered<Fut> = (0..concurrency).map(|_| make()).collect();
        while in_flight.next().await.is_some() {
            done += 1;
            if start.elapsed() < duration {
                in_flight.push(make());
            }
        }
    }
    let rps = done as f64 / start.elapsed().as_secs_f64();
    let cpu_us = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) if done > 0 => Some(b.saturating_sub(a) as f64 / 1e3 / done as f64),
        _ => None,
    };
    Sample { rps, cpu_us }
}

fn run(args: &[String]) {
    let settings = parse(args);
    let (base, record) = server::start();
    // The clients share one thread (a current-thread runtime); the server has the other core.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    runtime.block_on(async {
        let generated = Client::builder(base.as_str())
            .basic_auth(KEY_ID, SECRET)
            .user_agent(UA)
            .build()
            .expect("generated client");
        let raw = Raw::new(&base);

        // Same bytes on the wire, same decoded values.
        let heads = record
            .capture(async {
                let a = generated_get(&generated).await;
                let b = raw.get_conversation().await;
                assert_eq!(a, b, "GetConversation decodes differently");
                let a = generated_list(&generated).await;
                let b = raw.list_conversations().await;
                assert_eq!(a, b, "ListConversations decodes differently");
                assert_eq!(a.conversations.as_ref().map(Vec::len), Some(server::LIST_SIZE));
            })
            .await;
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let identical = heads.len() == 4 && heads[0] == heads[1] && heads[2] == heads[3];
        if !identical {
            eprintln!("the generated client and the raw code send different requests:");
            for head in &heads {
                eprintln!("---\n{}", text(head));
            }
            std::process::exit(1);
        }

        let duration = Duration::from_secs_f64(settings.seconds);
        let warm_up = duration.mul_f64(0.2).max(Duration::from_millis(20));
        let mut results = Vec::new();
        for (operation, concurrency) in [
            ("GetConversation", 1),
            ("ListConversations", 1),
            ("GetConversation", settings.concurrency),
            ("ListConversations", settings.concurrency),
        ] {
            if settings.only.as_deref().is_some_and(|only| only != operation) {
                continue;
            }
            let measure = |which: &'static str, duration: Duration| {
                let generated = &generated;
                let raw = &raw;
                async move {
                    match (operation, which) {
                        ("GetConversation", "generated") => {
                            throughput(duration, concurrency, || async move { black_box(generated_get(generated).await); }).await
                        }
                        ("GetConversation", _) => {
                            throughput(duration, concurrency, || async move { black_box(raw.get_conversation().await); }).await
                        }
                        (_, "generated") => {
                            throughput(duration, concurrency, || async move { black_box(generated_list(generated).await); }).await
                        }
                        _ => throughput(duration, concurrency, || async move { black_box(raw.list_conversations().await); }).await,
                    }
                }
            };
            measure("generated", warm_up).await;
            measure("raw", warm_up).await;
            let mut generated_rounds = Vec::new();
            let mut raw_rounds = Vec::new();
            // Alternate the order (ABBA) so drift affects both alike.
            for round in 0..settings.rounds {
                if round % 2 == 0 {
                    generated_rounds.push(measure("generated", duration).await);
                    raw_rounds.push(measure("raw", duration).await);
                } else {
                    raw_rounds.push(measure("raw", duration).await);
                    generated_rounds.push(measure("generated", duration).await);
                }
            }
            let rps = |samples: &[Sample]| samples.iter().map(|s| s.rps).collect::<Vec<_>>();
            let cpu = |samples: &[Sample]| samples.iter().filter_map(|s| s.cpu_us).collect::<Vec<_>>();
            results.push(json!({
                "operation": operation,
                "concurrency": concurrency,
                "generated_rounds": rps(&generated_rounds),
                "raw_rounds": rps(&raw_rounds),
                "generated_cpu_us": cpu(&generated_rounds),
                "raw_cpu_us": cpu(&raw_rounds),
            }));
        }
        let (get, list) = server::bodies();
        println!(
            "{}",
            json!({
                "identical_requests": identical,
                "request_heads": { "GetConversation": text(&heads[0]), "ListConversations": text(&heads[2]) },
                "body_bytes": { "GetConversation": get.len(), "ListConversations": list.len() },
                "results": results,
            })
        );
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        for (input, output) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(input.as_bytes()), output);
        }
    }
}
