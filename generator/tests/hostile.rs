//! Hostile specs, built here at test time (some are large): each must generate or be
//! refused with a diagnostic, never crash, hang or blow up; whatever is generated
//! carries inert docs. One case per class of the threat model in ARCHITECTURE.md.
//!
//! Times are not asserted (they live in `cargo xtask bench`); a case slower than
//! [`HANG`] is reported as a hang, since before the fixes these took minutes.
//! The checked-in `fixtures/hostile-*.yaml` are the small cases; they are also built,
//! linted and doc-tested by `cargo xtask test` (no doctest may come from a spec).

use std::fmt::Write as _;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// A call slower than this (debug build) is a hang.
const HANG: Duration = Duration::from_secs(90);

fn options() -> generator::Options {
    generator::Options::new("hostile", "hostile.yaml")
}

/// Runs the generator on a thread of the default (2 MiB) stack, as a caller with a
/// small stack would, and waits at most [`HANG`].
fn run(text: String) -> Result<generator::Output, generator::Failure> {
    let (send, receive) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let _ = send.send(generator::generate(&text, &options()));
        })
        .unwrap();
    receive.recv_timeout(HANG).expect("the generator hangs (or panicked)")
}

fn spec(schemas: Value, paths: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": paths, "components": {"schemas": schemas}})
}

fn get_returning(schema: Value) -> Value {
    json!({"/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": schema}}}}}}})
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn generates(text: String) -> generator::Output {
    match run(text) {
        Ok(output) => {
            assert_inert(&output.files);
            output
        }
        Err(failure) => panic!("should generate:\n{failure}"),
    }
}

fn refused(text: String, expected: &str) -> generator::Failure {
    match run(text) {
        Ok(_) => panic!("should be refused ({expected})"),
        Err(failure) => {
            let shown = failure.to_string();
            assert!(shown.contains(expected), "expected {expected:?} in:\n{shown}");
            failure
        }
    }
}

/// Docs of generated files carry no runnable code block and no raw HTML tag: every
/// fence opens as `text`, but the generator's own operation examples (a plain fence, right
/// under an `# Example` heading), and outside code spans `<` only starts a web autolink.
fn assert_inert(files: &std::collections::BTreeMap<String, String>) {
    for (path, text) in files.iter().filter(|(p, _)| !p.starts_with("src/runtime/")) {
        let mut fence: Option<usize> = None;
        let mut previous: Vec<String> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let doc = if path.ends_with(".md") {
                line
            } else if let Some(rest) = trimmed.strip_prefix("///").or_else(|| trimmed.strip_prefix("//!")) {
                rest.strip_prefix(' ').unwrap_or(rest)
            } else {
                continue;
            };
            let ticks = doc.chars().take_while(|c| *c == '`').count();
            if ticks >= 3 || doc.starts_with("~~~") {
                match fence {
                    Some(open) if ticks >= open && doc.trim() == "`".repeat(ticks) => fence = None,
                    Some(_) => {}
                    None => {
                        // Our operation examples run (a plain fence after `# Example`).
                        let ours =
                            doc[ticks..].is_empty() && previous.ends_with(&["# Example".to_string(), String::new()]);
                        if !ours {
                            assert_eq!(
                                &doc[ticks..],
                                "text",
                                "{path}:{}: a code block that is not `text`: {doc}",
                                n + 1
                            );
                        }
                        fence = Some(ticks);
                    }
                }
                previous.clear();
                continue;
            }
            previous.push(doc.to_string());
            if fence.is_some() || path.ends_with(".md") && line.starts_with("<!--") {
                continue;
            }
            let outside_code: String = doc.split('`').step_by(2).collect();
            let mut rest = outside_code.as_str();
            while let Some(i) = rest.find('<') {
                rest = &rest[i + 1..];
                let tag_like = rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
                let autolink = rest.starts_with("http://") || rest.starts_with("https://");
                assert!(!tag_like || autolink, "{path}:{}: raw tag in docs: {doc}", n + 1);
            }
        }
    }
}

#[test]
fn checked_in_hostile_fixtures_have_inert_docs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        generates(std::fs::read_to_string(&path).unwrap());
    }
}

/// Aborts: long `$ref` chains through every kind of link, and deep inline nesting.
#[test]
fn long_chains_and_deep_nesting_neither_overflow_nor_count_as_cycles() {
    /// A schema linking to the `$ref` it is given.
    type Link = fn(Value) -> Value;
    let links: [(&str, Link); 5] = [
        ("properties", |r| json!({"type": "object", "properties": {"next": r}})),
        ("items", |r| json!({"type": "object", "properties": {"list": {"type": "array", "items": r}}})),
        (
            "allOf",
            |r| json!({"type": "object", "properties": {"x": {"type": "string"}}, "allOf": [{"type": "object", "properties": {"n": r}}]}),
        ),
        ("oneOf", |r| json!({"oneOf": [r, {"type": "string"}]})),
        (
            "additionalProperties",
            |r| json!({"type": "object", "properties": {"m": {"type": "object", "additionalProperties": r}}}),
        ),
    ];
    for (kind, link) in links {
        let mut schemas = serde_json::Map::new();
        // 1000 links: far past MAX_DEPTH (128), within the output cap (about 25 bytes of
        // Rust per byte of this compact JSON).
        for i in 0..1000 {
            schemas.insert(format!("s{i}"), link(reference(&format!("s{}", i + 1))));
        }
        schemas.insert("s1000".into(), json!({"type": "object", "properties": {"end": {"type": "string"}}}));
        let output = generates(spec(Value::Object(schemas), get_returning(reference("s0"))).to_string());
        assert!(output.files.len() > 1000, "{kind}: {}", output.files.len());
    }
    // A 40-long chain of plain `$ref`s is not a cycle.
    let mut schemas = serde_json::Map::new();
    for i in 0..40 {
        schemas.insert(format!("r{i}"), reference(&format!("r{}", i + 1)));
    }
    schemas.insert("r40".into(), json!({"type": "object", "properties": {"x": {"type": "string"}}}));
    generates(spec(Value::Object(schemas), get_returning(reference("r0"))).to_string());
    // `allOf` chains of 40 inline parts flatten too.
    let mut part = json!({"type": "object", "properties": {"p0": {"type": "string"}}});
    for i in 1..40 {
        part = json!({"allOf": [part, {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}}]});
    }
    generates(spec(json!({"deep": part}), get_returning(reference("deep"))).to_string());
}

#[test]
fn nested_inline_arrays_up_to_the_bound_generate_and_past_it_are_refused() {
    let nested = |levels: usize| {
        let mut schema = json!({"type": "string"});
        for _ in 0..levels {
            schema = json!({"type": "array", "items": schema});
        }
        spec(json!({}), get_returning(json!({"type": "object", "properties": {"x": schema}}))).to_string()
    };
    // YAML and JSON parsers stop at 128 levels of text nesting; the bound counts
    // schema levels, which `$ref`s can stack without text nesting.
    generates(nested(40));
    let mut schemas = serde_json::Map::new();
    for i in 0..200 {
        schemas.insert(format!("a{i}"), json!({"type": "array", "items": reference(&format!("a{}", i + 1))}));
    }
    schemas.insert("a200".into(), json!({"type": "string"}));
    let failure =
        refused(spec(Value::Object(schemas), get_returning(reference("a0"))).to_string(), "nest more than 128 levels");
    assert!(failure.diagnostics.iter().any(|d| d.pointer.starts_with("/components/schemas/a")));
}

/// Time: quadratic work on many warnings, many operations, brackets, dense links,
/// deep flow nesting; all linear now.
#[test]
fn large_hostile_specs_are_linear() {
    // 3000 schemas whose names clash after casing: 3000 warnings, each with a line.
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n",
    );
    for i in 0..3000 {
        let _ = writeln!(yaml, "                  p{i}: {{$ref: '#/components/schemas/item_{i}'}}");
    }
    yaml.push_str("components:\n  schemas:\n");
    for i in 0..3000 {
        let _ = writeln!(
            yaml,
            "    item_{i}:\n      type: object\n      properties: {{x: {{type: string}}}}\n    Item{i}:\n      type: object\n      properties: {{y: {{type: string}}}}"
        );
    }
    let output = generates(yaml);
    assert!(
        output.warnings.len() > 400
            && output.warnings.iter().all(|w| w.line.is_some() || w.message.contains("more findings"))
    );

    // 1000 operations without operationId (as many as the output cap allows here: each
    // is a file of its own).
    let mut paths = serde_json::Map::new();
    for i in 0..1000 {
        paths.insert(format!("/p{i}"), json!({"get": {"responses": {"204": {"description": "ok"}}}}));
    }
    generates(spec(json!({}), Value::Object(paths)).to_string());

    // 400 KB of brackets in one description, and half-links.
    let description = "[".repeat(200_000) + &"[a](b".repeat(40_000);
    let text =
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1", "description": description}, "paths": {}});
    generates(text.to_string());

    // Densely linked schemas: 1500 objects with 20 references each.
    let mut schemas = serde_json::Map::new();
    for i in 0..1500 {
        let properties: serde_json::Map<String, Value> =
            (1..=20).map(|k| (format!("p{k}"), reference(&format!("d{}", (i * 7 + k * 13) % 1500)))).collect();
        schemas.insert(format!("d{i}"), json!({"type": "object", "properties": properties}));
    }
    generates(spec(Value::Object(schemas), get_returning(reference("d0"))).to_string());

    // Deep YAML flow nesting is refused before the YAML parser sees it.
    let flow = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    refused(flow, "flow collections");
    // ... but brackets inside block text and quoted strings do not count.
    let prose = format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  description: |\n    {}\npaths: {{}}\nx: '{}'\n",
        "[[[[".repeat(500),
        "[".repeat(500)
    );
    generates(prose);
}

/// Size: YAML aliases that expand a small file into a huge tree are refused; a spec
/// that would generate far more than it states is refused by the output cap.
#[test]
fn aliases_and_output_amplification_are_bounded() {
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n",
    );
    for level in 1..9 {
        let _ = writeln!(
            yaml,
            "  l{level}: &l{level} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]",
            p = level - 1
        );
    }
    refused(yaml, "expands to more than");

    // An alias repeating one schema with many inline objects into many operations.
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nx-shared: &shared\n  type: object\n  properties:\n",
    );
    for i in 0..40 {
        let _ = writeln!(
            yaml,
            "    p{i}: {{type: object, properties: {{a{i}: {{type: object, properties: {{b: {{type: string}}}}}}}}}}"
        );
    }
    yaml.push_str("paths:\n");
    for i in 0..300 {
        let _ = writeln!(
            yaml,
            "  /p{i}:\n    get:\n      operationId: op{i}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: *shared"
        );
    }
    let text_len = yaml.len();
    match run(yaml) {
        Ok(output) => {
            let size: usize =
                output.files.iter().filter(|(p, _)| !p.starts_with("src/runtime/")).map(|(_, t)| t.len()).sum();
            assert!(size <= generator::limits::max_output_bytes(text_len), "{size} bytes from {text_len}");
        }
        Err(failure) => {
            assert!(failure.to_string().contains("expands") || failure.to_string().contains("would be"), "{failure}")
        }
    }
}

/// Names that would not build or not be written: a package name that injects TOML,
/// names only a symbol apart.
#[test]
fn package_names_are_checked_before_anything_else() {
    let text = spec(json!({}), json!({})).to_string();
    for bad in ["x\nbuild = \"evil.rs\"", "a b", "self", "nul", ""] {
        let options = generator::Options::new(bad, "x.yaml");
        let failure = generator::generate(&text, &options).unwrap_err();
        assert!(failure.to_string().contains("package name"), "{bad:?}: {failure}");
    }
}

#[test]
fn server_variables_and_titles_stay_valid() {
    let text = json!({
        "openapi": "3.0.3",
        "info": {"title": "Soft\u{ad}hyphen \u{202e}bidi\u{202c} \"quoted\" \\ back", "version": "1\u{7}"},
        "servers": [{"url": "https://{a-b}.{a_b}.{host_label}.x/{a-b}", "variables": {"a-b": {"default": "1"}, "a_b": {"default": "2"}, "host_label": {"default": "3"}}}],
        "paths": {}
    });
    let output = generates(text.to_string());
    let manifest = &output.files["Cargo.toml"];
    let description = manifest.lines().find(|l| l.starts_with("description")).unwrap();
    assert!(!description.contains('\u{ad}') && !description.contains('\u{202e}'), "{description}");
    assert!(description.contains(r#"\"quoted\" \\ back"#), "{description}");
    let server = &output.files["src/server.rs"];
    assert!(server.contains("a_b2"), "{server}");
    // A variable named like the encoding helper keeps its name: the helper is called
    // by its path (`Self::host_label`), which no binding shadows.
    assert!(server.contains("Self::host_label(host_label)"), "{server}");
}

/// Measurement helper for `cargo xtask bench` (never asserts a time): one spec of about
/// 1 MB per class of the threat model, each generated once, printing
/// `@@hostile<TAB>class<TAB>bytes<TAB>milliseconds<TAB>outcome` lines, then the process's
/// peak resident memory (`@@hostile-peak-rss<TAB>KiB`, Linux).
///
/// `cargo test --release -p generator --test hostile -- --ignored --nocapture hostile_1mb`
#[test]
#[ignore = "a measurement for cargo xtask bench"]
fn hostile_1mb() {
    const TARGET: usize = 1 << 20;
    let mut cases: Vec<(&str, String)> = Vec::new();

    // Names that clash after casing, each with a warning.
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    let mut i = 0;
    while yaml.len() < TARGET {
        let _ = writeln!(yaml, "    item_{i}: {{type: object, properties: {{x: {{type: string}}}}}}");
        let _ = writeln!(yaml, "    Item{i}: {{type: object, properties: {{y: {{type: string}}}}}}");
        i += 1;
    }
    cases.push(("name clashes", yaml));

    // Operations without operationId.
    let mut paths = serde_json::Map::new();
    let mut i = 0;
    while paths.len() * 60 < TARGET {
        paths.insert(format!("/p{i}"), json!({"get": {"responses": {"204": {"description": "ok"}}}}));
        i += 1;
    }
    cases.push(("operations without operationId", spec(json!({}), Value::Object(paths)).to_string()));

    // Brackets and half-links in one description.
    let description = "[".repeat(TARGET / 2) + &"[a](b".repeat(TARGET / 10);
    let text =
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1", "description": description}, "paths": {}});
    cases.push(("brackets in prose", text.to_string()));

    // Hostile prose: fences, HTML, bidi controls, repeated.
    let chunk =
        "```should_panic\nfn main() {}\n```\n~~~\nx\n~~~\n<script>alert(1)</script> `a <img onerror=x>\u{202e}\n";
    let description = chunk.repeat(TARGET / chunk.len());
    let text =
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1", "description": description}, "paths": {}});
    cases.push(("fences and HTML in prose", text.to_string()));

    // Densely linked schemas.
    let mut schemas = serde_json::Map::new();
    let n = TARGET / 1100;
    for i in 0..n {
        let properties: serde_json::Map<String, Value> =
            (1..=20).map(|k| (format!("p{k}"), reference(&format!("d{}", (i * 7 + k * 13) % n)))).collect();
        schemas.insert(format!("d{i}"), json!({"type": "object", "properties": properties}));
    }
    cases.push(("densely linked schemas", spec(Value::Object(schemas), get_returning(reference("d0"))).to_string()));

    // A long `$ref` chain through properties.
    let mut schemas = serde_json::Map::new();
    let n = TARGET / 90;
    for i in 0..n {
        schemas.insert(
            format!("s{i}"),
            json!({"type": "object", "properties": {"next": reference(&format!("s{}", i + 1))}}),
        );
    }
    schemas.insert(format!("s{n}"), json!({"type": "string"}));
    cases.push(("long $ref chain", spec(Value::Object(schemas), get_returning(reference("s0"))).to_string()));

    // Deep YAML flow nesting (refused before parsing).
    let half = TARGET / 2;
    cases.push((
        "deep flow nesting",
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx: {}{}\n",
            "[".repeat(half),
            "]".repeat(half)
        ),
    ));

    // Nested inline arrays far past the depth bound (built as text: a `Value` this deep
    // would overflow this thread's own stack when serialised or dropped).
    let levels = TARGET / 40;
    let schema =
        format!("{}{{\"type\":\"string\"}}{}", "{\"type\":\"array\",\"items\":".repeat(levels), "}".repeat(levels));
    let text = spec(json!({}), get_returning(json!("SCHEMA"))).to_string().replace("\"SCHEMA\"", &schema);
    cases.push(("deep inline nesting", text));

    // YAML aliases: a billion laughs.
    let mut yaml = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx:\n  l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n",
    );
    for level in 1..12 {
        let _ = writeln!(
            yaml,
            "  l{level}: &l{level} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]",
            p = level - 1
        );
    }
    cases.push(("YAML alias expansion", yaml));

    for (class, text) in cases {
        let bytes = text.len();
        let started = std::time::Instant::now();
        let outcome = match run(text) {
            Ok(output) => format!("generated {} files, {} warnings", output.files.len(), output.warnings.len()),
            Err(failure) => {
                let first = failure.diagnostics.first().map(|d| d.message.clone()).unwrap_or_default();
                format!("refused: {}", first.chars().take(80).collect::<String>())
            }
        };
        println!("@@hostile\t{class}\t{bytes}\t{}\t{outcome}", started.elapsed().as_millis());
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        let kib: String = line.chars().filter(char::is_ascii_digit).collect();
        println!("@@hostile-peak-rss\t{kib}");
    }
}
