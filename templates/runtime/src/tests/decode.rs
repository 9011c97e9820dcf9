//! Unit tests of `runtime/decode.rs`.

use serde::Deserialize;
use serde_json::Value;

use crate::runtime::decode::{Failure, charged, from_slice, from_slice_locating};

/// A type much larger than the JSON that makes it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Fat {
    padding: [u64; 32],
}

#[derive(Debug, Deserialize)]
struct Page {
    items: Vec<Fat>,
}

fn tiny_objects(count: usize) -> String {
    let mut body = String::from(r#"{"items":["#);
    for i in 0..count {
        body.push_str(if i == 0 { "{}" } else { ",{}" });
    }
    body.push_str("]}");
    body
}

#[test]
fn array_elements_are_charged_their_decoded_size() {
    let size = std::mem::size_of::<Fat>();
    assert_eq!(size, 256);
    // 100 elements take 25,600 bytes decoded: within 32 KiB, not within 16 KiB.
    let body = tiny_objects(100);
    assert_eq!(from_slice::<Page>(body.as_bytes(), 32 << 10, false).unwrap().items.len(), 100);
    assert!(matches!(from_slice::<Page>(body.as_bytes(), 16 << 10, false), Err(Failure::OverBudget)));
}

#[test]
fn free_form_json_is_charged_per_value() {
    // 2,000 numbers: 4 KB of text, 64 KB as `serde_json::Value`s.
    let body = format!("[{}]", vec!["0"; 2000].join(","));
    assert!(from_slice::<Value>(body.as_bytes(), 1 << 20, false).is_ok());
    assert!(matches!(from_slice::<Value>(body.as_bytes(), 32 << 10, false), Err(Failure::OverBudget)));
    let object = format!("{{{}}}", (0..2000).map(|i| format!("\"k{i}\":0")).collect::<Vec<_>>().join(","));
    assert!(matches!(from_slice::<Value>(object.as_bytes(), 32 << 10, false), Err(Failure::OverBudget)));
}

#[test]
fn values_decoded_in_two_steps_charge_the_same_budget() {
    #[derive(Debug)]
    struct TwoStep(Vec<Fat>);
    impl<'de> Deserialize<'de> for TwoStep {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let value = Value::deserialize(deserializer)?;
            charged::<Vec<Fat>, _>(&value).map(TwoStep).map_err(serde::de::Error::custom)
        }
    }
    let body = format!("[{}]", vec!["{}"; 100].join(","));
    // The `Value` step alone fits in 8 KiB; its 100 `Fat`s do not.
    assert!(from_slice::<Value>(body.as_bytes(), 8 << 10, false).is_ok());
    assert!(matches!(from_slice::<TwoStep>(body.as_bytes(), 8 << 10, false), Err(Failure::OverBudget)));
    assert_eq!(from_slice::<TwoStep>(body.as_bytes(), 64 << 10, false).unwrap().0.len(), 100);
    // Outside a bounded decode, nothing is charged.
    let value: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(charged::<Vec<Fat>, _>(&value).unwrap().len(), 100);
}

#[test]
fn strict_mode_refuses_repeated_members_and_lax_mode_keeps_serde_rules() {
    let text = br#"{"a":1,"a":2}"#;
    let Err(Failure::Malformed { error, .. }) = from_slice::<Value>(text, 1 << 20, true) else { panic!() };
    assert!(error.to_string().contains("`a` appears more than once"), "{error}");
    assert_eq!(from_slice::<Value>(text, 1 << 20, false).unwrap()["a"], 2);
    #[derive(Debug, Deserialize)]
    struct Known {
        a: u8,
    }
    assert!(matches!(from_slice::<Known>(br#"{"a":1,"b":0,"b":0}"#, 1 << 20, true), Err(Failure::Malformed { .. })));
    assert!(from_slice::<Known>(br#"{"a":1,"b":0,"b":0}"#, 1 << 20, false).is_ok());
}

#[test]
fn malformed_bodies_name_the_place_and_trailing_text_is_refused() {
    let body = br#"{"items":[{},{"padding":"x"}]}"#;
    let Err(Failure::Malformed { path, error: located }) = from_slice_locating::<Page>(body, 1 << 20, false) else {
        panic!()
    };
    assert_eq!(path.as_deref(), Some("items[1].padding"));
    // Without locating: the same error, no path (and no path tracked while decoding).
    let Err(Failure::Malformed { path, error }) = from_slice::<Page>(body, 1 << 20, false) else { panic!() };
    assert_eq!((path, error.to_string()), (None, located.to_string()));
    let Err(Failure::Malformed { path, .. }) = from_slice_locating::<Value>(b"{} x", 1 << 20, false) else { panic!() };
    assert_eq!(path.as_deref(), Some("."));
    assert!(matches!(from_slice::<Value>(b"{} x", 1 << 20, false), Err(Failure::Malformed { path: None, .. })));
    // Over the budget is not malformed, located or not.
    let page = tiny_objects(1000);
    assert!(matches!(from_slice_locating::<Page>(page.as_bytes(), 1 << 10, false), Err(Failure::OverBudget)));
}
