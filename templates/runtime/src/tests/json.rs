//! Unit tests of `runtime/json.rs`.

use crate::runtime::json::*;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, PartialEq, Deserialize)]
struct Text {
    text: String,
}

#[test]
fn kinds_and_shapes_look_at_the_top_level_only() {
    assert!(Kind::Integer.matches(&json!(3)) && !Kind::Integer.matches(&json!(3.5)));
    assert!(Kind::Number.matches(&json!(3.5)) && Kind::Any.matches(&json!(null)));
    let members = [Member::new("text", Kind::String, false), Member::new("note", Kind::Object, true)];
    assert!(object_matches(&json!({"text": "a"}), &["text"], &members));
    assert!(object_matches(&json!({"text": "a", "note": null}), &["text"], &members));
    assert!(object_matches(&json!({"text": "a", "note": {"deep": [1, {"x": 2}]}}), &["text"], &members));
    assert!(!object_matches(&json!({"note": {}}), &["text"], &members), "required member missing");
    assert!(!object_matches(&json!({"text": "a", "extra": 1}), &["text"], &members), "unknown member");
    assert!(!object_matches(&json!({"text": 1}), &["text"], &members), "wrong kind");
    assert!(!object_matches(&json!("text"), &[], &members));
}

#[test]
fn a_branch_that_does_not_decode_is_kept_with_the_reason() {
    #[derive(Debug, PartialEq)]
    enum Union {
        Text(Text),
        Other(Unknown),
    }
    assert_eq!(branch(json!({"text": "hi"}), Union::Text, Union::Other), Union::Text(Text { text: "hi".into() }));
    let kept = branch(json!({"text": 5}), Union::Text, Union::Other);
    let Union::Other(unknown) = kept else { panic!("{kept:?}") };
    assert_eq!(unknown.value(), &json!({"text": 5}));
    assert!(unknown.error().unwrap().contains("invalid type"), "{unknown:?}");
    assert_eq!(serde_json::to_string(&unknown).unwrap(), r#"{"text":5}"#);
    assert_eq!(unknown, Unknown::new(json!({"text": 5})), "the error is not part of equality");
    assert!(format!("{unknown:?}").contains("error"));
}

#[test]
fn depth_is_bounded_and_released() {
    let mut guards = Vec::new();
    for _ in 0..MAX_UNION_DEPTH {
        guards.push(Depth::enter::<serde_json::Error>().unwrap());
    }
    let error = Depth::enter::<serde_json::Error>().map(|_| ()).unwrap_err();
    assert!(error.to_string().contains("nest more than"), "{error}");
    guards.clear();
    assert!(Depth::enter::<serde_json::Error>().is_ok(), "released on drop");
}
