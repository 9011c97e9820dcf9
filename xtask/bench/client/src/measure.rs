//! Timing helpers: throughput with requests in flight, the client thread's CPU time,
//! and ABBA rounds of two contenders.

use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Value, json};

/// One measurement: requests/s and the client thread's CPU time per request.
#[derive(Clone, Copy)]
pub struct Sample {
    /// Requests per second.
    pub rps: f64,
    /// `None` where /proc/thread-self/schedstat is not available.
    pub cpu_us: Option<f64>,
}

/// Nanoseconds this thread has spent on a CPU (Linux).
pub fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Requests/s of `make` over `duration`, keeping `concurrency` requests in flight
/// (one task, a shared client). The clients run on a current-thread runtime, so this
/// thread's CPU time is all their work (reqwest's connection tasks included).
pub async fn throughput<Fut: Future<Output = ()>>(
    duration: Duration,
    concurrency: usize,
    make: impl Fn() -> Fut,
) -> Sample {
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

/// Settings shared by the measuring subcommands.
pub struct Settings {
    /// Seconds per round.
    pub seconds: f64,
    /// Rounds per contender and scenario.
    pub rounds: usize,
    /// Requests in flight in the concurrent scenarios.
    pub concurrency: usize,
    /// Only this operation (for profiling).
    pub only: Option<String>,
}

impl Settings {
    /// `--seconds S --rounds N --concurrency C --only OPERATION`.
    pub fn parse(args: &[String]) -> Self {
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

    /// Whether to measure `operation`.
    pub fn wants(&self, operation: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == operation)
    }
}

/// Measures contenders `a` and `b` (`measure(false, d)` is `a`, `measure(true, d)` is
/// `b`) after a warm-up of each, in `rounds` alternating rounds (ABBA, so drift affects
/// both alike). Returns JSON with `a_rounds`, `b_rounds` (requests/s), `a_cpu_us`,
/// `b_cpu_us`.
pub async fn abba<F: Future<Output = Sample>>(settings: &Settings, measure: impl Fn(bool, Duration) -> F) -> Value {
    let duration = Duration::from_secs_f64(settings.seconds);
    let warm_up = duration.mul_f64(0.2).max(Duration::from_millis(20));
    measure(false, warm_up).await;
    measure(true, warm_up).await;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..settings.rounds {
        if round % 2 == 0 {
            a.push(measure(false, duration).await);
            b.push(measure(true, duration).await);
        } else {
            b.push(measure(true, duration).await);
            a.push(measure(false, duration).await);
        }
    }
    let rps = |samples: &[Sample]| samples.iter().map(|s| s.rps).collect::<Vec<_>>();
    let cpu = |samples: &[Sample]| samples.iter().filter_map(|s| s.cpu_us).collect::<Vec<_>>();
    json!({ "a_rounds": rps(&a), "b_rounds": rps(&b), "a_cpu_us": cpu(&a), "b_cpu_us": cpu(&b) })
}
