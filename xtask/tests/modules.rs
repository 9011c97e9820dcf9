//! Stages depend one way: no module of `generator/` or `xtask/` depends, through other
//! modules, on itself (ARCHITECTURE.md, "Stages and where each rule is decided").
//!
//! A module is a top-level file or directory of `src/`; it depends on another when its
//! code (comments and `#[cfg(test)] mod tests` aside) names `crate::<that module>`, or
//! an item the crate root defines (`crate::root()` in a module would make every module
//! a step away from all the others, through `main`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

const ROOT: &str = "(crate root)";

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comment lines and its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
    text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Identifiers named as `crate::<ident>` or in `crate::{a, b::c}`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                let ident: String =
                    part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                out.insert(ident);
            }
        } else {
            out.insert(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
        }
    }
    out.remove("");
    out
}

/// The items a crate root defines itself (not re-exports).
fn root_items(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
        for keyword in ["fn ", "const ", "static ", "struct ", "enum ", "type "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                out.insert(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
            }
        }
    }
    out
}

fn graph(src: &Path) -> Graph {
    let mut all = Vec::new();
    files(src, &mut all);
    let module_of = |path: &Path| {
        let rel = path.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        match first.strip_suffix(".rs") {
            Some("lib" | "main") => ROOT.to_string(),
            Some(stem) => stem.to_string(),
            None => first,
        }
    };
    let modules: BTreeSet<String> = all.iter().map(|p| module_of(p)).collect();
    let mut root_defined = BTreeSet::new();
    for path in &all {
        if module_of(path) == ROOT {
            root_defined.extend(root_items(&code(&std::fs::read_to_string(path).unwrap())));
        }
    }
    let mut graph = Graph::new();
    for path in &all {
        let module = module_of(path);
        let code = code(&std::fs::read_to_string(path).unwrap());
        let deps = graph.entry(module.clone()).or_default();
        for ident in crate_paths(&code) {
            let target = if modules.contains(&ident) {
                ident
            } else if root_defined.contains(&ident) {
                ROOT.to_string()
            } else {
                continue;
            };
            if target != module {
                deps.insert(target);
            }
        }
        // A top-level file's `super::` is the crate root.
        if module != ROOT && path.parent() == Some(src) && code.contains("super::") {
            deps.insert(ROOT.to_string());
        }
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.graph.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

fn assert_acyclic(krate: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("src");
    let graph = graph(&src);
    let found = cycles(&graph);
    let explain: Vec<String> = found
        .iter()
        .map(|component| {
            let edges: Vec<String> = component
                .iter()
                .map(|m| {
                    let inside: Vec<&str> =
                        graph[m].iter().filter(|d| component.contains(d)).map(String::as_str).collect();
                    format!("  {m} → {}", inside.join(", "))
                })
                .collect();
            format!("{}:\n{}", component.join(" ↔ "), edges.join("\n"))
        })
        .collect();
    assert!(found.is_empty(), "module cycles in {krate}/src:\n{}", explain.join("\n"));
}

#[test]
fn the_generator_has_no_module_cycle() {
    assert_acyclic("generator");
}

#[test]
fn xtask_has_no_module_cycle() {
    assert_acyclic("xtask");
}

#[test]
fn a_cycle_is_found() {
    let graph: Graph = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
        .into_iter()
        .map(|(m, deps)| (m.to_string(), deps.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(cycles(&graph), [["a", "b", "c"]]);
    assert_eq!(
        crate_paths("use crate::{regen, process::run};\nlet x = crate::root();"),
        ["process", "regen", "root"].into_iter().map(String::from).collect()
    );
}
