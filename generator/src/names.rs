//! Rust names from wire names: casing, keywords, invalid characters, file names, and
//! uniqueness within a namespace. Decided once, here.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};

use crate::diagnostics::Reporter;

/// Strict and reserved keywords (edition 2024), which cannot be raw identifiers either
/// where they matter (`self`, `Self`, `super`, `crate`), so every keyword gets a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// Splits camelCase humps before heck sees them and drops characters that cannot
/// appear in identifiers (they act as word separators).
fn words(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" plus ");
        } else {
            out.push(' ');
        }
    }
    out
}

fn fix_start(name: String, prefix: &str) -> String {
    match name.chars().next() {
        None => format!("{prefix}Empty").to_string(),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{name}"),
        Some(_) => name,
    }
}

fn unkeyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) { format!("{name}_") } else { name }
}

/// `Self` is the one keyword a PascalCase name can be; `Self_` would not be camel case.
fn unkeyword_pascal(name: String) -> String {
    if name == "Self" { "SelfValue".to_string() } else { unkeyword(name) }
}

/// A snake_case identifier (fields, methods, modules): `displayName` → `display_name`,
/// `type` → `type_`, `3ds` → `n3ds`.
pub(crate) fn snake(wire: &str) -> String {
    let name = words(wire).to_snake_case();
    let name = if name.is_empty() { "empty".to_string() } else { name };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) { format!("n{name}") } else { name };
    unkeyword(name)
}

/// A PascalCase identifier (types, variants): `conversationType` → `ConversationType`,
/// `zd:agentWorkspace` → `ZdAgentWorkspace`, `1on1` → `N1on1`.
pub(crate) fn pascal(wire: &str) -> String {
    let name = fix_start(words(wire).to_pascal_case(), "N");
    unkeyword_pascal(name)
}

/// The standard prelude (Rust 2024) and the derive macros it brings: names every
/// generated file may use unqualified. A type named like one would shadow it in the
/// module that defines it (and where it is imported), so types never take these names.
/// Everything else the generated code uses is written with its path (`crate::...`,
/// `serde::...`), so it cannot clash with a name a spec chooses.
pub(crate) const PRELUDE: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Checks a Cargo package name (it goes into `Cargo.toml` and becomes the library
/// name): what Cargo accepts for a new package.
pub(crate) fn check_package(name: &str) -> Result<(), String> {
    let shown = name.escape_debug();
    if name.is_empty() || name.len() > 64 {
        return Err(format!("the package name \"{shown}\" must have 1 to 64 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!("the package name \"{shown}\" must start with an ASCII letter"));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("the package name \"{shown}\" contains `{}`", bad.escape_debug()));
    }
    let lib = name.replace('-', "_");
    const CARGO_RESERVED: &[&str] =
        &["alloc", "build", "core", "deps", "examples", "incremental", "proc_macro", "std", "test"];
    if KEYWORDS.contains(&lib.as_str())
        || CARGO_RESERVED.contains(&lib.as_str())
        || WINDOWS_DEVICES.contains(&lib.as_str())
    {
        return Err(format!("the package name \"{shown}\" is reserved (a keyword, a Cargo or a Windows name)"));
    }
    Ok(())
}

/// Names Windows reserves for devices, in any directory and with any extension
/// (`con.rs` cannot be created there).
pub(crate) const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Module (file) names no model or operation may take: those the generated crate uses
/// itself, and [`WINDOWS_DEVICES`].
pub(crate) fn reserved_modules() -> Vec<&'static str> {
    let own = ["mod", "lib", "main", "runtime", "models", "operations", "server", "webhooks", "testing"];
    own.iter().chain(WINDOWS_DEVICES).copied().collect()
}

/// A module (file) name of at most `max` bytes: longer names keep a readable prefix and
/// end in a hash of the whole name, so they stay distinct and deterministic.
pub(crate) fn module_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let keep = max.saturating_sub(17);
    let mut cut = keep.min(name.len());
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash:016x}", name[..cut].trim_end_matches('_'))
}

/// Hands out unique identifiers within one namespace.
#[derive(Debug, Default)]
pub(crate) struct Namer {
    taken: BTreeMap<String, String>,
    /// The next number to try per wanted name, so many clashes stay linear.
    next: BTreeMap<String, usize>,
    /// Names other items will claim as their own: a clash's numbered name skips them,
    /// so `getFoo` twice does not take `get_foo2` from an operation `getFoo2`.
    expected: std::collections::BTreeSet<String>,
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

    /// Keeps `names` for the items that will claim them as their natural names.
    pub(crate) fn expect<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.expected.extend(names.into_iter().map(str::to_string));
    }

    /// Claims `wanted` for the item at `pointer`; on a clash, appends a number (or
    /// `suffix` first, for reserved names) and warns with both pointers.
    pub(crate) fn claim(&mut self, wanted: &str, pointer: &str, report: &mut Reporter<'_>) -> String {
        if !self.taken.contains_key(wanted) {
            self.taken.insert(wanted.to_string(), pointer.to_string());
            return wanted.to_string();
        }
        let other = self.taken[wanted].clone();
        let mut n = self.next.get(wanted).copied().unwrap_or(2);
        let name = loop {
            let candidate = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{wanted}_{n}")
            } else {
                format!("{wanted}{n}")
            };
            n += 1;
            if !self.taken.contains_key(&candidate) && !self.expected.contains(&candidate) {
                break candidate;
            }
        };
        self.next.insert(wanted.to_string(), n);
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

    /// Claims `wanted` if it is free.
    pub(crate) fn try_claim(&mut self, wanted: &str) -> Option<String> {
        if self.taken.contains_key(wanted) {
            return None;
        }
        self.taken.insert(wanted.to_string(), String::new());
        Some(wanted.to_string())
    }

    /// Claims a name without reporting (for names the spec cannot influence).
    pub(crate) fn claim_quiet(&mut self, wanted: &str) -> String {
        let mut silent = Reporter::new("", "");
        self.claim(wanted, "", &mut silent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("displayName"), "display_name");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("gen"), "gen_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("identities.email"), "identities_email");
        assert_eq!(snake("3ds"), "n3ds");
        assert_eq!(snake(""), "empty");
        assert_eq!(snake("subscribeSDKClient"), "subscribe_sdk_client");
        assert_eq!(snake("ListConversations"), "list_conversations");
    }

    #[test]
    fn package_names() {
        for good in ["sunshine-conversations", "a", "my_client2"] {
            assert_eq!(check_package(good), Ok(()), "{good}");
        }
        for bad in ["", "2x", "a b", "x\nbuild = \"evil.rs\"", "a\"", "test", "self", "con", "-x", &"a".repeat(65)] {
            assert!(check_package(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn module_names_fit_file_systems() {
        assert_eq!(module_name("short", 64), "short");
        let long = "a_".repeat(200);
        let cut = module_name(&long, 64);
        assert!(cut.len() <= 64, "{cut}");
        assert_ne!(cut, module_name(&format!("{long}b"), 64));
        assert_eq!(cut, module_name(&long, 64));
        let mut namer = Namer::with_reserved(&reserved_modules());
        assert_eq!(namer.claim_quiet("con"), "con2");
        assert_eq!(namer.claim_quiet("nul"), "nul2");
    }

    #[test]
    fn many_clashes_stay_distinct() {
        let mut namer = Namer::default();
        let names: std::collections::BTreeSet<String> = (0..2000).map(|_| namer.claim_quiet("x")).collect();
        assert_eq!(names.len(), 2000);
        assert!(names.contains("x2000"));
    }

    #[test]
    fn pascal_names() {
        assert_eq!(pascal("conversationType"), "ConversationType");
        assert_eq!(pascal("zd:agentWorkspace"), "ZdAgentWorkspace");
        assert_eq!(pascal("1on1"), "N1on1");
        assert_eq!(pascal("sdkGroup"), "SdkGroup");
        assert_eq!(pascal("Self"), "SelfValue");
        assert_eq!(pascal("-"), "NEmpty");
    }
}
