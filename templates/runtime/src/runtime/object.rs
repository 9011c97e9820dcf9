//! [`object!`](crate::object): a free-form JSON object field's value, written as JSON.

/// A JSON object, written as `serde_json::json!` writes one, as the free-form object
/// fields of the models hold it (`metadata` and the like are
/// `serde_json::Map<String, serde_json::Value>`): `object!({"tier": "gold", "n": 1})`.
/// Only an object literal, in braces, is accepted: any other JSON does not compile, so
/// no value is ever turned into an empty map.
#[macro_export]
macro_rules! object {
    ({ $($members:tt)* }) => {
        match $crate::serde_json::json!({ $($members)* }) {
            $crate::serde_json::Value::Object(map) => map,
            _ => ::core::unreachable!("`json!` makes an object of braces"),
        }
    };
}
