//! `generator::diff` over spec pairs with one change each (`tests/diff/<case>.yaml`
//! against `tests/diff/base.yaml`): the report is snapshot-tested, and it must agree
//! with the generated files: every changed file is named by an entry, every file an
//! entry names changed.

use std::path::Path;

fn options() -> generator::Options {
    generator::Options::new("diff-fixture", "diff.yaml")
}

fn generate(text: &str) -> (generator::ir::Api, std::collections::BTreeMap<String, String>) {
    let (api, _) = generator::intermediate(text, &options()).unwrap_or_else(|f| panic!("{f}"));
    let output = generator::generate(text, &options()).unwrap_or_else(|f| panic!("{f}"));
    (api, output.files)
}

#[test]
fn reports_agree_with_the_generated_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let (old_api, old_files) = generate(&std::fs::read_to_string(dir.join("base.yaml")).unwrap());
    insta::glob!("diff/*.yaml", |path| {
        if path.file_name().is_some_and(|n| n == "base.yaml") {
            return;
        }
        let (new_api, new_files) = generate(&std::fs::read_to_string(path).unwrap());
        let report = generator::api_diff(&old_api, &new_api);
        let changed = generator::diff::changed_files(&old_files, &new_files);
        let problems = generator::diff::disagreements(&report, &changed);
        assert!(
            problems.is_empty(),
            "{}: {problems:#?}\n{}",
            path.display(),
            report.render("base", "new", generator::diff::Listed::Everything)
        );
        insta::assert_snapshot!("report", report.render("base", "new", generator::diff::Listed::Everything));
    });
}

#[test]
fn a_schema_no_operation_reaches_changes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let (old, _) = generate(&std::fs::read_to_string(dir.join("base.yaml")).unwrap());
    let (new, _) = generate(&std::fs::read_to_string(dir.join("unreachable-schema.yaml")).unwrap());
    assert!(generator::api_diff(&old, &new).entries.is_empty());
}

#[test]
fn verdicts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff");
    let (base, _) = generate(&std::fs::read_to_string(dir.join("base.yaml")).unwrap());
    use generator::diff::Impact::{Additive, Breaking, Docs};
    for (case, additive, breaking, docs) in [
        ("added-optional-param", 1, 0, 0),
        ("added-required-param", 0, 1, 0),
        ("removed-field", 0, 2, 0),
        ("enum-value-added", 1, 0, 0),
        ("union-branch-added", 2, 0, 0),
        ("server-added", 1, 0, 0),
        ("doc-only", 0, 0, 1),
        // Removed (breaking), and named in the crate docs' list (docs).
        ("operation-left-out", 0, 1, 1),
    ] {
        let (new, _) = generate(&std::fs::read_to_string(dir.join(format!("{case}.yaml"))).unwrap());
        let report = generator::api_diff(&base, &new);
        let counts = (report.count(Additive), report.count(Breaking), report.count(Docs));
        assert_eq!(
            counts,
            (additive, breaking, docs),
            "{case}:\n{}",
            report.render("base", case, generator::diff::Listed::Everything)
        );
    }
}

/// Required arguments of an operation or of a model's `new` that keep their names and
/// types but change order would swap a caller's values silently: breaking.
#[test]
fn reordered_required_arguments_are_breaking() {
    let spec = |params: &str, properties: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /things:\n    post:\n      operationId: CreateThing\n      parameters:\n{params}      requestBody:\n        required: true\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/thing'}}}}}}\n      responses:\n        '204': {{description: ok}}\ncomponents:\n  schemas:\n    thing:\n      type: object\n      required: [first, second]\n      properties:\n{properties}"
        )
    };
    let a = "        - {name: a, in: query, required: true, schema: {type: string}}\n";
    let b = "        - {name: b, in: query, required: true, schema: {type: string}}\n";
    let first = "        first: {type: string}\n";
    let second = "        second: {type: string}\n";
    let (old_api, old_files) = generate(&spec(&format!("{a}{b}"), &format!("{first}{second}")));
    let (new_api, new_files) = generate(&spec(&format!("{b}{a}"), &format!("{second}{first}")));
    let report = generator::api_diff(&old_api, &new_api);
    let rendered = report.render("old", "new", generator::diff::Listed::Everything);
    assert!(
        rendered.contains("`client.create_thing(a, b)` → `client.create_thing(b, a)`: arguments reordered"),
        "{rendered}"
    );
    assert!(
        rendered.contains("`Thing::new(first, second)` → `Thing::new(second, first)`: arguments reordered"),
        "{rendered}"
    );
    let changed = generator::diff::changed_files(&old_files, &new_files);
    assert!(generator::diff::disagreements(&report, &changed).is_empty(), "{rendered}");
    assert!(rendered.contains("2 breaking"), "{rendered}");
}

/// A required field made optional (or removed, or added) changes the constructor's
/// arguments: the entry about the field shows the call before and after, so a reviewer
/// sees which call sites break; a removed operation says how to keep calling it.
#[test]
fn changed_calls_are_named() {
    let spec = |required: &str, extra_path: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /things:\n    post:\n      operationId: CreateThing\n      requestBody:\n        required: true\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/thing'}}}}}}\n      responses:\n        '204': {{description: ok}}\n{extra_path}components:\n  schemas:\n    thing:\n      type: object\n      required: [{required}]\n      properties:\n        author: {{type: string}}\n        content: {{type: string}}\n"
        )
    };
    let gone = "  /things/{id}:\n    delete:\n      operationId: DeleteThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '204': {description: ok}\n";
    let (old_api, old_files) = generate(&spec("author, content", gone));
    let (new_api, new_files) = generate(&spec("content", ""));
    let report = generator::api_diff(&old_api, &new_api);
    let rendered = report.render("old", "new", generator::diff::Listed::Everything);
    assert!(
        rendered.contains(
            "field `author`: `String` → `Option<String>`; `Thing::new(author, content)` → `Thing::new(content)`"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains(
            "removed (`DELETE /things/{id}`); to keep calling it, use `client.send_raw(Method::DELETE, \"/things/{id}\""
        ),
        "{rendered}"
    );
    let changed = generator::diff::changed_files(&old_files, &new_files);
    assert!(generator::diff::disagreements(&report, &changed).is_empty(), "{rendered}");
    // A PR summary counts internal entries without listing them.
    let public = report.render("old", "new", generator::diff::Listed::Public);
    assert!(public.lines().all(|line| !line.starts_with("- internal")), "{public}");
}
