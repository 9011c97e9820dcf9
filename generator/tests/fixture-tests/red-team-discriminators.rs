//! The red-team-discriminators fixture on the wire: a mapping by schema name dispatches
//! like a mapping by reference, and an integer discriminator stays an integer. Copied
//! into the fixture's crate by `cargo xtask test`.

use fixture_red_team_discriminators::models::{Cat, Circle, Pet, Shape};
use serde_json::json;

#[test]
fn a_mapping_by_schema_name_sends_and_reads_the_mapped_value() {
    let sent = serde_json::to_value(Pet::from(Cat::new(9))).unwrap();
    assert_eq!(sent, json!({"petType": "cat", "lives": 9}));
    let read: Pet = serde_json::from_value(json!({"petType": "cat", "lives": 7})).unwrap();
    assert_eq!(read, Pet::from(Cat::new(7)));
    let puppy: Pet = serde_json::from_value(json!({"petType": "puppy"})).unwrap();
    assert!(matches!(puppy, Pet::Dog(_)), "{puppy:?}");
    // A value whose mapping names no branch is kept whole.
    let bird: Pet = serde_json::from_value(json!({"petType": "bird"})).unwrap();
    assert!(matches!(bird, Pet::Other(_)), "{bird:?}");
}

#[test]
fn an_integer_discriminator_stays_an_integer() {
    let read: Shape = serde_json::from_value(json!({"kind": 1, "radius": 2.0})).unwrap();
    let Shape::Circle(circle) = &read else { panic!("expected a circle: {read:?}") };
    assert_eq!(circle.kind, 1);
    assert_eq!(serde_json::to_value(&read).unwrap(), json!({"kind": 1, "radius": 2.0}));
    let sent = serde_json::to_value(Shape::from(Circle::new(1, 3.0))).unwrap();
    assert_eq!(sent, json!({"kind": 1, "radius": 3.0}));
}
