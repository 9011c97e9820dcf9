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

/// One object of `count` members `"m0":0, "m1":0, ...`, then `tail` (e.g. a repeat).
fn wide_object(count: usize, tail: &str) -> String {
    let members: Vec<String> = (0..count).map(|i| format!("\"m{i}\":0")).collect();
    format!("{{{}{tail}}}", members.join(","))
}

#[test]
fn strict_mode_checks_repeated_members_of_a_wide_object_in_constant_time_each() {
    // 50,000 members (about 540 KB): a linear scan per member compared 1.25 billion
    // names; a set looks each one up once. No time is asserted (the bench measures);
    // the check must stay exact: every name kept, a repeat anywhere refused.
    let count = 50_000;
    let wide = wide_object(count, "");
    let started = std::time::Instant::now();
    let decoded = from_slice::<Value>(wide.as_bytes(), 64 << 20, true).unwrap();
    eprintln!("strict decode of {count} members ({} bytes): {:?}", wide.len(), started.elapsed());
    assert_eq!(decoded.as_object().map(serde_json::Map::len), Some(count));
    for name in ["m0", "m49999", "m25000"] {
        let repeated = wide_object(count, &format!(",\"{name}\":1"));
        let Err(Failure::Malformed { error, .. }) = from_slice::<Value>(repeated.as_bytes(), 64 << 20, true) else {
            panic!("{name}: a repeated member must be refused")
        };
        assert!(error.to_string().contains(&format!("`{name}` appears more than once")), "{error}");
    }
    // A struct's own fields and the members it ignores are checked the same way; lax
    // mode keeps serde's rules (a repeated ignored member is fine).
    #[derive(Debug, Deserialize)]
    struct Known {
        #[allow(dead_code, reason = "only decoded")]
        a: u8,
    }
    let ignored = wide_object(count, ",\"m7\":0");
    let with_field = format!("{{\"a\":1,{}", &ignored[1..]);
    assert!(matches!(from_slice::<Known>(with_field.as_bytes(), 64 << 20, true), Err(Failure::Malformed { .. })));
    assert!(from_slice::<Known>(with_field.as_bytes(), 64 << 20, false).is_ok());
    let twice = format!("{{\"a\":1,{},\"a\":2}}", &wide[1..wide.len() - 1]);
    assert!(matches!(from_slice::<Known>(twice.as_bytes(), 64 << 20, true), Err(Failure::Malformed { .. })));
}
