{% import "macros.rs" as m %}{% import "rust.rs" as r %}{% include "preamble.rs" %}
//!
//! Authentication: a [`ClientBuilder`](crate::ClientBuilder) method per security
//! scheme the API describes{% if v.methods.is_empty() %} (it describes none: set
//! [`ClientBuilder::auth`](crate::ClientBuilder::auth) to send credentials){% endif %}.
{% if let Some(jwt) = v.jwt %}

/// The `{{ jwt.0|code }}` claim of a JWT the client mints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwtScope {
{% for s in jwt.1 %}    /// `{{ s.1|code }}`
    {{ s.0 }},
{% endfor %}
}

impl JwtScope {
    /// The claim's value.
    pub fn as_str(self) -> &'static str {
        match self {
{% for s in jwt.1 %}            Self::{{ s.0 }} => {{ s.1|lit }},
{% endfor %}
        }
    }
}
{% endif %}
{% if !v.methods.is_empty() %}

/// The credentials of every call.
impl crate::ClientBuilder {
{% for a in v.methods %}
{% call m::docs(a.docs.as_slice()) %}{% endcall %}
    pub fn {{ a.name }}(self{% for p in a.params %}, {{ p.0 }}: {{ p.1 }}{% endfor %}) -> Self {
        self.auth({% call r::auth(a.auth) %}{% endcall %})
    }

{% endfor %}
}

/// Credentials for one call, instead of the client's (e.g. a call made for another
/// integration, with its key).
impl crate::CallOptions {
{% for a in v.methods %}
{% call m::docs(a.docs.as_slice()) %}{% endcall %}
    pub fn {{ a.name }}(self{% for p in a.params %}, {{ p.0 }}: {{ p.1 }}{% endfor %}) -> Self {
        self.auth({% call r::auth(a.auth) %}{% endcall %})
    }

{% endfor %}
}
{% endif %}
