{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Test doubles for code that uses this client (cargo feature `testing`).
//!
//! [`MockApi`] is a mock of the API on 127.0.0.1 with one method per operation; each
//! returns an [`Expect`]ation: narrow it (path parameters, body, query, `times`),
//! then answer (a typed body, the spec's example, a typed error, a rate limit, a
//! delay, a dropped connection). [`MockApi::received`] reads the calls back, typed.
//! [`MockApi::client`] is a client for the mock whose retries do not wait.

#[cfg(feature = "axum")]
pub use crate::runtime::testing::webhook_request;
pub use crate::runtime::testing::{Expect, MockApi, Operation, Received, post_webhook, webhook_delivery};
pub use wiremock;
{% if krate.operations_use_models %}
use crate::models;
{% endif %}
{% for op in operations %}

/// {{ op.doc_name }}, for [`MockApi::{{ op.mock_method }}`] and [`MockApi::received`].
#[derive(Debug, Clone, Copy)]
pub struct {{ op.mock_marker }};

impl Operation for {{ op.mock_marker }} {
    const ID: &'static str = {{ op.operation_id|lit }};
    const METHOD: &'static str = {{ op.http_method|lit }};
    const PATH: &'static str = {{ op.path|lit }};
    const SUCCESS_STATUS: u16 = {{ op.success_status }};
    const EXAMPLE: Option<&'static str> = {% if let Some(example) = op.success_example %}Some({{ example|lit }}){% else %}None{% endif %};
    type Response = {{ op.response_ty }};
    type Error = {{ op.error_ty }};
    type Body = {% if let Some(body) = op.body %}{% if body.encoding == BodyEncoding::Json %}{{ body.ty }}{% else %}(){% endif %}{% else %}(){% endif %};
}
{% endfor %}

impl MockApi {
{% for op in operations %}
    /// Expect calls of [`Client::{{ op.method_name }}`](crate::Client::{{ op.method_name }}), {{ op.doc_name }}.
    pub fn {{ op.mock_method }}(&self) -> Expect<'_, {{ op.mock_marker }}> {
        self.expect()
    }

{% endfor %}
}
