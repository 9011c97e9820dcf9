//! Client-side checks of the spec's constraints, run before a request is sent.
//!
//! Each check takes `at`, the path of the value holding the field (`""` at
//! the top level), and `field`, the field's wire name; errors name the full
//! path (`at.field`) and the rule with its limit and the actual value. A
//! `None` value is an absent field and always passes.

use super::error::ValidationError;
use super::nullable::Nullable;

/// A value that can check itself against the spec's constraints.
pub trait Validate {
    /// Checks `self`, whose path is `at` (`""` at the top level).
    fn validate(&self, at: &str) -> Result<(), ValidationError>;
}

/// `at.field`, or `field` when `at` is empty.
pub fn join(at: &str, field: &str) -> String {
    if at.is_empty() { field.to_owned() } else { format!("{at}.{field}") }
}

/// `minLength` / `maxLength`, counted in characters (Unicode scalar values).
pub fn length(
    at: &str,
    field: &str,
    value: Option<&str>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    let Some(value) = value else { return Ok(()) };
    let count = value.chars().count() as u64;
    if let Some(min) = min
        && count < min
    {
        return Err(ValidationError::new(
            join(at, field),
            format!("minLength {min}, got {count} {}", plural(count, "character")),
        ));
    }
    if let Some(max) = max
        && count > max
    {
        return Err(ValidationError::new(
            join(at, field),
            format!("maxLength {max}, got {count} {}", plural(count, "character")),
        ));
    }
    Ok(())
}

/// `minItems` / `maxItems`; `len` is the array's length.
pub fn items(
    at: &str,
    field: &str,
    len: Option<usize>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    let Some(len) = len else { return Ok(()) };
    let count = len as u64;
    if let Some(min) = min
        && count < min
    {
        return Err(ValidationError::new(
            join(at, field),
            format!("minItems {min}, got {count} {}", plural(count, "item")),
        ));
    }
    if let Some(max) = max
        && count > max
    {
        return Err(ValidationError::new(
            join(at, field),
            format!("maxItems {max}, got {count} {}", plural(count, "item")),
        ));
    }
    Ok(())
}

/// `minimum` / `maximum`, each optionally exclusive. NaN never passes a
/// bound.
pub fn range(
    at: &str,
    field: &str,
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    exclusive_min: bool,
    exclusive_max: bool,
) -> Result<(), ValidationError> {
    let Some(value) = value else { return Ok(()) };
    if let Some(min) = min {
        let ok = if exclusive_min { value > min } else { value >= min };
        if !ok {
            let rule = if exclusive_min { "exclusiveMinimum" } else { "minimum" };
            return Err(ValidationError::new(join(at, field), format!("{rule} {min}, got {value}")));
        }
    }
    if let Some(max) = max {
        let ok = if exclusive_max { value < max } else { value <= max };
        if !ok {
            let rule = if exclusive_max { "exclusiveMaximum" } else { "maximum" };
            return Err(ValidationError::new(join(at, field), format!("{rule} {max}, got {value}")));
        }
    }
    Ok(())
}

/// An integer's inclusive bounds, compared exactly (as `i128`, so a bound past 2^53
/// is not rounded as a float would be). Exclusive bounds arrive moved inward.
pub fn integer(
    at: &str,
    field: &str,
    value: Option<i128>,
    min: Option<i128>,
    max: Option<i128>,
) -> Result<(), ValidationError> {
    let Some(value) = value else { return Ok(()) };
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(ValidationError::new(join(at, field), format!("minimum {min}, got {value}")));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(ValidationError::new(join(at, field), format!("maximum {max}, got {value}")));
    }
    Ok(())
}

/// Validates a nested value at `at.field`.
pub fn nested<T: Validate + ?Sized>(at: &str, field: &str, value: Option<&T>) -> Result<(), ValidationError> {
    match value {
        Some(value) => value.validate(&join(at, field)),
        None => Ok(()),
    }
}

/// Validates each element at `at.field[i]`.
pub fn each<T: Validate>(at: &str, field: &str, values: Option<&[T]>) -> Result<(), ValidationError> {
    match values {
        Some(values) => values.validate(&join(at, field)),
        None => Ok(()),
    }
}

fn plural(count: u64, noun: &str) -> String {
    if count == 1 { noun.to_owned() } else { format!("{noun}s") }
}

impl<T: Validate> Validate for [T] {
    /// Each element at `at[i]`.
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        self.iter().enumerate().try_for_each(|(i, value)| value.validate(&format!("{at}[{i}]")))
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        self.as_slice().validate(at)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        (**self).validate(at)
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        (**self).validate(at)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(at))
    }
}

impl<T: Validate> Validate for Nullable<T> {
    fn validate(&self, at: &str) -> Result<(), ValidationError> {
        self.as_value().map_or(Ok(()), |value| value.validate(at))
    }
}
