{% import "macros.rs" as m %}{% include "preamble.rs" %}

/// Where the API is served: one of the spec's servers, or any base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Server {
{% for s in servers %}
{% call m::docs(s.server.docs.as_slice()) %}{% endcall %}
{% if s.args.is_empty() %}    {{ s.server.variant }},
{% else %}    {{ s.server.variant }} {
{% for x in s.variables %}
{% call m::docs(x.docs.as_slice()) %}{% endcall %}
        {{ x.rust_name }}: String,
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
{% for s in servers %}{% if s.args.is_empty() %}            Self::{{ s.server.variant }} => {{ s.server.url|lit }}.to_string(),
{% else %}            Self::{{ s.server.variant }} { {% for x in s.variables %}{{ x.rust_name }}, {% endfor %} } => format!({{ s.format|lit }}{% for (a, in_path) in s.args %}, {% if in_path %}Self::path_part({{ a }}){% else %}Self::host_label({{ a }}){% endif %}{% endfor %}),
{% endif %}{% endfor %}
            Self::Custom(url) => url.clone(),
        }
    }
{% if path_variables %}

    /// Keeps what a path may hold as it is (letters, digits, `-._~` and `/`) and
    /// percent-encodes the rest, so a value cannot end the path or start a query.
    fn path_part(value: &str) -> String {
        let mut out = String::with_capacity(value.len());
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }
{% endif %}{% if host_variables %}

    /// Keeps letters, digits and `-`; percent-encodes the rest (an invalid host, never another one).
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
{% endif %}
}

impl From<Server> for crate::BaseUrl {
    fn from(server: Server) -> Self {
        crate::BaseUrl::from(server.url())
    }
}
