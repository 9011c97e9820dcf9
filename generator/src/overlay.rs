//! OpenAPI Overlay Specification 1.0.0 (<https://spec.openapis.org/overlay/v1.0.0.html>):
//! a document of actions, each an RFC 9535 JSONPath `target` and either an `update`,
//! merged into every object it selects and appended to every array, or `remove: true`,
//! which takes every selected node out of its parent. Overlays are applied in order,
//! each action to the result of the previous one, to the spec's JSON tree before
//! anything reads it: a published document gains the extensions and constraints a
//! generator needs without being edited.
//!
//! Where 1.0.0 leaves room (or says SHOULD), this module decides:
//! - a target selecting nothing warns, naming the action: after an upstream change it
//!   means the semantics the action added are lost;
//! - `remove: true` with an `update` removes (the update "has no impact") and warns that
//!   the update is ignored; an action with neither warns that it changes nothing;
//! - a target selecting a string, number, boolean or null is an error (the result "MUST
//!   be zero or more objects or arrays"), and so is an `update` that is not an object for
//!   a selected object, or removing the document itself;
//! - for an array the `update` is appended as one entry, whatever it is (1.0.0: "an entry
//!   to append"; an array is not concatenated as in 1.1); within a merge, objects merge
//!   recursively and every other value (arrays too) replaces the target's;
//! - a node selected twice (`$['a','a']`) is changed once; nodes are changed deepest and
//!   last first, so removing several items of one array removes exactly those selected;
//! - the document must follow the 1.0 schema: `overlay: 1.0.x`, `info.title` and
//!   `info.version`, at least one action, no unknown fields but `x-` extensions, no two
//!   equal actions; `extends` is checked to be a string but not followed (the caller
//!   names the document).
//!
//! The overlay text is parsed like a spec (`load::parse`: size, YAML flow nesting, node
//! budget) and the overlaid tree may hold at most the node budget of all the texts
//! together. A target is bounded before it is parsed ([`crate::limits`]: its length, its
//! bracket nesting, since the JSONPath parser is exponential in the nesting of filters,
//! and its `..` segments). Diagnostics name the overlay file, a JSON pointer into it
//! (`/actions/3/target`) and its line.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::{Reporter, join};
use crate::limits::{MAX_DESCENDANT_SEGMENTS, MAX_SPEC_BYTES, MAX_TARGET_BYTES, MAX_TARGET_NESTING, max_nodes};

/// An overlay document to apply to the spec: the file as named in diagnostics (and in
/// the preamble of every generated file), and its text (YAML or JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    /// The overlay's path as shown to the user.
    pub file: String,
    /// Its contents.
    pub text: String,
}

const START: &str = "an overlay starts with `overlay: 1.0.0`, an `info` with `title` and `version`, and `actions`";
const TARGET_HINT: &str =
    "a target is an RFC 9535 JSONPath query, e.g. `$.paths['/v2/apps'].get` or `$.paths.*[?@.operationId=='ListApps']`";

/// What an action does to each node it selects.
enum Change {
    Update(Value),
    Remove,
    Nothing,
}

/// A checked action of an overlay.
struct Action {
    /// Its pointer in the overlay, e.g. `/actions/3`.
    at: String,
    /// The query as written.
    target: String,
    path: JsonPath,
    description: Option<String>,
    change: Change,
}

/// One step from the document's root: a member or an item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Nodes in the tree, and how many it may hold.
struct Budget {
    nodes: usize,
    limit: usize,
}

/// Applies `overlays` in order to `tree` (the spec `spec_file`, of `spec_bytes` bytes).
/// Findings about an overlay are reported against it; false when one has errors (the
/// tree is then partly overlaid and must not be used).
pub(crate) fn apply_all(
    tree: &mut Value,
    overlays: &[Overlay],
    spec_file: &str,
    spec_bytes: usize,
    report: &mut Reporter<'_>,
) -> bool {
    if overlays.is_empty() {
        return true;
    }
    let bytes = overlays.iter().fold(spec_bytes, |sum, o| sum.saturating_add(o.text.len()));
    let mut budget = Budget { nodes: count(tree), limit: max_nodes(bytes) };
    for overlay in overlays {
        let mut own = Reporter::new(&overlay.file, &overlay.text);
        if let Some(actions) = read(&overlay.text, &mut own) {
            for action in &actions {
                if !apply(tree, action, spec_file, &mut budget, &mut own) {
                    break;
                }
            }
        }
        let failed = own.has_errors();
        report.absorb(own);
        if failed {
            return false;
        }
    }
    true
}

/// Parses and checks an overlay document: its actions, or `None` after reporting why not.
fn read(text: &str, report: &mut Reporter<'_>) -> Option<Vec<Action>> {
    if text.len() > MAX_SPEC_BYTES {
        report.error(
            "",
            format!("the overlay is {} bytes; at most {MAX_SPEC_BYTES} are accepted", text.len()),
            Some("split it into several overlays"),
        );
        return None;
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        report.error("", "the overlay is empty", Some(START));
        return None;
    }
    let doc = crate::load::parse(text, report)?;
    if doc.is_null() {
        report.error("", "the overlay is empty", Some(START));
        return None;
    }
    let Value::Object(root) = &doc else {
        report.error("", "the overlay is not a mapping", Some(START));
        return None;
    };
    match root.get("overlay") {
        Some(Value::String(version)) if is_version_1_0(version) => {}
        Some(Value::String(version)) => report.error(
            "/overlay",
            format!("Overlay version {version} is not supported"),
            Some("this generator applies Overlay 1.0.x documents (`overlay: 1.0.0`)"),
        ),
        Some(other) => report.error(
            "/overlay",
            format!("`overlay` must be a string, not {}", kind(other)),
            Some("write the version in full, `overlay: 1.0.0`"),
        ),
        None => report.error("", "missing `overlay` version field", Some(START)),
    }
    match root.get("info") {
        Some(Value::Object(info)) => {
            for field in ["title", "version"] {
                let at = join("/info", field);
                match info.get(field) {
                    Some(Value::String(_)) => {}
                    Some(other) => report.error(&at, format!("`{field}` must be a string, not {}", kind(other)), None),
                    None => report.error(
                        "/info",
                        format!("`info` needs a `{field}`"),
                        Some("`info: {title: What the overlay is for, version: 1.0.0}`"),
                    ),
                }
            }
            unknown_fields(info, "/info", &["title", "version"], "`info` has `title` and `version`", report);
        }
        Some(other) => report.error("/info", format!("`info` must be a mapping, not {}", kind(other)), Some(START)),
        None => report.error("", "missing `info`", Some(START)),
    }
    if let Some(extends) = root.get("extends").filter(|e| !e.is_string()) {
        report.error("/extends", format!("`extends` must be a string (a URI), not {}", kind(extends)), None);
    }
    unknown_fields(
        root,
        "",
        &["overlay", "info", "extends", "actions"],
        "an overlay has `overlay`, `info`, `extends` and `actions`",
        report,
    );
    let mut actions = Vec::new();
    match root.get("actions") {
        Some(Value::Array(list)) if !list.is_empty() => {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (i, node) in list.iter().enumerate() {
                let at = join("/actions", &i.to_string());
                if let Some(first) = seen.insert(canonical(node), i) {
                    report.error(
                        &at,
                        format!("this action repeats action {first}"),
                        Some("actions are unique: remove one of them"),
                    );
                    continue;
                }
                actions.extend(action(&at, node, report));
            }
        }
        Some(Value::Array(_)) => {
            report.error("/actions", "`actions` is empty", Some("an overlay has at least one action"))
        }
        Some(other) => report.error(
            "/actions",
            format!("`actions` must be a list, not {}", kind(other)),
            Some("`actions: [{target: ..., update: ...}]`"),
        ),
        None => report.error("", "missing `actions`", Some(START)),
    }
    (!report.has_errors()).then_some(actions)
}

/// `1.0.x`, as the 1.0 schema's pattern `^1\.0\.\d+$` says.
fn is_version_1_0(version: &str) -> bool {
    version.strip_prefix("1.0.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks one action; `None` when it cannot be applied (reported).
fn action(at: &str, node: &Value, report: &mut Reporter<'_>) -> Option<Action> {
    let Value::Object(map) = node else {
        report.error(
            at,
            format!("an action must be a mapping, not {}", kind(node)),
            Some("`- target: $.paths` with `update: ...` or `remove: true`"),
        );
        return None;
    };
    unknown_fields(
        map,
        at,
        &["target", "description", "update", "remove"],
        "an action has `target`, `description`, `update` and `remove`",
        report,
    );
    let description = match map.get("description") {
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            report.error(
                &join(at, "description"),
                format!("`description` must be a string, not {}", kind(other)),
                None,
            );
            None
        }
        None => None,
    };
    let remove = match map.get("remove") {
        Some(Value::Bool(remove)) => *remove,
        Some(other) => {
            report.error(
                &join(at, "remove"),
                format!("`remove` must be a boolean, not {}", kind(other)),
                Some("`remove: true`"),
            );
            false
        }
        None => false,
    };
    let target_at = join(at, "target");
    let target = match map.get("target") {
        Some(Value::String(target)) => target.clone(),
        Some(other) => {
            report.error(&target_at, format!("`target` must be a string, not {}", kind(other)), Some(TARGET_HINT));
            return None;
        }
        None => {
            report.error(at, "an action needs a `target`", Some(TARGET_HINT));
            return None;
        }
    };
    if target.len() > MAX_TARGET_BYTES {
        report.error(
            &target_at,
            format!("the target is {} bytes long; at most {MAX_TARGET_BYTES} are accepted", target.len()),
            Some("split the action into several with shorter targets"),
        );
        return None;
    }
    let Shape { descendants, nesting } = shape(&target);
    if nesting > MAX_TARGET_NESTING {
        report.error(
            &target_at,
            format!("`{target}` nests brackets {nesting} deep; at most {MAX_TARGET_NESTING} levels are accepted"),
            Some("filters within filters are rarely needed: select in several actions instead"),
        );
        return None;
    }
    if descendants > MAX_DESCENDANT_SEGMENTS {
        report.error(
            &target_at,
            format!(
                "`{target}` has {descendants} descendant segments (`..`); at most {MAX_DESCENDANT_SEGMENTS} are accepted"
            ),
            Some("name the path down to the nodes instead: `$.paths.*.get` rather than `$..get`"),
        );
        return None;
    }
    let path = match JsonPath::parse(&target) {
        Ok(path) => path,
        Err(error) => {
            report.error(
                &target_at,
                format!(
                    "`{target}` is not a JSONPath query (RFC 9535): {} at character {}",
                    error.message(),
                    error.position()
                ),
                Some(TARGET_HINT),
            );
            return None;
        }
    };
    let change = match (remove, map.get("update")) {
        (true, Some(_)) => {
            report.warn(
                &join(at, "update"),
                "`update` ignored: the action has `remove: true`",
                Some("an action either updates or removes; drop one of the two"),
            );
            Change::Remove
        }
        (true, None) => Change::Remove,
        (false, Some(update)) => Change::Update(update.clone()),
        (false, None) => {
            report.warn(
                at,
                "this action has neither `update` nor `remove: true`: it changes nothing",
                Some("add an `update`, or `remove: true`"),
            );
            Change::Nothing
        }
    };
    Some(Action { at: at.to_string(), target, path, description, change })
}

/// What makes a JSONPath query costly, outside its string literals.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    /// Descendant segments (`..`).
    descendants: usize,
    /// Deepest nesting of brackets.
    nesting: usize,
}

fn shape(query: &str) -> Shape {
    let mut shape = Shape { descendants: 0, nesting: 0 };
    let (mut depth, mut quote, mut escaped, mut previous_dot) = (0usize, None, false, false);
    for c in query.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '.' && previous_dot => {
                shape.descendants += 1;
                previous_dot = false;
                continue;
            }
            None if c == '[' => {
                depth += 1;
                shape.nesting = shape.nesting.max(depth);
            }
            None if c == ']' => depth = depth.saturating_sub(1),
            None => {}
        }
        previous_dot = quote.is_none() && c == '.';
    }
    shape
}

/// Reports every member of `map` that is neither in `known` nor an `x-` extension.
fn unknown_fields(map: &Map<String, Value>, at: &str, known: &[&str], hint: &str, report: &mut Reporter<'_>) {
    for key in map.keys().filter(|k| !known.contains(&k.as_str()) && !k.starts_with("x-")) {
        report.error(&join(at, key), format!("unknown field `{key}`"), Some(&format!("{hint} (and `x-` extensions)")));
    }
}

/// Applies one action; false after an error.
fn apply(tree: &mut Value, action: &Action, spec_file: &str, budget: &mut Budget, report: &mut Reporter<'_>) -> bool {
    if matches!(action.change, Change::Nothing) {
        return true;
    }
    // Owned paths, sorted (document order, items by index) and without repeats.
    let selected: BTreeSet<Vec<Step>> =
        action.path.query_located(tree).iter().map(|node| steps(node.location())).collect();
    let target_at = join(&action.at, "target");
    if selected.is_empty() {
        let what = action.description.as_deref().and_then(|d| d.lines().find(|l| !l.trim().is_empty()));
        report.warn(
            &target_at,
            format!(
                "`{}` selects nothing in {spec_file}, so this action changes nothing{}",
                action.target,
                what.map(|w| format!(" ({})", shortened(w.trim()))).unwrap_or_default()
            ),
            Some(
                "if the document changed, update the target: until then, what this action adds is missing from the generated code",
            ),
        );
        return true;
    }
    for path in &selected {
        let node = get(tree, path);
        if let Some(node) = node.filter(|n| !n.is_object() && !n.is_array()) {
            report.error(
                &target_at,
                format!(
                    "`{}` selects {} at {} in {spec_file}; Overlay 1.0 targets select objects and arrays only",
                    action.target,
                    kind(node),
                    pointer(path)
                ),
                Some("select the object holding the value instead, and `update` its member there"),
            );
            return false;
        }
    }
    match &action.change {
        Change::Remove => {
            if selected.contains(&Vec::new()) {
                report.error(
                    &target_at,
                    format!("`{}` selects the document itself, which cannot be removed", action.target),
                    Some("select the members to remove"),
                );
                return false;
            }
            remove_all(tree, &selected);
        }
        Change::Update(update) => {
            let object = selected.iter().find(|path| get(tree, path).is_some_and(Value::is_object));
            if let (Some(path), false) = (object, update.is_object()) {
                report.error(
                    &join(&action.at, "update"),
                    format!(
                        "`update` must be a mapping to merge into the object at {} in {spec_file}, not {}",
                        pointer(path),
                        kind(update)
                    ),
                    Some("give the members to add or replace, e.g. `update: {description: ...}`"),
                );
                return false;
            }
            let added = count(update).saturating_mul(selected.len());
            if budget.nodes.saturating_add(added) > budget.limit {
                report.error(
                    &join(&action.at, "update"),
                    format!(
                        "this action would grow the document past {} values (its update, {} values, goes to {} nodes)",
                        budget.limit,
                        count(update),
                        selected.len()
                    ),
                    Some("select fewer nodes, or update a shared schema that the nodes reference"),
                );
                return false;
            }
            budget.nodes += added;
            // Deepest and last first (nothing moves: merges and appends keep indices).
            for path in selected.iter().rev() {
                match get_mut(tree, path) {
                    Some(Value::Object(map)) => {
                        if let Value::Object(update) = update {
                            merge(map, update);
                        }
                    }
                    Some(Value::Array(items)) => items.push(update.clone()),
                    _ => {}
                }
            }
        }
        Change::Nothing => {}
    }
    true
}

/// Merges `update` into `target`: objects recursively, anything else replaces.
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        if let (Some(Value::Object(inner)), Value::Object(more)) = (target.get_mut(key), value) {
            merge(inner, more);
            continue;
        }
        target.insert(key.clone(), value.clone());
    }
}

/// Removes every selected node (none is the root). A node inside another selected
/// one goes with it; the others are removed parent by parent, deepest parents first,
/// so the indices of the items still to remove never shift.
fn remove_all(tree: &mut Value, selected: &BTreeSet<Vec<Step>>) {
    let mut by_parent: BTreeMap<&[Step], BTreeSet<Step>> = BTreeMap::new();
    let mut kept: Option<&Vec<Step>> = None;
    for path in selected {
        // Sorted: the paths below a kept one follow it directly.
        if kept.is_some_and(|k| path.starts_with(k)) {
            continue;
        }
        kept = Some(path);
        if let Some((last, parent)) = path.split_last() {
            by_parent.entry(parent).or_default().insert(last.clone());
        }
    }
    for (parent, gone) in by_parent.iter().rev() {
        match get_mut(tree, parent) {
            Some(Value::Object(map)) => map.retain(|key, _| !gone.contains(&Step::Key(key.clone()))),
            Some(Value::Array(items)) => {
                let mut index = 0;
                items.retain(|_| {
                    index += 1;
                    !gone.contains(&Step::Index(index - 1))
                });
            }
            _ => {}
        }
    }
}

fn steps(location: &serde_json_path::NormalizedPath<'_>) -> Vec<Step> {
    use serde_json_path::PathElement;
    location
        .iter()
        .map(|element| match element {
            PathElement::Name(name) => Step::Key((*name).to_string()),
            PathElement::Index(index) => Step::Index(*index),
        })
        .collect()
}

fn get<'v>(mut node: &'v Value, path: &[Step]) -> Option<&'v Value> {
    for step in path {
        node = match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get(key)?,
            (Value::Array(items), Step::Index(index)) => items.get(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

fn get_mut<'v>(mut node: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    for step in path {
        node = match (node, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The JSON pointer of a path in the spec.
fn pointer(path: &[Step]) -> String {
    let pointer = path.iter().fold(String::new(), |pointer, step| match step {
        Step::Key(key) => join(&pointer, key),
        Step::Index(index) => join(&pointer, &index.to_string()),
    });
    if pointer.is_empty() { "the root".to_string() } else { pointer }
}

/// Values in a tree (keys not counted, as in the parser's node budget), without recursion.
fn count(value: &Value) -> usize {
    let mut nodes = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        nodes += 1;
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    nodes
}

/// A value as text with members in key order: equal for equal JSON values.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, String> = map.iter().map(|(k, v)| (k, canonical(v))).collect();
            let members: Vec<String> =
                sorted.iter().map(|(k, v)| format!("{}:{v}", Value::String((*k).clone()))).collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// "a string", "an array", … for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// At most 100 characters of a description, for a message.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(tree: Value, overlay: &str) -> (Value, Vec<crate::Diagnostic>, bool) {
        let mut tree = tree;
        let mut report = Reporter::new("spec.yaml", "");
        let overlays = [Overlay { file: "o.yaml".into(), text: overlay.into() }];
        let ok = apply_all(&mut tree, &overlays, "spec.yaml", 1000, &mut report);
        (tree, report.into_failure().diagnostics, ok)
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";

    #[test]
    fn shape_outside_strings() {
        let shape_of = |descendants, nesting| Shape { descendants, nesting };
        assert_eq!(shape("$.a.b[?@.c == 'x']"), shape_of(0, 1));
        assert_eq!(shape("$..a..[?@..b[?@[0]]]"), shape_of(3, 3));
        assert_eq!(shape("$.paths['/a/../b[['][\"..]\"]"), shape_of(0, 1));
        assert_eq!(shape("$.a['it\\'s..[']..b"), shape_of(1, 1));
        assert_eq!(shape("$...a"), shape_of(1, 0));
    }

    #[test]
    fn versions_of_1_0_only() {
        assert!(is_version_1_0("1.0.0") && is_version_1_0("1.0.12"));
        for other in ["1.0", "1.1.0", "1.0.x", "1.0.", "2.0.0", " 1.0.0"] {
            assert!(!is_version_1_0(other), "{other}");
        }
    }

    #[test]
    fn removes_items_of_one_array_and_nested_selections_once() {
        let tree = json!({"a": [[0], {"x": {"x": 1}}, [2], [3], {"x": 4}], "b": {"x": {"x": {}}}});
        let (tree, found, ok) = run(tree, &format!("{HEAD}  - target: $.a[1,3,4,1]\n    remove: true\n"));
        assert!(ok, "{found:?}");
        assert_eq!(tree, json!({"a": [[0], [2]], "b": {"x": {"x": {}}}}));
        let tree = json!({"b": {"x": {"x": {"x": {}}}, "y": [{"x": {}}]}});
        let (tree, found, ok) = run(tree, &format!("{HEAD}  - target: $..x\n    remove: true\n"));
        assert!(ok, "{found:?}");
        assert_eq!(tree, json!({"b": {"y": [{}]}}));
    }

    #[test]
    fn merges_recursively_keeping_member_order() {
        let tree = json!({"o": {"a": 1, "n": {"k": [1], "m": {"z": 0}}, "c": 3}});
        let (tree, found, ok) =
            run(tree, &format!("{HEAD}  - target: $.o\n    update: {{n: {{k: [2], m: {{y: 1}}}}, a: 9, d: 4}}\n"));
        assert!(ok, "{found:?}");
        assert_eq!(tree, json!({"o": {"a": 9, "n": {"k": [2], "m": {"z": 0, "y": 1}}, "c": 3, "d": 4}}));
        let keys: Vec<&String> = tree["o"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "n", "c", "d"]);
    }

    #[test]
    fn growth_is_bounded_by_the_node_budget() {
        let tree = json!({"a": vec![json!([]); 100]});
        let big: Vec<String> = (0..2000).map(|i| i.to_string()).collect();
        let overlay = format!("{HEAD}  - target: $.a.*\n    update: [{}]\n", big.join(","));
        let (_, found, ok) = run(tree, &overlay);
        assert!(!ok);
        assert!(found[0].message.contains("would grow the document past"), "{found:?}");
        assert_eq!(found[0].pointer, "/actions/0/update");
    }

    #[test]
    fn canonical_text_ignores_member_order() {
        assert_eq!(
            canonical(&json!({"b": [1, {"d": 1, "c": 2}], "a": "x"})),
            canonical(&json!({"a": "x", "b": [1, {"c": 2, "d": 1}]}))
        );
        assert_ne!(canonical(&json!([1, 2])), canonical(&json!([2, 1])));
    }
}
