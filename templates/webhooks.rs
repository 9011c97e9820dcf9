{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Webhooks: the requests the API sends to your endpoint when events happen.
//!
//! Build one [`Verifier`] with the webhook's secret (an empty one is refused; several
//! are accepted while rotating); hand it each delivery's headers and body. It checks
//! the [`API_KEY_HEADER`] header in constant time, bounds the body
//! ([`DEFAULT_MAX_WEBHOOK_BYTES`] unless set) and what it decodes into, and decodes the
//! payload, each event on its own, or says what is wrong with a [`WebhookError`] (never
//! showing the secret). With the `axum` feature, `Webhook<T>` does the same as an
//! extractor, reading the body within [`DEFAULT_WEBHOOK_BODY_TIMEOUT`] unless set.
//!
//! The API delivers again until it gets a 2xx: a [`Deduplicator`] remembers (within
//! bounds) which events were handled, so a delivery sent twice is handled once. Its
//! [`claim`](Deduplicator::claim) says which of three cases an event is
//! ([`ClaimOutcome`]): yours to handle, handled already (answer 2xx), or being handled
//! right now by another delivery (answer 503, so the API delivers it again).
{% if v.webhooks.is_empty() %}//!
//! This spec describes no webhook; the verifier decodes any payload type.
{% endif %}

#[cfg(feature = "axum")]
pub use crate::runtime::webhooks::axum::{Webhook, WebhookRejection};
pub use crate::runtime::webhooks::{
    Claim, ClaimOutcome, DEFAULT_MAX_WEBHOOK_BYTES, DEFAULT_WEBHOOK_BODY_TIMEOUT, Deduplicator, EmptySecret, Verifier,
    WebhookError,
};
{% if !v.webhooks.is_empty() %}
use crate::models;
{% endif %}

/// The header the API sends a webhook's key in.
pub const API_KEY_HEADER: &str = {{ v.key_header|lit }};

impl Verifier {
    /// A verifier for the webhook whose secret is `secret` (shown once, when the
    /// webhook is created), checking it in [`API_KEY_HEADER`]. An empty secret is
    /// refused: it would match an empty key.
    pub fn new(secret: impl Into<String>) -> Result<Self, EmptySecret> {
        Self::for_header(API_KEY_HEADER, secret)
    }
{% for w in v.webhooks %}{% if let Some(own) = w.0.own_header %}

    /// A verifier for deliveries of [`{{ w.0.function }}`], whose key comes in [`{{ own.constant }}`], not in
    /// [`API_KEY_HEADER`]. An empty secret is refused: it would match an empty key.
    pub fn {{ own.constructor }}(secret: impl Into<String>) -> Result<Self, EmptySecret> {
        Self::for_header({{ own.constant }}, secret)
    }
{% endif %}{% endfor %}
}
{% for w in v.webhooks %}{% if let Some(own) = w.0.own_header %}

/// The header the API sends the key of the webhook [`{{ w.0.function }}`] decodes in.
pub const {{ own.constant }}: &str = {{ w.0.key_header.to_ascii_lowercase()|lit }};
{% endif %}{% endfor %}
{% for w in v.webhooks %}

{% call m::docs(w.0.docs.as_slice()) %}{% endcall %}
///
/// Verifies and decodes one delivery: see [`Verifier::parse`].
#[inline]
pub fn {{ w.0.function }}(verifier: &Verifier, headers: &reqwest::header::HeaderMap, body: &[u8]) -> Result<{{ w.1 }}, WebhookError> {
    verifier.parse(headers, body)
}
{% endfor %}
