//! The runtime of every generated client, compiled and tested here once.
//!
//! `src/runtime/` is what the generator copies, byte for byte, into the `src/runtime/`
//! of each generated crate (whose `lib.rs` declares `mod runtime;` and re-exports its
//! public items, as this file does). This file and `src/tests/` (the unit tests) are
//! never copied.

// Items that only generated code calls (operations, models, the `testing` markers) have
// no caller in this crate; generated crates, where they do, are linted for dead code.
#![allow(dead_code, reason = "callers are generated code, absent from this crate")]

mod runtime;

pub use runtime::*;
pub use serde_json;

/// The error body of `Error` by default (a generated crate sets the API's own).
pub type ErrorBody = serde_json::Value;

#[cfg(test)]
mod tests;
