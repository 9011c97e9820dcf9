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
    IDEMPOTENT_METHODS.contains(&method.as_str())
}

/// The methods whose failed requests are retried after a `502`, `503` or `504`, a
/// timeout or a transport error: those a server handles the same when sent twice.
/// The generator reads this table (for the operations' docs), so it is the one
/// statement of the rule.
pub(crate) const IDEMPOTENT_METHODS: [&str; 5] = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"];

/// A number uniform in `[0, 1)`, from the standard library's randomly keyed
/// hasher applied to a counter (no `rand` dependency needed).
pub(crate) fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let bits = RandomState::new().hash_one(n) >> 11; // 53 random bits
    bits as f64 / (1u64 << 53) as f64
}
