//! The recursive-unions fixture decodes in time linear in its input and never
//! overflows: unions that contain each other only through unions were broken at
//! generation time; 30 nested untagged unions decode with one pass per level; and
//! nesting past the union depth bound is a decode error, not a crash. Copied into the
//! fixture's crate by `cargo xtask test`.

use std::time::{Duration, Instant};

use fixture_recursive_unions::models::{Level0, Node, Ping};

/// Generous: exponential decoding took seconds at 20 levels; linear takes microseconds.
const FAST: Duration = Duration::from_secs(1);

fn deep(levels: usize, bottom: &str) -> String {
    let mut json = bottom.to_string();
    for _ in 0..levels {
        json = format!(r#"{{"next":{json}}}"#);
    }
    json
}

#[test]
fn thirty_nested_untagged_unions_decode_in_one_pass() {
    let started = Instant::now();
    let value: Level0 = serde_json::from_str(&deep(30, "7")).unwrap();
    let took = started.elapsed();
    assert!(matches!(value, Level0::Deeper(_)), "{value:?}");
    // The same shape with a wrong value at the bottom: every level still picks its
    // branch once; the one that cannot hold the value keeps it, with the reason.
    let started = Instant::now();
    let kept: Level0 = serde_json::from_str(&deep(30, r#"{"odd": true}"#)).unwrap();
    let took_kept = started.elapsed();
    println!("30 levels: {took:?}; with a bad bottom: {took_kept:?}");
    assert!(took < FAST && took_kept < FAST, "{took:?} / {took_kept:?}");
    let text = format!("{kept:?}");
    assert!(text.contains("odd"), "the data is kept: {text}");
    assert_eq!(serde_json::to_value(&kept).unwrap(), serde_json::from_str::<serde_json::Value>(&deep(30, r#"{"odd": true}"#)).unwrap());
}

#[test]
fn unions_that_contain_each_other_decode_small_values() {
    for json in ["5", r#"{"p":"x"}"#, "[]", "null", r#""text""#] {
        let decoded: Ping = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&decoded).unwrap(), json.replace(' ', ""), "{json}");
    }
}

#[test]
fn recursion_through_objects_is_bounded_by_the_input() {
    // 100 levels of objects: within the parser's limit, decodes.
    let mut json = r#""leaf""#.to_string();
    for _ in 0..60 {
        json = format!(r#"{{"children":[{json}]}}"#);
    }
    let node: Node = serde_json::from_str(&json).unwrap();
    assert!(matches!(node, Node::Branch(_)));
    // Far deeper than any bound: an error, not a stack overflow.
    let mut json = r#""leaf""#.to_string();
    for _ in 0..5_000 {
        json = format!(r#"{{"children":[{json}]}}"#);
    }
    assert!(serde_json::from_str::<Node>(&json).is_err());
}
