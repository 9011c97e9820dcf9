//! JSON helpers for generated untagged unions.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `value` as a `T`, but only when `T` keeps all of it.
///
/// Deserializes, re-serializes, and accepts the result only if it equals
/// `value`, ignoring null-valued object members on both sides (at any
/// depth) and comparing numbers by value (`1` equals `1.0`). Generated
/// untagged unions try their branches with this and fall back to a
/// catch-all variant holding the raw `Value`, so no data is dropped silently
/// by a branch that ignores unknown fields.
pub fn decode_lossless<T: DeserializeOwned + Serialize>(value: &Value) -> Option<T> {
    let decoded: T = serde_json::from_value(value.clone()).ok()?;
    let reencoded = serde_json::to_value(&decoded).ok()?;
    same_data(value, &reencoded).then_some(decoded)
}

/// Equality up to null object members and number representation.
fn same_data(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let covered = |x: &serde_json::Map<String, Value>,
                           y: &serde_json::Map<String, Value>| {
                x.iter().all(|(key, value)| match (value, y.get(key)) {
                    (Value::Null, None | Some(Value::Null)) => true,
                    (value, Some(other)) => same_data(value, other),
                    (_, None) => false,
                })
            };
            covered(a, b) && covered(b, a)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_data(a, b))
        }
        (Value::Number(a), Value::Number(b)) => {
            a == b
                || match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                    (Some(x), Some(y), _, _) => x == y,
                    (_, _, Some(x), Some(y)) => x == y,
                    // Only a float on one side (or both) can still be equal.
                    _ => (a.is_f64() || b.is_f64()) && a.as_f64() == b.as_f64(),
                }
        }
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Text {
        #[serde(rename = "type")]
        kind: String,
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        markdown: Option<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Shape {
        width: f64,
        tags: Vec<String>,
        note: Option<String>,
    }

    #[test]
    fn accepts_exact_round_trips() {
        let value = json!({"type": "text", "text": "hi"});
        let text: Text = decode_lossless(&value).unwrap();
        assert_eq!(text.text, "hi");
        let value = json!({"type": "text", "text": "hi", "markdown": "*hi*"});
        assert!(decode_lossless::<Text>(&value).is_some());
    }

    #[test]
    fn rejects_dropped_members() {
        let value = json!({"type": "image", "text": "hi", "mediaUrl": "https://x"});
        assert!(decode_lossless::<Text>(&value).is_none());
    }

    #[test]
    fn rejects_values_that_do_not_deserialize() {
        assert!(decode_lossless::<Text>(&json!({"type": "text"})).is_none());
        assert!(decode_lossless::<Text>(&json!("text")).is_none());
    }

    #[test]
    fn ignores_null_members_on_both_sides() {
        // Input null for an absent Option that is skipped on output.
        let value = json!({"type": "text", "text": "hi", "markdown": null});
        assert!(decode_lossless::<Text>(&value).is_some());
        // Output null for an Option the input left out; nested in arrays too.
        let value = json!({"width": 2, "tags": []});
        assert!(decode_lossless::<Shape>(&value).is_some());
        let value = json!([{"width": 2.5, "tags": ["a"], "note": null}]);
        assert!(decode_lossless::<Vec<Shape>>(&value).is_some());
        // But an unknown member with a null value is still only a null.
        let value = json!({"width": 2, "tags": [], "extra": null});
        assert!(decode_lossless::<Shape>(&value).is_some());
    }

    #[test]
    fn nulls_inside_arrays_count() {
        let value = json!({"width": 2, "tags": [null]});
        assert!(decode_lossless::<Shape>(&value).is_none());
        assert!(decode_lossless::<Vec<Option<u8>>>(&json!([1, null])).is_some());
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(decode_lossless::<f64>(&json!(1)).is_some());
        assert!(decode_lossless::<u8>(&json!(1)).is_some());
        assert!(decode_lossless::<i64>(&json!(-7)).is_some());
        assert!(decode_lossless::<u64>(&json!(1.5)).is_none());
        assert!(same_data(&json!(3), &json!(3.0)));
        assert!(!same_data(&json!(3), &json!(3.5)));
        assert!(!same_data(&json!(u64::MAX), &json!(-1)));
    }

    #[test]
    fn untagged_union_picks_the_lossless_branch() {
        #[derive(Debug)]
        enum Content {
            Text(Text),
            Other(Value),
        }
        fn pick(value: Value) -> Content {
            match decode_lossless::<Text>(&value) {
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
