//! Client-side pacing (`ClientBuilder::pace`) on loopback, against a server that
//! enforces a rate limit itself: answers `429 Too Many Requests` to any request beyond
//! its budget. A client paced at the server's rate never meets a 429, whether its
//! calls come from one task or from many clones at once; retries wait for their turn
//! too. Each test prints the rate asked and the rate served (`--nocapture`).
//!
//! Only lower bounds on spacing are asserted (a slow machine spaces requests further
//! apart, never closer), so the tests cannot fail because CI is slow.

use client_tests::fault_server as support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sunshine_conversations::reqwest::{Method, StatusCode};
use sunshine_conversations::{CallOptions, Client, Error, Pace, RetryPolicy};
use support::{Fault, FaultServer, response};

/// A server allowing `per_second` requests a second, `burst` back to back (with one
/// request of slack for loopback jitter), answering the rest with 429; and the
/// arrival time of every request.
async fn rate_limited_server(per_second: u32, burst: u32) -> (FaultServer, Arc<Mutex<Vec<Instant>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&arrivals);
    let interval = Duration::from_secs(1) / per_second;
    let tolerance = interval * burst;
    // The server's own bucket: when the next request is due (GCRA).
    let due: Mutex<Option<Instant>> = Mutex::new(None);
    let server = FaultServer::start(move |_| {
        let now = Instant::now();
        seen.lock().unwrap().push(now);
        let mut due = due.lock().unwrap();
        let next = due.map_or(now, |d| d.max(now));
        if next.checked_sub(tolerance).is_some_and(|earliest| earliest > now) {
            return Fault::Raw(response(429, &[("content-type", "application/json")], b"{}"));
        }
        *due = Some(next + interval);
        Fault::Raw(response(200, &[("content-type", "application/json")], b"{}"))
    })
    .await;
    (server, arrivals)
}

fn paced_client(url: &str, pace: Pace) -> Client {
    Client::builder(url)
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .pace(pace)
        .build()
        .unwrap()
}

async fn get(client: &Client) -> Result<StatusCode, Error> {
    Ok(client.send_raw(Method::GET, "/v2/ping", None, CallOptions::new()).await?.status())
}

/// Requests a second between the first and the last arrival, after the burst.
fn served_rate(arrivals: &[Instant], burst: usize) -> f64 {
    let after_burst = &arrivals[burst.saturating_sub(1)..];
    let span = after_burst[after_burst.len() - 1] - after_burst[0];
    (after_burst.len() - 1) as f64 / span.as_secs_f64()
}

#[tokio::test]
async fn one_task_paced_at_the_servers_rate_never_meets_a_429() {
    let (server, arrivals) = rate_limited_server(20, 1).await;
    let client = paced_client(&server.url(), Pace::per_second(20));
    for _ in 0..30 {
        assert_eq!(get(&client).await.unwrap(), StatusCode::OK);
    }
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 30);
    for pair in arrivals.windows(2) {
        // 50 ms apart as sent; loopback can bring two a little closer.
        assert!(pair[1] - pair[0] >= Duration::from_millis(40), "{:?} apart", pair[1] - pair[0]);
    }
    println!("one task: asked 20 requests/s, served {:.2}/s", served_rate(&arrivals, 1));
}

#[tokio::test]
async fn clones_share_the_pace_and_a_burst_is_paid_back() {
    let (server, arrivals) = rate_limited_server(50, 10).await;
    let client = paced_client(&server.url(), Pace::per_second(50).burst(10));
    let start = Instant::now();
    let calls: Vec<_> = (0..60)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), StatusCode::OK, "no 429: the clones share one budget");
    }
    // 10 at once, then 50 more at 50 a second: at least 1 s.
    assert!(start.elapsed() >= Duration::from_millis(980), "{:?}", start.elapsed());
    let mut arrivals = arrivals.lock().unwrap().clone();
    arrivals.sort();
    println!(
        "60 calls from clones: asked 50 requests/s after a burst of 10, served {:.2}/s",
        served_rate(&arrivals, 10)
    );
}

#[tokio::test]
async fn an_unpaced_client_meets_the_limit() {
    // The same calls without a pace: the server's limit answers some with 429, so the
    // test above would fail if the pace did nothing.
    let (server, _) = rate_limited_server(50, 10).await;
    let client = Client::builder(server.url())
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client).await })
        })
        .collect();
    let mut limited = 0;
    for call in calls {
        if let Err(Error::Api(error)) = call.await.unwrap() {
            assert_eq!(error.status(), StatusCode::TOO_MANY_REQUESTS);
            limited += 1;
        }
    }
    assert!(limited > 0, "200 calls at once, unpaced, all within a budget of 10 + 50/s");
}

#[tokio::test]
async fn each_retry_waits_for_its_turn() {
    let server = FaultServer::always(Fault::Raw(response(503, &[("content-type", "application/json")], b"{}"))).await;
    let client = Client::builder(server.url())
        .configure_http(|http| http.no_proxy())
        .retry_policy(RetryPolicy::default().max_attempts(4).initial_backoff(Duration::from_millis(1)))
        .pace(Pace::per_second(10))
        .build()
        .unwrap();
    let start = Instant::now();
    assert!(get(&client).await.is_err());
    assert_eq!(server.request_count(), 4);
    // Four attempts, 100 ms apart (the backoff alone is about a millisecond).
    assert!(start.elapsed() >= Duration::from_millis(290), "{:?}", start.elapsed());
}
