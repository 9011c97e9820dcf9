{% call m::docs(model.docs.as_slice()) %}{% endcall %}
///
/// Schema: `{{ model.pointer }}`.{% if let Some(tag) = u.tag %} The branch is chosen by the
/// `{{ u.tag_doc }}` property, which each variant sends itself. An unknown tag, or a
/// known one whose value does not decode, is kept in [`{{ model.name }}::{{ u.other }}`].{% else %} The first branch whose
/// shape the JSON has (the members it requires present, no member it does not know,
/// JSON types that fit) is chosen; JSON that fits no branch, or does not decode as the
/// branch it fits, is kept in [`{{ model.name }}::{{ u.other }}`].{% endif %}
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
{% if u.allow_large %}#[allow(clippy::large_enum_variant)]
{% endif %}
pub enum {{ model.name }} {
{% for v in u.variants %}
{% call m::docs(v.docs.as_slice()) %}{% endcall %}
    {{ v.rust_name }}({{ v.ty }}),
{% endfor %}
    /// JSON this crate could not type: kept whole, with the decode error when a known
    /// branch did not decode.
    {{ u.other }}(Unknown),
}


impl {{ model.name }} {
{% if let Some(tag) = u.tag %}
    /// The `{{ u.tag_doc }}` this value was sent with (also when this crate does not know it).
    pub fn tag(&self) -> Option<&str> {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(_) => Some({{ v.tags[0]|lit }}),
{% endfor %}
            Self::{{ u.other }}(value) => value.value().get({{ tag|lit }}).and_then(serde_json::Value::as_str),
        }
    }
{% endif %}
{% for v in u.variants %}

    /// The [`{{ model.name }}::{{ v.rust_name }}`] payload, if this is one.
    pub fn {{ v.accessor }}(&self) -> Option<&{{ v.from_ty }}> {
        match self {
            Self::{{ v.rust_name }}(value) => Some({% if v.boxed %}&**value{% else %}value{% endif %}),
            _ => None,
        }
    }
{% endfor %}
{% for c in u.common %}

    /// `{{ c.doc_name }}`, which every kind of value has (read from the JSON of one
    /// this crate does not know, too).
    pub fn {{ c.method }}(&self) -> Option<&str> {
        match self {
{% for v in u.variants %}            Self::{{ v.rust_name }}(value) => {% match c.fields[loop.index0].1 %}{% when Presence::Required %}Some(value.{{ c.fields[loop.index0].0 }}.as_str()){% when Presence::Optional %}value.{{ c.fields[loop.index0].0 }}.as_deref(){% when Presence::TriState %}value.{{ c.fields[loop.index0].0 }}.as_value().map(String::as_str){% endmatch %},
{% endfor %}
            Self::{{ u.other }}(value) => value.value().get({{ c.wire_name|lit }}).and_then(serde_json::Value::as_str),
        }
    }
{% endfor %}
}
{% for v in u.variants %}{% if v.from %}

impl From<{{ v.from_ty }}> for {{ model.name }} {
    fn from(value: {{ v.from_ty }}) -> Self {
        Self::{{ v.rust_name }}({% if v.boxed %}Box::new(value){% else %}value{% endif %})
    }
}
{% endif %}{% endfor %}

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
        let _depth = json::Depth::enter()?;
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(<Self as json::Union>::from_json(value))
    }
}

{% if u.variants.is_empty() %}
impl json::Union for {{ model.name }} {
    /// The variant for a decoded JSON value: this union has no branch left.
    #[inline]
    fn from_json(value: serde_json::Value) -> Self {
        Self::{{ u.other }}(Unknown::new(value))
    }

    fn other(unknown: Unknown) -> Self {
        Self::{{ u.other }}(unknown)
    }
}

impl json::Matches for {{ model.name }} {
    fn matches(_value: &serde_json::Value) -> bool {
        false
    }
}
{% else %}
impl {{ model.name }} {
    /// The branch (1-based) `value` belongs to, if any.
    fn branch_of(value: &serde_json::Value) -> Option<usize> {
{% if let Some(tag) = u.tag %}
        match value.get({{ tag|lit }})?.as_str()? {
{% for v in u.variants %}            {% for t in v.tags %}{% if !loop.first %} | {% endif %}{{ t|lit }}{% endfor %} => Some({{ loop.index }}),
{% endfor %}
            _ => None,
        }
{% else %}
{% for v in u.variants %}{% if let Some(shape) = v.shape %}        {% if !loop.first %}} else {% endif %}if {% if let Some(inner) = shape.union %}<{{ inner }} as json::Matches>::matches(value){% else if shape.kind == JsonKind::Object && !shape.members.is_empty() %}json::object_matches(value, &[{% for r in shape.required %}{{ r|lit }}, {% endfor %}], &[{% for m in shape.members %}json::Member::new({{ m.name|lit }}, json::Kind::{{ m.kind }}, {{ m.nullable }}), {% endfor %}]){% else %}json::Kind::{{ shape.kind }}.matches(value){% endif %} {
            Some({{ loop.index }})
{% endif %}{% endfor %}
        } else {
            None
        }
{% endif %}
    }

}

impl json::Union for {{ model.name }} {
    /// The variant for a decoded JSON value.
    #[inline]
    fn from_json(value: serde_json::Value) -> Self {
        match Self::branch_of(&value) {
{% for v in u.variants %}            Some({{ loop.index }}) => json::branch(value, {% if v.boxed %}|v| Self::{{ v.rust_name }}(Box::new(v)){% else %}Self::{{ v.rust_name }}{% endif %}, Self::{{ u.other }}),
{% endfor %}
            _ => Self::{{ u.other }}(Unknown::new(value)),
        }
    }

    fn other(unknown: Unknown) -> Self {
        Self::{{ u.other }}(unknown)
    }
}

impl json::Matches for {{ model.name }} {
    fn matches(value: &serde_json::Value) -> bool {
        Self::branch_of(value).is_some()
    }
}
{% endif %}
{% if model.in_request %}

impl Validate for {{ model.name }} {
    fn validate(&self, {% if u.validates %}at{% else %}_at{% endif %}: &str) -> Result<(), ValidationError> {
        match self {
{% for v in u.variants %}{% if v.validate %}            Self::{{ v.rust_name }}(value) => value.validate(at),
{% else %}            Self::{{ v.rust_name }}(_) => Ok(()),
{% endif %}{% endfor %}
            Self::{{ u.other }}(_) => Ok(()),
        }
    }
}
{% endif %}
