// The fixed part of the generated `tests/spec_examples.rs` (see examples.rs, which
// writes the tables `VERSION`, `CATCH_ALL`, `CASES` and `KNOWN_DEFECTS` above this
// text and includes it verbatim). Not a module of xtask: it only compiles there.

/// Decodes an example (`&str`) with the given `readOnly` member pointers; see `roundtrip`.
type Check = fn(&str, &[&str]) -> Result<(), String>;

/// Decodes text as the example's type (`true` when it decodes); for the fuzz test.
type Decode = fn(&str) -> bool;

/// (where, `$ref` followed to reach it or "", Rust type, check, `readOnly` members, example JSON)
type Case = (&'static str, &'static str, &'static str, Check, &'static [&'static str], &'static str, Decode);

fn decodes<T: serde::de::DeserializeOwned>(json: &str) -> bool {
    serde_json::from_str::<T>(json).is_ok()
}

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
    for &(pointer, via, ty, check, read_only, json, _) in CASES {
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
                 remove it from known_defects in spec/upstream.toml"
            )),
        }
    }
    println!("spec examples {VERSION}: {} examples, {passed} pass, {defects} known defects", CASES.len());
    assert!(failures.is_empty(), "{} of {} examples fail:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

/// Decoding fuzz: every example, mutated (values of other types, members removed or
/// added, tags swapped, deep nesting, long arrays, broken text), decodes into its type
/// or fails with an error: never a panic, and never slower than `SLOW` for inputs up to
/// `MAX_INPUT` bytes (larger mutations are skipped: their time is their size).
/// `DECODE_FUZZ_ITERATIONS` mutations per example (default 60).
#[test]
fn mutated_examples_decode_or_fail_fast() {
    const SLOW: std::time::Duration = std::time::Duration::from_millis(100);
    const MAX_INPUT: usize = 100 * 1024;
    let iterations: u64 = std::env::var("DECODE_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let tags: Vec<String> = CASES
        .iter()
        .filter_map(|case| serde_json::from_str::<serde_json::Value>(case.5).ok())
        .filter_map(|value| value.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .collect();
    let (mut runs, mut slowest) = (0u64, std::time::Duration::ZERO);
    let mut findings = Vec::new();
    for (index, &(pointer, _, ty, _, _, json, decode)) in CASES.iter().enumerate() {
        let Ok(seed) = serde_json::from_str::<serde_json::Value>(json) else { continue };
        for iteration in 0..iterations {
            let mut rng = Rng::new((index as u64) << 32 | iteration);
            let input = mutate(&mut rng, &seed, &tags);
            if input.len() > MAX_INPUT {
                continue;
            }
            let started = std::time::Instant::now();
            let outcome = std::panic::catch_unwind(|| decode(&input));
            let took = started.elapsed();
            runs += 1;
            slowest = slowest.max(took);
            if outcome.is_err() {
                findings.push(format!("PANIC decoding {pointer} as {ty}: {}", shorten(&input)));
            } else if took > SLOW {
                findings.push(format!("SLOW ({took:?}, {} bytes) decoding {pointer} as {ty}: {}", input.len(), shorten(&input)));
            }
        }
    }
    println!("decoding fuzz {VERSION}: {runs} inputs, slowest {slowest:?}, {} findings", findings.len());
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

fn shorten(text: &str) -> String {
    text.chars().take(300).collect()
}

/// xorshift64, seeded through splitmix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to three mutations of `seed`, as text (sometimes broken text).
fn mutate(rng: &mut Rng, seed: &serde_json::Value, tags: &[String]) -> String {
    let mut value = seed.clone();
    for _ in 0..=rng.below(3) {
        let paths = paths(&value);
        let path = &paths[rng.below(paths.len())];
        let Some(node) = value.pointer_mut(path) else { continue };
        match rng.below(9) {
            0 => *node = scalar(rng),
            1 => *node = serde_json::json!([node.clone(), scalar(rng)]),
            2 => {
                if let Some(map) = node.as_object_mut()
                    && let Some(key) = map.keys().nth(rng.below(map.len())).cloned()
                {
                    map.remove(&key);
                }
            }
            3 => {
                if let Some(map) = node.as_object_mut() {
                    map.insert(format!("unknown{}", rng.below(5)), scalar(rng));
                }
            }
            4 => {
                if let Some(map) = node.as_object_mut()
                    && !tags.is_empty()
                {
                    map.insert("type".into(), serde_json::Value::String(tags[rng.below(tags.len())].clone()));
                }
            }
            5 => {
                let mut deep = node.clone();
                for level in 0..(20 + rng.below(180)) {
                    deep = if level % 2 == 0 { serde_json::json!([deep]) } else { serde_json::json!({"type": "text", "items": deep}) };
                }
                *node = deep;
            }
            6 => *node = serde_json::Value::Array(vec![node.clone(); 200 + rng.below(800)]),
            7 => *node = serde_json::json!({}),
            _ => *node = serde_json::Value::Null,
        }
    }
    let mut text = value.to_string();
    let mut at = rng.below(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    match rng.below(10) {
        0 => text.truncate(at),
        1 => text.insert_str(at, "\"\\ud800"),
        _ => {}
    }
    text
}

/// JSON pointers of every node (the root included).
fn paths(value: &serde_json::Value) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut stack = vec![(String::new(), value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    let child_at = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    out.push(child_at.clone());
                    stack.push((child_at, child));
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let child_at = format!("{at}/{i}");
                    out.push(child_at.clone());
                    stack.push((child_at, child));
                }
            }
            _ => {}
        }
    }
    out
}

fn scalar(rng: &mut Rng) -> serde_json::Value {
    match rng.below(8) {
        0 => serde_json::Value::Null,
        1 => serde_json::Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(-1),
        3 => serde_json::json!(1e300),
        4 => serde_json::json!(u64::MAX),
        5 => serde_json::json!("é😀\u{202e}"),
        6 => serde_json::Value::String("x".repeat(rng.below(5000))),
        _ => serde_json::json!([]),
    }
}
