//! The hostile-silent-changes fixture on the wire: no tag, field or cursor is lost
//! or swapped. Copied into the fixture's crate by `cargo xtask test`.

use fixture_hostile_silent_changes::models::{Circle, Item, Page, Shape, Square};
use serde_json::json;

#[test]
fn a_tag_the_branch_does_not_declare_is_still_sent_and_read() {
    let shape = Shape::from(Circle::new(2.0));
    let sent = serde_json::to_value(&shape).unwrap();
    assert_eq!(sent, json!({"kind": "circle", "radius": 2.0}));
    assert_eq!(serde_json::from_value::<Shape>(sent).unwrap(), shape);
    let square: Shape = serde_json::from_value(json!({"side": 3.0, "kind": "square"})).unwrap();
    assert_eq!(square, Shape::from(Square::new(3.0)));
    // A known tag whose body does not decode is kept, with the reason.
    let broken: Shape = serde_json::from_value(json!({"kind": "circle", "radius": "big"})).unwrap();
    let Shape::Other(unknown) = broken else { panic!("expected the catch-all") };
    assert!(unknown.error().is_some_and(|e| e.contains("invalid type")), "{unknown:?}");
    assert_eq!(serde_json::to_value(&unknown).unwrap(), json!({"kind": "circle", "radius": "big"}));
}

#[test]
fn setters_set_the_field_they_are_named_after() {
    let item = Item::new().with_new("w").with_new2("n");
    assert_eq!(item.with_new.as_deref(), Some("w"));
    assert_eq!(item.new.as_deref(), Some("n"));
    assert_eq!(serde_json::to_value(&item).unwrap(), json!({"new": "n", "with_new": "w"}));
}

#[test]
fn the_cursor_member_is_the_one_the_server_reads() {
    // `AFTER` is declared first and takes the Rust name `after`; the pagination code
    // sets the member whose wire name is `after`.
    let page = Page::new().after2("cursor-1");
    assert_eq!(serde_json::to_value(&page).unwrap(), json!({"after": "cursor-1"}));
}
