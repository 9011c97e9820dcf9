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
{% endif %}{% if !f.serde.is_empty() %}#[serde(
{%- for a in f.serde %}{% if !loop.first %}, {% endif %}
{%- match a %}
{%- when SerdeArg::Rename(wire) %}rename = {{ wire|lit }}
{%- when SerdeArg::Default %}default
{%- when SerdeArg::SkipSerializing %}skip_serializing
{%- when SerdeArg::SkipIfNone %}skip_serializing_if = "Option::is_none"
{%- when SerdeArg::SkipIfAbsent %}skip_serializing_if = "crate::Nullable::is_absent"
{%- when SerdeArg::DeserializeWith(function) %}deserialize_with = "json::{{ function }}"
{%- endmatch %}{% endfor %})]{% endif %}
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
    pub fn new({% for f in v.fields %}{% if f.field.presence == Presence::Required %}{{ f.field.rust_name }}: {% if f.as_is %}{{ f.inner }}{% else %}impl Into<{{ f.inner }}>{% endif %}, {% endif %}{% endfor %}) -> Self {
        Self {
{% for f in v.fields %}            {{ f.field.rust_name }}{% if f.field.presence == Presence::Required %}{% if !f.as_is %}: {{ f.field.rust_name }}.into(){% endif %}{% else %}: {% call r::absent(f.field.presence) %}{% endcall %}{% endif %},
{% endfor %}{% if let Some(extra) = s.extra %}            {{ extra }}: members::Extra::new(),
{% endif %}
        }
    }
{% for x in v.constructors %}

{% call m::docs(x.docs.as_slice()) %}{% endcall %}
{% if x.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}    pub fn {{ x.c.method }}({% for (name, ty, as_is) in x.params %}{{ name }}: {% if as_is %}{{ ty }}{% else %}impl Into<{{ ty }}>{% endif %}, {% endfor %}) -> Self {
        Self::new({% for a in x.args %}{% match a %}{% when ConstructorArg::Value with { ty, variant } %}{{ ty }}::{{ variant }}{% when ConstructorArg::Param(name) %}{{ name }}{% endmatch %}, {% endfor %})
    }
{% endfor %}
{% for f in v.fields %}{% if let Some(setter) = f.field.setter %}

    /// Sets `{{ f.doc_name }}`.{% if f.object %} Write the object with [`object!`](crate::object): `object!({"key": "value"})`.{% endif %}
{% if f.field.deprecated %}    #[deprecated(note = "the API description marks this property deprecated")]
{% endif %}    pub fn {{ setter }}(mut self, value: {% if f.as_is %}{{ f.inner }}{% else %}impl Into<{{ f.inner }}>{% endif %}) -> Self {
        self.{{ f.field.rust_name }} = {% if f.as_is %}{% call r::store(f.field.presence, "value") %}{% endcall %}{% else %}{% call r::store(f.field.presence, "value.into()") %}{% endcall %}{% endif %};

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
{% for c in v.conversions %}

{% if v.deprecated_fields %}#[allow(deprecated, reason = "the crate builds and sets its own deprecated fields")]
{% endif %}impl From<&{{ c.from }}> for {{ model.name }} {
{% call m::docs(c.docs.as_slice()) %}{% endcall %}
    fn from(value: &{{ c.from }}) -> Self {
        Self {
{% for (target, source, from, to, copy) in c.fields %}            {{ target }}: {% call r::carry(source, from, to, copy) %}{% endcall %},
{% endfor %}{% if let Some(extra) = s.extra %}            {{ extra }}: members::Extra::new(),
{% endif %}        }
    }
}
{% endfor %}
{% if let Some(extra) = s.extra %}

members::decode! {
    {{ model.name }}, {{ extra }}{% if let Some(tag) = s.tag %}, {{ tag.property|lit }} = {{ tag.value|lit }}{% endif %};
{% for f in v.fields %}    {{ f.decode }} {{ f.field.rust_name }} = {{ f.field.wire_name|lit }},
{% endfor %}
}
{% endif %}
{% if model.in_request %}

{% if v.deprecated_fields %}#[allow(deprecated, reason = "deprecated fields are still validated")]
{% endif %}impl Validate for {{ model.name }} {
{% if v.has_checks %}
    fn validate(&self, at: &str) -> Result<(), crate::ValidationError> {
{% for f in v.fields %}{% for c in f.checks %}        {% call r::check(c, "at") %}{% endcall %}?;
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
