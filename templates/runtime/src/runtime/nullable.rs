//! [`Nullable`]: the tri-state of a nullable request field.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A request field that can be left out, sent as `null`, or sent with a value.
///
/// | variant | wire form | meaning for a PATCH-like request |
/// | --- | --- | --- |
/// | [`Absent`](Self::Absent) | key omitted | leave unchanged |
/// | [`Null`](Self::Null) | `"key": null` | clear the value |
/// | [`Value`](Self::Value) | `"key": value` | set the value |
///
/// Generated structs put `#[serde(default, skip_serializing_if =
/// "Nullable::is_absent")]` on such fields, so a missing key deserializes as
/// `Absent` and `Absent` is never written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// The key is omitted.
    #[default]
    Absent,
    /// The key is sent with the value `null`.
    Null,
    /// The key is sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` for [`Nullable::Absent`].
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// `true` for [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one; `Absent` and `Null` both give `None`.
    pub fn into_option(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` becomes `Value(v)`, `None` becomes `Null` (an explicit clear).
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            // `Absent` is normally skipped by `skip_serializing_if`; if it is
            // serialized anyway, `null` is the only faithful JSON for it.
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}
