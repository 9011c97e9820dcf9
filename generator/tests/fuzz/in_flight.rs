//! The in-flight files: before each call a worker writes the input it is about to run
//! (`in-flight-<pid>.yaml`) and where it stands (`in-flight-<pid>.txt`: iteration, seed,
//! counts so far, mutations), so that when the worker process dies (stack overflow,
//! abort, out of memory) its supervisor can report that input.

use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::fields::{escape_field, unescape_field};
use crate::report::Counts;

/// The in-flight files of the worker process `pid`.
pub(crate) struct InFlight {
    pub(crate) text: PathBuf,
    pub(crate) meta: PathBuf,
}

impl InFlight {
    pub(crate) fn of(dir: &Path, pid: u32) -> Self {
        Self { text: dir.join(format!("in-flight-{pid}.yaml")), meta: dir.join(format!("in-flight-{pid}.txt")) }
    }

    /// Records the input about to run (worker side).
    pub(crate) fn write(&self, iteration: u64, seed: &str, counts: &Counts, case: &Case) {
        let _ = std::fs::write(&self.text, case.saved_text());
        let _ = std::fs::write(
            &self.meta,
            format!(
                "{iteration}\t{seed}\t{}\t{}\t{}\t{}\t{}\n",
                counts.executions,
                counts.ok,
                counts.rejected,
                counts.panics,
                escape_field(&case.mutations.join("; "))
            ),
        );
    }

    /// Removes both files (a worker that ends normally).
    pub(crate) fn remove(&self) {
        let _ = std::fs::remove_file(&self.text);
        let _ = std::fs::remove_file(&self.meta);
    }

    /// What the meta file says (supervisor side), `None` when the worker died before its
    /// first case.
    pub(crate) fn read(&self) -> Option<Record> {
        let meta = std::fs::read_to_string(&self.meta).unwrap_or_default();
        let m: Vec<&str> = meta.trim_end_matches('\n').split('\t').collect();
        if m.len() < 7 {
            return None;
        }
        let n = |i: usize| m[i].parse::<u64>().unwrap_or(0);
        Some(Record {
            iteration: m[0].parse().ok(),
            seed: m[1].to_string(),
            counts: Counts { executions: n(2), ok: n(3), rejected: n(4), panics: n(5) },
            mutations: unescape_field(m[6]),
        })
    }
}

/// The meta file of a worker that died.
pub(crate) struct Record {
    /// `None` when unreadable (the supervisor then assumes the worker's first iteration).
    pub(crate) iteration: Option<u64>,
    pub(crate) seed: String,
    /// Counts before the in-flight call.
    pub(crate) counts: Counts,
    pub(crate) mutations: String,
}
