//! The seeds: `tests/fuzz-seeds/`, the project's spec and, when present, the upstream
//! documents, each with the weight it is picked with.

use std::cell::OnceCell;
use std::path::PathBuf;

use serde_json::Value;

use crate::config::manifest_dir;

pub(crate) struct Seed {
    pub(crate) name: String,
    pub(crate) text: String,
    /// Parsed on first use (a worker restarted after an abort needs few of them).
    tree: OnceCell<Option<Value>>,
    pub(crate) weight: usize,
}

impl Seed {
    pub(crate) fn tree(&self) -> Option<&Value> {
        self.tree.get_or_init(|| serde_yaml::from_str::<Value>(&self.text).ok()).as_ref()
    }
}

/// Every seed file, as (display name, path), in a fixed order.
fn seed_files() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let dir = manifest_dir().join("tests/fuzz-seeds");
    let mut own: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    own.sort();
    for p in own {
        files.push((p.file_name().unwrap().to_string_lossy().into_owned(), p));
    }
    let spec = manifest_dir().join("../spec/sunshine-conversations.yaml");
    if spec.is_file() {
        files.push(("spec/sunshine-conversations.yaml".into(), spec));
    }
    if let Ok(entries) = std::fs::read_dir(manifest_dir().join("../../shared/upstream")) {
        let mut upstream: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        upstream.sort();
        for p in upstream {
            files.push((format!("upstream/{}", p.file_name().unwrap().to_string_lossy()), p));
        }
    }
    assert!(!files.is_empty(), "no fuzz seeds in {}", dir.display());
    files
}

pub(crate) fn load_seeds() -> Vec<Seed> {
    seed_files()
        .into_iter()
        .map(|(name, path)| {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            // Big specs are slow to mutate and generate: pick them less often. Repros of
            // past findings run as they are only (mutants of a hang would eat the budget).
            let weight = if name.starts_with("regression-") {
                0
            } else if text.len() > 64 * 1024 {
                1
            } else {
                4
            };
            Seed { name, text, tree: OnceCell::new(), weight }
        })
        .collect()
}
