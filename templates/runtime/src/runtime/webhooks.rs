//! Receiving webhooks: check the shared secret in constant time, bound the body, and
//! decode the payload, with one typed error for whatever is wrong. The generated
//! `webhooks` module names the payload types; `axum` (a cargo feature) adds an
//! extractor.

use std::fmt;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq as _;

use super::auth::Secret;

/// The header carrying the webhook's secret, as the API sends it (`X-API-Key`).
pub const API_KEY_HEADER: &str = "x-api-key";

/// The default largest payload accepted: 1 MiB. A delivery holds a handful of events
/// of a few kilobytes each (a message is at most 4,096 characters of text plus
/// items); far more is not the API talking.
pub const DEFAULT_MAX_WEBHOOK_BYTES: usize = 1 << 20;

/// Verifies and decodes webhook deliveries, for one webhook secret.
///
/// `Debug` never shows the secret.
#[derive(Clone)]
pub struct Verifier {
    secret: Secret,
    max_body_bytes: usize,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("secret", &self.secret).field("max_body_bytes", &self.max_body_bytes).finish()
    }
}

impl Verifier {
    /// A verifier for the webhook whose secret is `secret` (shown once, when the
    /// webhook is created).
    pub fn new(secret: impl Into<String>) -> Self {
        Self { secret: Secret::new(secret), max_body_bytes: DEFAULT_MAX_WEBHOOK_BYTES }
    }

    /// Largest body accepted, in bytes (default [`DEFAULT_MAX_WEBHOOK_BYTES`]).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The body limit.
    pub fn body_limit(&self) -> usize {
        self.max_body_bytes
    }

    /// Checks the `X-API-Key` header against the secret, in constant time.
    pub fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let Some(given) = headers.get(API_KEY_HEADER) else { return Err(WebhookError::MissingKey) };
        if keys_match(self.secret.expose().as_bytes(), given.as_bytes()) { Ok(()) } else { Err(WebhookError::WrongKey) }
    }

    /// Verifies the delivery, checks the body's size, and decodes it as `T` (a
    /// payload type of the generated `webhooks` module).
    pub fn parse<T: DeserializeOwned>(&self, headers: &HeaderMap, body: &[u8]) -> Result<T, WebhookError> {
        self.verify(headers)?;
        if body.len() > self.max_body_bytes {
            return Err(WebhookError::TooLarge { limit: self.max_body_bytes });
        }
        decode(body)
    }
}

/// Compares a secret with the key a request carries, in time that does not depend
/// on where they differ (only on their lengths).
pub(crate) fn keys_match(secret: &[u8], given: &[u8]) -> bool {
    secret.ct_eq(given).into()
}

/// Decodes a payload, naming where in it decoding failed.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| WebhookError::Malformed {
        path: error.path().to_string(),
        message: error.inner().to_string(),
    })?;
    deserializer.end().map_err(|error| WebhookError::Malformed { path: ".".to_owned(), message: error.to_string() })?;
    Ok(value)
}

/// Why a delivery was rejected. Never contains the secret or the key received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// No `X-API-Key` header: not a delivery of this webhook.
    MissingKey,
    /// The `X-API-Key` header does not match the secret.
    WrongKey,
    /// The body is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The body is not the payload: invalid JSON, or a value of the wrong type.
    Malformed {
        /// Where in the payload, e.g. `events[0].createdAt` (`.` for the whole).
        path: String,
        /// What is wrong there.
        message: String,
    },
}

impl WebhookError {
    /// The HTTP status to answer with: 401 for a missing or wrong key, 413 for a body
    /// over the limit, 400 for a malformed payload.
    pub fn status(&self) -> u16 {
        match self {
            Self::MissingKey | Self::WrongKey => 401,
            Self::TooLarge { .. } => 413,
            Self::Malformed { .. } => 400,
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingKey => write!(f, "missing {API_KEY_HEADER} header"),
            Self::WrongKey => write!(f, "wrong {API_KEY_HEADER}"),
            Self::TooLarge { limit } => write!(f, "payload larger than {limit} bytes"),
            Self::Malformed { path, message } => write!(f, "malformed payload at {path}: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

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
    /// body is read; failures answer 401, 413 or 400 with a short plain-text reason.
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
            let body = ::axum::body::to_bytes(request.into_body(), limit)
                .await
                .map_err(|_| WebhookRejection(WebhookError::TooLarge { limit }))?;
            super::decode(&body).map(Webhook).map_err(WebhookRejection)
        }
    }
}
