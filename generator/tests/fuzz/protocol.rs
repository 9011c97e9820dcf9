//! The lines a worker prints on stdout for its supervisor (`@@fuzz-finding`,
//! `@@fuzz-baseline`, `@@fuzz-stat`, `@@fuzz-summary`: tab-separated fields, escaped),
//! written and parsed here.

use crate::fields::{escape_field, unescape_field};
use crate::findings::Finding;
use crate::report::Counts;

/// How a seed fared unmutated.
pub(crate) fn baseline_line(seed: &str, millis: u128, result: &str) -> String {
    format!("@@fuzz-baseline\t{}\t{millis}\t{}", escape_field(seed), escape_field(result))
}

/// How many rejections were about `kind` (`FUZZ_STATS=1`).
pub(crate) fn stat_line(kind: &str, n: u64) -> String {
    format!("@@fuzz-stat\t{}\t{n}", escape_field(kind))
}

/// The worker's last line: the next iteration, its counts, whether it stopped on a hang.
pub(crate) fn summary_line(next: u64, counts: Counts, hang: bool) -> String {
    format!(
        "@@fuzz-summary\t{next}\t{}\t{}\t{}\t{}\t{}",
        counts.executions,
        counts.ok,
        counts.rejected,
        counts.panics,
        u8::from(hang)
    )
}

/// A line of a worker's stdout, parsed.
pub(crate) enum Message {
    Finding(Finding),
    /// Seed, milliseconds (as printed), result.
    Baseline(String, String, String),
    Stat(String, u64),
    /// Next iteration, executions, ok, rejected, panics, hang (0 or 1).
    Summary(Vec<u64>),
}

/// The message in `line`, if any (the test harness may print `test ... ` before it).
pub(crate) fn parse_line(line: &str) -> Option<Message> {
    let at = line.find("@@fuzz-")?;
    let line = &line[at..];
    if let Some(f) = Finding::parse(line) {
        Some(Message::Finding(f))
    } else if let Some(rest) = line.strip_prefix("@@fuzz-baseline\t") {
        let f: Vec<&str> = rest.splitn(3, '\t').collect();
        (f.len() == 3).then(|| Message::Baseline(unescape_field(f[0]), f[1].to_string(), unescape_field(f[2])))
    } else if let Some(rest) = line.strip_prefix("@@fuzz-stat\t") {
        let (kind, n) = rest.rsplit_once('\t')?;
        Some(Message::Stat(unescape_field(kind), n.parse::<u64>().unwrap_or(0)))
    } else if let Some(rest) = line.strip_prefix("@@fuzz-summary\t") {
        let f: Vec<u64> = rest.split('\t').filter_map(|x| x.parse().ok()).collect();
        (f.len() == 6).then_some(Message::Summary(f))
    } else {
        None
    }
}
