//! Graphs of models: what reaches what, and which models contain each other.
//! Iterative, so a spec's depth never becomes stack depth.

use std::collections::{BTreeMap, BTreeSet};

/// Edges by node name.
pub(crate) type Edges = BTreeMap<String, BTreeSet<String>>;

/// Everything reachable from `roots` along `edges`, roots included.
pub(crate) fn reach<'a>(edges: &Edges, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.into_iter().map(str::to_string).collect();
    while let Some(next) = stack.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        if let Some(out) = edges.get(&next) {
            stack.extend(out.iter().filter(|m| !seen.contains(*m)).cloned());
        }
    }
    seen
}

/// The strongly connected component of every node (Tarjan's algorithm, iterative):
/// two nodes share a component exactly when each reaches the other. Nodes only named
/// as targets get a component too. Component numbers are deterministic.
pub(crate) fn components(edges: &Edges) -> BTreeMap<String, usize> {
    let mut nodes: BTreeSet<&str> = edges.keys().map(String::as_str).collect();
    nodes.extend(edges.values().flatten().map(String::as_str));
    let ids: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let names: Vec<&str> = nodes.into_iter().collect();
    let targets: Vec<Vec<usize>> =
        names.iter().map(|n| edges.get(*n).into_iter().flatten().map(|t| ids[t.as_str()]).collect()).collect();
    let count = names.len();
    let mut index = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; count];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, position in its target list)
        let mut work = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut at)) = work.last_mut() {
            if let Some(&target) = targets[node].get(*at) {
                *at += 1;
                if index[target] == usize::MAX {
                    index[target] = next_index;
                    low[target] = next_index;
                    next_index += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    names.into_iter().enumerate().map(|(i, n)| (n.to_string(), component[i])).collect()
}

/// The most nodes on one path along `edges`, counting every node of a cycle it passes
/// through (the depth to which a compiler walks types that contain each other).
pub(crate) fn longest_chain(edges: &Edges) -> usize {
    let component = components(edges);
    let count = component.values().copied().max().map_or(0, |c| c + 1);
    let mut size = vec![0usize; count];
    for &c in component.values() {
        size[c] += 1;
    }
    let mut successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    for (from, targets) in edges {
        for to in targets {
            let (a, b) = (component[from.as_str()], component[to.as_str()]);
            if a != b {
                successors[a].insert(b);
            }
        }
    }
    // Tarjan numbers a component after every component it reaches: ascending order
    // sees successors first.
    let mut depth = vec![0usize; count];
    for c in 0..count {
        depth[c] = size[c] + successors[c].iter().map(|&s| depth[s]).max().unwrap_or(0);
    }
    depth.into_iter().max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(&str, &str)]) -> Edges {
        let mut out = Edges::new();
        for (from, to) in list {
            out.entry(from.to_string()).or_default().insert(to.to_string());
        }
        out
    }

    #[test]
    fn components_group_cycles_only() {
        let graph = edges(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "d"), ("e", "a")]);
        let c = components(&graph);
        assert_eq!(c["a"], c["b"]);
        assert_eq!(c["b"], c["c"]);
        assert_ne!(c["c"], c["d"]);
        assert_ne!(c["e"], c["a"]);
        assert_eq!(reach(&graph, ["e"]).len(), 5);
    }

    #[test]
    fn longest_chains_count_cycles_whole() {
        assert_eq!(longest_chain(&edges(&[("a", "b"), ("b", "c"), ("x", "c")])), 3);
        // a → {b, c} cycle → d: four nodes on the path.
        assert_eq!(longest_chain(&edges(&[("a", "b"), ("b", "c"), ("c", "b"), ("c", "d")])), 4);
        assert_eq!(longest_chain(&edges(&[("a", "a")])), 1);
        assert_eq!(longest_chain(&Edges::new()), 0);
    }

    #[test]
    fn a_long_chain_costs_no_stack() {
        let list: Vec<(String, String)> = (0..200_000).map(|i| (format!("n{i}"), format!("n{}", i + 1))).collect();
        let mut graph = Edges::new();
        for (from, to) in &list {
            graph.entry(from.clone()).or_default().insert(to.clone());
        }
        graph.entry("n200000".into()).or_default().insert("n0".into());
        let c = components(&graph);
        assert_eq!(c["n0"], c["n199999"]);
    }
}
