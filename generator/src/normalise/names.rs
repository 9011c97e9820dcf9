//! Unique names within one namespace, deterministic, with a warning naming both places.

use std::collections::BTreeMap;

use crate::diagnostics::Reporter;

/// Hands out unique identifiers within one namespace.
#[derive(Debug, Default)]
pub(crate) struct Namer {
    taken: BTreeMap<String, String>,
}

impl Namer {
    /// A namer with names already taken by the generated code itself.
    pub(crate) fn with_reserved(reserved: &[&str]) -> Self {
        let mut namer = Self::default();
        for name in reserved {
            namer.taken.insert((*name).to_string(), "(generated code)".to_string());
        }
        namer
    }

    /// Claims `wanted` for the item at `pointer`; on a clash, appends a number (or
    /// `suffix` first, for reserved names) and warns with both pointers.
    pub(crate) fn claim(&mut self, wanted: &str, pointer: &str, report: &mut Reporter<'_>) -> String {
        if !self.taken.contains_key(wanted) {
            self.taken.insert(wanted.to_string(), pointer.to_string());
            return wanted.to_string();
        }
        let other = self.taken[wanted].clone();
        let mut n = 2;
        let name = loop {
            let candidate = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{wanted}_{n}")
            } else {
                format!("{wanted}{n}")
            };
            if !self.taken.contains_key(&candidate) {
                break candidate;
            }
            n += 1;
        };
        if !pointer.is_empty() {
            report.warn(
                pointer,
                format!("the Rust name `{wanted}` is already used by {other}; this one is named `{name}`"),
                Some("rename one of them (or add a `title`) to choose the names yourself"),
            );
        }
        self.taken.insert(name.clone(), pointer.to_string());
        name
    }

    /// Claims a name without reporting (for names the spec cannot influence).
    pub(crate) fn claim_quiet(&mut self, wanted: &str) -> String {
        let mut silent = Reporter::new("", "");
        self.claim(wanted, "", &mut silent)
    }
}
