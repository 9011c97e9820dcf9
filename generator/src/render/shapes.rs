//! The shapes of the statements and expressions generated code is made of: render's
//! views decide which shape a piece of code has and hold these values; the macros of
//! `templates/rust.rs` (and the templates that loop over them) hold the text. No Rust
//! statement is built as a string in render: only types and literals are, in
//! `render::rust`.

use crate::ir::{JsonKind, Presence};

/// How a checked value is read, as the `Option<_>` its check takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Read {
    /// A string, as `&str`.
    Str,
    /// An integer, as `i128` (compared exactly).
    Int,
    /// A number, as `f64`.
    Num,
    /// A list, its length.
    Len,
    /// A list, as a slice.
    Slice,
    /// A boxed model, by reference.
    Boxed,
    /// A model, by reference.
    Ref,
}

/// A field of `self` held with `presence`, read as an `Option<_>` (`rust.rs` `option_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OptionOf {
    /// The field (or builder field) name.
    pub place: String,
    pub presence: Presence,
    pub read: Read,
}

/// One call of `crate::runtime::validate::<function>(at, name, value, args...)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    /// The function of `runtime::validate`.
    pub function: &'static str,
    /// The value's wire name, shown in the error.
    pub wire: String,
    pub value: OptionOf,
    pub args: CheckArgs,
}

/// The bounds a check takes after the value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CheckArgs {
    /// None (`each`, `nested`).
    None,
    /// Lengths or counts: at least, at most.
    Counts(Option<u64>, Option<u64>),
    /// A numeric range.
    Range { min: Option<f64>, max: Option<f64>, exclusive_min: bool, exclusive_max: bool },
    /// An integer's inclusive bounds.
    Integer(Option<i128>, Option<i128>),
}

/// How one field on an accessor's way is read as `Option<&_>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldRead {
    /// A required string at the end: `Some(x.f.as_str())`.
    Str,
    /// A required boxed value: `Some(&*x.f)`.
    Boxed,
    /// A required value: `Some(&x.f)`.
    Ref,
    /// An optional boxed value or string at the end: `x.f.as_deref()`.
    Deref,
    /// An optional value: `x.f.as_ref()`.
    AsRef,
    /// A nullable string at the end: `x.f.as_value().map(String::as_str)`.
    ValueStr,
    /// A nullable boxed value: `x.f.as_value().map(|x| &**x)`.
    ValueBoxed,
    /// A nullable value: `x.f.as_value()`.
    Value,
}

/// A field on an accessor's way and how it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadStep {
    pub name: String,
    pub how: FieldRead,
}

/// The condition under which an untagged union chooses a branch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShapeTest {
    /// The branch is itself a union (by type name): it decides.
    Union(String),
    /// An object with these required and known members.
    Object { required: Vec<String>, members: Vec<MemberTest> },
    /// A JSON kind (`runtime::json::Kind` variant name).
    Kind(&'static str),
}

/// A member an object branch knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MemberTest {
    pub name: String,
    /// `runtime::json::Kind` variant name.
    pub kind: &'static str,
    pub nullable: bool,
}

/// The `Auth` an auth method sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthCall {
    Basic,
    Bearer,
    /// A minted JWT with this claim.
    Jwt(String),
    /// A key in this header.
    Header(String),
    /// A key in this query parameter.
    Query(String),
    /// A key in a cookie: the `format!` pattern of the `Cookie` header (`name={}`).
    Cookie(String),
}

/// What a `Client` method passes its request builder for a required field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Init {
    /// The argument, converted: `name.into()`.
    Into(String),
    /// The argument as it is.
    Move(String),
    /// A handle's bound value: `self.name.clone()`.
    Bound(String),
}

/// The kind of JSON value, as `runtime::json::Kind` names it.
pub(crate) fn json_kind(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::Any => "Any",
        JsonKind::Boolean => "Boolean",
        JsonKind::Integer => "Integer",
        JsonKind::Number => "Number",
        JsonKind::String => "String",
        JsonKind::Array => "Array",
        JsonKind::Object => "Object",
    }
}
