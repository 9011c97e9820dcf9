//! Rust types of schemas where they are used, their constraints and validation calls.

use std::collections::BTreeSet;

use crate::ir::{Check, Presence, Rule};

/// A Rust type, before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    String,
    Integer,
    Number,
    Boolean,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    Model(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    /// Prints the type; `models` is the path prefix for model names (`""` or `models::`).
    pub(crate) fn render(&self, models: &str) -> String {
        match self {
            Ty::String => "String".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Boolean => "bool".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
            Ty::Model(name) => format!("{models}{name}"),
            Ty::Vec(inner) => format!("Vec<{}>", inner.render(models)),
            Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", inner.render(models)),
            Ty::Boxed(inner) => format!("Box<{}>", inner.render(models)),
        }
    }

    /// Model names anywhere inside.
    pub(crate) fn models(&self, out: &mut BTreeSet<String>) {
        match self {
            Ty::Model(name) => {
                out.insert(name.clone());
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => inner.models(out),
            _ => {}
        }
    }

    /// The model held inline (not behind a container), if any.
    pub(crate) fn direct_model(&self) -> Option<&str> {
        match self {
            Ty::Model(name) => Some(name),
            _ => None,
        }
    }

    pub(crate) fn is_string(&self) -> bool {
        matches!(self, Ty::String)
    }
}

/// Constraints of a type, from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
}

/// The type of a schema where it is used.
#[derive(Debug, Clone)]
pub(crate) struct TypeInfo {
    pub ty: Ty,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub constraints: Constraints,
}

impl TypeInfo {
    pub(crate) fn new(ty: Ty) -> Self {
        Self { ty, nullable: false, read_only: false, write_only: false, constraints: Constraints::default() }
    }

    /// Validation calls for the value at `place` (e.g. `self.name`) held as `presence`.
    pub(crate) fn checks(&self, place: &str, presence: Presence) -> Vec<Check> {
        let c = &self.constraints;
        let opt = |v: Option<u64>| v.map_or("None".to_string(), |v| format!("Some({v})"));
        let optf = |v: Option<f64>| v.map_or("None".to_string(), |v| format!("Some({v:?})"));
        let bound = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => String::new(),
        };
        // The `Option<_>` argument of a check, for each way the value can be held.
        let value = |required: String, optional: String, tristate: String| match presence {
            Presence::Required => required,
            Presence::Optional => optional,
            Presence::TriState => tristate,
        };
        let check = |rule: Rule, value: String, args: String, doc: String| Check {
            function: rule.function().into(),
            rule,
            value,
            args,
            doc,
        };
        let mut out = Vec::new();
        match &self.ty {
            Ty::String if c.min_length.is_some() || c.max_length.is_some() => out.push(check(
                Rule::Length { min: c.min_length, max: c.max_length },
                value(
                    format!("Some({place}.as_str())"),
                    format!("{place}.as_deref()"),
                    format!("{place}.as_value().map(String::as_str)"),
                ),
                format!("{}, {}", opt(c.min_length), opt(c.max_length)),
                format!(
                    "Length: {} characters.",
                    bound(c.min_length.map(|v| v.to_string()), c.max_length.map(|v| v.to_string()))
                ),
            )),
            Ty::Integer | Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
                let integer = self.ty == Ty::Integer;
                let fmt = |v: f64| if integer { format!("{}", v as i64) } else { v.to_string() };
                out.push(check(
                    Rule::Range {
                        min: c.minimum,
                        max: c.maximum,
                        exclusive_min: c.exclusive_minimum,
                        exclusive_max: c.exclusive_maximum,
                    },
                    if integer {
                        value(
                            format!("Some({place} as f64)"),
                            format!("{place}.map(|v| v as f64)"),
                            format!("{place}.as_value().map(|v| *v as f64)"),
                        )
                    } else {
                        value(format!("Some({place})"), place.to_string(), format!("{place}.as_value().copied()"))
                    },
                    format!(
                        "{}, {}, {}, {}",
                        optf(c.minimum),
                        optf(c.maximum),
                        c.exclusive_minimum,
                        c.exclusive_maximum
                    ),
                    format!(
                        "Range: {}{}.",
                        bound(c.minimum.map(fmt), c.maximum.map(fmt)),
                        if c.exclusive_minimum || c.exclusive_maximum { " (exclusive bounds)" } else { "" }
                    ),
                ));
            }
            _ => {}
        }
        if let Ty::Vec(item) = &self.ty {
            if c.min_items.is_some() || c.max_items.is_some() {
                out.push(check(
                    Rule::Items { min: c.min_items, max: c.max_items },
                    value(
                        format!("Some({place}.len())"),
                        format!("{place}.as_ref().map(Vec::len)"),
                        format!("{place}.as_value().map(Vec::len)"),
                    ),
                    format!("{}, {}", opt(c.min_items), opt(c.max_items)),
                    format!(
                        "Items: {}.",
                        bound(c.min_items.map(|v| v.to_string()), c.max_items.map(|v| v.to_string()))
                    ),
                ));
            }
            if matches!(**item, Ty::Model(_)) {
                out.push(check(
                    Rule::Each,
                    value(
                        format!("Some({place}.as_slice())"),
                        format!("{place}.as_deref()"),
                        format!("{place}.as_value().map(Vec::as_slice)"),
                    ),
                    String::new(),
                    String::new(),
                ));
            }
        }
        match &self.ty {
            Ty::Model(_) => out.push(check(
                Rule::Nested,
                value(format!("Some(&{place})"), format!("{place}.as_ref()"), format!("{place}.as_value()")),
                String::new(),
                String::new(),
            )),
            Ty::Boxed(_) => out.push(check(
                Rule::Nested,
                value(
                    format!("Some(&*{place})"),
                    format!("{place}.as_deref()"),
                    format!("{place}.as_value().map(|v| &**v)"),
                ),
                String::new(),
                String::new(),
            )),
            _ => {}
        }
        out
    }
}

/// A struct field as operations see it (for pagination).
#[derive(Debug, Clone)]
pub(crate) struct FieldView {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    /// Always present (`T`, not `Option<T>`).
    pub required: bool,
    /// Modelled as `Nullable<T>` (in request models).
    pub tristate: bool,
}

impl FieldView {
    /// An expression storing `value` in this field.
    pub(crate) fn wrap(&self, value: &str) -> String {
        if self.required {
            value.to_string()
        } else if self.tristate {
            format!("crate::Nullable::Value({value})")
        } else {
            format!("Some({value})")
        }
    }

    /// An expression for "absent".
    pub(crate) fn empty(&self) -> String {
        if self.tristate { "crate::Nullable::Absent".into() } else { "None".into() }
    }
}
