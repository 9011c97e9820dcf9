//! `bench-client`: the runtime half of `cargo xtask bench`. Built in release.
//!
//! - `bench-client run --seconds S --rounds N --concurrency C`: starts the canned
//!   server, checks that the generated client and the raw reqwest code send
//!   byte-identical requests, then measures requests/s of both for GetConversation and
//!   ListConversations, sequentially and with C requests in flight. Prints JSON.
//! - `bench-client wire --seconds S --rounds N --concurrency C`: response bytes on the
//!   wire with and without gzip, and requests/s of the generated client with its
//!   default (gzip) `reqwest::Client` vs one without gzip. Prints JSON.
//! - `bench-client decode --iterations N`: decoding a 100-message ListMessages body
//!   into the generated types vs a hand-written serde type. Prints JSON.
//! - `bench-client profile --client generated|raw --operation OP --concurrency C
//!   --requests N`: only one client making N requests, for a profiler.
//! - `bench-client serve`: starts the server, prints its base URL on the first line of
//!   stdout, serves until stdin is closed, then prints JSON with the first request head
//!   seen per route and the request counts (for the Python client).

mod bodies;
mod decode;
mod measure;
mod overhead;
mod profile;
mod raw;
mod server;
mod wire;

use std::io::Read;

use serde_json::{Value, json};
use sunshine_conversations::{Client, models};

/// Request parameters shared by every client (and the Python script).
const APP_ID: &str = "app_bench";
const CONVERSATION_ID: &str = "5f2b3c4d5e6f708192a3b4c5";
const USER_ID: &str = "user_bench";
const PAGE_SIZE: u8 = 100;
const KEY_ID: &str = "app_5963ceb97cde542d000dbdb1";
const SECRET: &str = "bench-secret";
const UA: &str = "sunshine-conversations-bench/1";

const USAGE: &str = "usage: bench-client run [--seconds S] [--rounds N] [--concurrency C] [--only OPERATION] \
                     | wire [--seconds S] [--rounds N] [--concurrency C] | decode [--iterations N] \
                     | profile [--client generated|raw] [--operation OP] [--concurrency C] [--requests N] \
                     | serve | bodies";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => overhead::run(&args[1..]),
        Some("wire") => wire::run(&args[1..]),
        Some("decode") => decode::run(&args[1..]),
        Some("profile") => profile::run(&args[1..]),
        Some("serve") => serve(),
        Some("bodies") => {
            let sizes = [bodies::get_conversation(), bodies::list_conversations(), bodies::list_messages()]
                .map(|body| body.len());
            println!("{}", json!({ "get": sizes[0], "list": sizes[1], "messages": sizes[2] }));
        }
        _ => {
            eprintln!("{USAGE}");
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

/// The generated client for the server at `base`: as shipped (gzip on) when `gzip`,
/// else on a `reqwest::Client` without gzip.
/// The raw side's `reqwest::Client`: without gzip, and with the generated client's
/// default per-request timeout (30 s), so that both pay for a timer per request (hand-written
/// code without a timeout would wait forever on a stalled server).
fn raw_http() -> reqwest::Client {
    reqwest::Client::builder().no_gzip().timeout(std::time::Duration::from_secs(30)).build().expect("reqwest client")
}

fn generated_client(base: &str, gzip: bool) -> Client {
    let builder = Client::builder(base).basic_auth(KEY_ID, SECRET).user_agent(UA);
    let builder = if gzip { builder } else { builder.configure_http(reqwest::ClientBuilder::no_gzip) };
    builder.build().expect("generated client")
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

async fn generated_messages(client: &Client) -> models::MessageListResponse {
    client
        .list_messages(APP_ID, CONVERSATION_ID)
        .page(models::Page::new().size(PAGE_SIZE))
        .send()
        .await
        .expect("generated request")
        .into_body()
}

/// `std::mem::size_of_val` of the futures a call awaits, in bytes: the generated
/// `send()` futures and the raw code's.
fn future_sizes(generated: &Client, raw: &raw::Raw) -> Value {
    let get = generated.get_conversation(APP_ID, CONVERSATION_ID).send();
    let list = generated
        .list_conversations(APP_ID, models::ConversationListFilter::new().user_id(USER_ID))
        .page(models::Page::new().size(PAGE_SIZE))
        .send();
    let raw_get = raw.get_conversation();
    let raw_list = raw.list_conversations();
    json!({
        "GetConversation": { "generated": size_of_val(&get), "raw": size_of_val(&raw_get) },
        "ListConversations": { "generated": size_of_val(&list), "raw": size_of_val(&raw_list) },
    })
}
