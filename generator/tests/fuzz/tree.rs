//! Paths into a parsed document (`serde_json::Value`): listing, reading, writing and
//! removing nodes, JSON pointers, and the predicates mutations pick their targets by.

use serde_json::Value;

use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

pub(crate) type NodePath = Vec<Seg>;

/// Every path in the tree, in pre-order (ancestors first; the root is the empty path).
pub(crate) fn all_paths(root: &Value) -> Vec<NodePath> {
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

pub(crate) fn get<'a>(mut node: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(crate) fn get_mut<'a>(mut node: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        node = match (seg, node) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k)?,
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A JSON pointer token.
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `#/a/b` for a path.
pub(crate) fn ref_to(path: &[Seg]) -> String {
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

/// `/a/b` for a path, for the mutation log.
pub(crate) fn show(path: &[Seg]) -> String {
    let r = ref_to(path);
    if r == "#" { "/".into() } else { r[1..].to_string() }
}

pub(crate) fn is_prefix(a: &[Seg], b: &[Seg]) -> bool {
    a.len() <= b.len() && a == &b[..a.len()]
}

pub(crate) fn last_key(path: &[Seg]) -> Option<&str> {
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

pub(crate) fn is_schemaish(path: &[Seg], node: &Value) -> bool {
    let Value::Object(map) = node else { return false };
    SCHEMA_KEYS.iter().any(|k| map.contains_key(*k))
        || last_key(path).is_some_and(|k| k == "schema" || k == "items" || k == "additionalProperties")
        || parent_key(path).is_some_and(|k| k == "schemas" || k == "properties")
}

pub(crate) fn is_parameter(path: &[Seg], node: &Value) -> bool {
    node.is_object()
        && (node.get("in").is_some()
            || path.iter().any(|s| matches!(s, Seg::Key(k) if k == "parameters")) && node.get("name").is_some())
}

/// A random path whose node satisfies `pred` (the root only when `root_ok`).
pub(crate) fn pick_path(
    rng: &mut Rng,
    root: &Value,
    root_ok: bool,
    pred: impl Fn(&[Seg], &Value) -> bool,
) -> Option<NodePath> {
    let candidates: Vec<NodePath> = all_paths(root)
        .into_iter()
        .filter(|p| (root_ok || !p.is_empty()) && get(root, p).is_some_and(|v| pred(p, v)))
        .collect();
    if candidates.is_empty() { None } else { Some(candidates[rng.below(candidates.len())].clone()) }
}

pub(crate) fn set(root: &mut Value, path: &[Seg], value: Value) -> bool {
    match get_mut(root, path) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

pub(crate) fn remove(root: &mut Value, path: &[Seg]) -> bool {
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
pub(crate) fn component_refs(root: &Value) -> Vec<String> {
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

/// Every `$ref: old` becomes `$ref: new`.
pub(crate) fn rewrite_refs(node: &mut Value, old: &str, new: &str) {
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
