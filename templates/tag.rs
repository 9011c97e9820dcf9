{% import "macros.rs" as m %}{% import "rust.rs" as r %}{% include "preamble.rs" %}
//!
//! The `{{ tag.name|code }}` operations: their methods on [`Client`](crate::Client).
{% if uses_models %}
use crate::models;
{% endif %}

{% call m::docs(docs.as_slice()) %}{% endcall %}
impl crate::Client {
{% for x in ops %}
{% call m::docs(x.docs.as_slice()) %}{% endcall %}
{% call m::example(x.example) %}{% endcall %}
{% if x.op.deprecated %}    #[deprecated(note = "the API description marks this operation deprecated")]
{% endif %}{% if x.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn {{ x.op.method_name }}(&self{% for a in x.args %}, {{ a.0 }}: {{ a.1 }}{% endfor %}) -> crate::operations::{{ x.op.builder }}<'_> {
        crate::operations::{{ x.op.builder }}::new(self{% for f in x.fields %}{% if let Some(init) = f.init %}, {% call r::init(init) %}{% endcall %}{% endif %}{% endfor %})
    }

{% endfor %}
}
{% for (handle, methods) in scoped %}

impl crate::{{ handle }} {
{% for x in methods %}
    /// {{ x.doc }}
{% if x.op.deprecated %}    #[deprecated(note = "the API description marks this operation deprecated")]
{% endif %}{% if x.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn {{ x.op.method_name }}(&self{% for a in x.args %}, {{ a.0 }}: {{ a.1 }}{% endfor %}) -> crate::operations::{{ x.op.builder }}<'_> {
        crate::operations::{{ x.op.builder }}::new(&self.client{% for init in x.inits %}, {% call r::init(init) %}{% endcall %}{% endfor %})
    }

{% endfor %}
}
{% endfor %}
