//! JSON helpers for generated unions: choosing a branch in time linear in the
//! input, keeping what does not decode, and bounding nesting.
//!
//! A union first reads its JSON value once. A tagged union then looks at its tag; an
//! untagged one compares the value's top level with each branch's shape (members
//! required and known, JSON kinds), never decoding a subtree twice. The chosen branch
//! decodes the value; if that fails, the union keeps the value in its catch-all
//! [`Unknown`] with the error. Unions are decoded on the thread of the caller, and
//! [`Depth`] bounds how deeply they may nest there.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::members::Key;

pub use super::shape::MAX_UNION_DEPTH;
#[allow(unused_imports, reason = "generated untagged unions call them as `json::...`, if the spec has any")]
pub use super::shape::{Kind, Member, object_matches};

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// A union branch is decoding from a `serde_json::Value` on this thread (see
    /// [`branch`]): the arrays of unions inside it take their elements as values.
    static FROM_VALUE: Cell<bool> = const { Cell::new(false) };
}

/// Marks the decoding on this thread as reading a `serde_json::Value` until dropped,
/// restoring what it was before (even when unwinding).
struct FromValue(bool);

impl FromValue {
    fn enter() -> FromValue {
        FromValue(FROM_VALUE.with(|from_value| from_value.replace(true)))
    }
}

impl Drop for FromValue {
    fn drop(&mut self) {
        FROM_VALUE.with(|from_value| from_value.set(self.0));
    }
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

/// What a union (a branch of another union) accepts, on the value's top level.
pub trait Matches {
    /// Whether one of this union's branches would be chosen for `value`.
    fn matches(value: &Value) -> bool;
}

/// Decodes the chosen branch from `value` (under the budget of the decode in
/// progress): `variant` of the result, or `other` with the value and the error when it
/// does not decode.
pub fn branch<T: DeserializeOwned, U>(
    value: Value,
    variant: impl FnOnce(T) -> U,
    other: impl FnOnce(Unknown) -> U,
) -> U {
    let from_value = FromValue::enter();
    let decoded = super::decode::charged(&value);
    drop(from_value);
    match decoded {
        Ok(decoded) => variant(decoded),
        Err(error) => other(Unknown::with_error(value, error.to_string())),
    }
}

/// A union, decoded from the JSON value it was read into (implemented by generated
/// unions).
pub trait Union: Sized {
    /// The variant for a decoded JSON value.
    fn from_json(value: Value) -> Self;

    /// The catch-all variant.
    fn other(unknown: Unknown) -> Self;
}

/// Decodes an array of unions one element at a time: an element that is not even a
/// readable JSON value (a lone surrogate, a number out of range), or that repeats a
/// member in strict mode, becomes the catch-all with its text and the error, and the
/// others decode (a webhook delivery's events, each on its own).
///
/// From serde_json's text deserializer each element arrives as its JSON text; inside
/// a union branch decoded from a `Value` ([`branch`]) as the value (a value already
/// read cannot be unreadable, so it is not written out as text and read again); from
/// any other deserializer (serde's buffering for `#[serde(tag)]`, `untagged` and
/// `flatten`, other formats) as a value already read, so the generated types can be
/// embedded in the caller's own serde types.
pub fn each_on_its_own<'de, D: Deserializer<'de>, U: Union>(deserializer: D) -> Result<Vec<U>, D::Error> {
    let elements: Vec<Element> = Vec::deserialize(deserializer)?;
    super::decode::charge(elements.len().saturating_mul(std::mem::size_of::<U>())).map_err(serde::de::Error::custom)?;
    let mut out = Vec::with_capacity(elements.len());
    for element in elements {
        let _depth = Depth::enter()?;
        match element {
            Element::Text(text) => match super::decode::value_from_str(text.get()) {
                Ok(value) => out.push(U::from_json(value)),
                Err(Some(error)) => out.push(U::other(Unknown::unreadable(text, error.to_string()))),
                Err(None) => return Err(serde::de::Error::custom("the decoded value would pass its budget")),
            },
            Element::Value(value) => out.push(U::from_json(value)),
        }
    }
    Ok(out)
}

/// One element of [`each_on_its_own`]: its JSON text when the deserializer is
/// serde_json's, else the value.
enum Element {
    Text(Box<RawValue>),
    Value(Value),
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Text::deserialize(deserializer)? {
            Text::Raw(text) => {
                RawValue::from_string(text.into_owned()).map(Element::Text).map_err(serde::de::Error::custom)
            }
            Text::Value(value) => Ok(Element::Value(value)),
        }
    }
}

/// A JSON value as the deserializer has it: its JSON text (borrowed from the input when
/// it can be) from serde_json's text deserializer, not yet read as a value; else (inside
/// a union branch decoded from a `Value`, serde's buffering, other formats) the value,
/// already read.
pub(crate) enum Text<'de> {
    Raw(Cow<'de, str>),
    Value(Value),
}

/// The newtype name serde_json answers with a value's JSON text (the name
/// `serde_json::value::RawValue` itself asks for; part of serde_json 1.x's behaviour).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if FROM_VALUE.with(Cell::get) {
            return Value::deserialize(deserializer).map(Text::Value);
        }
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, TextVisitor)
    }
}

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    /// serde_json: a map of one member, the token, whose value is the JSON text. Any
    /// other map is an object.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text<'de>, A::Error> {
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return Ok(Text::Value(Value::Object(Default::default())));
        };
        if first.as_str() == RAW_VALUE_TOKEN {
            return Ok(Text::Raw(map.next_value::<Key<'de>>()?.into_cow()));
        }
        let mut object = serde_json::Map::new();
        object.insert(first.into_cow().into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            object.insert(key, value);
        }
        Ok(Text::Value(Value::Object(object)))
    }

    /// Deserializers that pass newtypes through (serde's buffering, most formats).
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text<'de>, D::Error> {
        Value::deserialize(deserializer).map(Text::Value)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Text::Value(Value::Array(items)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Text<'de>, E> {
        Ok(Text::Value(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Text<'de>, E> {
        Ok(Text::Value(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Text<'de>, E> {
        Ok(Text::Value(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Text<'de>, E> {
        Ok(Text::Value(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text::Value(Value::String(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text::Value(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Text<'de>, E> {
        Ok(Text::Value(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Text<'de>, E> {
        Ok(Text::Value(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text<'de>, D::Error> {
        Value::deserialize(deserializer).map(Text::Value)
    }
}

/// [`each_on_its_own`] for an optional array.
pub fn each_on_its_own_optional<'de, D: Deserializer<'de>, U: Union>(
    deserializer: D,
) -> Result<Option<Vec<U>>, D::Error> {
    Ok(Option::<EachOnItsOwn<U>>::deserialize(deserializer)?.map(|each| each.0))
}

/// An array of unions decoded by [`each_on_its_own`], as a type.
pub struct EachOnItsOwn<U>(pub Vec<U>);

impl<'de, U: Union> Deserialize<'de> for EachOnItsOwn<U> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        each_on_its_own(deserializer).map(EachOnItsOwn)
    }
}

/// JSON a union could not type: kept whole (and sent back unchanged), with the
/// reason when a known branch failed to decode it.
#[derive(Clone)]
pub struct Unknown {
    inner: Box<UnknownInner>,
}

#[derive(Clone)]
struct UnknownInner {
    /// The JSON; `null` when it could not be read as a value (see `raw`).
    value: Value,
    /// The JSON text as received, when it could not be read as a value.
    raw: Option<Box<RawValue>>,
    error: Option<String>,
}

impl Unknown {
    /// JSON to send as is, e.g. a message type this crate does not know yet.
    pub fn new(value: Value) -> Self {
        Self { inner: Box::new(UnknownInner { value, raw: None, error: None }) }
    }

    /// JSON that a known branch did not decode, and why.
    pub(crate) fn with_error(value: Value, error: String) -> Self {
        Self { inner: Box::new(UnknownInner { value, raw: None, error: Some(error) }) }
    }

    /// JSON text that is not even a readable value (e.g. a lone surrogate in a string, a
    /// number out of range), and why.
    pub(crate) fn unreadable(raw: Box<RawValue>, error: String) -> Self {
        Self { inner: Box::new(UnknownInner { value: Value::Null, raw: Some(raw), error: Some(error) }) }
    }

    /// The JSON (`null` when it could not be read as a value: see [`raw`](Self::raw)).
    pub fn value(&self) -> &Value {
        &self.inner.value
    }

    /// The JSON, owned.
    pub fn into_value(self) -> Value {
        self.inner.value
    }

    /// The JSON text as received, when it could not be read as a value at all (then
    /// [`value`](Self::value) is `null` and [`error`](Self::error) says why).
    pub fn raw(&self) -> Option<&str> {
        self.inner.raw.as_deref().map(RawValue::get)
    }

    /// The string at `pointer` (RFC 6901) of the JSON, if there is one: how a union's
    /// shared accessors read a kind this crate does not know.
    pub(crate) fn str_at(&self, pointer: &str) -> Option<&str> {
        self.inner.value.pointer(pointer).and_then(Value::as_str)
    }

    /// Why the branch its tag or shape names did not decode it, if one did not: e.g.
    /// a field whose type changed in a newer API version.
    pub fn error(&self) -> Option<&str> {
        self.inner.error.as_deref()
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
        self.inner.value == other.inner.value && self.raw() == other.raw()
    }
}

impl fmt::Debug for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Unknown");
        match self.raw() {
            Some(raw) => debug.field("raw", &raw),
            None => debug.field("value", &self.inner.value),
        };
        if let Some(error) = &self.inner.error {
            debug.field("error", error);
        }
        debug.finish()
    }
}

impl Serialize for Unknown {
    /// The JSON as received (the text itself, when it was not a readable value).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.inner.raw {
            Some(raw) => raw.serialize(serializer),
            None => self.inner.value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Unknown {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::new)
    }
}
