{% import "macros.rs" as m %}{% import "rust.rs" as r %}{% include "preamble.rs" %}
{% for u in v.uses %}use {{ u }};
{% endfor %}
{% match model.kind %}{% when ModelKind::Struct(s) %}{% include "model_struct.rs" %}{% when ModelKind::StringEnum(e) %}{% include "model_enum.rs" %}{% when ModelKind::Union(u) %}{% include "model_union.rs" %}{% endmatch %}
{% if let Some(x) = v.messages %}

/// What an API error of this body says: {% if x.code.is_none() && x.text.is_none() %}nothing this crate can read (`Display` shows the body's text){% else %}each message's code and text, in order{% endif %}.
impl crate::ErrorMessages for {{ model.name }} {
{% if x.code.is_none() && x.text.is_none() %}    fn messages(&self) -> Vec<crate::ErrorMessage<'_>> {
        Vec::new()
    }
{% else if let Some((list, presence)) = x.list %}    fn messages(&self) -> Vec<crate::ErrorMessage<'_>> {
        self.{{ list }}{% match presence %}{% when Presence::Required %}.iter(){% when Presence::Optional %}.iter().flatten(){% when Presence::TriState %}.as_value().into_iter().flatten(){% endmatch %}
            .map(|e| crate::ErrorMessage { code: {% call message_read(x.code, "e") %}{% endcall %}, text: {% call message_read(x.text, "e") %}{% endcall %} })
            .collect()
    }
{% else %}    fn messages(&self) -> Vec<crate::ErrorMessage<'_>> {
        let message = crate::ErrorMessage { code: {% call message_read(x.code, "self") %}{% endcall %}, text: {% call message_read(x.text, "self") %}{% endcall %} };
        if message.code.is_some() || message.text.is_some() { vec![message] } else { Vec::new() }
    }
{% endif %}}
{% endif %}
{%- macro message_read(read, at) -%}
{%- match read %}{% when Some(r) %}{% call r::field_read(r, at) %}{% endcall %}{% when None %}None{% endmatch -%}
{%- endmacro -%}
