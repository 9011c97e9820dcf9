//! Rust names from wire names: casing, keywords, invalid characters. Decided once, here.

use heck::{ToPascalCase, ToSnakeCase};

/// Strict and reserved keywords (edition 2024), which cannot be raw identifiers either
/// where they matter (`self`, `Self`, `super`, `crate`), so every keyword gets a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
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
    unkeyword(name)
}

/// Names the generated code itself uses inside model and operation files; a spec
/// item with one of these names gets a suffix instead of shadowing them.
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    "Box", "Clone", "Debug", "Default", "Deserialize", "Err", "None", "Nullable", "Ok", "Option",
    "PartialEq", "Result", "Serialize", "Some", "String", "Validate", "Vec", "BTreeMap", "ValidationError",
    "Deserializer", "Serializer",
];

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
    fn pascal_names() {
        assert_eq!(pascal("conversationType"), "ConversationType");
        assert_eq!(pascal("zd:agentWorkspace"), "ZdAgentWorkspace");
        assert_eq!(pascal("1on1"), "N1on1");
        assert_eq!(pascal("sdkGroup"), "SdkGroup");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("-"), "NEmpty");
    }
}
