//! How an untagged union chooses a branch: by the top level of the JSON value (its
//! kind, the members an object requires and knows), never decoding a subtree twice.
//!
//! The one statement of the rule: the generated unions call it (through `json`), and
//! the tools that predict which branch the generated code will choose (the upstream
//! example checks in `xtask`) include this very file. It depends on `serde_json` alone.

use serde_json::Value;

/// How deeply unions may nest inside each other while one value decodes.
pub const MAX_UNION_DEPTH: usize = 128;

/// A kind of JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Any value.
    Any,
    /// `true` or `false`.
    Boolean,
    /// A number without fraction.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl Kind {
    /// Whether `value` is of this kind.
    pub fn matches(self, value: &Value) -> bool {
        match self {
            Kind::Any => true,
            Kind::Boolean => value.is_boolean(),
            Kind::Integer => value.is_i64() || value.is_u64(),
            Kind::Number => value.is_number(),
            Kind::String => value.is_string(),
            Kind::Array => value.is_array(),
            Kind::Object => value.is_object(),
        }
    }
}

/// A member an object branch knows.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    name: &'a str,
    kind: Kind,
    nullable: bool,
}

impl<'a> Member<'a> {
    /// A member, its kind, and whether `null` is accepted too.
    pub const fn new(name: &'a str, kind: Kind, nullable: bool) -> Self {
        Self { name, kind, nullable }
    }
}

/// Whether `value` is an object with every `required` member and only `members`,
/// each of its kind (checked on the top level only).
pub fn object_matches(value: &Value, required: &[&str], members: &[Member<'_>]) -> bool {
    let Some(map) = value.as_object() else { return false };
    required.iter().all(|name| map.contains_key(*name))
        && map.iter().all(|(name, value)| {
            members
                .iter()
                .find(|m| m.name == name)
                .is_some_and(|m| (m.nullable && value.is_null()) || m.kind.matches(value))
        })
}
