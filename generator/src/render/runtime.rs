//! The hand-written runtime, copied verbatim into `src/runtime/` of every crate.

/// (file name, contents), in file-name order.
pub(super) const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../templates/runtime/auth.rs")),
    ("client.rs", include_str!("../../../templates/runtime/client.rs")),
    ("encode.rs", include_str!("../../../templates/runtime/encode.rs")),
    ("error.rs", include_str!("../../../templates/runtime/error.rs")),
    ("execute.rs", include_str!("../../../templates/runtime/execute.rs")),
    ("hooks.rs", include_str!("../../../templates/runtime/hooks.rs")),
    ("json.rs", include_str!("../../../templates/runtime/json.rs")),
    ("mod.rs", include_str!("../../../templates/runtime/mod.rs")),
    ("nullable.rs", include_str!("../../../templates/runtime/nullable.rs")),
    ("paginate.rs", include_str!("../../../templates/runtime/paginate.rs")),
    ("redirect.rs", include_str!("../../../templates/runtime/redirect.rs")),
    ("request.rs", include_str!("../../../templates/runtime/request.rs")),
    ("response.rs", include_str!("../../../templates/runtime/response.rs")),
    ("retry.rs", include_str!("../../../templates/runtime/retry.rs")),
    ("testing.rs", include_str!("../../../templates/runtime/testing.rs")),
    ("upload.rs", include_str!("../../../templates/runtime/upload.rs")),
    ("validate.rs", include_str!("../../../templates/runtime/validate.rs")),
    ("webhooks.rs", include_str!("../../../templates/runtime/webhooks.rs")),
];

/// A runtime file without its unit tests (its last item, `#[cfg(test)] mod tests`):
/// they run once, in this repository (`xtask/tests/runtime.rs`), and generated
/// crates ship without them.
pub(super) fn without_tests(text: &str) -> &str {
    match text.find("\n#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..=at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    /// Every file in templates/runtime/ is listed (a forgotten one would compile here
    /// but not in the generated crate).
    #[test]
    fn lists_every_runtime_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(listed, on_disk);
    }

    /// Generated crates get no test code: the test module is the last item of a
    /// runtime file, or there is none.
    #[test]
    fn tests_are_left_out() {
        for (name, text) in super::FILES {
            let kept = super::without_tests(text);
            assert!(!kept.contains("cfg(test)"), "{name}: a test item outside the final `mod tests`");
            assert!(kept.len() == text.len() || text[kept.len()..].starts_with("#[cfg(test)]\nmod tests {"), "{name}");
        }
    }
}
