//! Client-side validation calls (`runtime::validate`) and their doc notes, from a
//! value's type, constraints and how it is held.

use crate::ir::{Api, Constraints, ModelKind, Presence, Ty};

/// One call of `crate::runtime::validate::<function>(at, name, value, args...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    /// The function of `runtime::validate`.
    pub function: &'static str,
    /// The value argument: an `Option<_>` expression.
    pub value: String,
    /// The remaining arguments (may be empty).
    pub args: String,
}

/// The checks of the value at `place` (e.g. `self.name`).
pub(crate) fn checks(
    place: &str,
    ty: &Ty,
    indirect: bool,
    c: &Constraints,
    presence: Presence,
    api: &Api,
) -> Vec<Check> {
    let opt = |v: Option<u64>| v.map_or("None".to_string(), |v| format!("Some({v})"));
    let optf = |v: Option<f64>| v.map_or("None".to_string(), |v| format!("Some({v:?})"));
    // The `Option<_>` argument for each way the value can be held.
    let value = |required: String, optional: String, tristate: String| match presence {
        Presence::Required => required,
        Presence::Optional => optional,
        Presence::TriState => tristate,
    };
    let check = |function: &'static str, value: String, args: String| Check { function, value, args };
    let mut out = Vec::new();
    match ty {
        Ty::String if c.min_length.is_some() || c.max_length.is_some() => out.push(check(
            "length",
            value(
                format!("Some({place}.as_str())"),
                format!("{place}.as_deref()"),
                format!("{place}.as_value().map(String::as_str)"),
            ),
            format!("{}, {}", opt(c.min_length), opt(c.max_length)),
        )),
        Ty::Integer | Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
            let as_f64 = if *ty == Ty::Integer {
                value(
                    format!("Some({place} as f64)"),
                    format!("{place}.map(|v| v as f64)"),
                    format!("{place}.as_value().map(|v| *v as f64)"),
                )
            } else {
                value(format!("Some({place})"), place.to_string(), format!("{place}.as_value().copied()"))
            };
            let args =
                format!("{}, {}, {}, {}", optf(c.minimum), optf(c.maximum), c.exclusive_minimum, c.exclusive_maximum);
            out.push(check("range", as_f64, args));
        }
        _ => {}
    }
    if let Ty::List(item) = ty {
        if c.min_items.is_some() || c.max_items.is_some() {
            out.push(check(
                "items",
                value(
                    format!("Some({place}.len())"),
                    format!("{place}.as_ref().map(Vec::len)"),
                    format!("{place}.as_value().map(Vec::len)"),
                ),
                format!("{}, {}", opt(c.min_items), opt(c.max_items)),
            ));
        }
        if item.model().is_some_and(|m| validates(api, m)) {
            out.push(check(
                "each",
                value(
                    format!("Some({place}.as_slice())"),
                    format!("{place}.as_deref()"),
                    format!("{place}.as_value().map(Vec::as_slice)"),
                ),
                String::new(),
            ));
        }
    }
    if ty.model().is_some_and(|m| validates(api, m)) {
        let nested = if indirect {
            value(
                format!("Some(&*{place})"),
                format!("{place}.as_deref()"),
                format!("{place}.as_value().map(|v| &**v)"),
            )
        } else {
            value(format!("Some(&{place})"), format!("{place}.as_ref()"), format!("{place}.as_value()"))
        };
        out.push(check("nested", nested, String::new()));
    }
    out
}

/// Whether values of a model have anything to validate: structs and unions (whose
/// `validate` walks their content), not string enums.
fn validates(api: &Api, model: &str) -> bool {
    api.model(model).is_some_and(|m| !matches!(m.kind, ModelKind::StringEnum(_)))
}

/// Doc lines for a value's constraints, e.g. `Length: 1..=100 characters.`.
pub(crate) fn notes(ty: &Ty, c: &Constraints) -> Vec<String> {
    let bound = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => String::new(),
    };
    let count = |v: Option<u64>| v.map(|v| v.to_string());
    let mut out = Vec::new();
    match ty {
        Ty::String if c.min_length.is_some() || c.max_length.is_some() => {
            out.push(format!("Length: {} characters.", bound(count(c.min_length), count(c.max_length))));
        }
        Ty::Integer | Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
            let integer = *ty == Ty::Integer;
            let number = |v: Option<f64>| v.map(|v| if integer { format!("{}", v as i64) } else { v.to_string() });
            let exclusive = if c.exclusive_minimum || c.exclusive_maximum { " (exclusive bounds)" } else { "" };
            out.push(format!("Range: {}{exclusive}.", bound(number(c.minimum), number(c.maximum))));
        }
        _ => {}
    }
    if matches!(ty, Ty::List(_)) && (c.min_items.is_some() || c.max_items.is_some()) {
        out.push(format!("Items: {}.", bound(count(c.min_items), count(c.max_items))));
    }
    if let Some(pattern) = &c.pattern {
        out.push(format!("Pattern: `{}` (not checked by the client).", crate::docs::code(pattern)));
    }
    out
}
