{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Handles binding the path parameter many operations start with; their methods are
//! in the groups' files, beside the `Client` methods they call.
{% for (scope, docs) in scopes %}

{% call m::docs(docs.as_slice()) %}{% endcall %}
#[derive(Debug, Clone)]
pub struct {{ scope.handle }} {
    pub(crate) client: crate::Client,
    pub(crate) {{ scope.param_rust }}: String,
}

impl {{ scope.handle }} {
    /// The `{{ scope.param|code }}` every call of this handle is made for.
    pub fn {{ scope.param_rust }}(&self) -> &str {
        &self.{{ scope.param_rust }}
    }

    /// The client this handle calls with.
    pub fn client(&self) -> &crate::Client {
        &self.client
    }
}

impl crate::Client {
    /// A handle for the operations of one `{{ scope.param|code }}` ([`{{ scope.handle }}`]): the
    /// operations whose paths start with `{{ scope.prefix|code }}`, without the argument.
    pub fn {{ scope.method }}(&self, {{ scope.param_rust }}: impl Into<String>) -> {{ scope.handle }} {
        {{ scope.handle }} { client: self.clone(), {{ scope.param_rust }}: {{ scope.param_rust }}.into() }
    }
}
{% endfor %}
