//! A simulated upstream release through the maintainer's loop, on a copy of `spec/`
//! and `generated/`: the description gains an operation, a field, a webhook event, a
//! deprecation and a query parameter made required (breaking); `cargo xtask regen`
//! then `cargo xtask release` must set the next version by semver (0.1.0 → 0.2.0),
//! write the changelog section naming each change in the crate's Rust names, record
//! the released description, and regenerate; a second release finds nothing to do.
//! A docs-only change after it is a patch release. Then a change the generator itself
//! makes (a public runtime item renamed, simulated on the recorded public Rust API) is
//! released as breaking, with the item in the changelog; and `release --amend` redoes
//! that unpublished release with one more change, restoring the state before it from git.
//!
//! Run with `cargo test -p xtask --test release`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_yaml::{Mapping, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "client-tests") {
                continue;
            }
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// Runs `xtask ARGS` on the copy; its stdout, or a panic with its output.
fn xtask(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).env("XTASK_ROOT", dir).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "xtask {args:?} failed:\n{stdout}\n{stderr}");
    stdout.into_owned()
}

fn at<'v>(value: &'v mut Value, path: &[&str]) -> &'v mut Value {
    path.iter().fold(value, |node, key| {
        let map = node.as_mapping_mut().unwrap_or_else(|| panic!("{key}: not a mapping"));
        if !map.contains_key(*key) {
            map.insert(Value::from(*key), Value::Mapping(Mapping::new()));
        }
        map.get_mut(*key).unwrap()
    })
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// The next upstream version, as a maintainer would receive it.
fn next_upstream(spec: &mut Value) {
    *at(spec, &["info", "version"]) = Value::from("99.0.0");
    // A new operation under the conversation endpoints.
    *at(spec, &["paths", "/v2/apps/{appId}/conversations/{conversationId}/notes"]) = yaml(
        "parameters:
  - $ref: '#/components/parameters/appId'
  - $ref: '#/components/parameters/conversationId'
get:
  tags: [Conversations]
  summary: List a conversation's notes
  operationId: ListNotes
  security:
    - basicAuth: [app]
  responses:
    '200':
      description: The notes.
      content:
        application/json:
          schema:
            type: object
            properties:
              notes:
                type: array
                items: {type: string}
",
    );
    // A new optional field.
    let conversation = at(spec, &["components", "schemas", "conversation", "allOf"]);
    let own = &mut conversation.as_sequence_mut().unwrap()[1];
    *at(own, &["properties", "priority"]) = yaml("type: string\ndescription: How urgent the conversation is.\n");
    // A field marked deprecated.
    *at(own, &["properties", "isDefault", "deprecated"]) = Value::from(true);
    // A new webhook event (a schema, a branch of the events' union, its tag).
    let mut event = at(spec, &["components", "schemas", "conversationRemoveEvent"]).clone();
    *at(&mut event, &["title"]) = Value::from("conversation:archive");
    *at(&mut event, &["description"]) = Value::from("A conversation was archived.");
    *at(spec, &["components", "schemas", "conversationArchiveEvent"]) = event;
    let items = at(
        spec,
        &[
            "x-webhooks",
            "Webhook Event",
            "post",
            "requestBody",
            "content",
            "application/json",
            "schema",
            "properties",
            "events",
            "items",
        ],
    );
    let reference = yaml("$ref: '#/components/schemas/conversationArchiveEvent'");
    at(items, &["anyOf"]).as_sequence_mut().unwrap().push(reference);
    *at(items, &["discriminator", "mapping", "conversation:archive"]) =
        Value::from("#/components/schemas/conversationArchiveEvent");
    // An optional query parameter made required: breaking.
    *at(spec, &["components", "parameters", "pageQuery", "required"]) = Value::from(true);
}

#[test]
fn a_simulated_release_goes_through_the_loop() {
    let dir = root().join("target/release-test");
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&root().join("spec"), &dir.join("spec"));
    copy_dir(&root().join("generated"), &dir.join("generated"));
    // The crate as released is the crate today's generator makes of the released
    // description: recorded by the first release below.
    let api_path = dir.join("spec/release/public-api.txt");
    fs::remove_file(&api_path).unwrap();
    git(&dir, &["init", "-q"]);
    commit(&dir, "the state before the releases");
    let spec_path = dir.join("spec/sunshine-conversations.yaml");
    let version = |dir: &Path| {
        let text = fs::read_to_string(dir.join("spec/crate.toml")).unwrap();
        text.lines().find_map(|l| l.strip_prefix("version = ")).unwrap().trim_matches('"').to_string()
    };
    let last = version(&dir);
    let shown = xtask(&dir, &["release"]);
    assert!(shown.ends_with(&format!("nothing to release: no change users see since {last}\n")), "{shown}");

    let mut spec = yaml(&fs::read_to_string(&spec_path).unwrap());
    next_upstream(&mut spec);
    fs::write(&spec_path, serde_yaml::to_string(&spec).unwrap()).unwrap();
    // A stale generated/ is refused.
    let stale = Command::new(env!("CARGO_BIN_EXE_xtask")).arg("release").env("XTASK_ROOT", &dir).output().unwrap();
    assert!(!stale.status.success(), "a release with a stale generated/ must fail");
    xtask(&dir, &["regen"]);
    let shown = xtask(&dir, &["release"]);
    let next = next_minor(&last);
    assert_eq!(version(&dir), next, "{shown}");
    let changelog = fs::read_to_string(dir.join("spec/CHANGELOG.md")).unwrap();
    let section = &changelog[changelog.find(&format!("## {next}")).expect("the new section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for expected in [
        "### Breaking",
        "`page`",
        "### Added",
        "ListNotes",
        "`priority`",
        "ConversationArchive",
        "### Deprecated",
        "`is_default`",
        "API version",
        "99.0.0",
    ] {
        assert!(section.contains(expected), "the section lacks {expected:?}:\n{section}");
    }
    assert!(changelog.find(&format!("## {next}")) < changelog.find(&format!("## {last}")), "newest first");
    // The release is recorded, the crate regenerated with it.
    assert_eq!(
        fs::read_to_string(dir.join("spec/release/sunshine-conversations.yaml")).unwrap(),
        fs::read_to_string(&spec_path).unwrap()
    );
    let manifest = fs::read_to_string(dir.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("version = \"{next}\"")), "{manifest}");
    assert_eq!(fs::read_to_string(dir.join("generated/CHANGELOG.md")).unwrap(), changelog);
    xtask(&dir, &["regen", "--check"]);
    assert!(xtask(&dir, &["release"]).contains("nothing to release"));

    // Docs only: a patch.
    let mut spec = yaml(&fs::read_to_string(&spec_path).unwrap());
    *at(&mut spec, &["components", "parameters", "pageQuery", "description"]) = Value::from("Which page to read.");
    fs::write(&spec_path, serde_yaml::to_string(&spec).unwrap()).unwrap();
    xtask(&dir, &["regen"]);
    xtask(&dir, &["release"]);
    assert_eq!(version(&dir), next_patch(&next));
    assert!(api_path.exists(), "the release records the public Rust API");
    commit(&dir, "the releases so far");

    // A generator-made breaking change: the crate released before had `Client::url`,
    // today's generator names it `base_url`. The API description did not change.
    let recorded = fs::read_to_string(&api_path).unwrap();
    let renamed = recorded.replace("crate::Client::base_url\tfn base_url", "crate::Client::url\tfn url");
    assert_ne!(renamed, recorded, "the recorded API lists `Client::base_url`");
    fs::write(&api_path, renamed).unwrap();
    commit(&dir, "0.2.1 as an older generator recorded it");
    let patch = version(&dir);
    let shown = xtask(&dir, &["release"]);
    let minor = next_minor(&patch);
    assert_eq!(version(&dir), minor, "{shown}");
    let changelog = fs::read_to_string(dir.join("spec/CHANGELOG.md")).unwrap();
    let section = newest_section(&changelog);
    for expected in [
        "### Breaking",
        "`Client::url`: removed (was `fn url(&self) -> &str`)",
        "### Added",
        "`Client::base_url`: added",
    ] {
        assert!(section.contains(expected), "the section lacks {expected:?}:\n{section}");
    }

    // Amended before it is published: one more change, the same version, one section.
    let mut spec = yaml(&fs::read_to_string(&spec_path).unwrap());
    *at(&mut spec, &["components", "parameters", "pageQuery", "description"]) = Value::from("The page to read.");
    fs::write(&spec_path, serde_yaml::to_string(&spec).unwrap()).unwrap();
    xtask(&dir, &["regen"]);
    let shown = xtask(&dir, &["release", "--amend"]);
    assert!(shown.contains(&format!("amending {minor}: the state of {patch} restored")), "{shown}");
    assert_eq!(version(&dir), minor, "{shown}");
    let changelog = fs::read_to_string(dir.join("spec/CHANGELOG.md")).unwrap();
    assert_eq!(changelog.matches(&format!("## {minor}\n")).count(), 1, "{changelog}");
    let section = newest_section(&changelog);
    for expected in ["`Client::url`: removed", "### Documentation", "`page`"] {
        assert!(section.contains(expected), "the amended section lacks {expected:?}:\n{section}");
    }
    xtask(&dir, &["regen", "--check"]);
    assert!(xtask(&dir, &["release"]).contains("nothing to release"));
    let _ = fs::remove_dir_all(&dir);
}

fn newest_section(changelog: &str) -> &str {
    let start = changelog.find("\n## ").expect("a section") + 1;
    let end = changelog[start + 3..].find("\n## ").map_or(changelog.len(), |at| start + 3 + at);
    &changelog[start..end]
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().unwrap();
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["-c", "user.name=release test", "-c", "user.email=test@localhost", "commit", "-qm", message]);
}

/// `0.x`: breaking bumps the minor; from 1.0 it would bump the major.
fn next_minor(version: &str) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    if parts[0] == 0 { format!("0.{}.0", parts[1] + 1) } else { format!("{}.0.0", parts[0] + 1) }
}

fn next_patch(version: &str) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    format!("{}.{}.{}", parts[0], parts[1], parts[2] + 1)
}
