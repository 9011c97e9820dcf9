//! Findings: what a worker found (panic, hang, abort, contract violation, render bug,
//! slow call), their protocol line, which of them fail the test, and saving the inputs
//! behind them to `target/fuzz-failures/` (a few per key).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use crate::case::Case;
use crate::config::{SAVE_PER_KEY, env_flag};
use crate::fields::{escape_field, unescape_field};

pub(crate) struct Finding {
    pub(crate) kind: &'static str,
    pub(crate) key: String,
    pub(crate) iteration: u64,
    pub(crate) seed: String,
    pub(crate) file: String,
    pub(crate) millis: u128,
    pub(crate) message: String,
    pub(crate) mutations: String,
}

impl Finding {
    pub(crate) fn line(&self) -> String {
        format!(
            "@@fuzz-finding\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            self.kind,
            escape_field(&self.key),
            self.iteration,
            escape_field(&self.seed),
            escape_field(&self.file),
            self.millis,
            escape_field(&self.message),
            escape_field(&self.mutations),
        )
    }

    pub(crate) fn parse(line: &str) -> Option<Finding> {
        let f: Vec<&str> = line.strip_prefix("@@fuzz-finding\t")?.split('\t').collect();
        if f.len() != 8 {
            return None;
        }
        let kind = match f[0] {
            "panic" => "panic",
            "hang" => "hang",
            "abort" => "abort",
            "contract" => "contract",
            "render-bug" => "render-bug",
            "slow" => "slow",
            _ => "other",
        };
        Some(Finding {
            kind,
            key: unescape_field(f[1]),
            iteration: f[2].parse().ok()?,
            seed: unescape_field(f[3]),
            file: unescape_field(f[4]),
            millis: f[5].parse().ok()?,
            message: unescape_field(f[6]),
            mutations: unescape_field(f[7]),
        })
    }

    pub(crate) fn fatal(&self) -> bool {
        matches!(self.kind, "panic" | "hang" | "abort" | "contract")
            || (self.kind == "render-bug" && env_flag("FUZZ_STRICT"))
    }
}

/// The input being judged, for the files a finding saves.
pub(crate) struct Current<'a> {
    pub(crate) iteration: u64,
    pub(crate) seed: &'a str,
    pub(crate) case: &'a Case,
    pub(crate) elapsed: Duration,
}

/// Saves and reports one worker's findings: the input (`<iteration>.yaml`, or
/// `<kind>-<iteration>.yaml` for the kinds that do not fail the test) and a `.txt` beside
/// it, for the first [`SAVE_PER_KEY`] findings of each key (every hang).
pub(crate) struct Recorder<'a> {
    dir: PathBuf,
    saved: BTreeMap<String, usize>,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Recorder<'a> {
    pub(crate) fn new(dir: PathBuf, findings: &'a mut Vec<Finding>) -> Self {
        Self { dir, saved: BTreeMap::new(), findings }
    }

    /// Saves the input when this key has not been saved often yet, prints the finding's
    /// protocol line and keeps it.
    pub(crate) fn report(&mut self, at: &Current, kind: &'static str, key: String, message: String, details: String) {
        let Current { iteration, seed, case, elapsed } = *at;
        let n = self.saved.entry(format!("{kind} {key}")).or_insert(0);
        *n += 1;
        let file = if *n <= SAVE_PER_KEY || kind == "hang" {
            let stem = if matches!(kind, "panic" | "hang" | "contract") {
                iteration.to_string()
            } else {
                format!("{kind}-{iteration}")
            };
            let path = self.dir.join(format!("{stem}.yaml"));
            let _ = std::fs::write(&path, case.saved_text());
            let _ = std::fs::write(
                self.dir.join(format!("{stem}.txt")),
                format!(
                    "kind: {kind}\nkey: {key}\nseed: {seed}\niteration: {iteration}\nmillis: {}\nmutations:\n  {}\nmessage:\n{message}\n\n{details}\n",
                    elapsed.as_millis(),
                    case.mutations.join("\n  ")
                ),
            );
            path.display().to_string()
        } else {
            String::new()
        };
        let finding = Finding {
            kind,
            key,
            iteration,
            seed: seed.to_string(),
            file,
            millis: elapsed.as_millis(),
            message,
            mutations: case.mutations.join("; "),
        };
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "{}", finding.line());
        let _ = stdout.flush();
        self.findings.push(finding);
    }
}
