//! Client-side validation calls (`runtime::validate`) and their doc notes, from a
//! value's type, constraints and how it is held.

use super::shapes::{Check, CheckArgs, OptionOf, Read};
use crate::ir::{Api, Constraints, Presence, Ty};

/// The checks of the value in the field `place` of `self` (sent as `wire`).
pub(crate) fn checks(
    place: &str,
    wire: &str,
    ty: &Ty,
    indirect: bool,
    c: &Constraints,
    presence: Presence,
    api: &Api,
) -> Vec<Check> {
    let check = |function: &'static str, read: Read, args: CheckArgs| Check {
        function,
        wire: wire.to_string(),
        value: OptionOf { place: place.to_string(), presence, read },
        args,
    };
    let mut out = Vec::new();
    match ty {
        Ty::String if c.min_length.is_some() || c.max_length.is_some() => {
            out.push(check("length", Read::Str, CheckArgs::Counts(c.min_length, c.max_length)))
        }
        Ty::Integer(int) => {
            // Only the bounds the Rust type does not hold by itself are checked.
            let (type_min, type_max) = int.range();
            let min = c.min_integer.filter(|min| *min > type_min);
            let max = c.max_integer.filter(|max| *max < type_max);
            if min.is_some() || max.is_some() {
                out.push(check("integer", Read::Int, CheckArgs::Integer(min, max)));
            }
        }
        Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
            let read = Read::Num;
            let args = CheckArgs::Range {
                min: c.minimum,
                max: c.maximum,
                exclusive_min: c.exclusive_minimum,
                exclusive_max: c.exclusive_maximum,
            };
            out.push(check("range", read, args));
        }
        _ => {}
    }
    if let Ty::List(item) = ty {
        if c.min_items.is_some() || c.max_items.is_some() {
            out.push(check("items", Read::Len, CheckArgs::Counts(c.min_items, c.max_items)));
        }
        if api.validates(item) {
            out.push(check("each", Read::Slice, CheckArgs::None));
        }
    }
    if api.validates(ty) {
        out.push(check("nested", if indirect { Read::Boxed } else { Read::Ref }, CheckArgs::None));
    }
    out
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
        Ty::Integer(_) if c.min_integer.is_some() || c.max_integer.is_some() => {
            let number = |v: Option<i128>| v.map(|v| v.to_string());
            out.push(format!("Range: {}.", bound(number(c.min_integer), number(c.max_integer))));
        }
        Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
            let number = |v: Option<f64>| v.map(|v| v.to_string());
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
