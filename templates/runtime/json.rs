//! JSON helpers for generated untagged unions.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// `value` as a `T`, but only when `T` keeps all of it: deserialization must
/// succeed without ignoring any object member, at any depth (a member `T` does
/// not declare).
///
/// Generated untagged unions try their branches in order with this and fall back
/// to a catch-all variant holding the raw `Value`, so a branch that would ignore
/// fields never silently drops data. Fields the client reads but never sends
/// (`readOnly`) count as kept: the check looks at decoding only.
pub fn decode_exact<T: DeserializeOwned>(value: &Value) -> Option<T> {
    let mut ignored = false;
    let decoded = serde_ignored::deserialize(value, |_path| ignored = true).ok()?;
    (!ignored).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Text {
        #[serde(rename = "type")]
        kind: String,
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        markdown: Option<String>,
        #[serde(default, skip_serializing)]
        id: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Shape {
        width: f64,
        tags: Vec<String>,
        inner: Option<Box<Shape>>,
    }

    #[test]
    fn accepts_values_it_keeps_entirely() {
        let text: Text = decode_exact(&json!({"type": "text", "text": "hi"})).unwrap();
        assert_eq!(text.text, "hi");
        assert!(decode_exact::<Text>(&json!({"type": "text", "text": "hi", "markdown": null})).is_some());
        // A read-only member is decoded though never re-encoded: kept.
        let text: Text = decode_exact(&json!({"type": "text", "text": "hi", "id": "t1"})).unwrap();
        assert_eq!(text.id.as_deref(), Some("t1"));
        assert!(decode_exact::<f64>(&json!(1)).is_some());
        assert!(decode_exact::<Vec<String>>(&json!(["a"])).is_some());
    }

    #[test]
    fn rejects_ignored_members_at_any_depth() {
        assert!(decode_exact::<Text>(&json!({"type": "image", "text": "hi", "mediaUrl": "x"})).is_none());
        let nested = json!({"width": 1, "tags": [], "inner": {"width": 2, "tags": [], "extra": true}});
        assert!(decode_exact::<Shape>(&nested).is_none());
        let fine = json!({"width": 1, "tags": [], "inner": {"width": 2, "tags": []}});
        assert!(decode_exact::<Shape>(&fine).is_some());
    }

    #[test]
    fn rejects_values_that_do_not_deserialize() {
        assert!(decode_exact::<Text>(&json!({"type": "text"})).is_none());
        assert!(decode_exact::<Text>(&json!("text")).is_none());
        assert!(decode_exact::<u64>(&json!(1.5)).is_none());
    }

    #[test]
    fn untagged_union_picks_the_first_exact_branch() {
        #[derive(Debug)]
        enum Content {
            Text(Text),
            Other(Value),
        }
        fn pick(value: Value) -> Content {
            match decode_exact::<Text>(&value) {
                Some(text) => Content::Text(text),
                None => Content::Other(value),
            }
        }
        match pick(json!({"type": "text", "text": "a"})) {
            Content::Text(text) => assert_eq!(text.text, "a"),
            other => panic!("{other:?}"),
        }
        match pick(json!({"type": "text", "text": "a", "actions": []})) {
            Content::Other(value) => assert_eq!(value["actions"], json!([])),
            other => panic!("{other:?}"),
        }
    }
}
