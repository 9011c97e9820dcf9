//! The deep-union-chain fixture: 30 nested untagged unions decode with one pass per
//! level (linear in the input), and the crate builds and documents although its types
//! hold one another 60 deep (it raises the compiler's recursion limit). Copied into the
//! fixture's crate by `cargo xtask test`.

use std::time::{Duration, Instant};

use fixture_deep_union_chain::models::Level0;

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

