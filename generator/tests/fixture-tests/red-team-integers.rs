//! The red-team-integers fixture: integer formats are their Rust types, bounds narrow
//! them, and checks compare integers exactly. Copied into the fixture's crate by
//! `cargo xtask test`.

use fixture_red_team_integers::models::Counters;
use serde_json::json;

#[test]
fn formats_and_bounds_give_the_rust_types() {
    let counters = Counters::new(u64::MAX)
        .tiny(-128_i8)
        .short(i16::MAX)
        .int(i32::MIN)
        .long(i64::MAX)
        .byte(u8::MAX)
        .word(u16::MAX)
        .dword(u32::MAX)
        .odd(-1_i64)
        .percent(100_u8)
        .signed(-5_i8)
        .exclusive(9_u8);
    let json = serde_json::to_value(&counters).unwrap();
    assert_eq!(json["big"], json!(18446744073709551615_u64));
    // A value past i64's range decodes (it was an i64 before, and failed).
    let back: Counters = serde_json::from_value(json).unwrap();
    assert_eq!(back.big, u64::MAX);
}

#[tokio::test]
async fn bounds_are_checked_exactly() {
    use fixture_red_team_integers::Client;
    let client = Client::builder("http://127.0.0.1:9").build().unwrap();
    let rejected = |body: Counters| {
        let client = client.clone();
        async move {
            match client.put_counters(body).send().await {
                Err(fixture_red_team_integers::Error::InvalidRequest(error)) => error.to_string(),
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
    };
    assert_eq!(rejected(Counters::new(1).percent(101)).await, "body.percent: maximum 100, got 101");
    assert_eq!(rejected(Counters::new(1).exclusive(0)).await, "body.exclusive: minimum 1, got 0");
    assert_eq!(rejected(Counters::new(1).exclusive(10)).await, "body.exclusive: maximum 9, got 10");
    // 2^53 + 1 is over a maximum of 2^53 (as floats, both are 2^53).
    assert_eq!(
        rejected(Counters::new(1).huge(9_007_199_254_740_993)).await,
        "body.huge: maximum 9007199254740992, got 9007199254740993"
    );
}
