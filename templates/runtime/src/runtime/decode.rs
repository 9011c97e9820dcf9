//! Bounded decoding: what a body decodes into is charged against a budget while it
//! decodes, so a small body cannot become a large value.
//!
//! The byte limits ([`DEFAULT_MAX_RESPONSE_BYTES`](super::DEFAULT_MAX_RESPONSE_BYTES),
//! the webhook limit) count the bytes received. What they decode into can be far larger:
//! `{}` is two bytes, and as a `Message` in a list it takes the size of one. So every
//! decode here runs through [`Charged`], a deserializer that charges, for each element of
//! every array and each member of every free-form object, the size of the Rust value it
//! becomes (`size_of` of the element type, known where serde asks for it). When the
//! charges pass the budget, decoding stops with an error naming the limit: no allocation
//! storm, whatever the body.
//!
//! The budget is per decode and lives on the decoding thread, so a union that decodes its
//! branch from an intermediate `serde_json::Value` charges the same budget
//! ([`charged`]). Decoding outside this module (a caller's own `serde_json::from_str` of a
//! model) is not bounded.
//!
//! Strict mode (webhook deliveries) also refuses an object that names a member twice:
//! one rule for every object of a delivery, where serde would keep the last value of a
//! free-form member but refuse a repeated known field.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// The decoded size a budget allows, as a multiple of the byte limit that bounded the
/// body. Realistic pages decode into 1–3 times their size (see the README's fault table).
pub const DECODED_BYTES_PER_BODY_BYTE: usize = 4;

#[derive(Clone, Copy)]
struct Budget {
    /// Bytes left.
    remaining: usize,
    /// The budget, for the error.
    limit: usize,
    /// The budget ran out (so a caller can tell this error from a malformed body).
    exceeded: bool,
    /// Refuse repeated members.
    strict: bool,
}

thread_local! {
    static BUDGET: Cell<Option<Budget>> = const { Cell::new(None) };
}

/// How a bounded decode failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The decoded value would take more than the budget.
    OverBudget,
    /// The body is not the type: invalid JSON, a wrong type, a repeated member.
    Malformed {
        /// Where, e.g. `events[1].createdAt` (`.` for the whole), when the decode was
        /// asked to say ([`from_slice_locating`]).
        path: Option<String>,
        /// What is wrong there.
        error: serde_json::Error,
    },
}

/// Restores the budget of an enclosing decode (if any) when a decode ends, even by
/// unwinding.
struct Scope {
    outer: Option<Budget>,
}

impl Drop for Scope {
    fn drop(&mut self) {
        BUDGET.with(|b| b.set(self.outer));
    }
}

/// Decodes `bytes` as `T` within a budget of `limit` decoded bytes (strict: refusing
/// repeated members). Trailing characters other than whitespace are an error. A
/// malformed body's error does not say where: see [`from_slice_locating`].
pub(crate) fn from_slice<T: DeserializeOwned>(bytes: &[u8], limit: usize, strict: bool) -> Result<T, Failure> {
    bounded(bytes, limit, strict, |json| T::deserialize(Charged::new(json)).map_err(|error| (None, error)))
}

/// [`from_slice`], and a malformed body's error says where (`events[1].createdAt`).
///
/// Tracking the path costs an allocation per member, so it is only done when there is
/// an error: a body that does not decode is decoded a second time, tracking the path,
/// and fails at the same place (decoding is deterministic, and the second pass has the
/// same budget).
pub(crate) fn from_slice_locating<T: DeserializeOwned>(bytes: &[u8], limit: usize, strict: bool) -> Result<T, Failure> {
    match from_slice(bytes, limit, strict) {
        Err(Failure::Malformed { .. }) => match bounded(bytes, limit, strict, |json| {
            serde_path_to_error::deserialize(Charged::new(json))
                .map_err(|error| (Some(error.path().to_string()), error.into_inner()))
        }) {
            // Only trailing text fails after the value decoded: the whole is wrong.
            Err(Failure::Malformed { path, error }) => {
                Err(Failure::Malformed { path: Some(path.unwrap_or_else(|| ".".to_owned())), error })
            }
            decoded => decoded,
        },
        decoded => decoded,
    }
}

/// One bounded decode of `bytes` by `decode`, which gives the error's path if it knows it.
fn bounded<T>(
    bytes: &[u8],
    limit: usize,
    strict: bool,
    decode: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
    ) -> Result<T, (Option<String>, serde_json::Error)>,
) -> Result<T, Failure> {
    let scope =
        Scope { outer: BUDGET.with(|b| b.replace(Some(Budget { remaining: limit, limit, exceeded: false, strict }))) };
    let _ = charge(std::mem::size_of::<T>());
    let mut json = serde_json::Deserializer::from_slice(bytes);
    let result = decode(&mut json).map_err(|(path, error)| Failure::Malformed { path, error }).and_then(|value| {
        match json.end() {
            Ok(()) => Ok(value),
            Err(error) => Err(Failure::Malformed { path: None, error }),
        }
    });
    let exceeded = BUDGET.with(|b| b.get().is_some_and(|b| b.exceeded));
    drop(scope);
    if exceeded { Err(Failure::OverBudget) } else { result }
}

/// Decodes `T` from `deserializer` under the budget of the decode in progress on this
/// thread (none outside one): for values decoded in two steps, such as a union's branch
/// from the `serde_json::Value` it was read into.
pub(crate) fn charged<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    if BUDGET.with(Cell::get).is_none() {
        return T::deserialize(deserializer);
    }
    charge(std::mem::size_of::<T>()).map_err(de::Error::custom)?;
    T::deserialize(Charged::new(deserializer))
}

/// Reads JSON text as a `serde_json::Value` under the budget of the decode in progress:
/// `Err(None)` when the budget ran out, `Err(Some(error))` when the text is not a
/// readable value (or repeats a member in strict mode).
pub(crate) fn value_from_str(text: &str) -> Result<serde_json::Value, Option<serde_json::Error>> {
    let mut json = serde_json::Deserializer::from_str(text);
    let result = charged::<serde_json::Value, _>(&mut json).and_then(|value| json.end().map(|()| value));
    match result {
        Ok(value) => Ok(value),
        Err(_) if BUDGET.with(|b| b.get().is_some_and(|b| b.exceeded)) => Err(None),
        Err(error) => Err(Some(error)),
    }
}

/// Charges `bytes` to the decode in progress on this thread (nothing outside one).
pub(crate) fn charge(bytes: usize) -> Result<(), OverBudget> {
    BUDGET.with(|cell| {
        let Some(mut budget) = cell.get() else { return Ok(()) };
        match budget.remaining.checked_sub(bytes) {
            Some(left) => {
                budget.remaining = left;
                cell.set(Some(budget));
                Ok(())
            }
            None => {
                budget.exceeded = true;
                cell.set(Some(budget));
                Err(OverBudget { limit: budget.limit })
            }
        }
    })
}

/// The decoded value would pass its budget.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OverBudget {
    limit: usize,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the decoded value would take more than {} bytes", self.limit)
    }
}

fn strict() -> bool {
    BUDGET.with(|b| b.get().is_some_and(|b| b.strict))
}

/// A deserializer that charges the budget for each array element and each member of a
/// free-form object it produces (struct fields are part of their struct's size, already
/// charged), and in strict mode refuses repeated members.
pub(crate) struct Charged<D> {
    inner: D,
}

impl<D> Charged<D> {
    pub(crate) fn new(inner: D) -> Self {
        Self { inner }
    }
}

/// A visitor that hands its sequences and maps back wrapped: `entries` says whether map
/// members are charged (maps and free-form objects) or not (struct fields).
struct ChargedVisitor<V> {
    inner: V,
    entries: bool,
}

macro_rules! forward_deserialize {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self $($(, $arg: $ty)*)?, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($($arg,)*)? ChargedVisitor { inner: visitor, entries: true })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Charged<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64,
        deserialize_i128, deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128,
        deserialize_f32, deserialize_f64, deserialize_char, deserialize_str, deserialize_string, deserialize_bytes,
        deserialize_byte_buf, deserialize_option, deserialize_unit, deserialize_seq, deserialize_map,
        deserialize_identifier, deserialize_ignored_any,
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner.deserialize_struct(name, fields, ChargedVisitor { inner: visitor, entries: false })
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.inner.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for ChargedVisitor<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i64(i64), visit_i128(i128),
        visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u64(u64), visit_u128(u128), visit_f32(f32),
        visit_f64(f64), visit_char(char), visit_str(&str), visit_borrowed_str(&'de str), visit_string(String),
        visit_bytes(&[u8]), visit_borrowed_bytes(&'de [u8]), visit_byte_buf(Vec<u8>),
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Charged::new(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Charged::new(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(ChargedSeq { inner: seq })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let keys = strict().then(Names::default);
        self.inner.visit_map(ChargedMap { inner: map, entries: self.entries, keys })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(ChargedEnum { inner: data })
    }
}

/// A seed whose value is decoded through [`Charged`].
struct ChargedSeed<S> {
    inner: S,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for ChargedSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Charged::new(deserializer))
    }
}

struct ChargedSeq<A> {
    inner: A,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for ChargedSeq<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
        let element = self.inner.next_element_seed(ChargedSeed { inner: seed })?;
        if element.is_some() {
            charge(std::mem::size_of::<S::Value>()).map_err(de::Error::custom)?;
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct ChargedMap<A> {
    inner: A,
    /// Charge each member (a map or free-form object, not a struct).
    entries: bool,
    /// Strict mode: the member names seen so far.
    keys: Option<Names>,
}

/// The member names of one object seen so far (strict mode), to refuse a repeat: a list
/// while the object is small (most are), a hash set once it is not, so each member costs
/// O(1) however wide the object. std's `RandomState` keys the set's SipHash at random,
/// so chosen names cannot make lookups collide.
///
/// Memory: one `String` per name (as the list alone kept before), freed when its object
/// ends, so at most the names of the objects still open: bounded by the body, which
/// the byte limit bounds, at about 50 bytes per name (each takes 4 bytes of the body
/// or more, `"a":`). The members of free-form objects and those kept in `extra` are
/// also charged to the budget (56 bytes each or more), so the budget stops a wide
/// object of them long before the names weigh much.
#[derive(Default)]
enum Names {
    #[default]
    Empty,
    Few(Vec<String>),
    Many(HashSet<String>),
}

/// Names an object may hold before they move from a list into a set.
const FEW_NAMES: usize = 16;

impl Names {
    /// Adds `name`, or gives it back when the object named it already.
    fn insert(&mut self, name: String) -> Result<(), String> {
        match self {
            Names::Empty => *self = Names::Few(vec![name]),
            Names::Few(names) if names.contains(&name) => return Err(name),
            Names::Few(names) if names.len() < FEW_NAMES => names.push(name),
            Names::Few(names) => {
                let mut set: HashSet<String> = names.drain(..).collect();
                set.insert(name);
                *self = Names::Many(set);
            }
            Names::Many(set) if set.contains(&name) => return Err(name),
            Names::Many(set) => {
                set.insert(name);
            }
        }
        Ok(())
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ChargedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some(keys) = &mut self.keys else { return self.inner.next_key_seed(ChargedSeed { inner: seed }) };
        let mut name = None;
        let key = self.inner.next_key_seed(NameSeed { inner: seed, name: &mut name })?;
        if let Some(name) = name
            && let Err(name) = keys.insert(name)
        {
            return Err(de::Error::custom(format_args!("the member `{name}` appears more than once")));
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        let value = self.inner.next_value_seed(ChargedSeed { inner: seed })?;
        if self.entries {
            charge(std::mem::size_of::<S::Value>() + std::mem::size_of::<String>()).map_err(de::Error::custom)?;
        }
        Ok(value)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct ChargedEnum<A> {
    inner: A,
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for ChargedEnum<A> {
    type Error = A::Error;
    type Variant = ChargedVariant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self::Variant), A::Error> {
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((value, ChargedVariant { inner: variant }))
    }
}

struct ChargedVariant<A> {
    inner: A,
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for ChargedVariant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.inner.newtype_variant_seed(ChargedSeed { inner: seed })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner.tuple_variant(len, ChargedVisitor { inner: visitor, entries: true })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner.struct_variant(fields, ChargedVisitor { inner: visitor, entries: false })
    }
}

/// A member name's seed that also records the name (strict mode).
struct NameSeed<'n, S> {
    inner: S,
    name: &'n mut Option<String>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for NameSeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(NameDeserializer { inner: deserializer, name: self.name })
    }
}

/// A member name's deserializer: every request is forwarded, with a visitor that
/// records the name it is given.
struct NameDeserializer<'n, D> {
    inner: D,
    name: &'n mut Option<String>,
}

macro_rules! forward_name {
    ($($method:ident $(($($arg:ident: $ty:ty),*))?),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self $($(, $arg: $ty)*)?, visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($($arg,)*)? NameVisitor { inner: visitor, name: self.name, marker: PhantomData })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for NameDeserializer<'_, D> {
    type Error = D::Error;

    forward_name! {
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32, deserialize_i64,
        deserialize_i128, deserialize_u8, deserialize_u16, deserialize_u32, deserialize_u64, deserialize_u128,
        deserialize_f32, deserialize_f64, deserialize_char, deserialize_str, deserialize_string, deserialize_bytes,
        deserialize_byte_buf, deserialize_option, deserialize_unit, deserialize_seq, deserialize_map,
        deserialize_identifier, deserialize_ignored_any,
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_struct(name: &'static str, fields: &'static [&'static str]),
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

struct NameVisitor<'n, 'de, V> {
    inner: V,
    name: &'n mut Option<String>,
    marker: PhantomData<&'de ()>,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for NameVisitor<'_, 'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        *self.name = Some(value.to_owned());
        self.inner.visit_str(value)
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        *self.name = Some(value.to_owned());
        self.inner.visit_borrowed_str(value)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        *self.name = Some(value.clone());
        self.inner.visit_string(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
        self.inner.visit_u64(value)
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        self.inner.visit_bytes(value)
    }
}
