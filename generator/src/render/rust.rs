//! The one documented helper that builds Rust text as strings: how a [`Ty`] is written
//! and held (presence, pointer), and string literals. Types nest to any depth, which a
//! template would spell with recursion; every statement and expression shape is a
//! template (`templates/rust.rs` and the templates that print views).

use crate::ir::{IntTy, Presence, Ty};

/// How a file names models: model files import their siblings (`use super::{..}`) and
/// write them bare; every other file writes `models::Name` (after `use crate::models;`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Models {
    Bare,
    Qualified,
}

/// A type, e.g. `Vec<models::Conversation>`.
pub(crate) fn ty(ty: &Ty, models: Models) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Integer(int) => integer(*int).into(),
        Ty::Number => "f64".into(),
        Ty::Boolean => "bool".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::Object => "serde_json::Map<String, serde_json::Value>".into(),
        Ty::File => "crate::FileUpload".into(),
        Ty::Model(name) => match models {
            Models::Bare => name.clone(),
            Models::Qualified => format!("models::{name}"),
        },
        Ty::List(inner) => format!("Vec<{}>", self::ty(inner, models)),
        Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", self::ty(inner, models)),
    }
}

/// An integer type's name.
pub(crate) fn integer(int: IntTy) -> &'static str {
    match int {
        IntTy::I8 => "i8",
        IntTy::I16 => "i16",
        IntTy::I32 => "i32",
        IntTy::I64 => "i64",
        IntTy::U8 => "u8",
        IntTy::U16 => "u16",
        IntTy::U32 => "u32",
        IntTy::U64 => "u64",
    }
}

/// Whether a method taking a value of `ty` takes it as it is rather than `impl Into<_>`:
/// integers, so that a literal (`.size(50)`) gets the parameter's type (an `impl
/// Into<u8>` would make it an `i32` and fail to compile).
pub(crate) fn taken_as_is(ty: &Ty) -> bool {
    matches!(ty, Ty::Integer(_))
}

/// A type behind a pointer when `indirect`.
pub(crate) fn held(ty: &Ty, indirect: bool, models: Models) -> String {
    let written = self::ty(ty, models);
    if indirect { format!("Box<{written}>") } else { written }
}

/// A field's type: `T`, `Option<T>` or `crate::Nullable<T>`.
pub(crate) fn with_presence(inner: &str, presence: Presence) -> String {
    match presence {
        Presence::Required => inner.to_string(),
        Presence::Optional => format!("Option<{inner}>"),
        Presence::TriState => format!("crate::Nullable<{inner}>"),
    }
}

/// What a method takes to set a value of type `ty` (written): `impl Into<ty>`.
/// The type of a request body's value, as the builder holds it: the JSON or form
/// value's type, `String` for a text body, `bytes::Bytes` for other raw bodies (none
/// for a multipart body, whose fields are arguments of their own).
pub(crate) fn body_value_ty(content: &crate::ir::BodyContent) -> Option<String> {
    use crate::ir::BodyContent;
    match content {
        BodyContent::Json(ty) | BodyContent::Form(ty) => Some(self::ty(ty, Models::Qualified)),
        BodyContent::Raw { text: true } => Some("String".to_string()),
        BodyContent::Raw { text: false } => Some("bytes::Bytes".to_string()),
        BodyContent::Multipart(_) => None,
    }
}

pub(crate) fn into(ty: &str) -> String {
    format!("impl Into<{ty}>")
}

/// A reference to a value of type `ty` (written) that may be absent: `Option<&ty>`.
pub(crate) fn option_ref(ty: &str) -> String {
    format!("Option<&{ty}>")
}

/// The `use` path bringing sibling models (sorted names) into a model file.
pub(crate) fn siblings(names: &[&str]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(format!("super::{one}")),
        many => Some(format!("super::{{{}}}", many.join(", "))),
    }
}

/// The type an operation's API errors decode into: its error body, else the API's
/// usual one, else any JSON.
pub(crate) fn error_ty(api: &crate::ir::Api, op: &crate::ir::Operation) -> String {
    api.error_body(op).map_or("serde_json::Value".to_string(), |t| ty(t, Models::Qualified))
}

/// What a successful call returns: its JSON body's type, `String` for a text body,
/// `bytes::Bytes` for another body that is not JSON, `()` for none.
pub(crate) fn success_ty(success: &crate::ir::Success) -> String {
    match (&success.ty, &success.raw) {
        (Some(t), _) => ty(t, Models::Qualified),
        (None, Some(raw)) if raw.text => "String".to_string(),
        (None, Some(_)) => "bytes::Bytes".to_string(),
        (None, None) => "()".to_string(),
    }
}

/// Whether a field holding `ty` (behind a pointer when `indirect`) is `Copy` held as
/// `T` or `Option<T>`: integers, numbers and booleans.
pub(crate) fn is_copy(ty: &Ty, indirect: bool) -> bool {
    !indirect && matches!(ty, Ty::Integer(_) | Ty::Number | Ty::Boolean)
}

/// A Rust string literal.
pub(crate) fn lit(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_as_written() {
        let list = Ty::List(Box::new(Ty::Model("Message".into())));
        assert_eq!(ty(&list, Models::Qualified), "Vec<models::Message>");
        assert_eq!(
            ty(&Ty::Map(Box::new(Ty::Integer(IntTy::I64))), Models::Bare),
            "std::collections::BTreeMap<String, i64>"
        );
        let held = held(&Ty::Model("Node".into()), true, Models::Bare);
        assert_eq!(with_presence(&held, Presence::Optional), "Option<Box<Node>>");
        assert_eq!(with_presence("String", Presence::TriState), "crate::Nullable<String>");
    }
}
