//! [`RetryPolicy`] and the pure retry decision.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// When and how often failed calls are retried.
///
/// Retried: `429 Too Many Requests` for every method; `502`, `503`, `504`,
/// timeouts and transport errors only for idempotent methods (GET, HEAD,
/// PUT, DELETE, OPTIONS). The delay is the response's `Retry-After` when it
/// has one, otherwise exponential backoff with full jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 250 ms up to 10 s, at most 60 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
            max_retry_after: Duration::MAX,
        }
    }
}

impl RetryPolicy {
    /// A single attempt: never retry.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts in all, the first included (`0` counts as `1`).
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Backoff ceiling before the first retry; it doubles on each retry.
    pub fn initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Largest backoff ceiling.
    pub fn max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// No retry is started that would end after this much time since the
    /// call began.
    pub fn max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Longest wait a response's `Retry-After` can ask for (by default it is obeyed
    /// as given, within `max_elapsed`); e.g. a few milliseconds against a mock.
    pub fn max_retry_after(mut self, max_retry_after: Duration) -> Self {
        self.max_retry_after = max_retry_after;
        self
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A response with this non-2xx status.
    Status(u16),
    /// The per-attempt timeout expired.
    Timeout,
    /// Connecting or reading/writing the connection failed.
    Transport,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Give up and report the failure.
    Stop,
}

/// Whether an attempt that ended with `outcome` should be retried.
///
/// `attempt` is the 1-based number of the attempt that just finished,
/// `elapsed` the time since the call began, `retry_after` the response's
/// parsed `Retry-After`, `jitter` a number uniform in `[0, 1)`.
pub(crate) fn decide(
    policy: &RetryPolicy,
    idempotent: bool,
    outcome: Outcome,
    attempt: u32,
    elapsed: Duration,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Decision {
    let retryable = match outcome {
        Outcome::Status(429) => true,
        Outcome::Status(502..=504) | Outcome::Timeout | Outcome::Transport => idempotent,
        Outcome::Status(_) => false,
    };
    if !retryable || attempt >= policy.max_attempts.max(1) {
        return Decision::Stop;
    }
    let delay = match retry_after {
        Some(delay) => delay.min(policy.max_retry_after),
        None => {
            let exponent = attempt.saturating_sub(1).min(31);
            let ceiling = policy.initial_backoff.saturating_mul(1u32 << exponent).min(policy.max_backoff);
            // `mul_f64` panics on NaN or negative factors: clamp first.
            let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
            ceiling.mul_f64(jitter)
        }
    };
    match elapsed.checked_add(delay) {
        Some(end) if end <= policy.max_elapsed => Decision::Retry(delay),
        _ => Decision::Stop,
    }
}

/// Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`, a past date giving zero).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits for a u64 is still "a very long time".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether failures of `method` may be retried blindly: GET, HEAD, PUT,
/// DELETE and OPTIONS (not POST or PATCH).
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS].contains(method)
}

/// A number uniform in `[0, 1)`, from the standard library's randomly keyed
/// hasher applied to a counter (no `rand` dependency needed).
pub(crate) fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let bits = RandomState::new().hash_one(n) >> 11; // 53 random bits
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for (i, &(policy, idempotent, outcome, attempt, elapsed, retry_after, jitter, expected)) in
            table.iter().enumerate()
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
}
