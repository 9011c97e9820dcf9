//! Unit tests of `runtime/webhooks.rs`.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use serde::Deserialize;
use serde_json::Value;

use crate::runtime::json::{self, Union, Unknown};
use crate::runtime::webhooks::*;

const HEADER: &str = "x-api-key";

fn new(secret: &str) -> Result<Verifier, EmptySecret> {
    Verifier::for_header(HEADER, secret)
}

fn headers(keys: &[&str]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for key in keys {
        headers.append(HEADER, HeaderValue::from_str(key).unwrap());
    }
    headers
}

#[test]
fn keys_are_compared_in_constant_time_by_subtle() {
    assert!(keys_match(b"s3cret", b"s3cret"));
    assert!(!keys_match(b"s3cret", b"s3creT"));
    assert!(!keys_match(b"s3cret", b"s3cre"));
    assert!(!keys_match(b"s3cret", b""));
    assert!(!keys_match(b"", b""), "an empty key never matches");
}

#[test]
fn an_empty_secret_is_refused_when_the_verifier_is_built() {
    assert_eq!(new("").unwrap_err(), EmptySecret);
    assert_eq!(new("k").unwrap().also_accept("").unwrap_err(), EmptySecret);
}

#[test]
fn verifies_bounds_and_decodes() {
    let verifier = new("s3cret").unwrap().max_body_bytes(1024);
    let body = br#"{"events":[{"id":"e1"}]}"#;
    let payload: Value = verifier.parse(&headers(&["s3cret"]), body).unwrap();
    assert_eq!(payload["events"][0]["id"], "e1");
    assert_eq!(verifier.parse::<Value>(&headers(&[]), body).unwrap_err(), WebhookError::MissingKey);
    assert_eq!(verifier.parse::<Value>(&headers(&["guess"]), body).unwrap_err(), WebhookError::WrongKey);
    assert_eq!(verifier.parse::<Value>(&headers(&[""]), body).unwrap_err(), WebhookError::WrongKey);
    let big = vec![b' '; 1025];
    assert_eq!(
        verifier.parse::<Value>(&headers(&["s3cret"]), &big).unwrap_err(),
        WebhookError::TooLarge { limit: 1024 }
    );
    for (status, error) in [
        (401, WebhookError::WrongKey),
        (401, WebhookError::SeveralKeys),
        (413, WebhookError::TooLarge { limit: 1 }),
        (408, WebhookError::Timeout { after: Duration::from_secs(1) }),
    ] {
        assert_eq!(error.status(), status);
    }
}

#[test]
fn more_than_one_key_header_is_refused_whatever_the_order() {
    let verifier = new("right").unwrap();
    for keys in [["right", "wrong"], ["wrong", "right"], ["right", "right"]] {
        assert_eq!(verifier.verify(&headers(&keys)).unwrap_err(), WebhookError::SeveralKeys, "{keys:?}");
    }
}

#[test]
fn several_secrets_are_accepted_while_rotating() {
    let verifier = new("new-secret").unwrap().also_accept("old-secret").unwrap();
    assert!(verifier.verify(&headers(&["new-secret"])).is_ok());
    assert!(verifier.verify(&headers(&["old-secret"])).is_ok());
    assert_eq!(verifier.verify(&headers(&["other"])).unwrap_err(), WebhookError::WrongKey);
}

#[test]
fn malformed_payloads_name_the_place() {
    #[derive(Debug, serde::Deserialize)]
    struct Payload {
        events: Vec<Event>,
    }
    #[derive(Debug, serde::Deserialize)]
    struct Event {
        id: String,
    }
    let verifier = new("k").unwrap();
    let error = verifier.parse::<Payload>(&headers(&["k"]), br#"{"events":[{"id":"a"},{"id":7}]}"#).unwrap_err();
    let WebhookError::Malformed { path, .. } = &error else { panic!("{error:?}") };
    assert_eq!(path, "events[1].id");
    assert_eq!(error.status(), 400);
    let error = verifier.parse::<Payload>(&headers(&["k"]), b"{not json").unwrap_err();
    assert!(matches!(error, WebhookError::Malformed { .. }), "{error:?}");
    let error = verifier.parse::<Payload>(&headers(&["k"]), br#"{"events":[]} trailing"#).unwrap_err();
    assert!(matches!(error, WebhookError::Malformed { .. }), "{error:?}");
}

/// A union of events as generated code would decode it: `{"type": "a", ...}` is `A`,
/// anything else is kept.
#[derive(Debug, PartialEq)]
enum Event {
    A(Value),
    Other(Unknown),
}

impl Union for Event {
    fn from_json(value: Value) -> Self {
        if value.get("type").and_then(Value::as_str) == Some("a") {
            Event::A(value)
        } else {
            Event::Other(Unknown::new(value))
        }
    }

    fn other(unknown: Unknown) -> Self {
        Event::Other(unknown)
    }
}

#[derive(Debug, Deserialize)]
struct Delivery {
    #[serde(deserialize_with = "json::each_on_its_own")]
    events: Vec<Event>,
}

#[test]
fn each_event_decodes_on_its_own() {
    let verifier = new("k").unwrap();
    let body =
        br#"{"events":[{"type":"a","n":1},{"type":"a","text":"\ud800"},{"type":"a","n":1e999},{"type":"a","n":2}]}"#;
    let delivery: Delivery = verifier.parse(&headers(&["k"]), body).unwrap();
    let [first, surrogate, huge, last] = delivery.events.as_slice() else { panic!("{:?}", delivery.events) };
    assert_eq!(first, &Event::A(serde_json::json!({"type": "a", "n": 1})));
    assert_eq!(last, &Event::A(serde_json::json!({"type": "a", "n": 2})));
    for (event, text) in [(surrogate, r#"{"type":"a","text":"\ud800"}"#), (huge, r#"{"type":"a","n":1e999}"#)] {
        let Event::Other(unknown) = event else { panic!("{event:?}") };
        assert_eq!(unknown.raw(), Some(text), "the text as received");
        assert!(unknown.error().is_some());
        assert_eq!(serde_json::to_string(unknown).unwrap(), text, "sent back as received");
    }
}

/// A caller's own type holding a delivery in an internally tagged enum: serde buffers
/// the value, so the elements arrive as values rather than as JSON text.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind")]
enum Envelope {
    #[serde(rename = "delivery")]
    Delivery(Delivery),
}

#[test]
fn arrays_of_unions_decode_through_any_deserializer() {
    let text = r#"{"kind":"delivery","events":[{"type":"a","n":1},{"type":"b"},2,"x",null,[true]]}"#;
    let Envelope::Delivery(buffered) = serde_json::from_str(text).unwrap();
    let value: Value = serde_json::from_str(text).unwrap();
    let Envelope::Delivery(from_value) = serde_json::from_value(value).unwrap();
    for delivery in [buffered, from_value] {
        assert_eq!(delivery.events.len(), 6);
        assert_eq!(delivery.events[0], Event::A(serde_json::json!({"type": "a", "n": 1})));
        let Event::Other(unknown) = &delivery.events[5] else { panic!("{:?}", delivery.events) };
        assert_eq!(unknown.value(), &serde_json::json!([true]));
    }
}

/// A branch holding an array of unions, as generated message contents do (a text
/// message with its actions).
#[derive(Debug, Deserialize)]
struct Card {
    #[serde(deserialize_with = "json::each_on_its_own")]
    actions: Vec<Event>,
}

/// A union whose branch decodes from the value the union read, as generated unions do.
#[derive(Debug)]
enum Content {
    Card(Card),
    Other(Unknown),
}

impl Union for Content {
    fn from_json(value: Value) -> Self {
        if value.get("type").and_then(Value::as_str) == Some("card") {
            json::branch(value, Content::Card, Content::Other)
        } else {
            Content::Other(Unknown::new(value))
        }
    }

    fn other(unknown: Unknown) -> Self {
        Content::Other(unknown)
    }
}

#[derive(Debug, Deserialize)]
struct Contents {
    #[serde(deserialize_with = "json::each_on_its_own")]
    contents: Vec<Content>,
}

#[test]
fn arrays_of_unions_inside_a_branch_decode_and_text_stays_text_after() {
    let verifier = new("k").unwrap();
    let unreadable = r#"{"type":"card","actions":[{"type":"a","text":"\ud800"}]}"#;
    let body = format!(
        r#"{{"contents":[{{"type":"card","actions":[{{"type":"a","n":1}},{{"type":"b"}}]}},{unreadable},{{"type":"card","actions":[]}}]}}"#
    );
    // Twice on one thread: after a branch decoded from a value, the next delivery's
    // elements are read as text again, so an unreadable one is still kept aside alone.
    for _ in 0..2 {
        let decoded: Contents = verifier.parse(&headers(&["k"]), body.as_bytes()).unwrap();
        let [Content::Card(first), Content::Other(second), Content::Card(third)] = decoded.contents.as_slice() else {
            panic!("{:?}", decoded.contents)
        };
        assert_eq!(first.actions[0], Event::A(serde_json::json!({"type": "a", "n": 1})));
        assert!(
            matches!(&first.actions[1], Event::Other(unknown) if unknown.value() == &serde_json::json!({"type": "b"}))
        );
        assert_eq!(second.raw(), Some(unreadable));
        assert!(third.actions.is_empty());
    }
}

#[test]
fn a_repeated_member_is_malformed_wherever_it_is() {
    let verifier = new("k").unwrap();
    // Inside an event: that event is kept aside, the others decode.
    let body = br#"{"events":[{"type":"a","type":"b"},{"type":"a"}]}"#;
    let delivery: Delivery = verifier.parse(&headers(&["k"]), body).unwrap();
    let Event::Other(unknown) = &delivery.events[0] else { panic!("{:?}", delivery.events) };
    assert!(unknown.error().unwrap().contains("`type` appears more than once"), "{unknown:?}");
    assert_eq!(delivery.events[1], Event::A(serde_json::json!({"type": "a"})));
    // In the envelope: the delivery is malformed.
    let error = verifier.parse::<Delivery>(&headers(&["k"]), br#"{"events":[],"events":[]}"#).unwrap_err();
    let WebhookError::Malformed { message, .. } = &error else { panic!("{error:?}") };
    assert!(message.contains("more than once"), "{message}");
    // A free-form object too.
    let error = verifier.parse::<Value>(&headers(&["k"]), br#"{"a":{"x":1,"x":2}}"#).unwrap_err();
    assert!(matches!(error, WebhookError::Malformed { .. }), "{error:?}");
}

#[test]
fn what_a_delivery_decodes_into_is_bounded() {
    // 1 KiB of tiny events: each would decode into far more than its 3 bytes.
    let limit = 1024;
    let mut body = String::from(r#"{"events":["#);
    while body.len() < limit - 8 {
        body.push_str("{},");
    }
    body.push_str("{}]}");
    let verifier = new("k").unwrap().max_body_bytes(limit);
    assert_eq!(
        verifier.parse::<Delivery>(&headers(&["k"]), body.as_bytes()).unwrap_err(),
        WebhookError::TooLarge { limit }
    );
    let small = verifier.parse::<Delivery>(&headers(&["k"]), br#"{"events":[{},{}]}"#);
    assert_eq!(small.unwrap().events.len(), 2);
}

#[test]
fn never_shows_the_secret() {
    let verifier = new("top-secret-value").unwrap().also_accept("older-secret-value").unwrap();
    let shown = format!("{verifier:?}");
    assert!(!shown.contains("secret-value"), "{shown}");
    for error in [WebhookError::MissingKey, WebhookError::WrongKey, WebhookError::SeveralKeys] {
        assert!(!format!("{error} {error:?}").contains("secret-value"));
    }
}

/// The claim of an event that must be yours to handle.
#[track_caller]
fn claimed(outcome: ClaimOutcome) -> Claim {
    match outcome {
        ClaimOutcome::Claimed(claim) => claim,
        other => panic!("expected the claim, got {other:?}"),
    }
}

#[test]
fn the_deduplicator_remembers_handled_events_within_its_bounds() {
    let seen = Deduplicator::new(2);
    let claim = claimed(seen.claim("e1"));
    assert!(matches!(seen.claim("e1"), ClaimOutcome::BeingHandled), "being handled");
    drop(claim);
    assert!(!seen.is_done("e1"), "a claim dropped without done() is released");
    claimed(seen.claim("e1")).done();
    assert!(matches!(seen.claim("e1"), ClaimOutcome::HandledAlready) && seen.is_done("e1"), "handled");
    claimed(seen.claim("e2")).done();
    claimed(seen.claim("e3")).done();
    assert_eq!(seen.len(), 2, "at most the capacity");
    assert!(!seen.is_done("e1") && seen.is_done("e2") && seen.is_done("e3"), "the oldest is forgotten first");
    let shared = seen.clone();
    assert!(matches!(shared.claim("e3"), ClaimOutcome::HandledAlready), "clones share their memory");
    // Ids are told apart by a keyed hash of all of their bytes, not a prefix or a length.
    let long = "x".repeat(1 << 20);
    let longer = format!("{long}y");
    claimed(seen.claim(&long)).done();
    assert!(seen.is_done(&long) && !seen.is_done(&longer) && !seen.is_done(&long[1..]));
    assert!(matches!(seen.claim(&longer), ClaimOutcome::Claimed(_)));
}

#[test]
fn the_deduplicator_forgets_after_its_window() {
    let seen = Deduplicator::new(100).forget_after(Duration::from_millis(20));
    claimed(seen.claim("e1")).done();
    assert!(seen.is_done("e1"));
    std::thread::sleep(Duration::from_millis(40));
    assert!(!seen.is_done("e1"));
    assert!(seen.is_empty());
}

#[test]
fn deduplicators_do_not_share_memory_or_show_their_keys() {
    // The keys are drawn per deduplicator: what one remembers says nothing of another.
    let (a, b) = (Deduplicator::new(10), Deduplicator::new(10));
    claimed(a.claim("e1")).done();
    assert!(a.is_done("e1") && !b.is_done("e1"));
    assert!(format!("{a:?}").contains("RandomState { .. }"), "the keys are not shown");
}
