//! The session's report: counts of answers, distinct findings (by kind and key, with the
//! first saved input), the most frequent rejections, the slowest calls, and the verdict
//! (a panic, hang, abort or contract violation, or a render bug under `FUZZ_STRICT=1`,
//! fails the test).

use std::collections::BTreeMap;

use crate::findings::Finding;

/// Tallies of answers.
#[derive(Default, Clone, Copy)]
pub(crate) struct Counts {
    pub(crate) executions: u64,
    pub(crate) ok: u64,
    pub(crate) rejected: u64,
    pub(crate) panics: u64,
}

impl Counts {
    pub(crate) fn add(&mut self, other: Counts) {
        self.executions += other.executions;
        self.ok += other.ok;
        self.rejected += other.rejected;
        self.panics += other.panics;
    }
}

/// What a session gathered from its workers.
pub(crate) struct Report {
    pub(crate) findings: Vec<Finding>,
    pub(crate) counts: Counts,
    pub(crate) restarts: u64,
    /// Rejections by kind (`FUZZ_STATS=1`, through the supervisor).
    pub(crate) stats: BTreeMap<String, u64>,
}

/// Findings by kind and key: how many, and the first one (the first saved one if any).
type Distinct<'a> = BTreeMap<(&'a str, &'a str), (usize, &'a Finding)>;

impl Report {
    /// Prints the report and fails the test on a fatal finding.
    pub(crate) fn finish(&self, elapsed: f64) {
        let distinct = self.distinct();
        let count = |kind: &str| self.findings.iter().filter(|f| f.kind == kind).count();
        let hangs = count("hang");
        let aborts = count("abort");
        print_distinct(&distinct);
        self.print_rejections();
        let slow = self.print_slow();
        let counts = &self.counts;
        println!(
            "fuzz: {} executions, {} ok, {} rejected with diagnostics, {} panics in {elapsed:.1} s",
            counts.executions, counts.ok, counts.rejected, counts.panics
        );
        println!(
            "fuzz: {:.1} executions/s; {hangs} hangs, {aborts} aborts, {} contract violations, {} render bugs, {} slow calls, {} worker restarts",
            counts.executions as f64 / elapsed.max(1e-9),
            count("contract"),
            count("render-bug"),
            slow,
            self.restarts
        );
        assert_none_fatal(&distinct);
    }

    fn distinct(&self) -> Distinct<'_> {
        let mut distinct: Distinct = BTreeMap::new();
        for f in &self.findings {
            let entry = distinct.entry((f.kind, f.key.as_str())).or_insert((0, f));
            entry.0 += 1;
            if entry.1.file.is_empty() && !f.file.is_empty() {
                entry.1 = f;
            }
        }
        distinct
    }

    fn print_rejections(&self) {
        let mut top: Vec<(&String, &u64)> = self.stats.iter().collect();
        top.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
        for (kind, n) in top.iter().take(25) {
            println!("fuzz: rejected x{n}: {kind}");
        }
    }

    /// The five slowest calls; returns how many were slow.
    fn print_slow(&self) -> usize {
        let mut slow: Vec<&Finding> = self.findings.iter().filter(|f| f.kind == "slow").collect();
        slow.sort_by_key(|f| std::cmp::Reverse(f.millis));
        for f in slow.iter().take(5) {
            println!("fuzz: slow: {} ms, seed {} iteration {} -> {}", f.millis, f.seed, f.iteration, f.file);
        }
        slow.len()
    }
}

fn print_distinct(distinct: &Distinct) {
    for ((kind, key), (n, f)) in distinct {
        if *kind == "slow" {
            continue;
        }
        println!(
            "fuzz: {kind} x{n}: {key}\n      first: seed {} iteration {} -> {}\n      {}\n      mutations: {}",
            f.seed,
            f.iteration,
            if f.file.is_empty() { "(not saved)" } else { &f.file },
            f.message.lines().next().unwrap_or_default(),
            f.mutations
        );
    }
}

fn assert_none_fatal(distinct: &Distinct) {
    let fatal: Vec<String> = distinct
        .iter()
        .filter(|(_, (_, f))| f.fatal())
        .map(|((kind, key), (n, f))| {
            format!(
                "{kind} x{n} at {key}: seed `{}`, iteration {}, input {}\n    {}",
                f.seed,
                f.iteration,
                if f.file.is_empty() { "(not saved)" } else { &f.file },
                f.message.lines().next().unwrap_or_default()
            )
        })
        .collect();
    assert!(fatal.is_empty(), "generate() panicked, hung or broke its contract:\n{}", fatal.join("\n"));
}
