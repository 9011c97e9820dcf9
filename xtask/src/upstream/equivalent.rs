//! When a re-encoded example is "equivalent" to the example in the spec.
//!
//! This file is compiled twice: into xtask (unit-tested there) and, verbatim, into the
//! generated `tests/spec_examples.rs` of each upstream crate. It needs `serde_json` only.
//!
//! `example` (the JSON in the spec) and `encoded` (what the generated Rust type
//! serialises after decoding it) are equivalent when, recursively:
//!
//! - **objects** have the same members, in any order, where
//!   - a member absent on one side counts as present with value `null`: the Rust side
//!     drops `None` optional fields (`"x": null` decodes to `None`, which is omitted),
//!     and a tri-state `Nullable` field sends `null` back;
//!   - a member of the example whose JSON pointer is in `read_only` may be absent from
//!     `encoded`: the schema marks that property `readOnly`, and the generated field is
//!     decoded but never sent (`#[serde(skip_serializing)]`). The caller computes
//!     these pointers from the schema, per example;
//!   - any other missing or extra member (including an undeclared one the type does
//!     not keep) is a difference;
//! - **arrays** have the same length and pairwise equivalent elements, in order;
//! - **numbers** are equal as numbers: integers exactly, anything else as `f64`, so
//!   `1` ≡ `1.0` (an example's `1` decoded into an `f64` field comes back as `1.0`);
//! - **strings, booleans and `null`** are equal.
//!
//! Besides, the generated test requires that no part of the example decoded into a
//! catch-all variant (`Other`: an unknown enum value or a union branch nobody
//! recognised), since that is not decoding into the generated type.

use serde_json::Value;

/// At most this many differences are reported per example.
const LIMIT: usize = 8;

/// `Ok` when `encoded` is equivalent to `example`, else every difference (up to a
/// limit), each located by a JSON pointer into the example.
pub fn check(example: &Value, encoded: &Value, read_only: &[&str]) -> Result<(), String> {
    let mut differences = Vec::new();
    compare(example, encoded, read_only, &mut String::new(), &mut differences);
    if differences.is_empty() {
        return Ok(());
    }
    let more = differences.len().saturating_sub(LIMIT);
    differences.truncate(LIMIT);
    if more > 0 {
        differences.push(format!("and {more} more"));
    }
    Err(differences.join("; "))
}

fn compare(example: &Value, encoded: &Value, read_only: &[&str], at: &mut String, out: &mut Vec<String>) {
    match (example, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(k.as_str())));
            for key in keys {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => compare(x, y, read_only, at, out),
                    (Some(x), None) if !x.is_null() && !read_only.contains(&at.as_str()) => {
                        out.push(format!("at {at}: member dropped by the Rust type"));
                    }
                    (None, Some(y)) if !y.is_null() => out.push(format!("at {at}: member added by the Rust type: {y}")),
                    _ => {}
                }
                at.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&index.to_string());
                compare(x, y, read_only, at, out);
                at.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            out.push(format!("at {}: {} elements became {}", pointer(at), a.len(), b.len()));
        }
        (Value::Number(x), Value::Number(y)) => {
            let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(i), Some(j), _, _) => i == j,
                (_, _, Some(i), Some(j)) => i == j,
                _ => x.as_f64() == y.as_f64(),
            };
            if !same {
                out.push(format!("at {}: {x} became {y}", pointer(at)));
            }
        }
        (x, y) if x == y => {}
        (x, y) => out.push(format!("at {}: {x} became {y}", pointer(at))),
    }
}

fn pointer(at: &str) -> &str {
    if at.is_empty() { "/" } else { at }
}
