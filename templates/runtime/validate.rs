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

#[cfg(test)]
mod tests {
    use super::*;

    struct Participant {
        user_id: String,
    }

    impl Validate for Participant {
        fn validate(&self, at: &str) -> Result<(), ValidationError> {
            length(at, "userId", Some(&self.user_id), Some(1), Some(5))
        }
    }

    struct Body {
        participants: Vec<Participant>,
        owner: Option<Participant>,
    }

    impl Validate for Body {
        fn validate(&self, at: &str) -> Result<(), ValidationError> {
            items(at, "participants", Some(self.participants.len()), Some(1), Some(2))?;
            each(at, "participants", Some(&self.participants))?;
            nested(at, "owner", self.owner.as_ref())
        }
    }

    fn err(path: &str, rule: &str) -> Result<(), ValidationError> {
        Err(ValidationError::new(path, rule))
    }

    #[test]
    fn length_counts_characters() {
        assert_eq!(length("", "name", Some("héé"), Some(1), Some(3)), Ok(()));
        assert_eq!(length("", "name", Some("héllo"), None, Some(3)), err("name", "maxLength 3, got 5 characters"));
        assert_eq!(length("body", "name", Some(""), Some(1), None), err("body.name", "minLength 1, got 0 characters"));
        assert_eq!(length("body", "name", Some("a"), Some(2), None), err("body.name", "minLength 2, got 1 character"));
        assert_eq!(length("body", "name", None, Some(1), Some(1)), Ok(()));
    }

    #[test]
    fn items_bounds() {
        assert_eq!(items("", "tags", Some(2), Some(1), Some(2)), Ok(()));
        assert_eq!(items("", "tags", None, Some(1), None), Ok(()));
        assert_eq!(items("", "tags", Some(0), Some(1), None), err("tags", "minItems 1, got 0 items"));
        assert_eq!(items("b", "tags", Some(3), None, Some(2)), err("b.tags", "maxItems 2, got 3 items"));
    }

    #[test]
    fn range_bounds() {
        let check = |value, exclusive_min, exclusive_max| {
            range("page", "size", Some(value), Some(1.0), Some(100.0), exclusive_min, exclusive_max)
        };
        assert_eq!(check(1.0, false, false), Ok(()));
        assert_eq!(check(100.0, false, false), Ok(()));
        assert_eq!(check(101.0, false, false), err("page.size", "maximum 100, got 101"));
        assert_eq!(check(0.5, false, false), err("page.size", "minimum 1, got 0.5"));
        assert_eq!(check(1.0, true, false), err("page.size", "exclusiveMinimum 1, got 1"));
        assert_eq!(check(100.0, false, true), err("page.size", "exclusiveMaximum 100, got 100"));
        assert_eq!(check(f64::NAN, false, false), err("page.size", "minimum 1, got NaN"));
        assert_eq!(range("", "n", None, Some(1.0), None, false, false), Ok(()));
        assert_eq!(range("", "n", Some(-3.0), None, None, true, true), Ok(()));
    }

    #[test]
    fn nested_paths() {
        let body = Body {
            participants: vec![Participant { user_id: "ok".into() }, Participant { user_id: "too long".into() }],
            owner: None,
        };
        assert_eq!(body.validate("body"), err("body.participants[1].userId", "maxLength 5, got 8 characters"));

        let body = Body {
            participants: vec![Participant { user_id: "ok".into() }],
            owner: Some(Participant { user_id: String::new() }),
        };
        assert_eq!(body.validate(""), err("owner.userId", "minLength 1, got 0 characters"));

        let body = Body { participants: vec![], owner: None };
        assert_eq!(body.validate(""), err("participants", "minItems 1, got 0 items"));
    }

    #[test]
    fn container_impls() {
        let bad = || Participant { user_id: String::new() };
        assert!(Some(bad()).validate("x").is_err());
        assert!(None::<Participant>.validate("x").is_ok());
        assert!(Nullable::Value(bad()).validate("x").is_err());
        assert!(Nullable::<Participant>::Null.validate("x").is_ok());
        assert_eq!(Box::new(vec![bad()]).validate("list"), err("list[0].userId", "minLength 1, got 0 characters"));
        assert!(nested::<Participant>("a", "b", None).is_ok());
        assert!(each::<Participant>("a", "b", None).is_ok());
        assert_eq!(nested("a", "b", Some(&bad())), err("a.b.userId", "minLength 1, got 0 characters"));
    }
}
