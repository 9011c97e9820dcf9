//! The supervisor: a stack overflow aborts the whole process and cannot be caught, so
//! the session re-runs this test binary as worker processes (`FUZZ_WORKER=1`), reads their
//! protocol lines, and restarts after a hang (the worker exits) or a death (the in-flight
//! input becomes an `abort` finding).

use std::process::{Command, Output, Stdio};
use std::time::Instant;

use crate::config::failures_dir;
use crate::findings::Finding;
use crate::in_flight::InFlight;
use crate::protocol::{Message, parse_line};
use crate::report::{Counts, Report};
use crate::worker::Budget;

/// Runs workers until the budget is spent; gathers what they report.
pub(crate) fn supervise(budget: &Budget) -> Report {
    let mut report = Report { findings: Vec::new(), counts: Counts::default(), restarts: 0, stats: Default::default() };
    let dir = failures_dir();
    let mut start = budget.start;
    while start < budget.end && Instant::now() < budget.deadline {
        let (pid, output) = run_worker(budget, start);
        let stdout = String::from_utf8_lossy(&output.stdout);
        if let Some(s) = read_worker_output(&stdout, &mut report) {
            report.counts.add(Counts { executions: s[1], ok: s[2], rejected: s[3], panics: s[4] });
            if s[5] == 1 {
                report.restarts += 1;
                start = s[0];
                continue;
            }
            break;
        }
        // The worker died (stack overflow, abort, out of memory): report the in-flight case.
        report.restarts += 1;
        let finding = dead_worker(&InFlight::of(&dir, pid), &dir, &output, &stdout, start, &mut report.counts);
        start = finding.iteration + 1;
        report.findings.push(finding);
    }
    report
}

/// One worker process for iterations `start..budget.end`, until the deadline.
fn run_worker(budget: &Budget, start: u64) -> (u32, Output) {
    let exe = std::env::current_exe().expect("test executable");
    let millis = budget.deadline.saturating_duration_since(Instant::now()).as_millis();
    let child = Command::new(&exe)
        .args(["fuzz_generate_never_panics", "--exact", "--nocapture", "--test-threads", "1"])
        .env("FUZZ_WORKER", "1")
        .env("FUZZ_START", start.to_string())
        .env("FUZZ_END", budget.end.to_string())
        .env("FUZZ_MILLIS", millis.to_string())
        .env("FUZZ_SEED", budget.base_seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the fuzz worker");
    let pid = child.id();
    (pid, child.wait_with_output().expect("wait for the fuzz worker"))
}

/// Takes in a worker's findings and stats, prints its baselines; returns its summary
/// (none when it died).
fn read_worker_output(stdout: &str, report: &mut Report) -> Option<Vec<u64>> {
    let mut summary = None;
    for line in stdout.lines() {
        match parse_line(line) {
            Some(Message::Finding(f)) => report.findings.push(f),
            Some(Message::Baseline(seed, millis, result)) => {
                println!("fuzz: seed {seed} ({millis} ms): {}", result.lines().next().unwrap_or_default());
            }
            Some(Message::Stat(kind, n)) => *report.stats.entry(kind).or_insert(0) += n,
            Some(Message::Summary(s)) => summary = Some(s),
            None => {}
        }
    }
    summary
}

/// The `abort` finding for a worker that died: its in-flight input is saved as
/// `<iteration>.yaml` with a `.txt` (the worker's stderr) beside it.
fn dead_worker(
    in_flight: &InFlight,
    dir: &std::path::Path,
    output: &Output,
    stdout: &str,
    start: u64,
    counts: &mut Counts,
) -> Finding {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(record) = in_flight.read() else {
        panic!("the fuzz worker died before its first case ({}):\n{stderr}\n{stdout}", output.status);
    };
    let iteration = record.iteration.unwrap_or(start);
    counts.add(Counts { executions: record.counts.executions + 1, ..record.counts });
    let key = if stderr.contains("has overflowed its stack") {
        "stack overflow".to_string()
    } else if stderr.contains("memory allocation of") {
        "out of memory".to_string()
    } else {
        format!("worker died: {}", output.status)
    };
    let saved = dir.join(format!("{iteration}.yaml"));
    let _ = std::fs::rename(&in_flight.text, &saved);
    let tail: Vec<&str> = stderr.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    let _ = std::fs::write(
        dir.join(format!("{iteration}.txt")),
        format!(
            "kind: abort\nkey: {key}\nseed: {}\niteration: {iteration}\nmutations: {}\nstderr:\n{stderr}\n",
            record.seed, record.mutations
        ),
    );
    let _ = std::fs::remove_file(&in_flight.meta);
    Finding {
        kind: "abort",
        key,
        iteration,
        seed: record.seed,
        file: saved.display().to_string(),
        millis: 0,
        message: tail.join(" | "),
        mutations: record.mutations,
    }
}
