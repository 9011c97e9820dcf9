{% call m::docs(model.docs.as_slice()) %}{% endcall %}
///
/// Schema: `{{ model.pointer }}`.{% if let Some(tag) = u.tag %} The branch is chosen by the
/// `{{ u.tag_doc }}` property; an unknown value is kept in [`{{ model.name }}::{{ u.other }}`].{% else %} The first branch that
/// decodes the JSON without ignoring any member is chosen; JSON that no branch decodes
/// entirely is kept in [`{{ model.name }}::{{ u.other }}`].{% endif %}
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
{% if u.allow_large %}#[allow(clippy::large_enum_variant)]
{% endif %}
pub enum {{ model.name }} {
{% for v in u.variants %}
{% call m::docs(v.docs.as_slice()) %}{% endcall %}
    {{ v.rust_name }}({{ v.ty }}),
{% endfor %}
    /// JSON that matches no known branch, kept as is.
    {{ u.other }}(serde_json::Value),
}

impl Serialize for {{ model.name }} {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(value) => value.serialize(serializer),
{% endfor %}
            Self::{{ u.other }}(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for {{ model.name }} {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
{% if let Some(tag) = u.tag %}
        let tag = value.get({{ tag|lit }}).and_then(serde_json::Value::as_str).unwrap_or_default();
        match tag {
{% for v in u.variants %}            {% for t in v.tags %}{% if !loop.first %} | {% endif %}{{ t|lit }}{% endfor %} => serde_json::from_value(value).map(Self::{{ v.rust_name }}).map_err(serde::de::Error::custom),
{% endfor %}
            _ => Ok(Self::{{ u.other }}(value)),
        }
{% else %}
{% for v in u.variants %}        if let Some(branch) = json::decode_exact(&value) {
            return Ok(Self::{{ v.rust_name }}(branch));
        }
{% endfor %}
        Ok(Self::{{ u.other }}(value))
{% endif %}
    }
}
{% if model.in_request %}

impl Validate for {{ model.name }} {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        match self {
{% for v in u.variants %}{% if v.validate %}            Self::{{ v.rust_name }}(value) => value.validate(at),
{% else %}            Self::{{ v.rust_name }}(_) => Ok(()),
{% endif %}{% endfor %}
            Self::{{ u.other }}(_) => Ok(()),
        }
    }
}
{% endif %}
