//! Unit tests of `runtime/nullable.rs`.

use crate::runtime::nullable::Nullable;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    age: Nullable<u32>,
}

#[test]
fn serializes_the_three_wire_forms() {
    let patch = Patch { name: Nullable::Absent, age: Nullable::Null };
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"age":null}"#);

    let patch = Patch { name: "Ada".to_owned().into(), age: Nullable::Absent };
    assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"name":"Ada"}"#);

    let patch = Patch { name: Nullable::Absent, age: Nullable::Absent };
    assert_eq!(serde_json::to_string(&patch).unwrap(), "{}");
}

#[test]
fn deserializes_the_three_wire_forms() {
    let patch: Patch = serde_json::from_value(json!({"name": "Ada", "age": null})).unwrap();
    assert_eq!(patch.name, Nullable::Value("Ada".to_owned()));
    assert_eq!(patch.age, Nullable::Null);

    let patch: Patch = serde_json::from_value(json!({})).unwrap();
    assert!(patch.name.is_absent());
    assert!(patch.age.is_absent());

    let error = serde_json::from_value::<Patch>(json!({"age": "old"})).unwrap_err();
    assert!(error.to_string().contains("invalid type"), "{error}");
}

#[test]
fn conversions_and_accessors() {
    assert_eq!(Nullable::from(Some(3)), Nullable::Value(3));
    assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
    assert_eq!(Nullable::from(4), Nullable::Value(4));
    assert_eq!(Nullable::Value(5).as_value(), Some(&5));
    assert_eq!(Nullable::<i32>::Null.as_value(), None);
    assert!(Nullable::<i32>::Null.is_null());
    assert!(!Nullable::Value(1).is_null());
    assert_eq!(Nullable::Value(6).into_option(), Some(6));
    assert_eq!(Nullable::<i32>::Absent.into_option(), None);
    assert_eq!(Nullable::<i32>::default(), Nullable::Absent);
    // Serialized on its own (not skipped), Absent is written as null.
    assert_eq!(serde_json::to_string(&Nullable::<i32>::Absent).unwrap(), "null");
}
