//! The project overlay's effect on every published version, read from the generator's
//! IR: the overlay applies with no warning but the expected ones of `spec/upstream.toml` (so no fallback was
//! guessed and no action selected nothing), every list stream walks the way `spec/` says
//! (ListMessages backwards), webhook events are dispatched on the declared `type`
//! discriminator (each event's tag the title of its schema), the types are named
//! `WebhookPayload` and `Event`, the client mints app- and account-scoped JWTs, and the
//! single-member `oneOf` body branches require their member. For the newest version,
//! spec-compare too: with the overlay, `spec/` and the published document differ only
//! in its `beyond_overlay`.

use std::fs;
use std::path::Path;

use generator::ir::{Api, Direction, ModelKind, SchemeKind, Ty};
use serde_json::Value;

use super::{ExpectedWarning, facts, spec_name, spec_path};

/// List operations (operationIds compared ignoring case: 9.0 and 14.1.0 spell them
/// `listMessages`), the way their streams walk and the cursor they send.
const STREAMS: &[(&str, Direction, &str)] = &[
    ("ListApps", Direction::Forward, "page[after]"),
    ("ListClients", Direction::Forward, "page[after]"),
    ("ListConversations", Direction::Forward, "page[after]"),
    ("ListIntegrations", Direction::Forward, "page[after]"),
    ("ListMessages", Direction::Backward, "page[before]"),
    ("ListParticipants", Direction::Forward, "page[after]"),
];

/// `oneOf` bodies whose branches each require their one member, and whether every
/// version has them.
const ONE_MEMBER_BODIES: &[(&str, bool)] =
    &[("/components/schemas/participantLeaveBody", true), ("/components/schemas/conversionEventsBody", false)];

/// What [`check`] found in one document.
#[derive(Debug)]
pub(crate) struct Summary {
    /// Warnings left (all expected).
    pub warnings: usize,
    /// Streams checked.
    pub streams: usize,
    /// Webhook events dispatched by their `type`.
    pub events: usize,
}

/// The `ci-upstream` step: every version, then spec-compare against the newest.
pub(crate) fn check_all(root: &Path, upstream: &Path, overlays: &[generator::Overlay]) -> Result<(), String> {
    let mut failures = Vec::new();
    println!("  version   warnings left  streams  events by `type`");
    for version in &facts().versions {
        let path = spec_path(upstream, version);
        let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        match check(version, &spec_name(version), &text, overlays, &facts().expected_warnings) {
            Ok(s) => println!("  {version:<9} {:>13} {:>8} {:>17}", s.warnings, s.streams, s.events),
            Err(problems) => {
                println!("  {version:<9} FAILS");
                failures.extend(problems.into_iter().map(|p| format!("{version}: {p}")));
            }
        }
    }
    for entry in &facts().expected_warnings {
        println!(
            "  expected in {}: {}\n    because: {}",
            entry.versions.join(", "),
            entry.message.join(" … "),
            entry.reason
        );
    }
    let newest = facts().versions.last().map(String::as_str).unwrap_or_default();
    let path = spec_path(upstream, newest);
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let ours = fs::read_to_string(root.join(crate::regen::SPEC)).map_err(|e| format!("cannot read spec/: {e}"))?;
    match compare(&ours, &text, overlays) {
        Ok(()) => {
            for super::Beyond { pointer, reason } in &facts().beyond_overlay {
                println!(
                    "  spec-compare against {newest} with the overlay differs only at {pointer}\n    because: {reason}"
                );
            }
        }
        Err(problems) => failures.extend(problems.into_iter().map(|p| format!("spec-compare {newest}: {p}"))),
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n")) }
}

/// Checks one document (`version`, named `spec_file`) with `overlays`; every problem found.
pub(crate) fn check(
    version: &str,
    spec_file: &str,
    text: &str,
    overlays: &[generator::Overlay],
    expected: &[ExpectedWarning],
) -> Result<Summary, Vec<String>> {
    let options =
        generator::Options { overlays: overlays.to_vec(), ..generator::Options::new("upstream-check", spec_file) };
    let (api, warnings) = generator::intermediate(text, &options).map_err(|f| vec![f.to_string()])?;
    let (doc, _) = generator::overlaid(text, &options).map_err(|f| vec![f.to_string()])?;
    let mut problems = Vec::new();

    let mut seen = vec![false; expected.len()];
    for warning in &warnings {
        let hit = expected.iter().position(|e| {
            e.versions.iter().any(|v| v == version)
                && warning.pointer.contains(&e.pointer)
                && e.message.iter().all(|m| warning.message.contains(m.as_str()))
        });
        match hit {
            Some(i) => seen[i] = true,
            None => problems.push(format!("unexpected warning: {warning}")),
        }
    }
    for (entry, seen) in expected.iter().zip(seen) {
        if entry.versions.iter().any(|v| v == version) && !seen {
            problems.push(format!(
                "the expected warning {:?} at {:?} is no longer reported: remove or update its entry in spec/upstream.toml",
                entry.message, entry.pointer
            ));
        }
    }

    for (id, direction, cursor) in STREAMS {
        match api.operations.iter().find(|op| op.operation_id.eq_ignore_ascii_case(id)) {
            None => problems.push(format!("no operation {id}")),
            Some(op) => match &op.pagination {
                None => problems.push(format!("{id} has no stream")),
                Some(p) if p.direction != *direction || p.cursor_wire != *cursor => problems.push(format!(
                    "{id} pages {:?} with `{}`, not {direction:?} with `{cursor}`",
                    p.direction, p.cursor_wire
                )),
                Some(_) => {}
            },
        }
    }
    let events = events(&api, &doc).unwrap_or_else(|problem| {
        problems.push(problem);
        0
    });
    let jwt = api.security.iter().find_map(|s| match &s.kind {
        SchemeKind::Bearer { jwt: Some(jwt), .. } if s.name == "bearerAuth" => Some(jwt),
        _ => None,
    });
    let scopes: Option<Vec<&str>> = jwt.map(|j| j.scopes.iter().map(|s| s.wire_name.as_str()).collect());
    if scopes.as_deref() != Some(&["app", "account"][..]) {
        problems.push(format!("bearerAuth mints JWTs with the scopes {scopes:?}, not app and account"));
    }
    for (source, everywhere) in ONE_MEMBER_BODIES {
        match api.models.iter().find(|m| m.source == *source) {
            Some(model) => problems.extend(one_member_branches(&api, model)),
            None if *everywhere => problems.push(format!("no model for {source}")),
            None => {}
        }
    }
    if problems.is_empty() {
        Ok(Summary { warnings: warnings.len(), streams: STREAMS.len(), events })
    } else {
        Err(problems)
    }
}

/// The webhook events: a union tagged by `type`, each branch by the title of its schema.
fn events(api: &Api, doc: &Value) -> Result<usize, String> {
    let hook = api
        .webhooks
        .iter()
        .find(|w| w.operation_id.eq_ignore_ascii_case("EventWebhooks"))
        .ok_or("no webhook EventWebhooks")?;
    if hook.key_header != "X-API-Key" {
        return Err(format!("deliveries are verified by `{}`, not `X-API-Key`", hook.key_header));
    }
    let payload = hook.payload.model().and_then(|name| api.model(name)).ok_or("the webhook payload is no model")?;
    let ModelKind::Struct(payload_struct) = &payload.kind else {
        return Err("the webhook payload is no struct".into());
    };
    let field = payload_struct.fields.iter().find(|f| f.wire_name == "events").ok_or("the payload has no `events`")?;
    let Ty::List(item) = &field.ty else { return Err("`events` is no list".into()) };
    let event = item.model().and_then(|name| api.model(name)).ok_or("an event is no model")?;
    let ModelKind::Union(union) = &event.kind else { return Err(format!("{} is no union", event.name)) };
    if (payload.name.as_str(), event.name.as_str()) != ("WebhookPayload", "Event") {
        return Err(format!("the payload and event types are {} and {}", payload.name, event.name));
    }
    if union.tag.as_deref() != Some("type") {
        return Err(format!("events are dispatched on {:?}, not `type`", union.tag));
    }
    let node = doc.pointer(&event.source).ok_or_else(|| format!("no node at {}", event.source))?;
    let branches = node.get("anyOf").or_else(|| node.get("oneOf")).and_then(Value::as_array);
    let branches = branches.ok_or_else(|| format!("no branches at {}", event.source))?;
    if branches.len() != union.variants.len() {
        return Err(format!("{} branches but {} variants", branches.len(), union.variants.len()));
    }
    for (variant, branch) in union.variants.iter().zip(branches) {
        let schema = branch.get("$ref").and_then(Value::as_str).and_then(|r| doc.pointer(r.strip_prefix('#')?));
        let title = schema.and_then(|s| s.get("title")).and_then(Value::as_str);
        if title.is_none_or(|title| variant.tags != [title]) {
            return Err(format!(
                "event {} is dispatched on {:?}, not on the title of its schema ({title:?}): add it to the mapping",
                variant.rust_name, variant.tags
            ));
        }
    }
    Ok(union.variants.len())
}

/// Every branch of a `oneOf` body requires its members.
fn one_member_branches(api: &Api, model: &generator::ir::Model) -> Vec<String> {
    let ModelKind::Union(union) = &model.kind else { return vec![format!("{} is no union", model.name)] };
    let mut problems = Vec::new();
    for variant in &union.variants {
        let branch = variant.ty.model().and_then(|name| api.model(name));
        match branch.map(|b| &b.kind) {
            Some(ModelKind::Struct(s)) if !s.fields.is_empty() && s.fields.iter().all(|f| f.required) => {}
            _ => problems.push(format!("{}::{} does not require its member", model.name, variant.rust_name)),
        }
    }
    problems
}

/// spec-compare of `spec/` with the overlaid document: only `beyond_overlay` differs
/// (and each of them still does).
fn compare(ours: &str, text: &str, overlays: &[generator::Overlay]) -> Result<(), Vec<String>> {
    let options = generator::Options { overlays: overlays.to_vec(), ..generator::Options::new("spec-compare", "") };
    let (theirs, _) = generator::overlaid(text, &options).map_err(|f| vec![f.to_string()])?;
    let comparison = crate::spec_compare::compare_with(ours, &theirs).map_err(|e| vec![e])?;
    let mut problems: Vec<String> = comparison.unexplained.iter().map(|d| format!("unexplained: {d}")).collect();
    let beyond = |pointer: &str| {
        facts().beyond_overlay.iter().any(|b| pointer == b.pointer || pointer.starts_with(&format!("{}/", b.pointer)))
    };
    for (difference, _) in comparison.explained.iter().filter(|(d, _)| !beyond(&d.pointer)) {
        problems.push(format!("the overlay should give upstream what spec/ explains here: {difference}"));
    }
    for super::Beyond { pointer, .. } in &facts().beyond_overlay {
        if !comparison.explained.iter().any(|(d, _)| d.pointer == *pointer) {
            problems
                .push(format!("{pointer} no longer differs: remove it from `beyond_overlay` in spec/upstream.toml"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small document laid out like the published one (written for this test).
    const SHAPED: &str = include_str!("../../tests/upstream-shaped.yaml");

    fn project_overlay() -> Vec<generator::Overlay> {
        super::super::overlays(&crate::process::root()).expect("read the project overlay")
    }

    /// The shaped document as an older version has it: lowerCamel operationIds, no
    /// conversion events, fewer webhook events, no discriminator on quoted messages.
    fn older() -> String {
        let mut doc: Value = serde_yaml::from_str(SHAPED).unwrap();
        let paths = doc["paths"].as_object_mut().unwrap();
        paths.remove("/v2/apps/{appId}/conversations/{conversationId}/conversionEvents");
        for item in paths.values_mut() {
            for op in item.as_object_mut().unwrap().values_mut() {
                if let Some(Value::String(id)) = op.get_mut("operationId") {
                    *id = format!("{}{}", id[..1].to_lowercase(), &id[1..]);
                }
            }
        }
        let hook = &mut doc["x-webhooks"]["Webhook Event"]["post"];
        hook["operationId"] = json!("eventWebhooks");
        let events = &mut hook["requestBody"]["content"]["application/json"]["schema"]["properties"]["events"]["items"];
        events["anyOf"].as_array_mut().unwrap().pop();
        let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
        schemas.remove("conversionEventsBody");
        schemas.remove("clientAddEvent");
        schemas["quotedMessage"].as_object_mut().unwrap().remove("discriminator");
        serde_yaml::to_string(&doc).unwrap()
    }

    /// The overlay's event mapping names every version's events: those a small test
    /// document does not have name no schema there (as in the oldest published versions).
    fn dangling(version: &str) -> ExpectedWarning {
        ExpectedWarning {
            versions: vec![version.into()],
            message: vec!["the discriminator value".into(), "which the document does not have".into()],
            pointer: "/x-webhooks/".into(),
            reason: "the test document has a few events only".into(),
        }
    }

    #[test]
    fn the_project_overlay_gives_a_shaped_document_our_semantics() {
        let summary = check("17.99.0", "shaped.yaml", SHAPED, &project_overlay(), &[dangling("17.99.0")])
            .unwrap_or_else(|p| panic!("{p:#?}"));
        // Every warning left is an expected one: 22 mapping values of events the test
        // document does not have.
        assert_eq!((summary.warnings, summary.streams, summary.events), (22, 6, 3));
        // Without it: every fallback guessed, with a warning.
        let problems = check("17.99.0", "shaped.yaml", SHAPED, &[], &[]).unwrap_err();
        let guessed = |text: &str| problems.iter().filter(|p| p.contains(text)).count();
        assert_eq!(guessed("pagination guessed"), 6, "{problems:#?}");
        assert_eq!(guessed("tagged by guess"), 1, "{problems:#?}");
        assert_eq!(guessed("without `x-jwt`"), 1, "{problems:#?}");
        assert_eq!(guessed("taken to come in `X-API-Key`"), 1, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("ListMessages pages Forward")), "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("does not require its member")), "{problems:#?}");
    }

    #[test]
    fn an_older_shaped_document_warns_only_about_what_it_lacks() {
        let older = older();
        let expected = [
            ExpectedWarning {
                versions: vec!["9.0".into()],
                message: vec!["selects nothing".into(), "conversionEventsBody".into()],
                pointer: "/target".into(),
                reason: "as the first expected warning".into(),
            },
            dangling("9.0"),
            dangling("14.1.0"),
        ];
        let summary =
            check("9.0", "older.yaml", &older, &project_overlay(), &expected).unwrap_or_else(|p| panic!("{p:#?}"));
        // The three expected warnings, and 23 mapping values of events it lacks.
        assert_eq!((summary.warnings, summary.events), (26, 2));
        // An expected warning that is not reported is a problem, and so is any other.
        let problems = check("9.0", "shaped.yaml", SHAPED, &project_overlay(), &expected).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("no longer reported"));
        let problems = check("14.1.0", "older.yaml", &older, &project_overlay(), &expected).unwrap_err();
        assert_eq!(problems.iter().filter(|p| p.contains("unexpected warning")).count(), 3, "{problems:#?}");
    }

    #[test]
    fn an_event_missing_from_the_mapping_is_found() {
        // A new version adds an event the overlay's mapping does not list: it would be
        // dispatched on its schema name.
        let mut doc: Value = serde_yaml::from_str(SHAPED).unwrap();
        let mut added = doc["components"]["schemas"]["clientAddEvent"].clone();
        added["title"] = json!("client:added");
        doc["components"]["schemas"]["clientAddedEvent"] = added;
        let hook = &mut doc["x-webhooks"]["Webhook Event"]["post"]["requestBody"]["content"]["application/json"];
        let events = hook["schema"]["properties"]["events"]["items"]["anyOf"].as_array_mut().unwrap();
        events.push(json!({"$ref": "#/components/schemas/clientAddedEvent"}));
        let text = serde_yaml::to_string(&doc).unwrap();
        let problems = check("17.99.0", "shaped.yaml", &text, &project_overlay(), &[dangling("17.99.0")]).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        // The generator says it (the branch no mapping value reaches), and so do the
        // semantics checked here.
        assert!(
            problems.iter().any(|p| p.contains("branch `clientAddedEvent` is reached by no value")),
            "{problems:#?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("[\"clientAddedEvent\"], not on the title of its schema")),
            "{problems:#?}"
        );
        // spec-compare --overlay never calls it explained.
        let options = generator::Options {
            overlays: project_overlay(),
            ..generator::Options::new("spec-compare", "shaped.yaml")
        };
        let (theirs, _) = generator::overlaid(&text, &options).unwrap();
        let ours = std::fs::read_to_string(crate::process::root().join(crate::regen::SPEC)).unwrap();
        let comparison = crate::spec_compare::compare_with(&ours, &theirs).unwrap();
        let unreached = "upstream: branch `clientAddedEvent` is reached by no value";
        assert!(comparison.unexplained.iter().any(|d| d.what.contains(unreached)), "{:#?}", comparison.unexplained);
        assert!(!comparison.explained.iter().any(|(d, _)| d.what.contains("reached by no value")));
    }

    /// The `ci-upstream` step itself, when the published documents are there.
    #[test]
    fn the_project_overlay_gives_every_published_version_our_semantics() {
        let root = crate::process::root();
        let upstream = super::super::upstream_dir(&root);
        if !upstream.exists() {
            println!("skipped: {} not found", upstream.display());
            return;
        }
        check_all(&root, &upstream, &project_overlay()).unwrap();
    }
}
