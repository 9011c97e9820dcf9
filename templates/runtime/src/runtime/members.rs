//! Decoding structs that keep the members they do not declare.
//!
//! A model the API sends (a response or a webhook payload) reads its declared members
//! as serde's derive would and every other member into its `extra` map, which is
//! written back on encode: a value read, changed and sent back loses nothing the API
//! added after this crate was generated. Declared members decode straight from the
//! input, never buffered, so the decode budget counts them as for any other type.

use std::borrow::Cow;

use serde::de::{Error as _, MapAccess};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::json::EachOnItsOwn;

/// Members a struct does not declare, by name, as received.
pub type Extra = serde_json::Map<String, Value>;

/// A member name, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
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
    /// derive.
    pub fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<(), A::Error>
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
    extra.insert(key.0.into_owned(), value);
    Ok(())
}

/// Implements `Deserialize` for a struct keeping undeclared members: its name, the
/// field holding them and the discriminator it always sends (if any); then per
/// declared field how it is held (`required`, `optional`, `nullable`, or
/// `each`/`each_optional` for arrays of unions decoded one element at a time), its
/// name and its wire name. Field types are inferred from the struct.
#[allow(unused_macros, reason = "generated crates use it for the models the API sends")]
macro_rules! decode {
    (
        $name:ident, $extra:ident $(, $tag:literal = $value:literal)?;
        $($kind:ident $field:ident = $wire:literal),* $(,)?
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Members;
                impl<'de> serde::de::Visitor<'de> for Members {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    #[allow(deprecated, reason = "decoding sets deprecated fields too")]
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        use $crate::runtime::members;
                        $(let mut $field = members::Slot::new($wire);)*
                        let mut $extra = members::Extra::new();
                        while let Some(key) = map.next_key::<members::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $field.read(&mut map)?,)*
                                $($tag => members::tag(&mut map, $value)?,)?
                                _ => members::keep(&mut map, &mut $extra, key)?,
                            }
                        }
                        Ok($name { $($field: $field.$kind(&map)?,)* $extra })
                    }
                }
                // A struct: members are not charged one by one (see `members::keep`).
                deserializer.deserialize_struct(stringify!($name), &[$($wire),*], Members)
            }
        }
    };
}

#[allow(unused_imports, reason = "generated crates use it for the models the API sends")]
pub(crate) use decode;
