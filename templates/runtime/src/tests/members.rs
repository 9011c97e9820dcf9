//! Unit tests of `runtime/members.rs`: a struct decoded by `members::decode!` keeps the
//! members it does not declare, writes them back, and is charged as derived structs are.

use serde::Serialize;
use serde_json::json;

use crate::runtime::decode::{Failure, from_slice};
use crate::runtime::members;

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Note {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(flatten)]
    extra: members::Extra,
}

members::decode! {
    Note, extra;
    required id = "id",
    optional text = "text",
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename = "note")]
struct Tagged {
    id: String,
    #[serde(flatten)]
    extra: members::Extra,
}

members::decode! {
    Tagged, extra, "type" = "note";
    required id = "id",
}

#[test]
fn undeclared_members_are_kept_and_written_back() {
    let text = r#"{"id":"n1","later":{"a":[1,2]},"text":null,"flag":true}"#;
    let note: Note = serde_json::from_str(text).unwrap();
    assert_eq!(note.text, None);
    assert_eq!(note.extra["later"], json!({"a": [1, 2]}));
    let written = serde_json::to_value(&note).unwrap();
    assert_eq!(written, json!({"id": "n1", "later": {"a": [1, 2]}, "flag": true}));
}

#[test]
fn declared_members_keep_serde_s_rules() {
    let missing = serde_json::from_str::<Note>(r#"{"text":"x"}"#).unwrap_err();
    assert!(missing.to_string().contains("missing field `id`"), "{missing}");
    let twice = serde_json::from_str::<Note>(r#"{"id":"a","id":"b"}"#).unwrap_err();
    assert!(twice.to_string().contains("duplicate field `id`"), "{twice}");
    let wrong = serde_json::from_str::<Note>(r#"{"id":1}"#).unwrap_err();
    assert!(wrong.to_string().contains("invalid type"), "{wrong}");
    assert!(serde_json::from_str::<Note>("[1]").is_err());
}

#[test]
fn a_tagged_struct_checks_its_tag() {
    let tagged: Tagged = serde_json::from_str(r#"{"type":"note","id":"t"}"#).unwrap();
    assert_eq!(serde_json::to_value(&tagged).unwrap(), json!({"type": "note", "id": "t"}));
    assert!(serde_json::from_str::<Tagged>(r#"{"type":"other","id":"t"}"#).is_err());
}

#[test]
fn undeclared_members_are_charged_to_the_budget() {
    // 20,000 tiny undeclared members: ~200 KB of JSON, far more decoded.
    let members: Vec<String> = (0..20_000).map(|i| format!("\"m{i}\":0")).collect();
    let body = format!("{{\"id\":\"n\",{}}}", members.join(","));
    assert!(from_slice::<Note>(body.as_bytes(), 64 * body.len(), false).is_ok());
    assert!(matches!(from_slice::<Note>(body.as_bytes(), body.len(), false), Err(Failure::OverBudget)));
}
