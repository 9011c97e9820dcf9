//! Receiving webhooks: check the shared secret in constant time, bound the body, and
//! decode the payload, with one typed error for whatever is wrong. The generated
//! `webhooks` module names the payload types; `axum` (a cargo feature) adds an
//! extractor. [`Deduplicator`] remembers which events were handled.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq as _;

use super::auth::Secret;
use super::decode;

/// The default largest payload accepted: 1 MiB. A delivery holds a handful of events
/// of a few kilobytes each (a message is at most 4,096 characters of text plus
/// items); far more is not the API talking.
pub const DEFAULT_MAX_WEBHOOK_BYTES: usize = 1 << 20;

/// The default time the axum extractor waits for a delivery's whole body: 10 s. The
/// API sends a delivery in one go; a body that trickles in is not the API talking, and
/// each one waiting holds a connection.
pub const DEFAULT_WEBHOOK_BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Verifies and decodes webhook deliveries, for one webhook's secret (or several at
/// once, while a secret is being rotated).
///
/// `Debug` never shows a secret.
#[derive(Clone)]
pub struct Verifier {
    /// The header the key comes in (the generated `webhooks::API_KEY_HEADER`).
    header: &'static str,
    secrets: Vec<Secret>,
    max_body_bytes: usize,
    body_timeout: Duration,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("header", &self.header)
            .field("secrets", &self.secrets)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("body_timeout", &self.body_timeout)
            .finish()
    }
}

/// A webhook secret that cannot authenticate anything: an empty one (for example from
/// an environment variable that is set but empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptySecret;

impl fmt::Display for EmptySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a webhook secret must not be empty")
    }
}

impl std::error::Error for EmptySecret {}

impl Verifier {
    /// A verifier of keys in `header` (lower case) for the webhook whose secret is
    /// `secret`: the generated `Verifier::new` names the header its API uses. An empty
    /// secret is refused: it would match an empty key.
    pub(crate) fn for_header(header: &'static str, secret: impl Into<String>) -> Result<Self, EmptySecret> {
        let secret = non_empty(secret.into())?;
        Ok(Self {
            header,
            secrets: vec![secret],
            max_body_bytes: DEFAULT_MAX_WEBHOOK_BYTES,
            body_timeout: DEFAULT_WEBHOOK_BODY_TIMEOUT,
        })
    }

    /// Accepts deliveries signed with `secret` too, e.g. the previous secret while a
    /// webhook's secret is rotated. Every secret is compared, in constant time.
    pub fn also_accept(mut self, secret: impl Into<String>) -> Result<Self, EmptySecret> {
        self.secrets.push(non_empty(secret.into())?);
        Ok(self)
    }

    /// Largest body accepted, in bytes (default [`DEFAULT_MAX_WEBHOOK_BYTES`]). What a
    /// body decodes into is bounded too, at
    /// [`DECODED_BYTES_PER_BODY_BYTE`](super::DECODED_BYTES_PER_BODY_BYTE) times this.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// How long the axum extractor waits for the whole body (default
    /// [`DEFAULT_WEBHOOK_BODY_TIMEOUT`]).
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// The body limit.
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// The header the key comes in.
    pub fn key_header(&self) -> &'static str {
        self.header
    }

    /// Checks the key header against the secrets, in constant time. A missing or empty
    /// header, or more than one, is refused.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let mut given = headers.get_all(self.header).iter();
        let Some(key) = given.next() else { return Err(WebhookError::MissingKey) };
        if given.next().is_some() {
            return Err(WebhookError::SeveralKeys);
        }
        // Every secret is compared, whichever matches: the time does not say which.
        let matched = self
            .secrets
            .iter()
            .fold(false, |found, secret| keys_match(secret.expose().as_bytes(), key.as_bytes()) | found);
        if matched { Ok(()) } else { Err(WebhookError::WrongKey) }
    }

    /// Verifies the delivery, checks the body's size, and decodes it as `T` (a
    /// payload type of the generated `webhooks` module).
    ///
    /// Decoding is bounded ([`DECODED_BYTES_PER_BODY_BYTE`](super::DECODED_BYTES_PER_BODY_BYTE)
    /// times the body limit) and strict: an object that names a member twice is
    /// malformed. Each event of a delivery is decoded on its own, so an event that
    /// does not decode (a repeated member, a lone surrogate, a number out of range) is
    /// kept in the event type's catch-all with its text and error, and the others
    /// decode; a body that is not JSON, or whose envelope does not decode, is
    /// [`WebhookError::Malformed`].
    pub fn parse<T: DeserializeOwned>(&self, headers: &HeaderMap, body: &[u8]) -> Result<T, WebhookError> {
        self.verify(headers)?;
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::TooLarge { limit: self.max_body_bytes });
        }
        decode(body, self.max_body_bytes)
    }
}

fn non_empty(secret: String) -> Result<Secret, EmptySecret> {
    if secret.is_empty() { Err(EmptySecret) } else { Ok(Secret::new(secret)) }
}

/// Compares a secret with the key a request carries, in time that does not depend
/// on where they differ (only on their lengths). An empty key never matches.
pub(crate) fn keys_match(secret: &[u8], given: &[u8]) -> bool {
    !given.is_empty() && bool::from(secret.ct_eq(given))
}

/// Decodes a payload (bounded, strict), naming where in it decoding failed.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], limit: usize) -> Result<T, WebhookError> {
    let budget = limit.saturating_mul(decode::DECODED_BYTES_PER_BODY_BYTE);
    decode::from_slice_locating(body, budget, true).map_err(|failure| match failure {
        decode::Failure::OverBudget => WebhookError::TooLarge { limit },
        decode::Failure::Malformed { path, error } => {
            WebhookError::Malformed { path: path.unwrap_or_else(|| ".".to_owned()), message: error.to_string() }
        }
    })
}

/// Why a delivery was rejected. Never contains the secret or the key received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No key header: not a delivery of this webhook.
    MissingKey,
    /// More than one key header: not how the API sends a delivery.
    SeveralKeys,
    /// The key matches no secret (an empty one never does).
    WrongKey,
    /// The body is larger than the limit, or would decode into more than
    /// [`DECODED_BYTES_PER_BODY_BYTE`](super::DECODED_BYTES_PER_BODY_BYTE) times that.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The whole body did not arrive within the extractor's timeout.
    Timeout {
        /// The timeout.
        after: Duration,
    },
    /// The body is not the payload: invalid JSON, a value of the wrong type in the
    /// envelope, a member named twice in it.
    Malformed {
        /// Where in the payload, e.g. `events` (`.` for the whole).
        path: String,
        /// What is wrong there.
        message: String,
    },
}

impl WebhookError {
    /// The HTTP status to answer with: 401 for a missing, repeated or wrong key, 413
    /// for a body over the limit, 408 for one that did not arrive in time, 400 for a
    /// malformed payload.
    pub fn status(&self) -> u16 {
        match self {
            Self::MissingKey | Self::SeveralKeys | Self::WrongKey => 401,
            Self::TooLarge { .. } => 413,
            Self::Timeout { .. } => 408,
            Self::Malformed { .. } => 400,
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingKey => f.write_str("missing the webhook key header"),
            Self::SeveralKeys => f.write_str("more than one webhook key header"),
            Self::WrongKey => f.write_str("wrong webhook key"),
            Self::TooLarge { limit } => write!(f, "payload larger than {limit} bytes, or decoding into far more"),
            Self::Timeout { after } => write!(f, "the payload did not arrive within {after:?}"),
            Self::Malformed { path, message } => write!(f, "malformed payload at {path}: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Remembers which webhook events were handled, so that a delivery the API sends again
/// (it retries until it gets a 2xx) is not handled twice; bounded, so it cannot grow
/// without end.
///
/// [`claim`](Self::claim) an event's id before handling it; it says which of three
/// cases this is ([`ClaimOutcome`]): yours to handle (then call [`Claim::done`] once
/// handling succeeded), handled already (acknowledge the delivery), or being handled
/// right now by another delivery of the same event (answer with a status that makes the
/// API deliver again, such as 503: that handling may still fail). A claim dropped
/// without `done` (the handler failed, returned early or panicked) is released, so the
/// next delivery of the event is handled again.
///
/// It remembers the last `capacity` ids handled, and (with [`forget_after`](Self::forget_after))
/// for at most that long. Clones share their memory.
///
/// Memory is bounded in bytes, not only in ids: an id is remembered as a 128-bit keyed
/// hash of it (two SipHash-1-3 hashes, under the keys of two of std's `RandomState`s:
/// random for the process, different for each deduplicator), never as its text, so each
/// remembered id costs about 100 bytes whatever its length (100,000 ids: about 10 MB),
/// and an id of a megabyte costs what one of 24 characters does. Two different ids
/// taken for one would need their 128-bit hashes to collide: among a million ids, a
/// chance of about 1 in 10^27; and a sender cannot aim for a collision without the
/// keys, which never leave the process.
#[derive(Debug, Clone)]
pub struct Deduplicator {
    inner: Arc<Mutex<Memory>>,
}

/// What [`Deduplicator::claim`] found: each case wants a different answer to the
/// delivery, so there is no default to fall into by accident.
#[derive(Debug)]
#[must_use = "handle the event for `Claimed` (then call `done()`), and answer the other cases as they say"]
pub enum ClaimOutcome {
    /// The event is yours to handle: handle it, then call [`Claim::done`]. Dropping the
    /// claim without `done` releases it.
    Claimed(Claim),
    /// The event was handled already (by an earlier delivery): acknowledge this one
    /// (2xx) without handling it again.
    HandledAlready,
    /// Another delivery of the event is being handled right now and may still fail:
    /// answer this one with a status that makes the API deliver it again later (503),
    /// not with a 2xx, which would end the API's retries and lose the event if that
    /// handling fails.
    BeingHandled,
}

/// A remembered id: a 128-bit keyed hash of it.
type IdHash = u128;

#[derive(Debug)]
struct Memory {
    capacity: usize,
    ttl: Option<Duration>,
    /// The two hash keys of this deduplicator (random, per deduplicator).
    keys: (RandomState, RandomState),
    /// Ids handled, with when, oldest first.
    order: VecDeque<(IdHash, Instant)>,
    done: HashMap<IdHash, Instant>,
    in_flight: HashSet<IdHash>,
}

impl Memory {
    fn hash(&self, id: &str) -> IdHash {
        (u128::from(self.keys.0.hash_one(id)) << 64) | u128::from(self.keys.1.hash_one(id))
    }

    fn forget_old(&mut self, now: Instant) {
        while let Some((id, at)) = self.order.front() {
            let expired = self.ttl.is_some_and(|ttl| now.duration_since(*at) > ttl);
            if self.order.len() <= self.capacity && !expired {
                break;
            }
            // An id handled again later has a newer entry: only the newest removes it.
            if self.done.get(id) == Some(at) {
                self.done.remove(id);
            }
            self.order.pop_front();
        }
    }
}

impl Deduplicator {
    /// Remembers the last `capacity` ids handled (at least one).
    pub fn new(capacity: usize) -> Self {
        let memory = Memory {
            capacity: capacity.max(1),
            ttl: None,
            keys: (RandomState::new(), RandomState::new()),
            order: VecDeque::new(),
            done: HashMap::new(),
            in_flight: HashSet::new(),
        };
        Self { inner: Arc::new(Mutex::new(memory)) }
    }

    /// Also forgets ids handled longer ago than `ttl` (the API stops retrying a delivery
    /// after a while; after that, remembering it only costs memory).
    pub fn forget_after(self, ttl: Duration) -> Self {
        self.lock().ttl = Some(ttl);
        self
    }

    /// Claims `id` for handling: [`ClaimOutcome::Claimed`] with the claim, or why not
    /// (handled already, or being handled right now).
    pub fn claim(&self, id: &str) -> ClaimOutcome {
        let mut memory = self.lock();
        memory.forget_old(Instant::now());
        let hash = memory.hash(id);
        if memory.done.contains_key(&hash) {
            return ClaimOutcome::HandledAlready;
        }
        if !memory.in_flight.insert(hash) {
            return ClaimOutcome::BeingHandled;
        }
        ClaimOutcome::Claimed(Claim { owner: self.clone(), id: Some(hash) })
    }

    /// Whether `id` was handled (and is still remembered).
    pub fn is_done(&self, id: &str) -> bool {
        let mut memory = self.lock();
        memory.forget_old(Instant::now());
        let hash = memory.hash(id);
        memory.done.contains_key(&hash)
    }

    /// How many handled ids are remembered.
    pub fn len(&self) -> usize {
        self.lock().done.len()
    }

    /// Whether no handled id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        // The memory stays consistent at every step: a panic elsewhere cannot corrupt it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The right to handle one event, from [`Deduplicator::claim`].
#[derive(Debug)]
pub struct Claim {
    owner: Deduplicator,
    id: Option<IdHash>,
}

impl Claim {
    /// The event was handled: remember it, so a retried delivery is not handled again.
    pub fn done(mut self) {
        let Some(id) = self.id.take() else { return };
        let mut memory = self.owner.lock();
        memory.in_flight.remove(&id);
        let now = Instant::now();
        memory.done.insert(id, now);
        memory.order.push_back((id, now));
        memory.forget_old(now);
    }
}

impl Drop for Claim {
    /// Released without `done`: the event can be claimed again.
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            self.owner.lock().in_flight.remove(&id);
        }
    }
}

/// An axum extractor for webhook deliveries (cargo feature `axum`).
#[cfg(feature = "axum")]
pub mod axum {
    use ::axum::body::Body;
    use ::axum::extract::{FromRef, FromRequest, Request};
    use ::axum::http::StatusCode;
    use ::axum::response::{IntoResponse, Response};
    use serde::de::DeserializeOwned;

    use super::{Verifier, WebhookError};

    /// A verified, decoded delivery: `Webhook(payload)`. The [`Verifier`] comes from
    /// the router's state (`Verifier: FromRef<S>`). The key is checked before the
    /// body is read; the body must arrive within the verifier's
    /// [`body_timeout`](Verifier::body_timeout); failures answer 401, 413, 408 or 400
    /// with a short plain-text reason.
    #[derive(Debug, Clone)]
    pub struct Webhook<T>(pub T);

    /// The response for a rejected delivery.
    #[derive(Debug)]
    pub struct WebhookRejection(pub WebhookError);

    impl IntoResponse for WebhookRejection {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, self.0.to_string()).into_response()
        }
    }

    impl<S, T> FromRequest<S> for Webhook<T>
    where
        S: Send + Sync,
        Verifier: FromRef<S>,
        T: DeserializeOwned,
    {
        type Rejection = WebhookRejection;

        async fn from_request(request: Request<Body>, state: &S) -> Result<Self, Self::Rejection> {
            let verifier = Verifier::from_ref(state);
            verifier.verify(request.headers()).map_err(WebhookRejection)?;
            let limit = verifier.body_limit();
            let declared = request
                .headers()
                .get(::axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|length| length > limit as u64) {
                return Err(WebhookRejection(WebhookError::TooLarge { limit }));
            }
            let after = verifier.body_timeout;
            let body = tokio::time::timeout(after, ::axum::body::to_bytes(request.into_body(), limit))
                .await
                .map_err(|_| WebhookRejection(WebhookError::Timeout { after }))?
                .map_err(|_| WebhookRejection(WebhookError::TooLarge { limit }))?;
            super::decode(&body, limit).map(Webhook).map_err(WebhookRejection)
        }
    }
}
