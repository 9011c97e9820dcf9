//! The recursive-unions fixture decodes without overflowing: unions that contain each
//! other only through unions were broken at generation time, and nesting past the
//! union depth bound is a decode error, not a crash. Copied into the fixture's crate by
//! `cargo xtask test`.

use fixture_recursive_unions::models::{Node, Ping};

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
