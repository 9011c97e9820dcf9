//! [`Pace`]: a client-side limit on how fast requests are sent.
//!
//! Retries react to a `429 Too Many Requests` after the fact; a pace keeps a bulk job
//! under the API's rate limit in the first place. It is a token bucket in its exact
//! form (the generic cell rate algorithm): one timestamp, the time the next request
//! may go if none is queued, moved forward by one interval per request. Each attempt
//! takes its turn when it starts, under a lock held for a few instructions and never
//! across an `await`, then sleeps until its turn comes; turns are handed out in the
//! order attempts ask for them.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The longest interval between two paced requests: one a day.
const MAX_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// A limit on how fast requests are sent: on average `requests` per `period`, up to
/// `burst` of them back to back after a quiet spell. Each attempt of a call (a retry
/// too) waits for its turn before it is sent; the wait is not part of the attempt's
/// timeout. Redirect hops an attempt follows do not take turns of their own.
///
/// Set one with [`ClientBuilder::pace`](super::ClientBuilder::pace). Clones share one
/// budget: the clones of a [`Client`](super::Client) share its pace, and one `Pace`
/// given to several builders paces every client built from them together (one API key
/// used by several clients).
///
/// `Pace::per_second(20).burst(5)`: 20 requests a second on average, at most 5 back to
/// back.
///
/// A turn taken by a call that is then dropped while it waits is not given back:
/// dropping calls can only make the others go slower, never faster than the pace.
#[derive(Clone)]
pub struct Pace {
    interval: Duration,
    burst: u32,
    /// When the next request may go if none is waiting (`None` before the first).
    next: Arc<Mutex<Option<Instant>>>,
}

impl Pace {
    /// `requests` per second on average (`0` counts as `1`), one at a time.
    pub fn per_second(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute on average (`0` counts as `1`), one at a time.
    pub fn per_minute(requests: u32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// `requests` per `period` on average (`0` requests count as `1`), one at a time:
    /// requests are spaced `period / requests` apart (at most a day).
    pub fn new(requests: u32, period: Duration) -> Self {
        let interval = (period / requests.max(1)).min(MAX_INTERVAL);
        Self { interval, burst: 1, next: Arc::new(Mutex::new(None)) }
    }

    /// Up to `burst` requests may go back to back after a quiet spell (default 1: every
    /// request waits one interval after the one before; `0` counts as `1`). The average
    /// stays the same: a burst is paid back by the requests after it.
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst.max(1);
        self
    }

    /// The time between two requests at the average rate.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Takes the next turn: how long to wait from `now` before sending (zero when the
    /// request may go now).
    pub(crate) fn take_turn(&self, now: Instant) -> Duration {
        let tolerance = self.interval.saturating_mul(self.burst - 1);
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let due = next.map_or(now, |next| next.max(now));
        // The earliest a request may go: `tolerance` ahead of schedule.
        let at = due.checked_sub(tolerance).map_or(now, |at| at.max(now));
        *next = Some(due + self.interval);
        at - now
    }

    /// Waits for the next turn.
    pub(crate) async fn wait(&self) {
        let wait = self.take_turn(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(wait_ms = wait.as_millis() as u64, "pacing");
            tokio::time::sleep(wait).await;
        }
    }
}

impl fmt::Debug for Pace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pace").field("interval", &self.interval).field("burst", &self.burst).finish()
    }
}
