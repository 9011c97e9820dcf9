//! Mutations of the generator options beside the spec: tag filters (the spec's own tags
//! or hostile names), standalone crates, odd package names, spec file names and guides.

use std::collections::BTreeSet;

use serde_json::Value;

use super::hostile::{WEIRD_NAMES, WEIRD_TEXT, weird_text};
use crate::rng::Rng;

pub(crate) fn mutate_options(rng: &mut Rng, tree: &Value, options: &mut generator::Options, log: &mut Vec<String>) {
    if rng.one_in(10) {
        let mut tags = BTreeSet::new();
        collect_tags(tree, &mut tags);
        let tags: Vec<String> = tags.into_iter().collect();
        options.tags = (0..rng.small(1, 2))
            .map(|_| {
                if !tags.is_empty() && !rng.one_in(3) {
                    rng.pick(&tags).clone()
                } else {
                    rng.pick(WEIRD_NAMES).to_string()
                }
            })
            .collect();
        log.push(format!("options.tags = {:?}", options.tags));
    }
    if rng.one_in(3) {
        options.standalone = true;
    }
    if rng.one_in(50) {
        options.package =
            rng.pick(&["", "a", "ключ", "a b", "1abc", "self", "a\"b", "fuzz_client", "-", "crate"]).to_string();
        log.push(format!("options.package = {:?}", options.package));
    }
    if rng.one_in(50) {
        options.spec_file = rng.pick(WEIRD_TEXT).to_string();
        log.push(format!("options.spec_file = {:?}", options.spec_file));
    }
    if rng.one_in(50) {
        let guide = match rng.below(3) {
            0 => "# Guide\n\n```rust\nlet x = 1;\n```\n".to_string(),
            1 => format!("# Guide\n\n{}\n", weird_text(rng)),
            _ => weird_text(rng),
        };
        log.push(format!("options.guide = {guide:?}"));
        options.guide = Some(guide);
    }
}

fn collect_tags(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(tags)) = map.get("tags") {
                out.extend(tags.iter().filter_map(Value::as_str).map(str::to_string));
            }
            map.values().for_each(|v| collect_tags(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_tags(v, out)),
        _ => {}
    }
}
