{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Webhooks: the requests the API sends to your endpoint when events happen.
//!
//! Build one [`Verifier`] with the webhook's secret; hand it each delivery's headers
//! and body. It checks the `X-API-Key` header in constant time, bounds the body
//! ([`DEFAULT_MAX_WEBHOOK_BYTES`] unless set), and decodes the payload, or says what is
//! wrong with a [`WebhookError`] (never showing the secret). With the `axum` feature,
//! `Webhook<T>` does the same as an extractor.
{% if webhooks.is_empty() %}//!
//! This spec describes no webhook; the verifier decodes any payload type.
{% endif %}

#[cfg(feature = "axum")]
pub use crate::runtime::webhooks::axum::{Webhook, WebhookRejection};
pub use crate::runtime::webhooks::{API_KEY_HEADER, DEFAULT_MAX_WEBHOOK_BYTES, Verifier, WebhookError};
{% if !webhooks.is_empty() %}
use crate::models;
use reqwest::header::HeaderMap;
{% endif %}
{% for w in webhooks %}

{% call m::docs(w.docs.as_slice()) %}{% endcall %}
///
/// Verifies and decodes one delivery: see [`Verifier::parse`].
#[inline]
pub fn {{ w.function }}(verifier: &Verifier, headers: &HeaderMap, body: &[u8]) -> Result<{{ w.payload_ty }}, WebhookError> {
    verifier.parse(headers, body)
}
{% endfor %}
