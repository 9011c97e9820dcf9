//! Unit tests of `runtime/members.rs`: a struct decoded by `members::decode!` keeps the
//! members it does not declare, writes them back, and is charged as derived structs are.

use serde::Serialize;
use serde_json::json;

use crate::runtime::decode::{Failure, from_slice};
use crate::runtime::members;

#[derive(Debug, Clone, PartialEq, Serialize)]
struct Note {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(flatten)]
    extra: members::Extra,
}

members::decode! {
    Note, extra;
    required id = "id",
    optional text = "text",
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename = "note")]
struct Tagged {
    id: String,
    #[serde(flatten)]
    extra: members::Extra,
}

members::decode! {
    Tagged, extra, "type" = "note";
    required id = "id",
}

#[test]
fn undeclared_members_are_kept_and_written_back() {
    let text = r#"{"id":"n1","later":{"a":[1,2]},"text":null,"flag":true}"#;
    let note: Note = serde_json::from_str(text).unwrap();
    assert_eq!(note.text, None);
    assert_eq!(note.extra["later"], json!({"a": [1, 2]}));
    let written = serde_json::to_value(&note).unwrap();
    assert_eq!(written, json!({"id": "n1", "later": {"a": [1, 2]}, "flag": true}));
}

#[test]
fn declared_members_keep_serde_s_rules() {
    let missing = serde_json::from_str::<Note>(r#"{"text":"x"}"#).unwrap_err();
    assert!(missing.to_string().contains("missing field `id`"), "{missing}");
    let twice = serde_json::from_str::<Note>(r#"{"id":"a","id":"b"}"#).unwrap_err();
    assert!(twice.to_string().contains("duplicate field `id`"), "{twice}");
    let wrong = serde_json::from_str::<Note>(r#"{"id":1}"#).unwrap_err();
    assert!(wrong.to_string().contains("invalid type"), "{wrong}");
    assert!(serde_json::from_str::<Note>("[1]").is_err());
}

#[test]
fn a_tagged_struct_checks_its_tag() {
    let tagged: Tagged = serde_json::from_str(r#"{"type":"note","id":"t"}"#).unwrap();
    assert_eq!(serde_json::to_value(&tagged).unwrap(), json!({"type": "note", "id": "t"}));
    assert!(serde_json::from_str::<Tagged>(r#"{"type":"other","id":"t"}"#).is_err());
}

#[test]
fn undeclared_members_are_charged_to_the_budget() {
    // 20,000 tiny undeclared members: ~200 KB of JSON, far more decoded.
    let members: Vec<String> = (0..20_000).map(|i| format!("\"m{i}\":0")).collect();
    let body = format!("{{\"id\":\"n\",{}}}", members.join(","));
    assert!(from_slice::<Note>(body.as_bytes(), 64 * body.len(), false).is_ok());
    assert!(matches!(from_slice::<Note>(body.as_bytes(), body.len(), false), Err(Failure::OverBudget)));
}

/// A struct with free-form members, as the generator declares them.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Held {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "crate::Nullable::is_absent")]
    profile: crate::Nullable<serde_json::Map<String, serde_json::Value>>,
    #[serde(flatten)]
    extra: members::Extra,
}

members::decode! {
    Held, extra;
    required id = "id",
    free_optional metadata = "metadata",
    free_optional data = "data",
    free_nullable profile = "profile",
}

#[test]
fn a_free_form_member_that_cannot_be_held_is_kept_aside_and_written_back() {
    for (raw, reason) in [(r#"{"lang":"en","bad":"\ud800"}"#, "escape"), (r#"{"n":1e999}"#, "out of range")] {
        let text = format!(r#"{{"id":"m1","metadata":{raw},"later":1}}"#);
        // Decoded plainly and bounded alike.
        let plain: Held = serde_json::from_str(&text).unwrap();
        let bounded: Held = from_slice(text.as_bytes(), 1 << 20, false).unwrap();
        assert_eq!(plain, bounded);
        assert_eq!((plain.id.as_str(), &plain.metadata), ("m1", &None), "left unset");
        assert_eq!(plain.extra["later"], json!(1), "undeclared members as before");
        let [aside] = plain.extra.aside() else { panic!("{:?}", plain.extra) };
        assert_eq!(aside.name(), "metadata");
        assert_eq!(aside.raw(), raw);
        assert!(aside.error().contains(reason), "{}", aside.error());
        // Written back as it came (after the undeclared members), so nothing is lost.
        let written = serde_json::to_string(&plain).unwrap();
        assert_eq!(written, format!(r#"{{"id":"m1","later":1,"metadata":{}}}"#, aside.raw()));
        let again: Held = serde_json::from_str(&written).unwrap();
        assert_eq!(again, plain);
        // Taken out to set the member: written once.
        let mut changed = plain.clone();
        assert_eq!(changed.extra.take_aside("metadata").map(|a| a.name().to_owned()).as_deref(), Some("metadata"));
        changed.metadata = Some(serde_json::Map::new());
        assert_eq!(serde_json::to_string(&changed).unwrap(), r#"{"id":"m1","metadata":{},"later":1}"#);
    }
    // Any JSON value, and a nullable member, likewise.
    let held: Held = serde_json::from_str(r#"{"id":"m","data":1e999,"profile":{"x":"\udfff"}}"#).unwrap();
    assert_eq!((&held.data, &held.profile), (&None, &crate::Nullable::Absent));
    let names: Vec<&str> = held.extra.aside().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["data", "profile"]);
}

#[test]
fn free_form_members_keep_serde_s_rules_otherwise() {
    let held: Held = serde_json::from_str(r#"{"id":"m","metadata":{"a":[1]},"data":"x","profile":null}"#).unwrap();
    assert_eq!(held.metadata, Some(json!({"a": [1]}).as_object().unwrap().clone()));
    assert_eq!((held.data, held.profile), (Some(json!("x")), crate::Nullable::Null));
    assert!(held.extra.aside().is_empty() && held.extra.is_empty());
    let held: Held = serde_json::from_str(r#"{"id":"m","metadata":null}"#).unwrap();
    assert_eq!((held.metadata, held.profile), (None, crate::Nullable::Absent));
    // A value of the wrong kind is an error, as for any typed field.
    let wrong = serde_json::from_str::<Held>(r#"{"id":"m","metadata":"text"}"#).unwrap_err();
    assert!(wrong.to_string().contains("expected a JSON object"), "{wrong}");
    let twice = serde_json::from_str::<Held>(r#"{"id":"m","data":1,"data":2}"#).unwrap_err();
    assert!(twice.to_string().contains("duplicate field `data`"), "{twice}");
    // Strict mode (webhooks): a member repeated inside is kept aside too; lax mode keeps
    // the last value, as serde_json does.
    let repeated = br#"{"id":"m","metadata":{"k":1,"k":2}}"#;
    let strict: Held = from_slice(repeated, 1 << 20, true).unwrap();
    assert_eq!((strict.metadata, strict.extra.aside()[0].raw()), (None, r#"{"k":1,"k":2}"#));
    let lax: Held = from_slice(repeated, 1 << 20, false).unwrap();
    assert_eq!(lax.metadata.unwrap()["k"], 2);
    // Free-form members are charged to the budget as before.
    let members: Vec<String> = (0..20_000).map(|i| format!("\"m{i}\":0")).collect();
    let body = format!("{{\"id\":\"n\",\"metadata\":{{{}}}}}", members.join(","));
    assert!(from_slice::<Held>(body.as_bytes(), 64 * body.len(), false).is_ok());
    assert!(matches!(from_slice::<Held>(body.as_bytes(), body.len(), false), Err(Failure::OverBudget)));
}

/// Structs named like the items `members::decode!` used to introduce (its generic
/// parameters, its visitor, the runtime's types), with fields named like its locals.
mod hygiene {
    use serde::Serialize;

    use crate::runtime::members;

    macro_rules! named {
        ($($name:ident),*) => {$(
            #[derive(Debug, PartialEq, Serialize)]
            struct $name {
                map: ::core::option::Option<String>,
                key: ::core::option::Option<String>,
                deserializer: ::core::option::Option<u8>,
                #[serde(flatten)]
                extra: members::Extra,
            }
            members::decode! {
                $name, extra;
                optional map = "map",
                optional key = "key",
                optional deserializer = "deserializer",
            }
        )*};
    }

    named!(A, D, Members, Slot, Key, Extra, MembersVisitor, Result, Option, Ok, Some, Self_);

    #[test]
    fn the_macro_works_on_structs_named_like_its_own_items() {
        let text = r#"{"map":"m","key":"k","deserializer":1,"more":true}"#;
        let a: A = serde_json::from_str(text).unwrap();
        assert_eq!((a.map.as_deref(), a.key.as_deref(), a.deserializer), (Some("m"), Some("k"), Some(1)));
        assert_eq!(a.extra["more"], true);
        let d: D = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), text);
        let _: Members = serde_json::from_str(text).unwrap();
        let _: Slot = serde_json::from_str(text).unwrap();
        let _: Key = serde_json::from_str(text).unwrap();
        let _: Extra = serde_json::from_str(text).unwrap();
        let _: MembersVisitor = serde_json::from_str(text).unwrap();
        let _: Result = serde_json::from_str(text).unwrap();
        let _: Option = serde_json::from_str(text).unwrap();
        let _: Ok = serde_json::from_str(text).unwrap();
        let _: Some = serde_json::from_str(text).unwrap();
        let error = serde_json::from_str::<Members>("[]").unwrap_err();
        assert!(error.to_string().contains("struct Members"), "{error}");
    }
}

#[test]
fn object_makes_the_map_a_free_form_field_holds() {
    let key = "computed";
    let map: serde_json::Map<String, serde_json::Value> = crate::object!({"tier": "gold", "n": -1, key: [1, null]});
    assert_eq!(serde_json::Value::Object(map), serde_json::json!({"tier": "gold", "n": -1, "computed": [1, null]}));
    assert!(crate::object!({}).is_empty());
}
