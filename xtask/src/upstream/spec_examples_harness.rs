// The fixed part of the generated `tests/spec_examples.rs` (see examples.rs, which
// writes the tables `VERSION`, `CATCH_ALL`, `CASES` and `KNOWN_DEFECTS` above this
// text and includes it verbatim). Not a module of xtask: it only compiles there.

/// Decodes an example (`&str`) with the given `readOnly` member pointers; see `roundtrip`.
type Check = fn(&str, &[&str]) -> Result<(), String>;

/// (where, `$ref` followed to reach it or "", Rust type, check, `readOnly` members, example JSON)
type Case = (&'static str, &'static str, &'static str, Check, &'static [&'static str], &'static str);

/// Decodes `json` as `T` with `serde_json::from_str`, re-encodes it with
/// `serde_json::to_value` and compares (see the `equivalent` module). Decoding into a
/// catch-all variant (`Other`: an unknown enum value, or a union none of whose
/// branches holds the data) counts as not decoding into the generated type.
fn roundtrip<T>(json: &str, read_only: &[&str]) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug,
{
    let example: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let decoded: T = serde_json::from_str(json).map_err(|e| format!("does not decode: {e}"))?;
    let encoded = serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
    let mut problems = Vec::new();
    if let Err(difference) = equivalent::check(&example, &encoded, read_only) {
        problems.push(difference);
    }
    let debug = format!("{decoded:?}");
    for name in CATCH_ALL {
        if let Some(index) = debug.find(&format!("{name}(")) {
            problems.push(format!("decoded into a catch-all variant: …{}…", around(&debug, index)));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
}

/// About 80 characters of `text` before `index` and 60 after, on char boundaries.
fn around(text: &str, index: usize) -> &str {
    let mut start = index.saturating_sub(80);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (index + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

#[test]
fn spec_examples_round_trip() {
    let mut failures = Vec::new();
    let (mut passed, mut defects) = (0, 0);
    for &(pointer, via, ty, check, read_only, json) in CASES {
        let place = if via.is_empty() { pointer.to_string() } else { format!("{pointer} (via {via})") };
        let defect = KNOWN_DEFECTS.iter().find(|(listed, _, _)| *listed == pointer);
        match (check(json, read_only), defect) {
            (Ok(()), None) => passed += 1,
            (Err(error), None) => failures.push(format!("{place} as {ty}: {error}")),
            (Err(error), Some((_, reason, fails_with))) if error.contains(fails_with) => {
                defects += 1;
                println!("known defect, fails as expected: {place} as {ty}: {error}\n  because: {reason}");
            }
            (Err(error), Some((_, _, fails_with))) => failures.push(format!(
                "{place} as {ty}: a known defect expected to fail with `{fails_with}`, fails with: {error}"
            )),
            (Ok(()), Some((_, reason, _))) => failures.push(format!(
                "{place} as {ty}: listed as a known defect ({reason}) but round-trips now: \
                 remove it from KNOWN_DEFECTS in xtask/src/upstream.rs"
            )),
        }
    }
    println!("spec examples {VERSION}: {} examples, {passed} pass, {defects} known defects", CASES.len());
    assert!(failures.is_empty(), "{} of {} examples fail:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}
