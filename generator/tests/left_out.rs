//! An operation the generator cannot express (`tests/fixtures/left-out-*.yaml`, one
//! hazard each): by default it is left out with a warning naming it, its reason and
//! `send_raw`, recorded in the IR and the crate docs, and the rest is generated;
//! `Options::strict` refuses the spec with the same messages as errors.

use std::path::Path;

use generator::diagnostics::Severity;

fn options(name: &str, strict: bool) -> generator::Options {
    generator::Options { strict, ..generator::Options::new(format!("fixture-{name}"), format!("{name}.yaml")) }
}

/// (fixture, the operation left out, the operation kept).
const CASES: &[(&str, &str, &str)] =
    &[("left-out-cookie-param", "ListThings", "create_thing"), ("left-out-body-media-type", "ReplaceNote", "get_note")];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.yaml"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn lenient_leaves_out_exactly_the_operation_with_a_warning() {
    for &(name, left_out, kept) in CASES {
        let text = fixture(name);
        let (api, warnings) = generator::intermediate(&text, &options(name, false)).unwrap_or_else(|f| panic!("{f}"));
        let ids: Vec<&str> = api.left_out.iter().map(|l| l.operation_id.as_str()).collect();
        assert_eq!(ids, [left_out], "{name}");
        let methods: Vec<&str> = api.operations.iter().map(|o| o.method_name.as_str()).collect();
        assert_eq!(methods, [kept], "{name}");
        let about: Vec<_> = warnings.iter().filter(|w| w.message.contains(&format!("`{left_out}`"))).collect();
        assert_eq!(about.len(), 1, "{name}: {warnings:#?}");
        let hint = about[0].hint.as_deref().unwrap_or_default();
        assert!(hint.contains("left out") && hint.contains("client.send_raw(Method::"), "{name}: {hint}");

        let output = generator::generate(&text, &options(name, false)).unwrap_or_else(|f| panic!("{f}"));
        let lib = &output.files["src/lib.rs"];
        assert!(lib.contains("//! # Operations this crate leaves out"), "{name}:\n{lib}");
        assert!(lib.contains(&format!("//! - `{left_out}`")), "{name}:\n{lib}");
        assert!(lib.contains("[`Client::send_raw`]"), "{name}:\n{lib}");
    }
}

#[test]
fn strict_refuses_with_the_same_messages() {
    for &(name, left_out, _) in CASES {
        let text = fixture(name);
        let (_, warnings) = generator::intermediate(&text, &options(name, false)).unwrap();
        let failure = generator::generate(&text, &options(name, true)).map(|_| ()).unwrap_err();
        let errors: Vec<_> = failure.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let warned: Vec<_> = warnings.iter().filter(|w| w.message.contains(&format!("`{left_out}`"))).collect();
        assert_eq!(errors.len(), warned.len(), "{name}: {failure}");
        for (error, warning) in errors.iter().zip(&warned) {
            assert_eq!((&error.pointer, &error.message), (&warning.pointer, &warning.message), "{name}");
            assert!(error.hint.as_deref().unwrap_or_default().contains("--strict"), "{name}: {error}");
        }
    }
}

/// A finding about the document, not one operation, still refuses in lenient mode.
#[test]
fn document_errors_still_refuse() {
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: GetA\n      responses: {'204': {description: ok}}\n";
    let failure = generator::generate(text, &options("t", false)).map(|_| ()).unwrap_err();
    assert!(failure.to_string().contains("no path parameter `id` is declared"), "{failure}");
}
