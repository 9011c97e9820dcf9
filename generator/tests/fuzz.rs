//! Bounded, deterministic fuzzing of [`generator::generate`]: malformed and mutated
//! specs must never panic or hang. `Err(Failure)` is an expected answer (with at least
//! one error diagnostic and a non-empty message); panics, hangs and aborts are findings.
//!
//! cargo-fuzz needs nightly, so this is a plain integration test instead:
//!
//! ```text
//! cargo test -p generator --test fuzz                       # ~20 s, 300 mutated specs
//! FUZZ_SECONDS=120 FUZZ_ITERATIONS=1000000 cargo test -p generator --test fuzz --release -- --nocapture
//! ```
//!
//! Mutations cover OpenAPI 3.1 too (`mutate_31`, a 3.1 seed, 3.1 shapes among the
//! random schemas): type lists, `const`, `examples`, numeric exclusive bounds, `$ref`
//! with siblings, `{type: "null"}` branches, `$defs`, boolean schemas, unsupported
//! 2020-12 keywords, webhooks through `components/pathItems`, dialects.
//!
//! Seeds: every `*.yaml` / `*.json` in `tests/fuzz-seeds/` (including the
//! `regression-*.yaml` repros of past findings, which run unmutated only),
//! `../spec/sunshine-conversations.yaml`
//! and `../../shared/upstream/*.yaml` when present. Each seed first runs unmutated;
//! then iteration `i` mutates a seed with a xorshift64 PRNG seeded from `i` (plus
//! `FUZZ_SEED`, default 0), so a failing iteration number reproduces exactly.
//!
//! Environment:
//! - `FUZZ_ITERATIONS` (default 300): mutated specs to run; `FUZZ_SECONDS` (default 20):
//!   wall-clock budget; whichever ends first.
//! - `FUZZ_SEED` (default 0): varies the whole sequence.
//! - `FUZZ_HANG_SECONDS` (default 10): a single call slower than this is a hang.
//! - `FUZZ_IN_PROCESS=1`: no supervisor process (a stack overflow then kills the test).
//! - `FUZZ_STRICT=1`: "generator bug" render errors fail the test too (default: reported).
//! - `FUZZ_STATS=1`: also print what the rejections were about (first error, grouped).
//!
//! A stack overflow aborts the whole process and cannot be caught, so the test is a
//! supervisor: it re-runs this test binary as a worker (`FUZZ_WORKER=1`), and when the
//! worker dies it reports the in-flight input and restarts after it. Findings are
//! written to `target/fuzz-failures/<iteration>.yaml` (plus a `.txt` with the seed,
//! the mutations, the panic message and backtrace). Options that are not the defaults
//! are recorded in a first line `# fuzz-options: {json}`, which seeds may carry too.
//!
//! Two `#[ignore]`d helpers work on such files:
//! - `FUZZ_REPRO=file cargo test -p generator --test fuzz fuzz_repro -- --ignored --nocapture`
//! - `FUZZ_MINIMISE=file [FUZZ_MINIMISE_OUT=out.yaml] cargo test -p generator --test fuzz fuzz_minimise -- --ignored --nocapture`
//!   shrinks the spec while the finding (same panic location / abort / hang) persists.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------
// Configuration and places
// ---------------------------------------------------------------------------------

/// Stack of the thread that runs one call: what a CLI's main thread gets.
const CALL_STACK: usize = 8 << 20;
/// Calls slower than this are listed as slow (not a failure).
const SLOW: Duration = Duration::from_secs(2);
/// Files saved per finding key and worker.
const SAVE_PER_KEY: usize = 3;

fn env_num(name: &str, default: f64) -> f64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn hang_limit() -> Duration {
    Duration::from_secs_f64(env_num("FUZZ_HANG_SECONDS", 10.0))
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The workspace target directory.
fn target_dir() -> PathBuf {
    let workspace = manifest_dir().parent().map_or_else(manifest_dir, Path::to_path_buf);
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

fn failures_dir() -> PathBuf {
    let dir = target_dir().join("fuzz-failures");
    std::fs::create_dir_all(&dir).expect("create target/fuzz-failures");
    dir
}

// ---------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------

/// xorshift64, seeded through splitmix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// True with probability `1/n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A small count, skewed towards `lo`.
    fn small(&mut self, lo: usize, hi: usize) -> usize {
        let a = lo + self.below(hi - lo + 1);
        let b = lo + self.below(hi - lo + 1);
        a.min(b)
    }
}

// ---------------------------------------------------------------------------------
// Seeds and cases
// ---------------------------------------------------------------------------------

struct Seed {
    name: String,
    text: String,
    /// Parsed on first use (a worker restarted after an abort needs few of them).
    tree: std::cell::OnceCell<Option<Value>>,
    weight: usize,
}

impl Seed {
    fn tree(&self) -> Option<&Value> {
        self.tree.get_or_init(|| serde_yaml::from_str::<Value>(&self.text).ok()).as_ref()
    }
}

fn load_seeds() -> Vec<Seed> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let dir = manifest_dir().join("tests/fuzz-seeds");
    let mut own: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    own.sort();
    for p in own {
        files.push((p.file_name().unwrap().to_string_lossy().into_owned(), p));
    }
    let spec = manifest_dir().join("../spec/sunshine-conversations.yaml");
    if spec.is_file() {
        files.push(("spec/sunshine-conversations.yaml".into(), spec));
    }
    if let Ok(entries) = std::fs::read_dir(manifest_dir().join("../../shared/upstream")) {
        let mut upstream: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        upstream.sort();
        for p in upstream {
            files.push((format!("upstream/{}", p.file_name().unwrap().to_string_lossy()), p));
        }
    }
    assert!(!files.is_empty(), "no fuzz seeds in {}", dir.display());
    files
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            // Big specs are slow to mutate and generate: pick them less often. Repros of
            // past findings run as they are only (mutants of a hang would eat the budget).
            let weight = if name.starts_with("regression-") {
                0
            } else if text.len() > 64 * 1024 {
                1
            } else {
                4
            };
            Seed { name, text, tree: std::cell::OnceCell::new(), weight }
        })
        .collect()
}

fn default_options() -> generator::Options {
    generator::Options { standalone: false, ..generator::Options::new("fuzz-client", "fuzz.yaml") }
}

const OPTIONS_PREFIX: &str = "# fuzz-options: ";

/// Options recorded in a first line `# fuzz-options: {json}`, else the defaults.
fn options_of(text: &str) -> generator::Options {
    let mut options = default_options();
    let Some(json) = text.lines().next().and_then(|l| l.strip_prefix(OPTIONS_PREFIX)) else { return options };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else { return options };
    if let Some(p) = map.get("package").and_then(Value::as_str) {
        options.package = p.into();
    }
    if let Some(p) = map.get("spec_file").and_then(Value::as_str) {
        options.spec_file = p.into();
    }
    if let Some(Value::Array(tags)) = map.get("tags") {
        options.tags = tags.iter().filter_map(Value::as_str).map(str::to_string).collect();
    }
    if let Some(b) = map.get("standalone").and_then(Value::as_bool) {
        options.standalone = b;
    }
    if let Some(g) = map.get("guide").and_then(Value::as_str) {
        options.guide = Some(g.into());
    }
    options
}

fn options_line(options: &generator::Options) -> Option<String> {
    let d = default_options();
    if options.package == d.package
        && options.spec_file == d.spec_file
        && options.tags.is_empty()
        && !options.standalone
        && options.guide.is_none()
    {
        return None;
    }
    let json = json!({
        "package": options.package,
        "spec_file": options.spec_file,
        "tags": options.tags,
        "standalone": options.standalone,
        "guide": options.guide,
    });
    Some(format!("{OPTIONS_PREFIX}{json}\n"))
}

struct Case {
    seed: usize,
    text: String,
    options: generator::Options,
    mutations: Vec<String>,
}

impl Case {
    /// The text as saved: options first when they are not the defaults.
    fn saved_text(&self) -> String {
        match options_line(&self.options) {
            Some(line) if !self.text.starts_with(OPTIONS_PREFIX) => format!("{line}{}", self.text),
            _ => self.text.clone(),
        }
    }
}

/// Iterations below the number of seeds run the seeds as they are.
fn make_case(iteration: u64, base_seed: u64, seeds: &[Seed]) -> Case {
    if (iteration as usize) < seeds.len() {
        let seed = iteration as usize;
        let text = seeds[seed].text.clone();
        return Case { seed, options: options_of(&text), text, mutations: vec!["(unmutated)".into()] };
    }
    let mut rng = Rng::new(iteration ^ base_seed.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let total: usize = seeds.iter().map(|s| s.weight).sum();
    let mut ticket = rng.below(total);
    let seed = seeds
        .iter()
        .position(|s| {
            if ticket < s.weight {
                true
            } else {
                ticket -= s.weight;
                false
            }
        })
        .unwrap_or(0);
    let mut mutations = Vec::new();
    let mut options = options_of(&seeds[seed].text);
    let structural = seeds[seed].tree().is_some() && !rng.one_in(12);
    let mut text = if structural {
        let mut tree = seeds[seed].tree().unwrap().clone();
        for _ in 0..rng.small(1, 5) {
            mutate_tree(&mut rng, &mut tree, &mut mutations);
        }
        mutate_options(&mut rng, &tree, &mut options, &mut mutations);
        match rng.below(10) {
            0..=6 => serde_yaml::to_string(&tree).unwrap_or_else(|_| tree.to_string()),
            7 | 8 => serde_json::to_string_pretty(&tree).unwrap(),
            _ => tree.to_string(),
        }
    } else {
        seeds[seed].text.clone()
    };
    if !structural || rng.one_in(5) {
        for _ in 0..rng.small(1, 3) {
            text = mutate_text(&mut rng, &text, &mut mutations);
        }
    }
    Case { seed, text, options, mutations }
}

fn mutate_options(rng: &mut Rng, tree: &Value, options: &mut generator::Options, log: &mut Vec<String>) {
    if rng.one_in(10) {
        let mut tags = BTreeSet::new();
        collect_tags(tree, &mut tags);
        let tags: Vec<String> = tags.into_iter().collect();
        options.tags = (0..rng.small(1, 2))
            .map(|_| {
                if !tags.is_empty() && !rng.one_in(3) {
                    rng.pick(&tags).clone()
                } else {
                    rng.pick(WEIRD_NAMES).to_string()
                }
            })
            .collect();
        log.push(format!("options.tags = {:?}", options.tags));
    }
    if rng.one_in(3) {
        options.standalone = true;
    }
    if rng.one_in(50) {
        options.package =
            rng.pick(&["", "a", "ключ", "a b", "1abc", "self", "a\"b", "fuzz_client", "-", "crate"]).to_string();
        log.push(format!("options.package = {:?}", options.package));
    }
    if rng.one_in(50) {
        options.spec_file = rng.pick(WEIRD_TEXT).to_string();
        log.push(format!("options.spec_file = {:?}", options.spec_file));
    }
    if rng.one_in(50) {
        let guide = match rng.below(3) {
            0 => "# Guide\n\n```rust\nlet x = 1;\n```\n".to_string(),
            1 => format!("# Guide\n\n{}\n", weird_text(rng)),
            _ => weird_text(rng),
        };
        log.push(format!("options.guide = {guide:?}"));
        options.guide = Some(guide);
    }
}

fn collect_tags(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(tags)) = map.get("tags") {
                out.extend(tags.iter().filter_map(Value::as_str).map(str::to_string));
            }
            map.values().for_each(|v| collect_tags(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_tags(v, out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------
// Tree navigation
// ---------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

type NodePath = Vec<Seg>;

fn all_paths(root: &Value) -> Vec<NodePath> {
    fn walk(node: &Value, current: &mut NodePath, out: &mut Vec<NodePath>) {
        out.push(current.clone());
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    current.push(Seg::Key(k.clone()));
                    walk(v, current, out);
                    current.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    current.push(Seg::Index(i));
                    walk(v, current, out);
                    current.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

fn get<'a>(mut node: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn get_mut<'a>(mut node: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `#/a/b` for a path.
fn ref_to(path: &[Seg]) -> String {
    let mut out = "#".to_string();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => out.push_str(&escape(k)),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn show(path: &[Seg]) -> String {
    let r = ref_to(path);
    if r == "#" { "/".into() } else { r[1..].to_string() }
}

fn is_prefix(a: &[Seg], b: &[Seg]) -> bool {
    a.len() <= b.len() && a == &b[..a.len()]
}

fn last_key(path: &[Seg]) -> Option<&str> {
    match path.last() {
        Some(Seg::Key(k)) => Some(k),
        _ => None,
    }
}

fn parent_key(path: &[Seg]) -> Option<&str> {
    if path.len() < 2 {
        return None;
    }
    last_key(&path[..path.len() - 1])
}

const SCHEMA_KEYS: &[&str] =
    &["type", "properties", "items", "allOf", "oneOf", "anyOf", "$ref", "enum", "additionalProperties", "nullable"];

fn is_schemaish(path: &[Seg], node: &Value) -> bool {
    let Value::Object(map) = node else { return false };
    SCHEMA_KEYS.iter().any(|k| map.contains_key(*k))
        || last_key(path).is_some_and(|k| k == "schema" || k == "items" || k == "additionalProperties")
        || parent_key(path).is_some_and(|k| k == "schemas" || k == "properties")
}

fn is_parameter(path: &[Seg], node: &Value) -> bool {
    node.is_object()
        && (node.get("in").is_some()
            || path.iter().any(|s| matches!(s, Seg::Key(k) if k == "parameters")) && node.get("name").is_some())
}

/// A random path whose node satisfies `pred` (the root only when `root_ok`).
fn pick_path(rng: &mut Rng, root: &Value, root_ok: bool, pred: impl Fn(&[Seg], &Value) -> bool) -> Option<NodePath> {
    let candidates: Vec<NodePath> = all_paths(root)
        .into_iter()
        .filter(|p| (root_ok || !p.is_empty()) && get(root, p).is_some_and(|v| pred(p, v)))
        .collect();
    if candidates.is_empty() { None } else { Some(candidates[rng.below(candidates.len())].clone()) }
}

fn set(root: &mut Value, path: &[Seg], value: Value) -> bool {
    match get_mut(root, path) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

fn remove(root: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parent)) = path.split_last() else { return false };
    match (get_mut(root, parent), last) {
        (Some(Value::Object(m)), Seg::Key(k)) => m.remove(k).is_some(),
        (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// Pointers of every `components/<section>/<name>`.
fn component_refs(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Object(sections)) = root.get("components") {
        for (section, entries) in sections {
            if let Value::Object(entries) = entries {
                for name in entries.keys() {
                    out.push(format!("#/components/{}/{}", escape(section), escape(name)));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// Random values
// ---------------------------------------------------------------------------------

const WEIRD_NAMES: &[&str] = &[
    "type",
    "self",
    "a\"b",
    "\\",
    "ключ",
    "",
    "1abc",
    "{x}",
    "Self",
    "super",
    "crate",
    "r#type",
    "_",
    "__",
    "-",
    "+",
    "a+b",
    "new",
    "validate",
    "client",
    "body",
    "send",
    "options",
    "timeout",
    "Box",
    "Option",
    "String",
    "Result",
    "Vec",
    "Default",
    "Other",
    "None",
    "Some",
    "Nullable",
    "models",
    "mod",
    "fn",
    "💥",
    "a b",
    "A",
    "a",
    "a_b",
    "aB",
    "a-b",
    "A_B",
    "a\nb",
    "\t",
    "null",
    "true",
    "0",
    "~",
    "/",
    "~1",
    "#",
    "'",
    "`",
    "$ref",
    "{",
    "}",
    "x{y}z",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "__proto__",
    "a.b",
    "a[b]",
    "page[after]",
    "é",
    "ß",
    "İ",
    "ǅ",
    "ａ",
    "٣",
    "\u{301}",
    "type_",
    "Type",
    "Variant1",
    "Empty",
    "N1abc",
    "runtime",
    "Client",
    "Error",
    "Response",
    "id",
    "ID",
    "Id",
    "i_d",
    "dispatch",
    "into_stream",
    "with_options",
    "base_url",
    "clone",
    "std",
    "core",
    "serde",
    "reqwest",
    "async",
    "await",
    "gen",
    "union",
    "macro_rules",
    "r#",
    "\u{0}",
    "\r",
    " a ",
    "a\u{200b}b",
    "'a",
    "\"",
    "\"\"",
    // Runtime and generated helper names, Windows device names, invisible characters.
    "url",
    "headers",
    "execute_json",
    "execute",
    "send_raw",
    "builder",
    "con",
    "CON",
    "aux",
    "nul",
    "com1",
    "prn",
    "lpt1",
    "soft\u{ad}hyphen",
    "bidi\u{202e}txt",
    "\u{2066}isolate",
];

const WEIRD_TEXT: &[&str] = &[
    "*/",
    "/*",
    "a\rb",
    "a\r\nb",
    "\r",
    "\0",
    "\u{200b}",
    "```rust\nfn main() { panic!() }\n```",
    "```",
    "~~~",
    "{{ krate.package }}",
    "{% if true %}",
    "{# x #}",
    "{{",
    "}}",
    "#[doc = \"x\"]",
    "\"#",
    "r#\"",
    "\\",
    "'",
    "\t",
    "ключ",
    "💥",
    "<b>bold</b>",
    "[link](x)",
    "[`Foo`]",
    "# Heading",
    "    indented code",
    "\u{feff}",
    "\u{2028}",
    "\u{85}",
    "",
    " ",
    "\n\n\n",
    "}",
    "{",
    "//",
    "//!",
    "///",
    "*/ fn x() {} /*",
    "\"",
    "\")]\nfn evil() {}\n#[doc = \"",
    "a\u{7f}b",
    "\u{1b}[31m",
    "%",
    "$",
    "@",
    "!",
    "&",
    "null",
    "~",
    "#!",
    "#![deny(warnings)]",
    "\\u{0}",
    "\\\"",
    "https://{x}.example.com/{",
    "http://",
    "/{}",
    "{a}{b}",
    "${x}",
    "${",
    "\"; fn main() {} //",
    // Fences of every kind (must stay inert), raw HTML (must be escaped), bidi controls.
    "~~~edition2021\nfn main() { std::process::exit(3) }\n~~~",
    "```should_panic\npanic!()\n```",
    "```rust,\nfn main() {}\n```",
    "```ignore\nx\n```",
    "````\n```\n````",
    "\n\n    fn main() { loop {} }\n\n",
    "<script>alert(1)</script>",
    "`unmatched <script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=\"https://x\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<aside class=\"notice\"><strong>Note:</strong> x</aside>",
    "<br/><br>",
    "\u{202e}reversed\u{202c}",
    "title\u{ad}",
    "[x](javascript:alert(1))",
];

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "null", "file", "any", "", "String", "OBJECT", "int",
    "type",
];

fn weird_name(rng: &mut Rng) -> String {
    match rng.below(20) {
        0 => "x".repeat(1 + rng.below(400)),
        1 => format!("{}{}", rng.pick(WEIRD_NAMES), rng.pick(WEIRD_NAMES)),
        2 => format!("a{}", rng.below(10)),
        _ => rng.pick(WEIRD_NAMES).to_string(),
    }
}

fn weird_text(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => format!("{}{}{}", rng.pick(WEIRD_TEXT), rng.pick(WEIRD_NAMES), rng.pick(WEIRD_TEXT)),
        1 => "line\n".repeat(rng.below(50)),
        _ => rng.pick(WEIRD_TEXT).to_string(),
    }
}

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(1.5),
        3 => json!(1e300),
        4 => json!(-1e300),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(i64::MAX),
        8 => json!(5e-324),
        9 => json!(-0.0),
        10 => json!(9_007_199_254_740_993u64),
        11 => json!(1e19),
        12 => json!(rng.below(1000)),
        _ => json!(-(rng.below(1000) as i64)),
    }
}

fn random_ref(rng: &mut Rng, comps: &[String], here: Option<&[Seg]>) -> Value {
    let text = match rng.below(16) {
        0..=5 if !comps.is_empty() => rng.pick(comps).clone(),
        6 => "#/components/schemas/DoesNotExist".into(),
        7 if here.is_some() => ref_to(here.unwrap()),
        8 if here.is_some_and(|h| !h.is_empty()) => {
            let h = here.unwrap();
            ref_to(&h[..rng.below(h.len())])
        }
        9 => rng
            .pick(&[
                "#",
                "#/",
                "",
                "#/paths",
                "#/components",
                "#/components/schemas",
                "/components/schemas/A",
                "#components/schemas/A",
            ])
            .to_string(),
        10 => rng
            .pick(&[
                "other.yaml#/components/schemas/A",
                "http://example.com/spec.yaml#/A",
                "#/components/schemas/a~1b",
                "#/components/schemas/~",
                "#/components/schemas/~2",
                "#/components/schemas/%7Bx%7D",
                "#/paths/~1a/get",
                "#/info/title",
                "#/openapi",
                "#/components/schemas/A/properties/0",
            ])
            .to_string(),
        11 => return rng.pick(&[json!(42), json!(null), json!({}), json!(["#/a"]), json!(true)]).clone(),
        12 => format!("#/components/schemas/{}", escape(&weird_name(rng))),
        13 if !comps.is_empty() => format!("{}/properties/{}", rng.pick(comps), escape(&weird_name(rng))),
        14 if !comps.is_empty() => format!("{}/allOf/0", rng.pick(comps)),
        _ => "#/components/schemas/A".into(),
    };
    Value::String(text)
}

fn random_scalar(rng: &mut Rng, comps: &[String]) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 | 4 => random_number(rng),
        5 | 6 => Value::String(weird_name(rng)),
        7 => Value::String(weird_text(rng)),
        8 => Value::String(rng.pick(TYPES).to_string()),
        9 => random_ref(rng, comps, None),
        _ => Value::String("string".into()),
    }
}

fn random_value(rng: &mut Rng, comps: &[String], depth: usize) -> Value {
    match if depth > 2 { 0 } else { rng.below(5) } {
        0 | 1 => random_scalar(rng, comps),
        2 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, comps, depth + 1)).collect()),
        3 => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                map.insert(weird_name(rng), random_value(rng, comps, depth + 1));
            }
            Value::Object(map)
        }
        _ => random_schema(rng, comps, depth + 1),
    }
}

fn random_schema(rng: &mut Rng, comps: &[String], depth: usize) -> Value {
    let leaf = depth > 3;
    match rng.below(if leaf { 4 } else { 19 }) {
        0 => json!({"type": rng.pick(TYPES)}),
        1 => json!({"$ref": random_ref(rng, comps, None)}),
        2 => json!({}),
        3 => json!({"type": "string", "enum": random_enum(rng)}),
        4 => {
            let mut props = Map::new();
            for _ in 0..rng.small(1, 3) {
                props.insert(weird_name(rng), random_schema(rng, comps, depth + 1));
            }
            json!({"type": "object", "properties": props, "required": [weird_name(rng)]})
        }
        5 => json!({"type": "array", "items": random_schema(rng, comps, depth + 1)}),
        6 => json!({"type": "object", "additionalProperties": random_schema(rng, comps, depth + 1)}),
        7 => json!({"oneOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        8 => json!({"anyOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        9 => json!({"allOf": (0..rng.below(4)).map(|_| random_schema(rng, comps, depth + 1)).collect::<Vec<_>>()}),
        10 => json!({"type": "string", "nullable": true, "readOnly": rng.one_in(2), "writeOnly": rng.one_in(2)}),
        11 => json!({"oneOf": [random_schema(rng, comps, depth + 1), random_schema(rng, comps, depth + 1)],
                     "discriminator": {"propertyName": weird_name(rng)}}),
        12 => json!({"type": "integer", "minimum": random_number(rng), "maximum": random_number(rng),
                     "exclusiveMinimum": rng.one_in(2)}),
        13 => json!({"type": "object", "additionalProperties": rng.one_in(2)}),
        // OpenAPI 3.1 shapes (lowered when the document says 3.1, refused by 3.0).
        14 => json!({"type": random_type_list(rng), "examples": [random_scalar(rng, comps)]}),
        15 => json!({"const": random_scalar(rng, comps)}),
        16 => json!({"type": "number", "exclusiveMinimum": random_number(rng), "exclusiveMaximum": random_number(rng)}),
        17 => json!({"anyOf": [random_schema(rng, comps, depth + 1), {"type": "null"}]}),
        _ => json!({"$ref": random_ref(rng, comps, None), "description": weird_text(rng), "readOnly": rng.one_in(2)}),
    }
}

/// A JSON Schema 2020-12 `type` list (or an odd value in its place).
fn random_type_list(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(["null"]),
        1 => json!([]),
        2 => json!([rng.pick(TYPES), rng.pick(TYPES), "null"]),
        3 => json!([1, "null"]),
        4 => json!([rng.pick(TYPES), rng.pick(TYPES)]),
        _ => json!([rng.pick(TYPES), "null"]),
    }
}

/// Keywords of JSON Schema 2020-12 that the 3.0 form lacks, with a value for each.
fn random_31_keyword(rng: &mut Rng, comps: &[String]) -> (&'static str, Value) {
    let key = *rng.pick(&[
        "type",
        "const",
        "examples",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "$defs",
        "$schema",
        "$id",
        "$comment",
        "if",
        "then",
        "else",
        "prefixItems",
        "$dynamicRef",
        "$dynamicAnchor",
        "dependentSchemas",
        "dependentRequired",
        "patternProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "propertyNames",
        "contentMediaType",
        "contentEncoding",
        "nullable",
    ]);
    let value = match key {
        "type" => random_type_list(rng),
        "const" => random_scalar(rng, comps),
        "examples" => match rng.below(3) {
            0 => random_scalar(rng, comps),
            _ => json!([random_value(rng, comps, 1), random_scalar(rng, comps)]),
        },
        "exclusiveMinimum" | "exclusiveMaximum" if !rng.one_in(4) => random_number(rng),
        "$defs" => json!({weird_name(rng): random_schema(rng, comps, 2)}),
        "$schema" => json!(rng.pick(&[
            "https://spec.openapis.org/oas/3.1/dialect/base",
            "https://json-schema.org/draft/2020-12/schema",
            "http://json-schema.org/draft-07/schema#",
            "",
        ])),
        "unevaluatedProperties" | "unevaluatedItems" if rng.one_in(2) => json!(rng.one_in(2)),
        "prefixItems" => json!([random_schema(rng, comps, 2)]),
        "dependentRequired" => json!({weird_name(rng): [weird_name(rng)]}),
        _ if rng.one_in(3) => random_scalar(rng, comps),
        _ => random_schema(rng, comps, 2),
    };
    (key, value)
}

/// An OpenAPI 3.1 construct somewhere in the document; usually also `openapi: 3.1.0`.
fn mutate_31(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let mut done = Vec::new();
    if !rng.one_in(4) {
        root.as_object_mut()?.insert("openapi".into(), json!(*rng.pick(&["3.1.0", "3.1.1", "3.1", "3.2.0"])));
        done.push(format!("openapi = {}", root["openapi"]));
    }
    match rng.below(6) {
        // A 2020-12 keyword on a schema.
        0..=2 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let (key, value) = random_31_keyword(rng, comps);
            done.push(format!("{}: {key} = {value}", show(&p)));
            get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
        }
        // A `{type: "null"}` branch, or a `$ref` with siblings.
        3 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let node = get_mut(root, &p)?.as_object_mut()?;
            if let Some(Value::Array(branches)) = node.get_mut("oneOf") {
                branches.insert(rng.below(branches.len() + 1), json!({"type": "null"}));
                done.push(format!("{}: null branch", show(&p)));
            } else if node.contains_key("$ref") || rng.one_in(2) {
                node.entry("$ref").or_insert_with(|| random_ref(rng, comps, None));
                let key =
                    *rng.pick(&["description", "readOnly", "nullable", "properties", "deprecated", "oneOf", "allOf"]);
                let value = match key {
                    "description" => json!(weird_text(rng)),
                    "properties" => json!({weird_name(rng): random_schema(rng, comps, 2)}),
                    "oneOf" | "allOf" => json!([random_schema(rng, comps, 2), {"type": "null"}]),
                    _ => json!(true),
                };
                done.push(format!("{}: $ref beside {key} = {value}", show(&p)));
                node.insert(key.into(), value);
            } else {
                let inner = Value::Object(std::mem::take(node));
                node.insert("anyOf".into(), json!([inner, {"type": "null"}]));
                done.push(format!("{}: anyOf with null", show(&p)));
            }
        }
        // Boolean schemas.
        4 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let value = json!(rng.one_in(2));
            done.push(format!("{}: schema {value}", show(&p)));
            set(root, &p, value);
        }
        // Document: webhooks through components/pathItems, no paths, a dialect.
        _ => {
            let root = root.as_object_mut()?;
            match rng.below(4) {
                0 => {
                    let paths = root.shift_remove("paths").unwrap_or_else(|| json!({}));
                    let items = root.entry("components").or_insert_with(|| json!({})).as_object_mut()?;
                    let mut hooks = Map::new();
                    for (name, item) in paths.as_object()?.iter().take(3) {
                        let key = format!("hook{}", hooks.len());
                        hooks.insert(key.clone(), json!({"$ref": format!("#/components/pathItems/{key}")}));
                        items
                            .entry("pathItems")
                            .or_insert_with(|| json!({}))
                            .as_object_mut()?
                            .insert(key, item.clone());
                        done.push(format!("path {name:?} -> webhook via pathItems"));
                    }
                    root.insert("webhooks".into(), Value::Object(hooks));
                }
                1 => {
                    let dialect =
                        rng.pick(&["https://spec.openapis.org/oas/3.1/dialect/base", "https://example.com/d", ""]);
                    root.insert("jsonSchemaDialect".into(), json!(dialect));
                    done.push(format!("jsonSchemaDialect = {dialect}"));
                }
                2 => {
                    let hooks = root.shift_remove("x-webhooks")?;
                    root.insert("webhooks".into(), hooks);
                    done.push("x-webhooks -> webhooks".into());
                }
                _ => {
                    root.shift_remove("paths");
                    done.push("no paths".into());
                }
            }
        }
    }
    Some(done.join("; "))
}

fn random_enum(rng: &mut Rng) -> Value {
    let mut values = Vec::new();
    for _ in 0..rng.small(0, 6) {
        values.push(match rng.below(10) {
            0 => Value::Null,
            1 => random_number(rng),
            2 => json!(true),
            3 => json!({}),
            4 => json!([]),
            5 => json!(rng.pick(&["a-b", "a_b", "A B", "aB", "AB", "a b", "a+b", "a plus b", "a.b"])),
            _ => Value::String(weird_name(rng)),
        });
    }
    if rng.one_in(4) && !values.is_empty() {
        values.push(values[0].clone());
    }
    Value::Array(values)
}

// ---------------------------------------------------------------------------------
// Structural mutations
// ---------------------------------------------------------------------------------

/// Applies one structural mutation (retrying a few times when one does not apply).
fn mutate_tree(rng: &mut Rng, root: &mut Value, log: &mut Vec<String>) {
    for _ in 0..8 {
        if let Some(done) = try_mutation(rng, root) {
            log.push(done);
            return;
        }
    }
}

fn try_mutation(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let comps = component_refs(root);
    match rng.below(30) {
        // OpenAPI 3.1 constructs.
        28 | 29 => mutate_31(rng, root, &comps),
        // A long acyclic `$ref` chain through every kind of link, hung off a schema.
        26 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let length = rng.small(2, 200);
            let prefix = format!("Chain{}", rng.below(1000));
            let schemas = root.get_mut("components")?.as_object_mut()?.entry("schemas").or_insert_with(|| json!({}));
            let schemas = schemas.as_object_mut()?;
            for i in 0..length {
                let next = json!({"$ref": format!("#/components/schemas/{prefix}_{}", i + 1)});
                let link = match (i + rng.below(5)) % 5 {
                    0 => json!({"type": "object", "properties": {"next": next}}),
                    1 => json!({"type": "array", "items": next}),
                    2 => json!({"allOf": [next]}),
                    3 => json!({"oneOf": [next, {"type": "string"}]}),
                    _ => json!({"type": "object", "additionalProperties": next}),
                };
                schemas.insert(format!("{prefix}_{i}"), link);
            }
            schemas.insert(format!("{prefix}_{length}"), json!({"type": "string"}));
            set(root, &p, json!({"$ref": format!("#/components/schemas/{prefix}_0")}));
            Some(format!("{}: $ref chain of {length} ({prefix})", show(&p)))
        }
        // A discriminated union whose branches do not declare the tag property.
        27 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let tag = weird_name(rng);
            let schemas = root.get_mut("components")?.as_object_mut()?.entry("schemas").or_insert_with(|| json!({}));
            let schemas = schemas.as_object_mut()?;
            let mut mapping = Map::new();
            let mut branches = Vec::new();
            for (i, value) in ["first", "second"].iter().enumerate() {
                let name = format!("Untagged{}_{i}", rng.below(1000));
                schemas.insert(name.clone(), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
                mapping.insert((*value).into(), json!(format!("#/components/schemas/{name}")));
                branches.push(json!({"$ref": format!("#/components/schemas/{name}")}));
            }
            let union = json!({"oneOf": branches, "discriminator": {"propertyName": tag, "mapping": mapping}});
            set(root, &p, union);
            Some(format!("{}: discriminator {tag:?} its branches do not declare", show(&p)))
        }
        // Servers: URL templates, variables, duplicates.
        25 => {
            let url = match rng.below(4) {
                0 => format!("https://{}.example.com/{}", weird_name(rng), weird_text(rng)),
                1 => format!("https://{{{}}}.example.com", weird_name(rng)),
                _ => rng
                    .pick(&[
                        "https://{a}.x.com/{b}",
                        "https://{",
                        "https://}",
                        "https://{}{}",
                        "https://\"q\".com",
                        "https://x.com/\\",
                        "https://ключ.рф",
                        "http://{a}{a}",
                        "https://a.b.c.d.e",
                        "https://x.com/{a}/{A}",
                        "https://{type}.com",
                        "https://{self}.com/{ключ}",
                        "https://.",
                        "https://",
                        "ftp://x",
                        "/relative",
                        "https://x.com/{{x}}",
                        "https://{a}.com/{a-b}/{a_b}",
                        "https://x.com/a b",
                        "https://x.com/#{x}",
                        "https://{1}.com",
                        "https://{ }.com",
                        "https://x.com/}{",
                        "http://[::1]:8080/{v}",
                    ])
                    .to_string(),
            };
            let mut variables = Map::new();
            for _ in 0..rng.below(3) {
                let mut var = Map::new();
                if !rng.one_in(4) {
                    var.insert(
                        "default".into(),
                        if rng.one_in(4) { random_scalar(rng, &comps) } else { json!(weird_name(rng)) },
                    );
                }
                if rng.one_in(2) {
                    var.insert("enum".into(), random_enum(rng));
                }
                if rng.one_in(2) {
                    var.insert("description".into(), json!(weird_text(rng)));
                }
                variables.insert(weird_name(rng), Value::Object(var));
            }
            if let Some(start) = url.find('{') {
                let name = url[start + 1..].split('}').next().unwrap_or_default().to_string();
                variables.insert(name, json!({"default": "x"}));
            }
            let server = json!({"url": url, "description": weird_text(rng), "variables": variables});
            let servers = root.as_object_mut()?.entry("servers").or_insert_with(|| json!([]));
            if !servers.is_array() {
                *servers = json!([]);
            }
            let list = servers.as_array_mut()?;
            if rng.one_in(3) && !list.is_empty() {
                let copy = list[rng.below(list.len())].clone();
                list.push(copy);
            }
            list.push(server.clone());
            Some(format!("add server {server}"))
        }
        // Generic: delete, replace, duplicate, swap.
        0 | 1 => {
            let p = pick_path(rng, root, false, |_, _| true)?;
            remove(root, &p).then(|| format!("delete {}", show(&p)))
        }
        2 | 3 => {
            let p = pick_path(rng, root, false, |_, _| true)?;
            let v = random_value(rng, &comps, 0);
            let d = format!("replace {} with {}", show(&p), v);
            set(root, &p, v).then_some(d)
        }
        4 => {
            let from = pick_path(rng, root, false, |_, _| true)?;
            let to = pick_path(rng, root, true, |_, v| v.is_object() || v.is_array())?;
            let value = get(root, &from)?.clone();
            let key = if rng.one_in(2) {
                last_key(&from).map_or_else(|| weird_name(rng), str::to_string)
            } else {
                weird_name(rng)
            };
            let at = rng.below(8);
            match get_mut(root, &to)? {
                Value::Object(m) => {
                    m.insert(key.clone(), value);
                }
                Value::Array(a) => {
                    let i = at.min(a.len());
                    a.insert(i, value);
                }
                _ => return None,
            }
            Some(format!("duplicate {} into {} as {key:?}", show(&from), show(&to)))
        }
        5 => {
            let a = pick_path(rng, root, false, |_, _| true)?;
            let b = pick_path(rng, root, false, |_, _| true)?;
            if is_prefix(&a, &b) || is_prefix(&b, &a) {
                return None;
            }
            let va = get(root, &a)?.clone();
            let vb = get(root, &b)?.clone();
            set(root, &a, vb);
            set(root, &b, va);
            Some(format!("swap {} and {}", show(&a), show(&b)))
        }
        // `type` to a random or unknown value.
        6 | 7 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let t = match rng.below(6) {
                0 => json!(["string", "null"]),
                1 => random_scalar(rng, &comps),
                _ => json!(rng.pick(TYPES)),
            };
            let d = format!("{}: type = {t}", show(&p));
            get_mut(root, &p)?.as_object_mut()?.insert("type".into(), t);
            Some(d)
        }
        // `$ref`s to random, nonexistent, self and parent pointers.
        8 | 9 => {
            let p = pick_path(rng, root, false, |p, v| v.is_object() && (is_schemaish(p, v) || rng_free_ok(p)))?;
            let r = random_ref(rng, &comps, Some(&p));
            let d = format!("{}: $ref = {r}", show(&p));
            if rng.one_in(2) {
                set(root, &p, json!({"$ref": r}));
                Some(format!("{d} (alone)"))
            } else {
                get_mut(root, &p)?.as_object_mut()?.insert("$ref".into(), r);
                Some(format!("{d} (beside siblings)"))
            }
        }
        // Cycles.
        10 | 11 => make_cycle(rng, root, &comps),
        // Boolean `required`.
        12 => {
            let p = pick_path(rng, root, false, |p, v| is_schemaish(p, v) || is_parameter(p, v))?;
            let node = get_mut(root, &p)?.as_object_mut()?;
            let value = match rng.below(6) {
                0 | 1 => json!(true),
                2 => json!(false),
                3 => json!("true"),
                4 => json!([1, null, "missing", ""]),
                _ => Value::Null,
            };
            if let Some(Value::Object(props)) = node.get_mut("properties")
                && !props.is_empty()
                && rng.one_in(2)
            {
                let keys: Vec<String> = props.keys().cloned().collect();
                let k = rng.pick(&keys).clone();
                if let Some(Value::Object(prop)) = props.get_mut(&k) {
                    prop.insert("required".into(), value.clone());
                    return Some(format!("{}/properties/{k}: required = {value}", show(&p)));
                }
            }
            node.insert("required".into(), value.clone());
            Some(format!("{}: required = {value}", show(&p)))
        }
        // Compositions with weird members.
        13 | 14 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let key = *rng.pick(&["allOf", "oneOf", "anyOf"]);
            let members: Vec<Value> = (0..rng.small(0, 4))
                .map(|_| match rng.below(10) {
                    0 => Value::Null,
                    1 => json!(1),
                    2 => json!("str"),
                    3 => json!([]),
                    4 => json!({"$ref": ref_to(&p)}),
                    5 => json!({"type": "array", "items": {"$ref": ref_to(&p)}}),
                    _ => random_schema(rng, &comps, 1),
                })
                .collect();
            let value = match rng.below(8) {
                0 => json!({"a": members}),
                1 => json!("allOf"),
                _ => Value::Array(members),
            };
            let d = format!("{}: {key} = {value}", show(&p));
            get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
            Some(d)
        }
        // Enums with numbers, nulls, duplicates and clashing names.
        15 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let e = if rng.one_in(8) { random_scalar(rng, &comps) } else { random_enum(rng) };
            let d = format!("{}: enum = {e}", show(&p));
            let node = get_mut(root, &p)?.as_object_mut()?;
            if rng.one_in(2) {
                node.insert("type".into(), json!("string"));
            }
            node.insert("enum".into(), e);
            Some(d)
        }
        // Keyword-, unicode- and quote-laden names.
        16 | 17 => {
            let p = pick_path(rng, root, false, |_, v| v.as_object().is_some_and(|m| !m.is_empty()))?;
            let name = weird_name(rng);
            let node = get_mut(root, &p)?.as_object_mut()?;
            if rng.one_in(3) {
                // A new member beside the others (a property, a schema, a path, ...).
                let keys: Vec<String> = node.keys().cloned().collect();
                let like = node[rng.pick(&keys).as_str()].clone();
                node.insert(name.clone(), like);
                return Some(format!("{}: copy a member as {name:?}", show(&p)));
            }
            let keys: Vec<String> = node.keys().cloned().collect();
            let old = rng.pick(&keys).clone();
            let v = node.remove(&old)?;
            node.insert(name.clone(), v);
            Some(format!("{}: rename {old:?} to {name:?}", show(&p)))
        }
        // Names given as values: operationId, parameter names, discriminator.
        18 => {
            let key = *rng.pick(&["operationId", "name", "propertyName", "title"]);
            let p = pick_path(rng, root, false, |_, v| v.get(key).is_some())?;
            let name = weird_name(rng);
            get_mut(root, &p)?.as_object_mut()?.insert(key.into(), Value::String(name.clone()));
            Some(format!("{}: {key} = {name:?}", show(&p)))
        }
        // Path templates with unbalanced braces.
        19 => {
            let paths = root.get_mut("paths")?.as_object_mut()?;
            let keys: Vec<String> = paths.keys().cloned().collect();
            if keys.is_empty() {
                return None;
            }
            let old = rng.pick(&keys).clone();
            let new = match rng.below(6) {
                0 => rng
                    .pick(&[
                        "/a/{",
                        "/a/}",
                        "/{}",
                        "/{{id}}",
                        "/a/{id",
                        "/a/id}/{",
                        "{",
                        "}",
                        "",
                        "no-slash",
                        "/a/{ключ}",
                        "/x/{type}/{type}",
                        "/{a}{b}",
                        "/{a/b}",
                        "/}{",
                        "/{ }",
                        "/{\"}",
                        "/{é}",
                    ])
                    .to_string(),
                1 => format!("{old}/{{{}}}", weird_name(rng)),
                _ => {
                    let chars: Vec<char> = old.chars().collect();
                    let i = rng.below(chars.len() + 1);
                    let mut out: String = chars[..i].iter().collect();
                    match rng.below(3) {
                        0 => out.push('{'),
                        1 => out.push('}'),
                        _ => {}
                    }
                    let skip = usize::from(rng.one_in(2) && i < chars.len());
                    out.extend(&chars[i + skip..]);
                    out
                }
            };
            let v = paths.remove(&old)?;
            paths.insert(new.clone(), v);
            Some(format!("path {old:?} -> {new:?}"))
        }
        // Parameters: location, style, explode, schema, content.
        20 => {
            let p = pick_path(rng, root, false, is_parameter)?;
            let schema = random_schema(rng, &comps, 1);
            let node = get_mut(root, &p)?.as_object_mut()?;
            let d = match rng.below(7) {
                0 => {
                    let v = rng.pick(&["path", "query", "header", "cookie", "body", "formData", "", "QUERY"]);
                    node.insert("in".into(), json!(v));
                    format!("in = {v}")
                }
                1 => {
                    let v = rng.pick(&[
                        "simple",
                        "form",
                        "deepObject",
                        "matrix",
                        "label",
                        "spaceDelimited",
                        "pipeDelimited",
                        "x",
                    ]);
                    node.insert("style".into(), json!(v));
                    format!("style = {v}")
                }
                2 => {
                    let v = rng.one_in(2);
                    node.insert("explode".into(), json!(v));
                    format!("explode = {v}")
                }
                3 => {
                    node.insert("schema".into(), schema);
                    "random schema".into()
                }
                4 => {
                    let s = node.remove("schema").unwrap_or(json!({}));
                    node.insert("content".into(), json!({"application/json": {"schema": s}}));
                    "schema -> content".into()
                }
                5 => {
                    node.remove("name");
                    "no name".into()
                }
                _ => {
                    node.insert("allowReserved".into(), json!(true));
                    node.insert("allowEmptyValue".into(), json!(true));
                    "allowReserved/allowEmptyValue".into()
                }
            };
            Some(format!("{}: {d}", show(&p)))
        }
        // Media types and response codes.
        21 => {
            let which = rng.one_in(2);
            let p = if which {
                pick_path(rng, root, false, |p, v| last_key(p) == Some("content") && v.is_object())?
            } else {
                pick_path(rng, root, false, |p, v| last_key(p) == Some("responses") && v.is_object())?
            };
            let node = get_mut(root, &p)?.as_object_mut()?;
            let keys: Vec<String> = node.keys().cloned().collect();
            if keys.is_empty() {
                return None;
            }
            let old = rng.pick(&keys).clone();
            let new = if which {
                rng.pick(&[
                    "application/json",
                    "application/json; charset=utf-8",
                    "application/vnd.api+json",
                    "+json",
                    "json",
                    "",
                    "text/plain",
                    "multipart/form-data",
                    "application/x-www-form-urlencoded",
                    "*/*",
                    "application/xml",
                    "APPLICATION/JSON",
                    "application/json;",
                    ";",
                ])
                .to_string()
            } else {
                rng.pick(&[
                    "2XX",
                    "default",
                    "200",
                    "299",
                    "2",
                    "20",
                    "2a",
                    "",
                    "1XX",
                    "abc",
                    "-1",
                    "200 ",
                    "204",
                    "3XX",
                    "5XX",
                    "2ключ",
                ])
                .to_string()
            };
            let v = if rng.one_in(3) { node.get(&old)?.clone() } else { node.remove(&old)? };
            node.insert(new.clone(), v);
            Some(format!("{}: {old:?} -> {new:?}", show(&p)))
        }
        // Weird strings in descriptions, titles, summaries, versions, urls, examples.
        22 => {
            let p = pick_path(rng, root, false, |p, v| {
                v.is_string() || (v.is_object() && last_key(p).is_some_and(|k| k == "info" || k == "variables"))
            })?;
            let text = weird_text(rng);
            let d = format!("{}: text {text:?}", show(&p));
            match get_mut(root, &p)? {
                Value::Object(m) => {
                    let key = *rng.pick(&["description", "title", "summary", "version", "url", "default"]);
                    m.insert(key.into(), Value::String(text));
                }
                slot => *slot = Value::String(text),
            }
            Some(d)
        }
        // Constraints and flags with odd values.
        23 => {
            let p = pick_path(rng, root, false, is_schemaish)?;
            let key = *rng.pick(&[
                "minLength",
                "maxLength",
                "minimum",
                "maximum",
                "minItems",
                "maxItems",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
                "default",
                "nullable",
                "readOnly",
                "writeOnly",
                "deprecated",
                "format",
                "pattern",
                "uniqueItems",
                "additionalProperties",
                "items",
                "properties",
                "discriminator",
            ]);
            let value = match rng.below(6) {
                0 | 1 => random_number(rng),
                2 => json!(rng.one_in(2)),
                3 => {
                    json!({"propertyName": weird_name(rng), "mapping": {weird_name(rng): random_ref(rng, &comps, None)}})
                }
                _ => random_scalar(rng, &comps),
            };
            let d = format!("{}: {key} = {value}", show(&p));
            get_mut(root, &p)?.as_object_mut()?.insert(key.into(), value);
            Some(d)
        }
        // Rename a component, sometimes following the references; or nest deeply.
        _ => {
            if rng.one_in(3) {
                let p = pick_path(rng, root, false, is_schemaish)?;
                let inner = get(root, &p)?.clone();
                let levels = rng.small(1, 60);
                let kind = rng.below(6);
                let mut v = inner;
                for _ in 0..levels {
                    v = match kind {
                        0 => json!({"type": "array", "items": v}),
                        1 => json!({"allOf": [v]}),
                        2 => json!({"oneOf": [v, {"type": "string"}]}),
                        3 => json!({"anyOf": [{"type": "integer"}, v]}),
                        4 => json!({"type": "object", "additionalProperties": v}),
                        _ => json!({"type": "object", "properties": {"a": v}}),
                    };
                }
                set(root, &p, v);
                return Some(format!("{}: nest {levels} levels (kind {kind})", show(&p)));
            }
            if comps.is_empty() {
                return None;
            }
            let old = rng.pick(&comps).clone();
            let (section_ref, name) = old.rsplit_once('/')?;
            let new_name = weird_name(rng);
            let section = section_ref.strip_prefix("#/components/")?.replace("~1", "/").replace("~0", "~");
            let name = name.replace("~1", "/").replace("~0", "~");
            let entries = root.get_mut("components")?.get_mut(&section)?.as_object_mut()?;
            let v = entries.remove(&name)?;
            entries.insert(new_name.clone(), v);
            let follow = rng.one_in(2);
            if follow {
                let new_ref = format!("{section_ref}/{}", escape(&new_name));
                rewrite_refs(root, &old, &new_ref);
            }
            Some(format!("rename component {old} to {new_name:?}{}", if follow { " (refs follow)" } else { "" }))
        }
    }
}

/// Objects anywhere may get a `$ref` when not schema-like too (path items, responses, ...).
fn rng_free_ok(path: &[Seg]) -> bool {
    path.iter().any(|s| matches!(s, Seg::Key(k) if k == "paths" || k == "components"))
}

fn rewrite_refs(node: &mut Value, old: &str, new: &str) {
    match node {
        Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if k == "$ref" && v.as_str() == Some(old) {
                    *v = Value::String(new.to_string());
                } else {
                    rewrite_refs(v, old, new);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, old, new)),
        _ => {}
    }
}

/// Self- and mutually-referencing schemas, parameters, responses and path items.
fn make_cycle(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let schemas: Vec<&String> = comps.iter().filter(|c| c.starts_with("#/components/schemas/")).collect();
    if rng.one_in(5) {
        // Cycles outside schemas: a section entry or a path item pointing at itself or a sibling.
        let p = pick_path(rng, root, false, |p, v| {
            v.is_object()
                && (p.len() == 2 && p[0] == Seg::Key("paths".into())
                    || p.len() == 3 && p[0] == Seg::Key("components".into()))
        })?;
        let target = if comps.is_empty() || rng.one_in(2) { ref_to(&p) } else { rng.pick(comps).clone() };
        set(root, &p, json!({"$ref": target}));
        return Some(format!("{}: $ref cycle to {target}", show(&p)));
    }
    let a = if schemas.is_empty() || rng.one_in(6) {
        format!("#/components/schemas/{}", escape(&weird_name(rng)))
    } else {
        (*rng.pick(&schemas)).clone()
    };
    let b = if schemas.is_empty() { a.clone() } else { (*rng.pick(&schemas)).clone() };
    let me = json!({"$ref": a});
    let shape = rng.below(10);
    let value = match shape {
        0 => me.clone(),
        1 => json!({"type": "array", "items": me}),
        2 => json!({"allOf": [me]}),
        3 => json!({"allOf": [me, me]}),
        4 => json!({"type": "object", "additionalProperties": me}),
        5 => json!({"oneOf": [me]}),
        6 => json!({"allOf": [{"$ref": b}], "nullable": true}),
        7 => json!({"$ref": b}),
        8 => json!({"anyOf": [{"type": "array", "items": me}, {"type": "string"}]}),
        _ => json!({"type": "object", "properties": {"next": me, "list": {"type": "array", "items": me}}}),
    };
    let name = a.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
    let schemas_node = root
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas_node.as_object_mut()?.insert(name, value.clone());
    if shape == 7 && a != b {
        // The other direction too: a two-schema `$ref` loop.
        let other = b.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
        schemas_node.as_object_mut()?.insert(other, json!({"$ref": a}));
    }
    // Make sure something uses it.
    if rng.one_in(2)
        && let Some(p) =
            pick_path(rng, root, false, |p, v| is_schemaish(p, v) && !p.starts_with(&[Seg::Key("components".into())]))
    {
        set(root, &p, json!({"$ref": a}));
    }
    Some(format!("cycle shape {shape}: {a} = {value}"))
}

// ---------------------------------------------------------------------------------
// Byte-level mutations
// ---------------------------------------------------------------------------------

fn mutate_text(rng: &mut Rng, text: &str, log: &mut Vec<String>) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_at = |rng: &mut Rng| rng.below(lines.len().max(1));
    match rng.below(8) {
        0 => {
            let cut = rng.below(text.len() + 1);
            log.push(format!("truncate at byte {cut}"));
            String::from_utf8_lossy(&text.as_bytes()[..cut]).into_owned()
        }
        1 => {
            let mut bytes = text.as_bytes().to_vec();
            let n = rng.small(1, 8);
            for _ in 0..n {
                if bytes.is_empty() {
                    break;
                }
                let i = rng.below(bytes.len());
                bytes[i] = match rng.below(4) {
                    0 => bytes[i] ^ (1 << rng.below(8)),
                    1 => *rng.pick(b"{}[]:-'\"#&*!|>%@`, \t\n\\?"),
                    2 => rng.below(256) as u8,
                    _ => bytes[i].wrapping_add(1),
                };
            }
            log.push(format!("flip {n} bytes"));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        2 => {
            let i = line_at(rng);
            let n = rng.small(1, 5).min(lines.len().saturating_sub(i));
            log.push(format!("duplicate lines {}..{}", i + 1, i + n + 1));
            let mut out: Vec<&str> = lines[..i + n].to_vec();
            out.extend_from_slice(&lines[i..]);
            out.concat()
        }
        3 => {
            if lines.is_empty() {
                return text.to_string();
            }
            let i = line_at(rng);
            log.push(format!("delete line {}", i + 1));
            let mut out = lines.clone();
            out.remove(i);
            out.concat()
        }
        4 => {
            if lines.is_empty() {
                return text.to_string();
            }
            let i = line_at(rng);
            let n = rng.small(1, 4);
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let line = out[i].clone();
            out[i] = match rng.below(3) {
                0 => format!("{}{line}", " ".repeat(n)),
                1 => line.strip_prefix(&" ".repeat(n)).map_or(line.clone(), str::to_string),
                _ => format!("\t{line}"),
            };
            log.push(format!("indent line {}", i + 1));
            out.concat()
        }
        5 => {
            if lines.len() < 2 {
                return text.to_string();
            }
            let (a, b) = (line_at(rng), line_at(rng));
            let mut out = lines.clone();
            out.swap(a, b);
            log.push(format!("swap lines {} and {}", a + 1, b + 1));
            out.concat()
        }
        6 => {
            let insert = *rng.pick(&[
                ": ",
                "- ",
                "{",
                "}",
                "[",
                "]",
                "&a ",
                "*a",
                "!!binary ",
                "<<: *a\n",
                "? ",
                "|\n",
                ">-\n",
                "%YAML 1.2\n",
                "---\n",
                "...\n",
                "\t",
                "'",
                "\"",
                "#",
                "\\u0000",
                "\u{feff}",
                "~",
                "!!str ",
                "!tag ",
                ": {",
                "\r",
            ]);
            let mut i = rng.below(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            log.push(format!("insert {insert:?} at byte {i}"));
            format!("{}{insert}{}", &text[..i], &text[i..])
        }
        _ => {
            // Anchors and aliases: the same subtree under two keys.
            let i = line_at(rng);
            let Some(line) = lines.get(i) else { return text.to_string() };
            let trimmed = line.trim_end();
            if !trimmed.ends_with(':') {
                return text.to_string();
            }
            let indent = line.len() - line.trim_start().len();
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[i] = format!("{trimmed} &anchor\n");
            out.insert(i + 1, String::new());
            let key = trimmed.trim_start().trim_end_matches(':');
            out.push(format!("{}{key}_alias: *anchor\n", " ".repeat(indent)));
            log.push(format!("anchor line {} and alias it", i + 1));
            out.concat()
        }
    }
}

// ---------------------------------------------------------------------------------
// Running one case
// ---------------------------------------------------------------------------------

struct PanicRecord {
    location: String,
    message: String,
    backtrace: String,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<PanicRecord>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    let default = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        // Only the call threads are recorded silently; anything else is a bug here.
        if !thread::current().name().is_some_and(|n| n.starts_with("fuzz ")) {
            return default(info);
        }
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        let message = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "(non-string panic payload)".to_string()
        };
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(PanicRecord { location, message, backtrace }));
    }));
}

enum Outcome {
    Ok,
    Rejected(generator::Failure),
    Panic(PanicRecord),
    Hang,
}

fn run_one(text: &str, options: &generator::Options, thread_name: String) -> (Outcome, Duration) {
    let (tx, rx) = mpsc::channel();
    let text = text.to_string();
    let options = options.clone();
    let started = Instant::now();
    let handle = thread::Builder::new()
        .name(thread_name)
        .stack_size(CALL_STACK)
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &options)));
            let outcome = match result {
                Ok(Ok(_)) => Outcome::Ok,
                Ok(Err(failure)) => Outcome::Rejected(failure),
                Err(_) => Outcome::Panic(LAST_PANIC.with(|l| l.borrow_mut().take()).unwrap_or(PanicRecord {
                    location: "(unknown)".into(),
                    message: "(no panic hook record)".into(),
                    backtrace: String::new(),
                })),
            };
            let _ = tx.send(outcome);
        })
        .expect("spawn fuzz call thread");
    match rx.recv_timeout(hang_limit()) {
        Ok(outcome) => {
            let elapsed = started.elapsed();
            let _ = handle.join();
            (outcome, elapsed)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => (Outcome::Hang, started.elapsed()),
        Err(mpsc::RecvTimeoutError::Disconnected) => (
            Outcome::Panic(PanicRecord {
                location: "(call thread died)".into(),
                message: "the call thread ended without an answer".into(),
                backtrace: String::new(),
            }),
            started.elapsed(),
        ),
    }
}

/// "Build the output" mode (`FUZZ_BUILD_DIR`): every 8th accepted mutated spec, up to
/// `FUZZ_BUILD_SAMPLE` (default 12), is generated again as the crate
/// `fuzz-sample-<iteration>` into `FUZZ_BUILD_DIR/<iteration>/` (with the spec as
/// `spec.yaml`), for `cargo xtask ci-upstream` to compile and doc-test: an accepted
/// spec must give a crate that builds and runs no doctest.
fn save_build_sample(iteration: u64, case: &Case) {
    let Some(dir) = std::env::var_os("FUZZ_BUILD_DIR").map(PathBuf::from) else { return };
    if !iteration.is_multiple_of(8) {
        return;
    }
    let sample = env_num("FUZZ_BUILD_SAMPLE", 12.0) as usize;
    let _ = std::fs::create_dir_all(&dir);
    let taken = std::fs::read_dir(&dir).map(|entries| entries.filter_map(Result::ok).count()).unwrap_or(usize::MAX);
    if taken >= sample {
        return;
    }
    let mut options = case.options.clone();
    options.package = format!("fuzz-sample-{iteration}");
    options.standalone = false;
    let text = case.text.clone();
    let generated = thread::Builder::new()
        .stack_size(CALL_STACK)
        .spawn(move || generator::generate(&text, &options).ok())
        .ok()
        .and_then(|handle| handle.join().ok())
        .flatten();
    let Some(files) = generated else { return };
    let out = dir.join(iteration.to_string());
    for (path, text) in &files.files {
        let path = out.join(path);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }
    let _ = std::fs::write(out.join("spec.yaml"), case.saved_text());
}

/// The first frames of the generator's own source in a backtrace.
fn generator_frames(backtrace: &str, max: usize) -> Vec<String> {
    let lines: Vec<&str> = backtrace.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if let Some(at) = t.strip_prefix("at ")
            && at.contains("generator/src/")
        {
            let symbol = lines.get(i.wrapping_sub(1)).map(|s| s.trim()).unwrap_or_default();
            let symbol = symbol.split_once(": ").map_or(symbol, |(_, s)| s);
            let file = at.rsplit_once("generator/src/").map_or(at, |(_, f)| f);
            out.push(format!("generator/src/{file} ({symbol})"));
            if out.len() >= max {
                break;
            }
        }
    }
    out
}

/// The dedup key of a panic: its location when in the generator, else the first
/// generator frame of the backtrace, else the location.
fn panic_key(record: &PanicRecord) -> String {
    if record.location.contains("generator/src/") {
        let loc = record.location.rsplit_once("generator/src/").map_or(record.location.as_str(), |(_, f)| f);
        return format!("generator/src/{loc}");
    }
    match generator_frames(&record.backtrace, 1).first() {
        Some(frame) => format!("{} via {}", record.location, frame),
        None => record.location.clone(),
    }
}

/// Contract of an `Err`: at least one diagnostic, an error among them, non-empty text.
fn contract_problem(failure: &generator::Failure) -> Option<String> {
    if failure.diagnostics.is_empty() {
        return Some("Err(Failure) without diagnostics".into());
    }
    if failure.to_string().trim().is_empty() {
        return Some("Err(Failure) whose Display is empty".into());
    }
    if !failure.diagnostics.iter().any(|d| d.severity == generator::Severity::Error) {
        return Some("Err(Failure) with warnings only, no error".into());
    }
    if let Some(d) = failure.diagnostics.iter().find(|d| d.message.trim().is_empty()) {
        return Some(format!("a diagnostic with an empty message at {:?}", d.pointer));
    }
    None
}

/// What a rejection is about, for `FUZZ_STATS=1`: the first error's message without
/// quoted details.
fn rejection_kind(failure: &generator::Failure) -> String {
    let Some(d) = failure.diagnostics.iter().find(|d| d.severity == generator::Severity::Error) else {
        return "(no error)".into();
    };
    let mut out = String::new();
    let mut quoted = false;
    for c in d.message.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                out.push_str(if quoted { "`…" } else { "`" });
            }
            _ if quoted => {}
            _ => out.push(c),
        }
    }
    out.chars().take(70).collect()
}

/// A "generator bug" render error (the templates produced invalid Rust): key and text.
fn render_bug(failure: &generator::Failure) -> Option<(String, String)> {
    let d = failure
        .diagnostics
        .iter()
        .find(|d| d.message.contains("generator bug") || d.message.starts_with("template for"))?;
    let first = d.message.lines().next().unwrap_or_default();
    let key = match first.strip_prefix("generator bug: ") {
        // `{path}:{line}:{col}: {error}`: keep the error and the kind of file.
        Some(rest) => {
            let mut parts = rest.splitn(4, ':');
            let path = parts.next().unwrap_or_default();
            let _line = parts.next();
            let _col = parts.next();
            let error = parts.next().unwrap_or_default().trim();
            let kind = path.rsplit_once('/').map_or(path, |(dir, _)| dir);
            format!("{kind}/*: {error}")
        }
        None => first.to_string(),
    };
    Some((key, d.message.clone()))
}

// ---------------------------------------------------------------------------------
// Worker: the fuzz loop
// ---------------------------------------------------------------------------------

fn escape_field(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n").replace('\t', "\\t").replace('\r', "\\r")
}

fn unescape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    executions: u64,
    ok: u64,
    rejected: u64,
    panics: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.executions += other.executions;
        self.ok += other.ok;
        self.rejected += other.rejected;
        self.panics += other.panics;
    }
}

struct Finding {
    kind: &'static str,
    key: String,
    iteration: u64,
    seed: String,
    file: String,
    millis: u128,
    message: String,
    mutations: String,
}

impl Finding {
    fn line(&self) -> String {
        format!(
            "@@fuzz-finding\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.kind,
            escape_field(&self.key),
            self.iteration,
            escape_field(&self.seed),
            escape_field(&self.file),
            self.millis,
            escape_field(&self.message),
            escape_field(&self.mutations),
        )
    }

    fn parse(line: &str) -> Option<Finding> {
        let f: Vec<&str> = line.strip_prefix("@@fuzz-finding\t")?.split('\t').collect();
        if f.len() != 8 {
            return None;
        }
        let kind = match f[0] {
            "panic" => "panic",
            "hang" => "hang",
            "abort" => "abort",
            "contract" => "contract",
            "render-bug" => "render-bug",
            "slow" => "slow",
            _ => "other",
        };
        Some(Finding {
            kind,
            key: unescape_field(f[1]),
            iteration: f[2].parse().ok()?,
            seed: unescape_field(f[3]),
            file: unescape_field(f[4]),
            millis: f[5].parse().ok()?,
            message: unescape_field(f[6]),
            mutations: unescape_field(f[7]),
        })
    }

    fn fatal(&self) -> bool {
        matches!(self.kind, "panic" | "hang" | "abort" | "contract")
            || (self.kind == "render-bug" && env_flag("FUZZ_STRICT"))
    }
}

struct Budget {
    start: u64,
    end: u64,
    deadline: Instant,
    base_seed: u64,
}

/// Runs iterations `start..end` until the deadline; reports findings as protocol lines
/// on stdout (and collects them for in-process use). Returns the counts, the next
/// iteration, and whether it stopped because of a hang.
fn worker(budget: &Budget, seeds: &[Seed], findings: &mut Vec<Finding>) -> (Counts, u64, bool) {
    install_panic_hook();
    let dir = failures_dir();
    let pid = std::process::id();
    let in_flight_text = dir.join(format!("in-flight-{pid}.yaml"));
    let in_flight_meta = dir.join(format!("in-flight-{pid}.txt"));
    let mut counts = Counts::default();
    let mut saved: BTreeMap<String, usize> = BTreeMap::new();
    let mut iteration = budget.start;
    let mut stdout = std::io::stdout();
    let mut hang = false;
    let stats_on = env_flag("FUZZ_STATS");
    let mut stats: BTreeMap<String, u64> = BTreeMap::new();
    while iteration < budget.end && Instant::now() < budget.deadline {
        let case = make_case(iteration, budget.base_seed, seeds);
        let seed = &seeds[case.seed].name;
        let _ = std::fs::write(&in_flight_text, case.saved_text());
        let _ = std::fs::write(
            &in_flight_meta,
            format!(
                "{iteration}\t{seed}\t{}\t{}\t{}\t{}\t{}\n",
                counts.executions,
                counts.ok,
                counts.rejected,
                counts.panics,
                escape_field(&case.mutations.join("; "))
            ),
        );
        let (outcome, elapsed) = run_one(&case.text, &case.options, format!("fuzz {seed} #{iteration}"));
        counts.executions += 1;
        if iteration < seeds.len() as u64 {
            let result = match &outcome {
                Outcome::Ok => "ok".to_string(),
                Outcome::Rejected(f) => format!(
                    "rejected: {}",
                    f.diagnostics
                        .iter()
                        .find(|d| d.severity == generator::Severity::Error)
                        .map(|d| d.to_string())
                        .unwrap_or_default()
                ),
                Outcome::Panic(p) => format!("PANIC at {}: {}", p.location, p.message),
                Outcome::Hang => "HANG".into(),
            };
            let _ = writeln!(
                stdout,
                "@@fuzz-baseline\t{}\t{}\t{}",
                escape_field(seed),
                elapsed.as_millis(),
                escape_field(&result)
            );
        }
        let mut report = |kind: &'static str, key: String, message: String, details: String| {
            let n = saved.entry(format!("{kind} {key}")).or_insert(0);
            *n += 1;
            let file = if *n <= SAVE_PER_KEY || kind == "hang" {
                let stem = if matches!(kind, "panic" | "hang" | "contract") {
                    iteration.to_string()
                } else {
                    format!("{kind}-{iteration}")
                };
                let path = dir.join(format!("{stem}.yaml"));
                let _ = std::fs::write(&path, case.saved_text());
                let _ = std::fs::write(
                    dir.join(format!("{stem}.txt")),
                    format!(
                        "kind: {kind}\nkey: {key}\nseed: {seed}\niteration: {iteration}\nmillis: {}\nmutations:\n  {}\nmessage:\n{message}\n\n{details}\n",
                        elapsed.as_millis(),
                        case.mutations.join("\n  ")
                    ),
                );
                path.display().to_string()
            } else {
                String::new()
            };
            let finding = Finding {
                kind,
                key,
                iteration,
                seed: seed.clone(),
                file,
                millis: elapsed.as_millis(),
                message,
                mutations: case.mutations.join("; "),
            };
            let _ = writeln!(stdout, "{}", finding.line());
            let _ = stdout.flush();
            findings.push(finding);
        };
        match outcome {
            Outcome::Ok => {
                counts.ok += 1;
                if iteration >= seeds.len() as u64 {
                    save_build_sample(iteration, &case);
                }
            }
            Outcome::Rejected(failure) => {
                counts.rejected += 1;
                if stats_on {
                    *stats.entry(rejection_kind(&failure)).or_insert(0u64) += 1;
                }
                if let Some(problem) = contract_problem(&failure) {
                    report("contract", problem.clone(), format!("{problem}: {failure:?}"), String::new());
                }
                if let Some((key, message)) = render_bug(&failure) {
                    report("render-bug", key, message, String::new());
                }
            }
            Outcome::Panic(record) => {
                counts.panics += 1;
                let frames = generator_frames(&record.backtrace, 8);
                let details = format!(
                    "location: {}\nframes:\n  {}\n\nbacktrace:\n{}",
                    record.location,
                    frames.join("\n  "),
                    record.backtrace
                );
                let message = format!("{} (at {}; frames: {})", record.message, record.location, frames.join(" <- "));
                report("panic", panic_key(&record), message, details);
            }
            Outcome::Hang => {
                report(
                    "hang",
                    format!("no answer within {:?}", hang_limit()),
                    format!("still running after {:?}", elapsed),
                    String::new(),
                );
                hang = true;
            }
        }
        if !hang && elapsed > SLOW {
            report(
                "slow",
                format!("{} ms", elapsed.as_millis()),
                format!("took {} ms", elapsed.as_millis()),
                String::new(),
            );
        }
        iteration += 1;
        if hang {
            break;
        }
    }
    let _ = std::fs::remove_file(&in_flight_text);
    let _ = std::fs::remove_file(&in_flight_meta);
    for (kind, n) in &stats {
        let _ = writeln!(stdout, "@@fuzz-stat\t{}\t{n}", escape_field(kind));
    }
    let _ = writeln!(
        stdout,
        "@@fuzz-summary\t{iteration}\t{}\t{}\t{}\t{}\t{}",
        counts.executions,
        counts.ok,
        counts.rejected,
        counts.panics,
        u8::from(hang)
    );
    let _ = stdout.flush();
    (counts, iteration, hang)
}

// ---------------------------------------------------------------------------------
// Supervisor and the test
// ---------------------------------------------------------------------------------

#[test]
fn fuzz_generate_never_panics() {
    if env_flag("FUZZ_WORKER") {
        let seeds = load_seeds();
        let budget = Budget {
            start: env_num("FUZZ_START", 0.0) as u64,
            end: env_num("FUZZ_END", 0.0) as u64,
            deadline: Instant::now() + Duration::from_millis(env_num("FUZZ_MILLIS", 0.0) as u64),
            base_seed: env_num("FUZZ_SEED", 0.0) as u64,
        };
        let (_, _, hang) = worker(&budget, &seeds, &mut Vec::new());
        if hang {
            // The hung call thread cannot be stopped: end the process; the supervisor restarts.
            std::process::exit(0);
        }
        return;
    }

    let started = Instant::now();
    let iterations = env_num("FUZZ_ITERATIONS", 300.0) as u64;
    let seconds = env_num("FUZZ_SECONDS", 20.0);
    let deadline = started + Duration::from_secs_f64(seconds);
    let base_seed = env_num("FUZZ_SEED", 0.0) as u64;
    let seeds = load_seeds();
    let end = seeds.len() as u64 + iterations;
    println!(
        "fuzz: {} seeds ({}), up to {iterations} mutated specs or {seconds} s",
        seeds.len(),
        seeds.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
    );

    let mut findings: Vec<Finding> = Vec::new();
    let mut counts = Counts::default();
    let mut restarts = 0u64;
    let mut stats: BTreeMap<String, u64> = BTreeMap::new();
    if env_flag("FUZZ_IN_PROCESS") {
        let budget = Budget { start: 0, end, deadline, base_seed };
        let (c, _, _) = worker(&budget, &seeds, &mut findings);
        counts = c;
    } else {
        let exe = std::env::current_exe().expect("test executable");
        let dir = failures_dir();
        let mut start = 0u64;
        while start < end && Instant::now() < deadline {
            let millis = deadline.saturating_duration_since(Instant::now()).as_millis();
            let child = Command::new(&exe)
                .args(["fuzz_generate_never_panics", "--exact", "--nocapture", "--test-threads", "1"])
                .env("FUZZ_WORKER", "1")
                .env("FUZZ_START", start.to_string())
                .env("FUZZ_END", end.to_string())
                .env("FUZZ_MILLIS", millis.to_string())
                .env("FUZZ_SEED", base_seed.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start the fuzz worker");
            let pid = child.id();
            let output = child.wait_with_output().expect("wait for the fuzz worker");
            let stdout = String::from_utf8_lossy(&output.stdout);
            let mut summary = None;
            for line in stdout.lines() {
                // The test harness may print `test ... ` on the same line first.
                let Some(at) = line.find("@@fuzz-") else { continue };
                let line = &line[at..];
                if let Some(f) = Finding::parse(line) {
                    findings.push(f);
                } else if let Some(rest) = line.strip_prefix("@@fuzz-baseline\t") {
                    let f: Vec<&str> = rest.splitn(3, '\t').collect();
                    if f.len() == 3 {
                        println!(
                            "fuzz: seed {} ({} ms): {}",
                            unescape_field(f[0]),
                            f[1],
                            unescape_field(f[2]).lines().next().unwrap_or_default()
                        );
                    }
                } else if let Some(rest) = line.strip_prefix("@@fuzz-stat\t") {
                    if let Some((kind, n)) = rest.rsplit_once('\t') {
                        *stats.entry(unescape_field(kind)).or_insert(0) += n.parse::<u64>().unwrap_or(0);
                    }
                } else if let Some(rest) = line.strip_prefix("@@fuzz-summary\t") {
                    let f: Vec<u64> = rest.split('\t').filter_map(|x| x.parse().ok()).collect();
                    if f.len() == 6 {
                        summary = Some(f);
                    }
                }
            }
            if let Some(s) = summary {
                counts.add(Counts { executions: s[1], ok: s[2], rejected: s[3], panics: s[4] });
                if s[5] == 1 {
                    restarts += 1;
                    start = s[0];
                    continue;
                }
                break;
            }
            // The worker died (stack overflow, abort, out of memory): report the in-flight case.
            restarts += 1;
            let meta_path = dir.join(format!("in-flight-{pid}.txt"));
            let text_path = dir.join(format!("in-flight-{pid}.yaml"));
            let meta = std::fs::read_to_string(&meta_path).unwrap_or_default();
            let m: Vec<&str> = meta.trim_end_matches('\n').split('\t').collect();
            let stderr = String::from_utf8_lossy(&output.stderr);
            if m.len() < 7 {
                panic!("the fuzz worker died before its first case ({}):\n{stderr}\n{stdout}", output.status);
            }
            let iteration: u64 = m[0].parse().unwrap_or(start);
            let n = |i: usize| m[i].parse::<u64>().unwrap_or(0);
            counts.add(Counts { executions: n(2) + 1, ok: n(3), rejected: n(4), panics: n(5) });
            let key = if stderr.contains("has overflowed its stack") {
                "stack overflow".to_string()
            } else if stderr.contains("memory allocation of") {
                "out of memory".to_string()
            } else {
                format!("worker died: {}", output.status)
            };
            let saved = dir.join(format!("{iteration}.yaml"));
            let _ = std::fs::rename(&text_path, &saved);
            let tail: Vec<&str> = stderr.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
            let _ = std::fs::write(
                dir.join(format!("{iteration}.txt")),
                format!(
                    "kind: abort\nkey: {key}\nseed: {}\niteration: {iteration}\nmutations: {}\nstderr:\n{stderr}\n",
                    m[1],
                    unescape_field(m[6])
                ),
            );
            let _ = std::fs::remove_file(&meta_path);
            let finding = Finding {
                kind: "abort",
                key,
                iteration,
                seed: m[1].to_string(),
                file: saved.display().to_string(),
                millis: 0,
                message: tail.join(" | "),
                mutations: unescape_field(m[6]),
            };
            findings.push(finding);
            start = iteration + 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();

    // Distinct findings, by kind and key.
    let mut distinct: BTreeMap<(&str, &str), (usize, &Finding)> = BTreeMap::new();
    for f in &findings {
        let entry = distinct.entry((f.kind, f.key.as_str())).or_insert((0, f));
        entry.0 += 1;
        if entry.1.file.is_empty() && !f.file.is_empty() {
            entry.1 = f;
        }
    }
    let count = |kind: &str| findings.iter().filter(|f| f.kind == kind).count();
    let hangs = count("hang");
    let aborts = count("abort");
    for ((kind, key), (n, f)) in &distinct {
        if *kind == "slow" {
            continue;
        }
        println!(
            "fuzz: {kind} x{n}: {key}\n      first: seed {} iteration {} -> {}\n      {}\n      mutations: {}",
            f.seed,
            f.iteration,
            if f.file.is_empty() { "(not saved)" } else { &f.file },
            f.message.lines().next().unwrap_or_default(),
            f.mutations
        );
    }
    let mut top: Vec<(&String, &u64)> = stats.iter().collect();
    top.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
    for (kind, n) in top.iter().take(25) {
        println!("fuzz: rejected x{n}: {kind}");
    }
    let mut slow: Vec<&Finding> = findings.iter().filter(|f| f.kind == "slow").collect();
    slow.sort_by_key(|f| std::cmp::Reverse(f.millis));
    for f in slow.iter().take(5) {
        println!("fuzz: slow: {} ms, seed {} iteration {} -> {}", f.millis, f.seed, f.iteration, f.file);
    }
    println!(
        "fuzz: {} executions, {} ok, {} rejected with diagnostics, {} panics in {elapsed:.1} s",
        counts.executions, counts.ok, counts.rejected, counts.panics
    );
    println!(
        "fuzz: {:.1} executions/s; {hangs} hangs, {aborts} aborts, {} contract violations, {} render bugs, {} slow calls, {restarts} worker restarts",
        counts.executions as f64 / elapsed.max(1e-9),
        count("contract"),
        count("render-bug"),
        slow.len()
    );
    let fatal: Vec<String> = distinct
        .iter()
        .filter(|(_, (_, f))| f.fatal())
        .map(|((kind, key), (n, f))| {
            format!(
                "{kind} x{n} at {key}: seed `{}`, iteration {}, input {}\n    {}",
                f.seed,
                f.iteration,
                if f.file.is_empty() { "(not saved)" } else { &f.file },
                f.message.lines().next().unwrap_or_default()
            )
        })
        .collect();
    assert!(fatal.is_empty(), "generate() panicked, hung or broke its contract:\n{}", fatal.join("\n"));
}

// ---------------------------------------------------------------------------------
// Repro and minimiser
// ---------------------------------------------------------------------------------

/// Runs one file (`FUZZ_REPRO`) and prints `@@repro\t<kind>\t<key>\t<message>`.
#[test]
#[ignore = "helper: FUZZ_REPRO=<file>"]
fn fuzz_repro() {
    let Ok(path) = std::env::var("FUZZ_REPRO") else { return };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    install_panic_hook();
    let (outcome, elapsed) = run_one(&text, &options_of(&text), "fuzz repro".into());
    let (kind, key, message) = match outcome {
        Outcome::Ok => ("ok", String::new(), String::new()),
        Outcome::Rejected(f) => match (contract_problem(&f), render_bug(&f)) {
            (Some(p), _) => ("contract", p, f.to_string()),
            (None, Some((key, message))) => ("render-bug", key, message),
            (None, None) => ("rejected", String::new(), f.to_string()),
        },
        Outcome::Panic(p) => {
            let frames = generator_frames(&p.backtrace, 8).join("\n  ");
            let message = format!("{}\n  at {}\n  {frames}", p.message, p.location);
            ("panic", panic_key(&p), message)
        }
        Outcome::Hang => ("hang", String::new(), String::new()),
    };
    println!("@@repro\t{kind}\t{}\t{}", escape_field(&key), escape_field(&message));
    println!("{kind} in {} ms: {key}\n{message}", elapsed.as_millis());
    std::io::stdout().flush().unwrap();
    if kind == "hang" {
        std::process::exit(0);
    }
}

/// Runs `text` in a child process: `(kind, key)`.
fn classify(text: &str) -> (String, String) {
    let dir = failures_dir();
    let path = dir.join(format!("minimise-{}.yaml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["fuzz_repro", "--exact", "--ignored", "--nocapture", "--test-threads", "1"])
        .env("FUZZ_REPRO", &path)
        .env_remove("FUZZ_WORKER")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limit = hang_limit().mul_f64(1.5) + Duration::from_secs(1);
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return ("hang".into(), String::new());
        }
        thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        let Some(at) = line.find("@@repro\t") else { continue };
        if let Some(rest) = line[at..].strip_prefix("@@repro\t") {
            let f: Vec<&str> = rest.splitn(3, '\t').collect();
            return (f[0].to_string(), unescape_field(f.get(1).copied().unwrap_or_default()));
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let key = if stderr.contains("has overflowed its stack") {
        "stack overflow".to_string()
    } else {
        format!("died: {}", output.status)
    };
    ("abort".into(), key)
}

/// Shrinks `FUZZ_MINIMISE` while `classify` gives the same answer.
#[test]
#[ignore = "helper: FUZZ_MINIMISE=<file>"]
fn fuzz_minimise() {
    let Ok(path) = std::env::var("FUZZ_MINIMISE") else { return };
    let original = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let target = classify(&original);
    println!("minimise: {path}: {} {}", target.0, target.1);
    assert!(!matches!(target.0.as_str(), "ok" | "rejected"), "nothing to minimise: the input is {}", target.0);
    let header =
        original.lines().next().filter(|l| l.starts_with(OPTIONS_PREFIX)).map(|l| format!("{l}\n")).unwrap_or_default();
    let mut runs = 0usize;
    let mut same = |text: &str| {
        runs += 1;
        classify(text) == target
    };
    let mut best = original.clone();

    // Structure first, when the tree survives re-serialisation.
    if let Ok(mut tree) = serde_yaml::from_str::<Value>(&original) {
        let render = |t: &Value| format!("{header}{}", serde_yaml::to_string(t).unwrap());
        if same(&render(&tree)) {
            loop {
                let mut progress = false;
                // Delete nodes, biggest first (paths in pre-order: ancestors come first).
                let mut i = 0;
                loop {
                    let paths = all_paths(&tree);
                    let Some(p) = paths.get(i + 1).cloned() else { break };
                    let mut candidate = tree.clone();
                    if remove(&mut candidate, &p) && same(&render(&candidate)) {
                        tree = candidate;
                        progress = true;
                        continue;
                    }
                    i += 1;
                }
                // Simplify: containers to empty, strings to short ones.
                for p in all_paths(&tree).into_iter().skip(1) {
                    let Some(node) = get(&tree, &p) else { continue };
                    let simpler = match node {
                        Value::Object(m) if !m.is_empty() => json!({}),
                        Value::Array(a) if !a.is_empty() => json!([]),
                        Value::String(s) if s.chars().count() > 1 && !matches!(last_key(&p), Some("$ref")) => {
                            json!("x")
                        }
                        _ => continue,
                    };
                    let mut candidate = tree.clone();
                    set(&mut candidate, &p, simpler);
                    if same(&render(&candidate)) {
                        tree = candidate;
                        progress = true;
                    }
                }
                if !progress {
                    break;
                }
            }
            best = render(&tree);
        }
    }

    // Then lines.
    let mut lines: Vec<String> = best.split_inclusive('\n').map(str::to_string).collect();
    let mut chunk = (lines.len() / 2).max(1);
    while chunk >= 1 {
        let mut i = usize::from(!header.is_empty());
        let mut progress = false;
        while i < lines.len() {
            let mut candidate = lines.clone();
            candidate.drain(i..(i + chunk).min(lines.len()));
            if same(&candidate.concat()) {
                lines = candidate;
                progress = true;
            } else {
                i += chunk;
            }
        }
        if !progress {
            if chunk == 1 {
                break;
            }
            chunk /= 2;
        }
    }
    let best = lines.concat();
    let out = std::env::var("FUZZ_MINIMISE_OUT").unwrap_or_else(|_| format!("{path}.min.yaml"));
    std::fs::write(&out, &best).unwrap();
    println!("minimise: {} -> {} bytes in {runs} runs: {out}\n{best}", original.len(), best.len());
}
