//! JSON helpers for generated unions: choosing a branch in time linear in the
//! input, keeping what does not decode, and bounding nesting.
//!
//! A union first reads its JSON value once. A tagged union then looks at its tag; an
//! untagged one compares the value's top level with each branch's shape (members
//! required and known, JSON kinds), never decoding a subtree twice. The chosen branch
//! decodes the value; if that fails, the union keeps the value in its catch-all
//! [`Unknown`] with the error. Unions are decoded on the thread of the caller, and
//! [`Depth`] bounds how deeply they may nest there.

use std::cell::Cell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// How deeply unions may nest inside each other while one value decodes.
pub const MAX_UNION_DEPTH: usize = 128;

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// One level of union nesting, released when dropped.
pub struct Depth(());

impl Depth {
    /// Enters one level, or fails past [`MAX_UNION_DEPTH`].
    pub fn enter<E: serde::de::Error>() -> Result<Depth, E> {
        DEPTH.with(|depth| {
            let now = depth.get();
            if now >= MAX_UNION_DEPTH {
                return Err(E::custom(format_args!("unions nest more than {MAX_UNION_DEPTH} levels deep")));
            }
            depth.set(now + 1);
            Ok(Depth(()))
        })
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

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
pub struct Member {
    name: &'static str,
    kind: Kind,
    nullable: bool,
}

impl Member {
    /// A member, its kind, and whether `null` is accepted too.
    pub const fn new(name: &'static str, kind: Kind, nullable: bool) -> Self {
        Self { name, kind, nullable }
    }
}

/// Whether `value` is an object with every `required` member and only `members`,
/// each of its kind (checked on the top level only).
pub fn object_matches(value: &Value, required: &[&str], members: &[Member]) -> bool {
    let Some(map) = value.as_object() else { return false };
    required.iter().all(|name| map.contains_key(*name))
        && map.iter().all(|(name, value)| {
            members
                .iter()
                .find(|m| m.name == name)
                .is_some_and(|m| (m.nullable && value.is_null()) || m.kind.matches(value))
        })
}

/// What a union (a branch of another union) accepts, on the value's top level.
pub trait Matches {
    /// Whether one of this union's branches would be chosen for `value`.
    fn matches(value: &Value) -> bool;
}

/// Decodes the chosen branch from `value`: `variant` of the result, or `other` with
/// the value and the error when it does not decode.
pub fn branch<T: DeserializeOwned, U>(
    value: Value,
    variant: impl FnOnce(T) -> U,
    other: impl FnOnce(Unknown) -> U,
) -> U {
    match T::deserialize(&value) {
        Ok(decoded) => variant(decoded),
        Err(error) => other(Unknown { value, error: Some(error.to_string()) }),
    }
}

/// JSON a union could not type: kept whole (and sent back unchanged), with the
/// reason when a known branch failed to decode it.
#[derive(Clone)]
pub struct Unknown {
    value: Value,
    error: Option<String>,
}

impl Unknown {
    /// JSON to send as is, e.g. a message type this crate does not know yet.
    pub fn new(value: Value) -> Self {
        Self { value, error: None }
    }

    /// The JSON.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The JSON, owned.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// Why the branch its tag or shape names did not decode it, if one did not: e.g.
    /// a field whose type changed in a newer API version.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

impl From<Value> for Unknown {
    fn from(value: Value) -> Self {
        Self::new(value)
    }
}

impl PartialEq for Unknown {
    /// Equal when the JSON is (the decode error is not part of the value).
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl fmt::Debug for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Unknown");
        debug.field("value", &self.value);
        if let Some(error) = &self.error {
            debug.field("error", error);
        }
        debug.finish()
    }
}

impl Serialize for Unknown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::new)
    }
}
