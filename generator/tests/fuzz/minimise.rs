//! The minimiser: shrinks a saved input while [`classify`] gives the same answer (same
//! panic location, abort or hang), first by structure (deleting and simplifying nodes,
//! when the document survives re-serialisation), then by lines.

use serde_json::{Value, json};

use crate::options::OPTIONS_PREFIX;
use crate::repro::classify;
use crate::tree::{all_paths, get, last_key, remove, set};

/// Shrinks the file at `path` and writes the result to `FUZZ_MINIMISE_OUT` (default
/// `<path>.min.yaml`).
pub(crate) fn minimise(path: &str) {
    let original = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let target = classify(&original);
    println!("minimise: {path}: {} {}", target.0, target.1);
    assert!(!matches!(target.0.as_str(), "ok" | "rejected"), "nothing to minimise: the input is {}", target.0);
    let header =
        original.lines().next().filter(|l| l.starts_with(OPTIONS_PREFIX)).map(|l| format!("{l}\n")).unwrap_or_default();
    let mut oracle = Oracle { target, runs: 0 };
    let best = shrink_tree(&original, &header, &mut oracle).unwrap_or_else(|| original.clone());
    let best = shrink_lines(&best, &header, &mut oracle);
    let out = std::env::var("FUZZ_MINIMISE_OUT").unwrap_or_else(|_| format!("{path}.min.yaml"));
    std::fs::write(&out, &best).unwrap();
    println!("minimise: {} -> {} bytes in {} runs: {out}\n{best}", original.len(), best.len(), oracle.runs);
}

/// Whether a candidate still gives the answer being minimised, counting the runs.
struct Oracle {
    target: (String, String),
    runs: usize,
}

impl Oracle {
    fn same(&mut self, text: &str) -> bool {
        self.runs += 1;
        classify(text) == self.target
    }
}

/// Structure first, when the tree survives re-serialisation: the shrunk text, or `None`
/// when the input does not parse or its re-serialisation loses the finding.
fn shrink_tree(original: &str, header: &str, oracle: &mut Oracle) -> Option<String> {
    let mut tree = serde_yaml::from_str::<Value>(original).ok()?;
    let render = |t: &Value| format!("{header}{}", serde_yaml::to_string(t).unwrap());
    if !oracle.same(&render(&tree)) {
        return None;
    }
    loop {
        let deleted = delete_nodes(&mut tree, &render, oracle);
        let simplified = simplify_nodes(&mut tree, &render, oracle);
        if !deleted && !simplified {
            break;
        }
    }
    Some(render(&tree))
}

/// Deletes nodes, biggest first (paths in pre-order: ancestors come first).
fn delete_nodes(tree: &mut Value, render: &impl Fn(&Value) -> String, oracle: &mut Oracle) -> bool {
    let mut progress = false;
    let mut i = 0;
    loop {
        let paths = all_paths(tree);
        let Some(p) = paths.get(i + 1).cloned() else { break };
        let mut candidate = tree.clone();
        if remove(&mut candidate, &p) && oracle.same(&render(&candidate)) {
            *tree = candidate;
            progress = true;
            continue;
        }
        i += 1;
    }
    progress
}

/// Simplifies nodes: containers to empty, strings to short ones.
fn simplify_nodes(tree: &mut Value, render: &impl Fn(&Value) -> String, oracle: &mut Oracle) -> bool {
    let mut progress = false;
    for p in all_paths(tree).into_iter().skip(1) {
        let Some(node) = get(tree, &p) else { continue };
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
        if oracle.same(&render(&candidate)) {
            *tree = candidate;
            progress = true;
        }
    }
    progress
}

/// Then lines: chunks of halving size, keeping the options header.
fn shrink_lines(best: &str, header: &str, oracle: &mut Oracle) -> String {
    let mut lines: Vec<String> = best.split_inclusive('\n').map(str::to_string).collect();
    let mut chunk = (lines.len() / 2).max(1);
    while chunk >= 1 {
        let mut i = usize::from(!header.is_empty());
        let mut progress = false;
        while i < lines.len() {
            let mut candidate = lines.clone();
            candidate.drain(i..(i + chunk).min(lines.len()));
            if oracle.same(&candidate.concat()) {
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
    lines.concat()
}
