{% call m::docs(model.docs.as_slice()) %}{% endcall %}
{% if model.deprecated %}///
/// Deprecated: the API description marks this schema deprecated.
{% endif %}///
/// Schema: `{{ v.source }}`. Values this crate does not know yet are decoded
/// into [`{{ model.name }}::{{ e.other }}`] and sent back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum {{ model.name }} {
{% for x in e.variants %}    /// `{{ x.wire_name|code }}`
    {{ x.rust_name }},
{% endfor %}
    /// A value not known when this crate was generated (decoded, or set explicitly).
    {{ e.other }}(String),
}

impl {{ model.name }} {
    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
{% if e.variants.is_empty() %}        let Self::{{ e.other }}(value) = self;
        value
{% else %}        match self {
{% for x in e.variants %}            Self::{{ x.rust_name }} => {{ x.wire_name|lit }},
{% endfor %}
            Self::{{ e.other }}(value) => value,
        }
{% endif %}    }
}

impl fmt::Display for {{ model.name }} {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl {{ model.name }} {
    /// The variant for a wire value; unknown values are kept in
    /// [`{{ model.name }}::{{ e.other }}`].
    fn from_wire(value: String) -> Self {
{% if e.variants.is_empty() %}        Self::{{ e.other }}(value)
{% else %}        match value.as_str() {
{% for x in e.variants %}            {{ x.wire_name|lit }} => Self::{{ x.rust_name }},
{% endfor %}
            _ => Self::{{ e.other }}(value),
        }
{% endif %}    }
}

impl Serialize for {{ model.name }} {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for {{ model.name }} {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from_wire)
    }
}
{% if model.in_request %}

impl Validate for {{ model.name }} {
    fn validate(&self, _at: &str) -> Result<(), crate::ValidationError> {
        Ok(())
    }
}
{% endif %}
