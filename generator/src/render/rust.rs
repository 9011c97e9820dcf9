//! Rust text for the IR's types: how a [`Ty`] is written, held (presence, pointer) and
//! reached. The one place that decides how a value is written in Rust.

use crate::ir::{FieldStep, Presence, Ty};

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
        Ty::Integer => "i64".into(),
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

/// An expression storing `value` (already of the held type) in a field held as `presence`.
pub(crate) fn wrap(value: &str, presence: Presence) -> String {
    match presence {
        Presence::Required => value.to_string(),
        Presence::Optional => format!("Some({value})"),
        Presence::TriState => format!("crate::Nullable::Value({value})"),
    }
}

/// An expression for "absent" in a field held as `presence` (not `Required`).
pub(crate) fn empty(presence: Presence) -> &'static str {
    match presence {
        Presence::TriState => "crate::Nullable::Absent",
        _ => "None",
    }
}

/// An `Option<&T>` expression following `steps` from `root` (an expression of a
/// reference to the first struct).
pub(crate) fn chain(root: &str, steps: &[FieldStep]) -> String {
    let mut expr = format!("Some({root})");
    for step in steps {
        let name = &step.rust_name;
        expr = match step.presence {
            Presence::Required => format!("{expr}.map(|v| &v.{name})"),
            Presence::Optional => format!("{expr}.and_then(|v| v.{name}.as_ref())"),
            Presence::TriState => format!("{expr}.and_then(|v| v.{name}.as_value())"),
        };
    }
    expr
}

/// The kind of JSON value, as `runtime::json::Kind` names it.
pub(crate) fn json_kind(kind: crate::ir::JsonKind) -> &'static str {
    use crate::ir::JsonKind;
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

/// A Rust string literal.
pub(crate) fn lit(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(name: &str, presence: Presence) -> FieldStep {
        FieldStep { rust_name: name.into(), wire_name: name.into(), presence }
    }

    #[test]
    fn types_as_written() {
        let list = Ty::List(Box::new(Ty::Model("Message".into())));
        assert_eq!(ty(&list, Models::Qualified), "Vec<models::Message>");
        assert_eq!(ty(&Ty::Map(Box::new(Ty::Integer)), Models::Bare), "std::collections::BTreeMap<String, i64>");
        let held = held(&Ty::Model("Node".into()), true, Models::Bare);
        assert_eq!(with_presence(&held, Presence::Optional), "Option<Box<Node>>");
        assert_eq!(with_presence("String", Presence::TriState), "crate::Nullable<String>");
    }

    #[test]
    fn chains_read_each_presence_once() {
        let steps =
            [step("meta", Presence::Optional), step("inner", Presence::Required), step("cursor", Presence::TriState)];
        assert_eq!(
            chain("page", &steps),
            "Some(page).and_then(|v| v.meta.as_ref()).map(|v| &v.inner).and_then(|v| v.cursor.as_value())"
        );
    }
}
