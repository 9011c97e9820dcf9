//! Unit tests of `runtime/validate.rs`.

use crate::runtime::error::ValidationError;
use crate::runtime::nullable::Nullable;
use crate::runtime::validate::*;

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
