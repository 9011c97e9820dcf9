{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Test doubles for code that uses this client (cargo feature `testing`).
//!
//! [`MockApi`] is a mock of the API on 127.0.0.1 with one method per operation; each
//! returns an [`Expect`]ation: narrow it (path parameters, body, query, `times`),
//! then answer (a typed body, the spec's example, a typed error, a rate limit, a
//! delay, a dropped connection). [`MockApi::received`] reads the calls back, typed.
//! A request no expectation matches gets [`UNMATCHED_STATUS`] (418, which the API never
//! sends) and fails the test when the mock is dropped ([`MockApi::unmatched`] lists
//! them). [`MockApi::client`] is a client for the mock whose retries wait a few
//! milliseconds (at most [`CLIENT_MAX_BACKOFF`], and a `Retry-After` at most
//! [`CLIENT_MAX_RETRY_AFTER`]).

pub use crate::runtime::testing::{
    CLIENT_INITIAL_BACKOFF, CLIENT_MAX_BACKOFF, CLIENT_MAX_RETRY_AFTER, Call, Expect, MockApi, Operation, Received,
    UNMATCHED_STATUS, Unmatched,
};
pub use wiremock;
{% if uses_models %}
use crate::models;
{% endif %}

/// The headers and body of a webhook delivery of `payload`, as the API would send it
/// with the webhook secret `secret` (for a handler's own tests).
pub fn webhook_delivery<T: serde::Serialize>(secret: &str, payload: &T) -> (reqwest::header::HeaderMap, Vec<u8>) {
    crate::runtime::testing::webhook_delivery(crate::webhooks::API_KEY_HEADER, secret, payload)
}

/// A webhook delivery of `payload` as an axum request to `uri`, for
/// `router.oneshot(request)` (cargo features `testing` and `axum`).
#[cfg(feature = "axum")]
pub fn webhook_request<T: serde::Serialize>(uri: &str, secret: &str, payload: &T) -> axum::http::Request<axum::body::Body> {
    crate::runtime::testing::webhook_request(crate::webhooks::API_KEY_HEADER, uri, secret, payload)
}

/// Delivers a webhook of `payload` to an axum `router` at `uri`, in process, as the API
/// would with the webhook secret `secret`; returns the status and text of the answer
/// (cargo features `testing` and `axum`).
#[cfg(feature = "axum")]
pub async fn deliver<T: serde::Serialize>(router: &axum::Router, uri: &str, secret: &str, payload: &T) -> (u16, String) {
    crate::runtime::testing::deliver(crate::webhooks::API_KEY_HEADER, router, uri, secret, payload).await
}

/// Posts a webhook delivery of `payload` to a running server at `url`; returns the
/// status and body of its answer.
pub async fn post_webhook<T: serde::Serialize>(url: &str, secret: &str, payload: &T) -> Result<(u16, String), reqwest::Error> {
    crate::runtime::testing::post_webhook(crate::webhooks::API_KEY_HEADER, url, secret, payload).await
}
{% for (name, text) in shared_examples %}

/// The success example several operations answer with (named after the first).
const {{ name }}: &str = {{ text|lit }};
{% endfor %}
{% for x in mocks %}

/// `{{ x.op.operation_id|code }}` (`{{ x.op.method }} {{ x.op.path|code }}`), for [`MockApi::{{ x.op.mock_method }}`] and [`MockApi::received`].
#[derive(Debug, Clone, Copy)]
pub struct {{ x.op.mock_marker }};

impl Operation for {{ x.op.mock_marker }} {
    const ID: &'static str = {{ x.op.operation_id|lit }};
    const METHOD: &'static str = {{ x.op.method.as_str()|lit }};
    const PATH: &'static str = {{ x.op.path|lit }};
    const SUCCESS_STATUS: u16 = {{ x.op.success.status }};
    const EXAMPLE: Option<&'static str> = {% match x.example %}{% when Some(ExampleRef::Literal(text)) %}Some({{ text|lit }}){% when Some(ExampleRef::Shared(name)) %}Some({{ name }}){% when None %}None{% endmatch %};
    type Response = {{ x.response_ty }};
    type Error = {{ x.error_ty }};
    type Body = {{ x.body_ty }};
{% if let Some(raw) = x.op.success.raw %}

    fn encode_response(body: &Self::Response) -> (Vec<u8>, &'static str) {
        ({% if raw.text %}body.clone().into_bytes(){% else %}body.clone(){% endif %}, {{ raw.media_type|lit }})
    }
{% endif %}
}
{% endfor %}

/// Every operation: (`operationId`, method, path template), for [`MockApi::calls`].
const OPERATIONS: &[(&str, &str, &str)] = &[
{% for x in mocks %}    ({{ x.op.operation_id|lit }}, {{ x.op.method.as_str()|lit }}, {{ x.op.path|lit }}),
{% endfor %}];

impl MockApi {
    /// Every request the mock received, in order, each named by the operation it
    /// calls (`None` for a request no operation has): e.g. to check that one call came
    /// before another. [`Call::is`] and [`Call::body_as`] read it typed.
    pub async fn calls(&self) -> Vec<Call> {
        self.calls_among(OPERATIONS).await
    }
{% for x in mocks %}
    /// Expect calls of [`Client::{{ x.op.method_name }}`](crate::Client::{{ x.op.method_name }}), `{{ x.op.operation_id|code }}` (`{{ x.op.method }} {{ x.op.path|code }}`).
    pub fn {{ x.op.mock_method }}(&self) -> Expect<'_, {{ x.op.mock_marker }}> {
        self.expect()
    }

{% endfor %}
}
{% if !fixtures.is_empty() %}

/// Webhook payloads from the API description's own examples, decoded: a fixture per
/// example, and a `_with` variant that first sets values at JSON pointers (e.g.
/// `("/events/0/payload/message/content/text", json!("human"))`). They panic, naming
/// the example, if a change does not apply or the result does not decode.
pub mod events {
{% if fixtures_use_models %}    use crate::models;
{% endif %}
{% for (payload, x) in fixtures %}

    /// The example `{{ x.name|code }}`.
    pub fn {{ x.function }}() -> {{ payload }} {
        {{ x.function_with }}(&[])
    }

    /// The example `{{ x.name|code }}`, with `changes` (JSON pointer, value) applied.
    pub fn {{ x.function_with }}(changes: &[(&str, serde_json::Value)]) -> {{ payload }} {
        crate::runtime::testing::example_with({{ x.name|lit }}, {{ x.json|lit }}, changes)
    }
{% endfor %}
}
{% endif %}
