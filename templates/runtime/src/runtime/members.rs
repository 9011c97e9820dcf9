//! Decoding structs that keep the members they do not declare.
//!
//! A model the API sends (a response or a webhook payload) reads its declared members
//! as serde's derive would and every other member into its `extra` map, which is
//! written back on encode: a value read, changed and sent back loses nothing the API
//! added after this crate was generated. Declared members decode straight from the
//! input, never buffered, so the decode budget counts them as for any other type.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use serde::de::{DeserializeSeed, Error as _, MapAccess, Unexpected};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json::{EachOnItsOwn, Text};

/// Members a struct does not declare, by name, as received; and declared free-form
/// members whose value could not be held (kept aside, see [`aside`](Self::aside)).
///
/// It derefs to the map of undeclared members (`extra["addedLater"]`, `extra.get(..)`,
/// `extra.insert(..)`), which is written back on encode after the declared members.
///
/// A declared free-form member (a `metadata` object, any JSON value) whose value
/// `serde_json` cannot hold, such as a string with a lone surrogate (`"\ud800"`) or a
/// number out of range (`1e999`), does not fail the whole value (and the page or
/// delivery around it): the member is left unset and kept here, as its JSON text with
/// the reason, and written back as received on encode, so a value read and sent back
/// loses nothing. Setting that member yourself before encoding would send it twice:
/// [`take_aside`](Self::take_aside) it first.
#[derive(Clone, Default, PartialEq)]
pub struct Extra {
    members: Map<String, Value>,
    /// Boxed and absent until needed: almost every value has nothing aside.
    #[expect(clippy::box_collection, reason = "8 bytes in every model that keeps members, not 24 for a `Vec`")]
    aside: Option<Box<Vec<Aside>>>,
}

/// A declared member kept aside because its value could not be held: its name, its JSON
/// text as received, and why (see [`Extra`]).
#[derive(Clone, Debug)]
pub struct Aside {
    name: String,
    raw: Box<RawValue>,
    error: String,
}

impl Aside {
    /// The member's name, e.g. `metadata`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its JSON text, as received.
    pub fn raw(&self) -> &str {
        self.raw.get()
    }

    /// Why it could not be held, e.g. `lone leading surrogate in hex escape`.
    pub fn error(&self) -> &str {
        &self.error
    }
}

impl PartialEq for Aside {
    /// Equal when the name and the text are (the error is not part of the value).
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.raw.get() == other.raw.get()
    }
}

impl Extra {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// The declared members kept aside, in the order they came (usually none).
    pub fn aside(&self) -> &[Aside] {
        self.aside.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Removes the member `name` kept aside, if it was: to set that member yourself.
    pub fn take_aside(&mut self, name: &str) -> Option<Aside> {
        let aside = self.aside.as_mut()?;
        let index = aside.iter().position(|a| a.name == name)?;
        let taken = aside.remove(index);
        if aside.is_empty() {
            self.aside = None;
        }
        Some(taken)
    }

    /// The undeclared members.
    pub fn into_map(self) -> Map<String, Value> {
        self.members
    }

    fn set_aside(&mut self, name: &str, raw: Box<RawValue>, error: String) {
        self.aside.get_or_insert_with(Box::default).push(Aside { name: name.to_owned(), raw, error });
    }
}

impl Deref for Extra {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        &self.members
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.members
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(members: Map<String, Value>) -> Self {
        Self { members, aside: None }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter()
    }
}

impl IntoIterator for Extra {
    type Item = (String, Value);
    type IntoIter = serde_json::map::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

impl fmt::Debug for Extra {
    /// The map of undeclared members; and the members kept aside, when there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.aside.as_deref() {
            None => self.members.fmt(f),
            Some(aside) => f.debug_struct("Extra").field("members", &self.members).field("aside", aside).finish(),
        }
    }
}

impl Serialize for Extra {
    /// The undeclared members, then those kept aside as their JSON text.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let aside = self.aside().iter().map(|a| (a.name.as_str(), Entry::Raw(&a.raw)));
        serializer
            .collect_map(self.members.iter().map(|(name, value)| (name.as_str(), Entry::Value(value))).chain(aside))
    }
}

/// A member's value to write: a value, or JSON text written as it is.
enum Entry<'a> {
    Value(&'a Value),
    Raw(&'a RawValue),
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Entry::Value(value) => value.serialize(serializer),
            Entry::Raw(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(Self::from)
    }
}

/// A member name, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned or borrowed.
    pub(crate) fn into_cow(self) -> Cow<'de, str> {
        self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

/// A struct that keeps undeclared members, decoded member by member (implemented by
/// [`decode!`]).
pub trait DecodeMembers: Sized {
    /// What the struct is, for errors: `struct Message`.
    const EXPECTING: &'static str;

    /// Reads the struct's members from `map`.
    fn decode_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of every struct [`decode!`] implements: hands the members to
/// [`DecodeMembers::decode_members`]. A type of its own, so the macro adds no item to
/// the module of the struct.
pub struct MembersVisitor<T>(PhantomData<fn() -> T>);

impl<T> MembersVisitor<T> {
    /// The visitor of `T`.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: DecodeMembers> serde::de::Visitor<'de> for MembersVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::decode_members(map)
    }
}

/// A declared member being read: empty until the member comes.
pub struct Slot<T> {
    name: &'static str,
    value: Option<T>,
}

impl<T> Slot<T> {
    /// A slot for the member `name`.
    pub fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }

    /// Reads the member's value; a member sent twice is an error, as with serde's
    /// derive. (`extra` is for the free-form members' [`Free::read`].)
    #[inline]
    pub fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A, _extra: &mut Extra) -> Result<(), A::Error>
    where
        T: Deserialize<'de>,
    {
        if self.value.is_some() {
            return Err(A::Error::duplicate_field(self.name));
        }
        self.value = Some(map.next_value()?);
        Ok(())
    }

    /// A required member's value, or the error naming it.
    pub fn required<'de, A: MapAccess<'de>>(self, _: &A) -> Result<T, A::Error> {
        self.value.ok_or_else(|| A::Error::missing_field(self.name))
    }
}

impl<T> Slot<Option<T>> {
    /// An optional member's value (`null` and absent are both `None`).
    pub fn optional<'de, A: MapAccess<'de>>(self, _: &A) -> Result<Option<T>, A::Error> {
        Ok(self.value.flatten())
    }
}

impl<T> Slot<crate::Nullable<T>> {
    /// A nullable member's value: absent, `null`, or a value.
    pub fn nullable<'de, A: MapAccess<'de>>(self, _: &A) -> Result<crate::Nullable<T>, A::Error> {
        Ok(self.value.unwrap_or(crate::Nullable::Absent))
    }
}

impl<U> Slot<EachOnItsOwn<U>> {
    /// A required array of unions, decoded one element at a time.
    pub fn each<'de, A: MapAccess<'de>>(self, map: &A) -> Result<Vec<U>, A::Error> {
        Ok(self.required(map)?.0)
    }
}

impl<U> Slot<Option<EachOnItsOwn<U>>> {
    /// An optional array of unions, decoded one element at a time.
    pub fn each_optional<'de, A: MapAccess<'de>>(self, _: &A) -> Result<Option<Vec<U>>, A::Error> {
        Ok(self.value.flatten().map(|each| each.0))
    }
}

/// The slot each kind of field of [`decode!`] starts with, by the kind's name.
pub mod slot {
    use super::{Free, Slot};

    /// A required member.
    pub fn required<T>(name: &'static str) -> Slot<T> {
        Slot::new(name)
    }

    /// An optional member (`Option<T>`).
    pub fn optional<T>(name: &'static str) -> Slot<T> {
        Slot::new(name)
    }

    /// A nullable member (`Nullable<T>`).
    pub fn nullable<T>(name: &'static str) -> Slot<T> {
        Slot::new(name)
    }

    /// A required array of unions, each decoded on its own.
    pub fn each<T>(name: &'static str) -> Slot<T> {
        Slot::new(name)
    }

    /// An optional array of unions, each decoded on its own.
    pub fn each_optional<T>(name: &'static str) -> Slot<T> {
        Slot::new(name)
    }

    /// An optional free-form member (`Option<serde_json::Map<..>>`, `Option<serde_json::Value>`).
    pub fn free_optional<T>(name: &'static str) -> Free<T> {
        Free::new(name)
    }

    /// A nullable free-form member (`Nullable<serde_json::Map<..>>`, ...).
    pub fn free_nullable<T>(name: &'static str) -> Free<T> {
        Free::new(name)
    }
}

/// The types of declared free-form members: any JSON value, or a JSON object.
pub trait FreeForm: Sized {
    /// What the member must be, for errors.
    const EXPECTED: &'static str;

    /// The member from a JSON value, or the value back when it is not of this type.
    fn from_json(value: Value) -> Result<Self, Value>;
}

impl FreeForm for Value {
    const EXPECTED: &'static str = "any JSON value";

    fn from_json(value: Value) -> Result<Self, Value> {
        Ok(value)
    }
}

impl FreeForm for Map<String, Value> {
    const EXPECTED: &'static str = "a JSON object";

    fn from_json(value: Value) -> Result<Self, Value> {
        match value {
            Value::Object(map) => Ok(map),
            other => Err(other),
        }
    }
}

/// A declared free-form member (`T`: a `serde_json::Value` or a JSON object) being read.
///
/// Its JSON text is read first, then the value from it: when the text holds something
/// `serde_json` cannot (a lone surrogate, a number out of range, or, in a webhook
/// delivery, a repeated member), the member is left unset and kept aside in
/// [`Extra`] with its text and the reason, and the struct still decodes. A value of the
/// wrong kind (a string where an object is declared) is an error, as for any field.
pub struct Free<T> {
    name: &'static str,
    /// `None` until the member comes.
    value: Option<Read<T>>,
}

impl<T> Free<T> {
    /// A slot for the free-form member `name`.
    pub fn new(name: &'static str) -> Self {
        Self { name, value: None }
    }
}

impl<T: FreeForm> Free<T> {
    /// Reads the member; a member sent twice is an error.
    pub fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A, extra: &mut Extra) -> Result<(), A::Error> {
        if self.value.is_some() {
            return Err(A::Error::duplicate_field(self.name));
        }
        let read = match map.next_value_seed(FreeSeed::<T>(PhantomData))? {
            Read::Unreadable(raw, error) => {
                extra.set_aside(self.name, raw, error);
                Read::Aside
            }
            read => read,
        };
        self.value = Some(read);
        Ok(())
    }

    /// An optional member's value: `None` when absent, `null` or kept aside.
    pub fn free_optional<'de, A: MapAccess<'de>>(self, _: &A) -> Result<Option<T>, A::Error> {
        Ok(match self.value {
            Some(Read::Value(value)) => Some(value),
            _ => None,
        })
    }

    /// A nullable member's value: absent (also when kept aside: it is written back from
    /// there), `null`, or a value.
    pub fn free_nullable<'de, A: MapAccess<'de>>(self, _: &A) -> Result<crate::Nullable<T>, A::Error> {
        Ok(match self.value {
            Some(Read::Value(value)) => crate::Nullable::Value(value),
            Some(Read::Null) => crate::Nullable::Null,
            _ => crate::Nullable::Absent,
        })
    }
}

/// A free-form member as read.
enum Read<T> {
    Null,
    Value(T),
    /// Its text, and why it is not a value (then kept aside).
    Unreadable(Box<RawValue>, String),
    /// Kept aside in `extra`.
    Aside,
}

struct FreeSeed<T>(PhantomData<T>);

impl<'de, T: FreeForm> DeserializeSeed<'de> for FreeSeed<T> {
    type Value = Read<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read<T>, D::Error> {
        let value = match Text::deserialize(deserializer)? {
            Text::Raw(text) => match super::decode::value_from_str(&text) {
                Ok(value) => value,
                Err(Some(error)) => {
                    let raw = RawValue::from_string(text.into_owned()).map_err(D::Error::custom)?;
                    return Ok(Read::Unreadable(raw, error.to_string()));
                }
                Err(None) => return Err(D::Error::custom("the decoded value would pass its budget")),
            },
            Text::Value(value) => value,
        };
        if value.is_null() {
            return Ok(Read::Null);
        }
        T::from_json(value).map(Read::Value).map_err(|value| D::Error::invalid_type(unexpected(&value), &T::EXPECTED))
    }
}

/// What `value` is, for an error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Unexpected::Signed(i),
            (_, Some(u)) => Unexpected::Unsigned(u),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Reads the discriminator a struct always sends: it must be `expected`.
pub fn tag<'de, A: MapAccess<'de>>(map: &mut A, expected: &'static str) -> Result<(), A::Error> {
    let value: Cow<'de, str> = map.next_value::<Key<'de>>()?.0;
    if value != expected {
        return Err(A::Error::invalid_value(serde::de::Unexpected::Str(&value), &expected));
    }
    Ok(())
}

/// Keeps a member the struct does not declare (charged to the decode budget as a
/// member of a free-form object: declared fields are part of their struct's size).
pub fn keep<'de, A: MapAccess<'de>>(map: &mut A, extra: &mut Extra, key: Key<'de>) -> Result<(), A::Error> {
    let value: Value = map.next_value()?;
    super::decode::charge(std::mem::size_of::<Value>() + std::mem::size_of::<String>()).map_err(A::Error::custom)?;
    extra.members.insert(key.0.into_owned(), value);
    Ok(())
}

/// Implements `Deserialize` for a struct keeping undeclared members: its name, the
/// field holding them and the discriminator it always sends (if any); then per
/// declared field how it is held (`required`, `optional`, `nullable`,
/// `each`/`each_optional` for arrays of unions decoded one element at a time, or
/// `free_optional`/`free_nullable` for free-form members, see [`Free`]), its name and
/// its wire name. Field types are inferred from the struct.
///
/// Hygienic: the implementations name the struct `Self` only, and their own generic
/// parameters and the items they use are spelled so that no model name (`A`, `D`,
/// `Members`, `Slot`, `Key`, `Extra`, `Result`, ...) can be taken for them.
#[allow(unused_macros, reason = "generated crates use it for the models the API sends")]
macro_rules! decode {
    (
        $name:ident, $extra:ident $(, $tag:literal = $value:literal)?;
        $($kind:ident $field:ident = $wire:literal),* $(,)?
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                // A struct: members are not charged one by one (see `members::keep`).
                deserializer.deserialize_struct(
                    ::core::stringify!($name),
                    &[$($wire),*],
                    $crate::runtime::members::MembersVisitor::<Self>::new(),
                )
            }
        }

        impl $crate::runtime::members::DecodeMembers for $name {
            const EXPECTING: &'static str = ::core::concat!("struct ", ::core::stringify!($name));

            #[allow(deprecated, reason = "decoding sets deprecated fields too")]
            fn decode_members<'de, __A: ::serde::de::MapAccess<'de>>(
                mut map: __A,
            ) -> ::core::result::Result<Self, __A::Error> {
                use $crate::runtime::members as __members;
                $(let mut $field = __members::slot::$kind($wire);)*
                let mut $extra = __members::Extra::new();
                while let ::core::option::Option::Some(key) = map.next_key::<__members::Key<'de>>()? {
                    match key.as_str() {
                        $($wire => $field.read(&mut map, &mut $extra)?,)*
                        $($tag => __members::tag(&mut map, $value)?,)?
                        _ => __members::keep(&mut map, &mut $extra, key)?,
                    }
                }
                ::core::result::Result::Ok(Self { $($field: $field.$kind(&map)?,)* $extra })
            }
        }
    };
}

#[allow(unused_imports, reason = "generated crates use it for the models the API sends")]
pub(crate) use decode;
