{% call m::docs(model.docs.as_slice()) %}{% endcall %}
///
/// Schema: `{{ model.pointer }}`.{% if let Some(tag) = s.tag %} Always sent with `{{ tag.doc }}`.{% endif %}
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize{% if s.default %}, Default{% endif %})]
{% if let Some(tag) = s.tag %}#[serde(tag = {{ tag.property|lit }}, rename = {{ tag.value|lit }})]
{% endif %}#[non_exhaustive]
pub struct {{ model.name }} {
{% for f in s.fields %}
{% call m::docs(f.docs.as_slice()) %}{% endcall %}
{% if !f.serde.is_empty() %}#[serde({{ f.serde|join(", ") }})]{% endif %}
pub {{ f.rust_name }}: {{ f.ty }},
{% endfor %}
}

impl {{ model.name }} {
    /// Creates a value from the required fields; optional ones start empty.
{% if s.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn new({% for f in s.fields %}{% if f.presence == Presence::Required %}{{ f.rust_name }}: impl Into<{{ f.inner_ty }}>, {% endif %}{% endfor %}) -> Self {
        Self {
{% for f in s.fields %}{% match f.presence %}{% when Presence::Required %}            {{ f.rust_name }}: {{ f.rust_name }}.into(),
{% when Presence::Optional %}            {{ f.rust_name }}: None,
{% when Presence::TriState %}            {{ f.rust_name }}: Nullable::Absent,
{% endmatch %}{% endfor %}
        }
    }
{% for f in s.fields %}{% if !f.setter.is_empty() %}

    /// Sets `{{ f.doc_name }}`.
    pub fn {{ f.setter }}(mut self, value: impl Into<{{ f.inner_ty }}>) -> Self {
{% match f.presence %}{% when Presence::Required %}        self.{{ f.rust_name }} = value.into();
{% when Presence::Optional %}        self.{{ f.rust_name }} = Some(value.into());
{% when Presence::TriState %}        self.{{ f.rust_name }} = Nullable::Value(value.into());
{% endmatch %}
        self
    }
{% if !f.clear_setter.is_empty() %}

    /// Sends `{{ f.doc_name }}` as `null`, clearing the stored value.
    pub fn {{ f.clear_setter }}(mut self) -> Self {
        self.{{ f.rust_name }} = Nullable::Null;
        self
    }
{% endif %}{% endif %}
{% endfor %}
}
{% if model.in_request %}

impl Validate for {{ model.name }} {
{% if s.has_checks %}
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
{% for f in s.fields %}{% for c in f.checks %}        validate::{{ c.function }}(at, {{ f.wire_name|lit }}, {{ c.value }}{% if !c.args.is_empty() %}, {{ c.args }}{% endif %})?;
{% endfor %}{% endfor %}
        Ok(())
    }
{% else %}
    fn validate(&self, _at: &str) -> Result<(), ValidationError> {
        Ok(())
    }
{% endif %}
}
{% endif %}
