{% call m::docs(model.docs.as_slice()) %}{% endcall %}
{% if model.deprecated %}///
/// Deprecated: the API description marks this schema deprecated.
{% endif %}///
/// Schema: `{{ v.source }}`.{% if let Some(tag) = s.tag %} Always sent with `{{ tag.property|code }}: {{ tag.value|code }}`.{% endif %}
#[derive(Debug, Clone, PartialEq, Serialize{% if s.extra.is_none() %}, Deserialize{% endif %}{% if v.default %}, Default{% endif %})]
{% if let Some(tag) = s.tag %}#[serde(tag = {{ tag.property|lit }}, rename = {{ tag.value|lit }})]
{% endif %}#[non_exhaustive]
pub struct {{ model.name }} {
{% for f in v.fields %}
{% call m::docs(f.docs.as_slice()) %}{% endcall %}
{% if f.field.deprecated %}#[deprecated(note = "the API description marks this property deprecated")]
{% endif %}{% if !f.serde.is_empty() %}#[serde({{ f.serde|join(", ") }})]{% endif %}
pub {{ f.field.rust_name }}: {{ f.ty }},
{% endfor %}{% if let Some(extra) = s.extra %}

    /// Members the API sent that this crate does not declare (added to the API after
    /// it was generated), kept and sent back as they came. Names of declared members
    /// do not belong here.
    #[serde(flatten)]
    pub {{ extra }}: members::Extra,
{% endif %}
}

{% if v.deprecated_fields %}#[allow(deprecated, reason = "the crate builds and sets its own deprecated fields")]
{% endif %}impl {{ model.name }} {
    /// Creates a value from the required fields; optional ones start empty.
{% if v.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn new({% for f in v.fields %}{% if f.field.presence == Presence::Required %}{{ f.field.rust_name }}: impl Into<{{ f.inner }}>, {% endif %}{% endfor %}) -> Self {
        Self {
{% for f in v.fields %}{% match f.field.presence %}{% when Presence::Required %}            {{ f.field.rust_name }}: {{ f.field.rust_name }}.into(),
{% when Presence::Optional %}            {{ f.field.rust_name }}: None,
{% when Presence::TriState %}            {{ f.field.rust_name }}: crate::Nullable::Absent,
{% endmatch %}{% endfor %}{% if let Some(extra) = s.extra %}            {{ extra }}: members::Extra::new(),
{% endif %}
        }
    }
{% for x in v.constructors %}

{% call m::docs(x.docs.as_slice()) %}{% endcall %}
    pub fn {{ x.c.method }}({{ x.params }}) -> Self {
        Self::new({{ x.args }})
    }
{% endfor %}
{% for f in v.fields %}{% if let Some(setter) = f.field.setter %}

    /// Sets `{{ f.doc_name }}`.
{% if f.field.deprecated %}    #[deprecated(note = "the API description marks this property deprecated")]
{% endif %}    pub fn {{ setter }}(mut self, value: impl Into<{{ f.inner }}>) -> Self {
{% match f.field.presence %}{% when Presence::Required %}        self.{{ f.field.rust_name }} = value.into();
{% when Presence::Optional %}        self.{{ f.field.rust_name }} = Some(value.into());
{% when Presence::TriState %}        self.{{ f.field.rust_name }} = crate::Nullable::Value(value.into());
{% endmatch %}
        self
    }
{% if let Some(clear) = f.field.clear_setter %}

    /// Sends `{{ f.doc_name }}` as `null`, clearing the stored value.
    pub fn {{ clear }}(mut self) -> Self {
        self.{{ f.field.rust_name }} = crate::Nullable::Null;
        self
    }
{% endif %}{% endif %}
{% endfor %}
}
{% if let Some(extra) = s.extra %}

members::decode! {
    {{ model.name }}, {{ extra }}{% if let Some(tag) = s.tag %}, {{ tag.property|lit }} = {{ tag.value|lit }}{% endif %};
{% for f in v.fields %}    {{ f.decode }},
{% endfor %}
}
{% endif %}
{% if model.in_request %}

{% if v.deprecated_fields %}#[allow(deprecated, reason = "deprecated fields are still validated")]
{% endif %}impl Validate for {{ model.name }} {
{% if v.has_checks %}
    fn validate(&self, at: &str) -> Result<(), crate::ValidationError> {
{% for f in v.fields %}{% for c in f.checks %}        validate::{{ c.function }}(at, {{ f.field.wire_name|lit }}, {{ c.value }}{% if !c.args.is_empty() %}, {{ c.args }}{% endif %})?;
{% endfor %}{% endfor %}
        Ok(())
    }
{% else %}
    fn validate(&self, _at: &str) -> Result<(), crate::ValidationError> {
        Ok(())
    }
{% endif %}
}
{% endif %}
