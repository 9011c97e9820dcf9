//! Unit tests of `runtime/retry.rs`.

use crate::runtime::retry::*;
use std::time::{Duration, SystemTime};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// (policy, idempotent, outcome, attempt, elapsed, retry_after, jitter, expected)
type Row<'a> = (&'a RetryPolicy, bool, Outcome, u32, Duration, Option<Duration>, f64, Decision);

#[test]
fn decision_table() {
    use Decision::{Retry, Stop};
    use Outcome::{Status, Timeout, Transport};
    let default = RetryPolicy::default();
    let five = RetryPolicy::default().max_attempts(5);
    let ten = RetryPolicy::default().max_attempts(10).initial_backoff(ms(100)).max_backoff(ms(1000));
    let none = RetryPolicy::none();
    let zero = RetryPolicy::default().max_attempts(0);

    // (policy, idempotent, outcome, attempt, elapsed, retry_after, jitter, expected)
    #[rustfmt::skip]
    let table: &[Row<'_>] = &[
        // 429: every method, Retry-After wins over backoff.
        (&default, false, Status(429), 1, ms(0), Some(secs(0)), 0.5, Retry(secs(0))),
        (&default, true, Status(429), 1, ms(0), Some(secs(2)), 0.5, Retry(secs(2))),
        (&default, false, Status(429), 1, ms(0), None, 0.5, Retry(ms(125))),
        // Retry-After that would pass max_elapsed: stop.
        (&default, false, Status(429), 1, secs(1), Some(secs(60)), 0.5, Stop),
        (&default, false, Status(429), 1, secs(0), Some(secs(60)), 0.5, Retry(secs(60))),
        // 502/503/504: only idempotent methods.
        (&default, true, Status(502), 1, ms(0), None, 1.0, Retry(ms(250))),
        (&default, true, Status(503), 2, ms(0), None, 1.0, Retry(ms(500))),
        (&default, true, Status(504), 1, ms(0), None, 0.0, Retry(ms(0))),
        (&default, false, Status(502), 1, ms(0), None, 0.5, Stop),
        (&default, false, Status(503), 1, ms(0), Some(secs(0)), 0.5, Stop),
        (&default, false, Status(504), 1, ms(0), None, 0.5, Stop),
        (&default, true, Status(503), 1, ms(0), Some(secs(3)), 0.5, Retry(secs(3))),
        // Timeout and transport errors: only idempotent methods.
        (&default, true, Timeout, 1, ms(0), None, 0.5, Retry(ms(125))),
        (&default, false, Timeout, 1, ms(0), None, 0.5, Stop),
        (&default, true, Transport, 1, ms(0), None, 0.5, Retry(ms(125))),
        (&default, false, Transport, 1, ms(0), None, 0.5, Stop),
        // Other statuses: never.
        (&default, true, Status(500), 1, ms(0), None, 0.5, Stop),
        (&default, true, Status(400), 1, ms(0), Some(secs(0)), 0.5, Stop),
        (&default, true, Status(404), 1, ms(0), None, 0.5, Stop),
        (&default, true, Status(501), 1, ms(0), None, 0.5, Stop),
        (&default, true, Status(505), 1, ms(0), None, 0.5, Stop),
        // Attempt limit.
        (&default, true, Status(503), 3, ms(0), None, 0.5, Stop),
        (&default, false, Status(429), 3, ms(0), Some(secs(0)), 0.5, Stop),
        (&five, true, Status(503), 4, ms(0), None, 1.0, Retry(secs(2))),
        (&none, false, Status(429), 1, ms(0), Some(secs(0)), 0.5, Stop),
        (&zero, true, Status(503), 1, ms(0), None, 0.5, Stop),
        // Backoff doubles, capped by max_backoff, scaled by jitter.
        (&ten, true, Status(503), 1, ms(0), None, 1.0, Retry(ms(100))),
        (&ten, true, Status(503), 3, ms(0), None, 1.0, Retry(ms(400))),
        (&ten, true, Status(503), 5, ms(0), None, 1.0, Retry(ms(1000))),
        (&ten, true, Status(503), 9, ms(0), None, 0.25, Retry(ms(250))),
        // Nonsense jitter is clamped, never panics.
        (&ten, true, Status(503), 1, ms(0), None, f64::NAN, Retry(ms(0))),
        (&ten, true, Status(503), 1, ms(0), None, 7.0, Retry(ms(100))),
        // max_elapsed.
        (&default, true, Status(503), 1, ms(59_900), None, 1.0, Stop),
        (&default, true, Status(503), 1, ms(59_750), None, 1.0, Retry(ms(250))),
        (&default, true, Status(503), 1, Duration::MAX, None, 0.5, Stop),
    ];
    assert!(table.len() >= 15);
    for (i, &(policy, idempotent, outcome, attempt, elapsed, retry_after, jitter, expected)) in table.iter().enumerate()
    {
        let got = decide(policy, idempotent, outcome, attempt, elapsed, retry_after, jitter);
        assert_eq!(got, expected, "row {i}: {outcome:?} attempt {attempt} idempotent {idempotent}");
    }
}

#[test]
fn large_attempt_numbers_do_not_overflow() {
    let policy = RetryPolicy::default().max_attempts(u32::MAX);
    let decision = decide(&policy, true, Outcome::Transport, 1000, ms(0), None, 1.0);
    assert_eq!(decision, Decision::Retry(secs(10)));
}

#[test]
fn retry_after_delta_seconds() {
    let now = SystemTime::now();
    assert_eq!(parse_retry_after("0", now), Some(secs(0)));
    assert_eq!(parse_retry_after(" 120 ", now), Some(secs(120)));
    assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
    assert_eq!(parse_retry_after("-1", now), None);
    assert_eq!(parse_retry_after("1.5", now), None);
    assert_eq!(parse_retry_after("", now), None);
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn retry_after_http_date() {
    let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), Some(secs(30)));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(secs(0)));
    // Obsolete formats accepted by httpdate too (RFC 850, asctime).
    assert_eq!(parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now), Some(secs(60)));
    assert_eq!(parse_retry_after("Wed Oct 21 07:28:05 2015", now), Some(secs(5)));
}

#[test]
fn idempotent_methods() {
    use reqwest::Method;
    for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS] {
        assert!(is_idempotent(&method), "{method}");
    }
    for method in [Method::POST, Method::PATCH, Method::CONNECT, Method::TRACE] {
        assert!(!is_idempotent(&method), "{method}");
    }
}

#[test]
fn jitter_is_in_range_and_varies() {
    let samples: Vec<f64> = (0..100).map(|_| jitter()).collect();
    assert!(samples.iter().all(|j| (0.0..1.0).contains(j)));
    let first = samples[0];
    assert!(samples.iter().any(|&j| j != first));
}
