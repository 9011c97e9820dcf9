//! `bench-client profile`: one client, one operation, a fixed number of requests, for
//! a profiler (`perf record`, `valgrind --tool=callgrind`): the clients of
//! `bench-client run`, without the other one's work mixed in.

use std::future::Future;
use std::hint::black_box;
use std::time::Instant;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::measure::thread_cpu_ns;
use crate::raw::Raw;
use crate::server;

/// `bench-client profile [--client generated|raw] [--operation OP] [--concurrency C] [--requests N]`.
pub fn run(args: &[String]) {
    let (mut client, mut operation, mut concurrency, mut requests) =
        ("generated".to_owned(), "GetConversation".to_owned(), 32usize, 20_000u64);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--client" => client = value.clone(),
            "--operation" => operation = value.clone(),
            "--concurrency" => concurrency = value.parse().expect("--concurrency: a count"),
            "--requests" => requests = value.parse().expect("--requests: a count"),
            other => panic!("unknown argument {other}"),
        }
    }
    let (base, _record) = server::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    runtime.block_on(async {
        let generated = crate::generated_client(&base, false);
        let raw = Raw::new(&base, crate::raw_http());
        let (generated, raw) = (&generated, &raw);
        let (cpu_us, seconds) = match (client.as_str(), operation.as_str()) {
            ("generated", "GetConversation") => {
                drive(requests, concurrency, || async {
                    black_box(crate::generated_get(generated).await);
                })
                .await
            }
            ("generated", _) => {
                drive(requests, concurrency, || async {
                    black_box(crate::generated_list(generated).await);
                })
                .await
            }
            (_, "GetConversation") => {
                drive(requests, concurrency, || async {
                    black_box(raw.get_conversation().await);
                })
                .await
            }
            _ => {
                drive(requests, concurrency, || async {
                    black_box(raw.list_conversations().await);
                })
                .await
            }
        };
        println!(
            "{client} {operation} x{requests} ({concurrency} in flight): {cpu_us:.2} CPU µs/request, {:.0} requests/s; \
             futures: {}",
            requests as f64 / seconds,
            crate::future_sizes(generated, raw)
        );
    });
}

/// Makes 200 requests to warm up, then `requests` with `concurrency` in flight;
/// returns CPU µs per request and the seconds taken.
async fn drive<Fut: Future<Output = ()>>(requests: u64, concurrency: usize, make: impl Fn() -> Fut) -> (f64, f64) {
    for _ in 0..200 {
        make().await;
    }
    let cpu = thread_cpu_ns().unwrap_or(0);
    let start = Instant::now();
    let mut in_flight: FuturesUnordered<Fut> = FuturesUnordered::new();
    let mut started = 0;
    while started < requests.min(concurrency.max(1) as u64) {
        in_flight.push(make());
        started += 1;
    }
    while in_flight.next().await.is_some() {
        if started < requests {
            in_flight.push(make());
            started += 1;
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_us = thread_cpu_ns().unwrap_or(0).saturating_sub(cpu) as f64 / 1e3 / requests.max(1) as f64;
    (cpu_us, seconds)
}
