{% import "macros.rs" as m %}{% include "preamble.rs" %}

use crate::BaseUrl;

/// Where the API is served: one of the spec's servers, or any base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Server {
{% for s in servers %}
{% call m::docs(s.docs.as_slice()) %}{% endcall %}
{% if s.variables.is_empty() %}    {{ s.variant }},
{% else %}    {{ s.variant }} {
{% for v in s.variables %}
{% call m::docs(v.docs.as_slice()) %}{% endcall %}
        {{ v.rust_name }}: String,
{% endfor %}
    },
{% endif %}
{% endfor %}
    /// Any base URL, e.g. a proxy or a local mock server (`http://127.0.0.1:4010`).
    Custom(String),
}

impl Server {
    /// The base URL requests are sent to. Variable values are percent-encoded, so
    /// they cannot change the host.
    pub fn url(&self) -> String {
        match self {
{% for s in servers %}{% if s.variables.is_empty() %}            Self::{{ s.variant }} => {{ s.url|lit }}.to_string(),
{% else %}            Self::{{ s.variant }} { {% for v in s.variables %}{{ v.rust_name }}, {% endfor %} } => {
{% for v in s.variables %}                let {{ v.rust_name }} = host_label({{ v.rust_name }});
{% endfor %}
                format!({{ s.format|lit }})
            }
{% endif %}{% endfor %}
            Self::Custom(url) => url.clone(),
        }
    }
}

impl From<Server> for BaseUrl {
    fn from(server: Server) -> Self {
        BaseUrl::from(server.url())
    }
}

/// Keeps letters, digits and `-`; percent-encodes the rest (an invalid host, never another one).
#[allow(dead_code)]
fn host_label(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
