//! Integration tests of the generated client for `spec/` (the `sunshine-conversations`
//! crate in `generated/`): wire behaviour, faults, TLS, pagination, webhooks, the test
//! doubles and the Prism contract. Run by `cargo xtask test` like every other test of
//! the workspace.
//!
//! This library holds what several test files share.

pub mod fault_server;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
