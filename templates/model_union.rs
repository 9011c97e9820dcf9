{% call m::docs(model.docs.as_slice()) %}{% endcall %}
{% if model.deprecated %}///
/// Deprecated: the API description marks this schema deprecated.
{% endif %}///
/// Schema: `{{ v.source }}`.{% if let Some(tag) = u.tag %} The branch is chosen by the
/// `{{ tag|code }}` property, which each variant sends itself. An unknown tag, or a
/// known one whose value does not decode, is kept in [`{{ model.name }}::{{ u.other }}`].{% else %} The first branch whose
/// shape the JSON has (the members it requires present, no member it does not know,
/// JSON types that fit) is chosen; JSON that fits no branch, or does not decode as the
/// branch it fits, is kept in [`{{ model.name }}::{{ u.other }}`].{% endif %}
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum {{ model.name }} {
{% for x in v.variants %}
{% call m::docs(x.docs.as_slice()) %}{% endcall %}
    {{ x.variant.rust_name }}({{ x.ty }}),
{% endfor %}
    /// JSON this crate could not type: kept whole, with the decode error when a known
    /// branch did not decode.
    {{ u.other }}(crate::Unknown),
}

{% if !v.variants.is_empty() %}

/// Every known branch of `{{ model.name }}` with its payload bound to `$value`, then the
/// catch-all with its JSON bound to `$other` (or the same expression for both): the one
/// list of branches the methods below match on, so a new branch changes one line.
macro_rules! each_branch {
    ($this:expr, $value:ident => $any:expr) => {
        each_branch!($this, $value => $any, $value => $any)
    };
    ($this:expr, $value:ident => $known:expr, $other:tt => $unknown:expr) => {
        match $this {
{% for x in v.variants %}            {{ model.name }}::{{ x.variant.rust_name }}($value) => $known,
{% endfor %}            {{ model.name }}::{{ u.other }}($other) => $unknown,
        }
    };
}
{% endif %}

impl {{ model.name }} {
{% if let Some(tag) = u.tag %}
    /// The `{{ tag|code }}` this value was sent with (also when this crate does not know it).
    pub fn tag(&self) -> Option<&str> {
        match self {
{% for x in v.variants %}            Self::{{ x.variant.rust_name }}(_) => Some({{ x.variant.tags[0]|lit }}),
{% endfor %}
            Self::{{ u.other }}(value) => value.value().get({{ tag|lit }}).and_then(serde_json::Value::as_str),
        }
    }
{% endif %}
{% for x in v.variants %}

    /// The [`{{ model.name }}::{{ x.variant.rust_name }}`] payload, if this is one.
    pub fn {{ x.variant.accessor }}(&self) -> Option<&{{ x.payload }}> {
        match self {
            Self::{{ x.variant.rust_name }}(value) => Some({% if x.variant.indirect %}&**value{% else %}value{% endif %}),
            _ => None,
        }
    }
{% endfor %}
{% for c in v.shared %}

{% call m::docs(c.docs.as_slice()) %}{% endcall %}
    pub fn {{ c.field.method }}(&self) -> {{ c.ret }} {
{% if let Some(reads) = c.uniform %}        each_branch!(self, x => {% call r::accessor(reads, "x") %}{% endcall %}, {% if let Some(pointer) = c.other %}json => json.str_at({{ pointer|lit }}){% else %}_ => None{% endif %})
    }
{% else %}        match self {
{% for (name, reads) in c.arms %}            Self::{{ name }}(value) => {% call r::accessor(reads, "value") %}{% endcall %},
{% endfor %}{% if let Some(pointer) = c.other %}            Self::{{ u.other }}(value) => value.value().pointer({{ pointer|lit }}).and_then(serde_json::Value::as_str),
{% endif %}{% if c.rest %}            _ => None,
{% endif %}        }
    }
{% endif %}{% endfor %}
}
{% for x in v.variants %}{% if x.variant.from %}

impl From<{{ x.payload }}> for {{ model.name }} {
    fn from(value: {{ x.payload }}) -> Self {
        Self::{{ x.variant.rust_name }}({% if x.variant.indirect %}Box::new(value){% else %}value{% endif %})
    }
}
{% endif %}{% endfor %}

impl Serialize for {{ model.name }} {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
{% if v.variants.is_empty() %}        match self {
            Self::{{ u.other }}(value) => value.serialize(serializer),
        }
{% else %}        each_branch!(self, value => value.serialize(serializer))
{% endif %}
    }
}

{% if u.scalar %}
impl std::fmt::Display for {{ model.name }} {
    /// The value as a path, query or header parameter sends it: a string as it is, a
    /// number or boolean as JSON writes it; JSON this crate could not type as its JSON
    /// text (a string without its quotes).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        each_branch!(self, value => std::fmt::Display::fmt(value, f), other => match other.value() {
            serde_json::Value::String(text) => f.write_str(text),
            json => std::fmt::Display::fmt(json, f),
        })
    }
}

{% endif %}impl<'de> Deserialize<'de> for {{ model.name }} {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let _depth = json::Depth::enter()?;
        let value = serde_json::Value::deserialize(deserializer)?;
        Ok(<Self as json::Union>::from_json(value))
    }
}

{% if v.variants.is_empty() %}
impl json::Union for {{ model.name }} {
    /// The variant for a decoded JSON value: this union has no branch left.
    #[inline]
    fn from_json(value: serde_json::Value) -> Self {
        Self::{{ u.other }}(crate::Unknown::new(value))
    }

    fn other(unknown: crate::Unknown) -> Self {
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
    /// The decoder of the branch `value` belongs to, if any.
    fn branch_of(value: &serde_json::Value) -> Option<fn(serde_json::Value) -> Self> {
{% if let Some(tag) = u.tag %}
        match value.get({{ tag|lit }})?.as_str()? {
{% for x in v.variants %}            {% for t in x.variant.tags %}{% if !loop.first %} | {% endif %}{{ t|lit }}{% endfor %} => Some(|v| {% call r::branch(x.variant, u.other) %}{% endcall %}),
{% endfor %}
            _ => None,
        }
{% else %}
{% for x in v.variants %}        {% if !loop.first %}} else {% endif %}if {% if let Some(test) = x.test %}{% call r::shape(test) %}{% endcall %}{% endif %} {
            Some(|v| {% call r::branch(x.variant, u.other) %}{% endcall %})
{% endfor %}
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
            Some(decode) => decode(value),
            None => Self::{{ u.other }}(crate::Unknown::new(value)),
        }
    }

    fn other(unknown: crate::Unknown) -> Self {
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
    fn validate(&self, {% if v.validates %}at{% else %}_at{% endif %}: &str) -> Result<(), crate::ValidationError> {
{% if v.all_validate %}        each_branch!(self, value => value.validate(at), _ => Ok(()))
{% else %}        match self {
{% for x in v.variants %}{% if x.validate %}            Self::{{ x.variant.rust_name }}(value) => value.validate(at),
{% else %}            Self::{{ x.variant.rust_name }}(_) => Ok(()),
{% endif %}{% endfor %}
            Self::{{ u.other }}(_) => Ok(()),
        }
{% endif %}    }
}
{% endif %}
