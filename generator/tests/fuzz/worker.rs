//! The worker: runs iterations `start..end` until the deadline, judges each answer and
//! reports findings as protocol lines on stdout. It runs in its own process under the
//! supervisor (`FUZZ_WORKER=1`), or in the test's process with `FUZZ_IN_PROCESS=1`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::{Duration, Instant};

use crate::build_samples::save_build_sample;
use crate::case::make_case;
use crate::config::{SLOW, env_flag, env_num, failures_dir, hang_limit};
use crate::dump::{dump_case, dump_dir};
use crate::findings::{Current, Finding, Recorder};
use crate::in_flight::InFlight;
use crate::protocol::{baseline_line, stat_line, summary_line};
use crate::report::Counts;
use crate::run::{Outcome, PanicRecord, install_panic_hook, run_one};
use crate::seeds::{Seed, load_seeds};
use crate::verdict::{contract_problem, generator_frames, panic_key, rejection_kind, render_bug};

/// Which iterations to run, until when, and the session's `FUZZ_SEED`.
pub(crate) struct Budget {
    pub(crate) start: u64,
    pub(crate) end: u64,
    pub(crate) deadline: Instant,
    pub(crate) base_seed: u64,
}

/// The worker process (`FUZZ_WORKER=1`): its budget comes from the supervisor.
pub(crate) fn worker_process() {
    let seeds = load_seeds();
    let budget = Budget {
        start: env_num("FUZZ_START", 0.0) as u64,
        end: env_num("FUZZ_END", 0.0) as u64,
        deadline: Instant::now() + Duration::from_millis(env_num("FUZZ_MILLIS", 0.0) as u64),
        base_seed: env_num("FUZZ_SEED", 0.0) as u64,
    };
    let (_, _, hang) = worker(&budget, &seeds, &mut Vec::new());
    if hang {
        // The hung call thread cannot be stopped: end the process; the supervisor restarts.
        std::process::exit(0);
    }
}

/// Runs iterations `start..end` until the deadline; reports findings as protocol lines
/// on stdout (and collects them for in-process use). Returns the counts, the next
/// iteration, and whether it stopped because of a hang.
pub(crate) fn worker(budget: &Budget, seeds: &[Seed], findings: &mut Vec<Finding>) -> (Counts, u64, bool) {
    install_panic_hook();
    let dir = failures_dir();
    let in_flight = InFlight::of(&dir, std::process::id());
    let mut recorder = Recorder::new(dir, findings);
    let mut counts = Counts::default();
    let mut iteration = budget.start;
    let mut hang = false;
    let stats_on = env_flag("FUZZ_STATS");
    let mut stats: BTreeMap<String, u64> = BTreeMap::new();
    let dump = dump_dir();
    while iteration < budget.end && Instant::now() < budget.deadline {
        let case = make_case(iteration, budget.base_seed, seeds);
        let seed = &seeds[case.seed].name;
        if let Some(dir) = &dump {
            dump_case(dir, iteration, seed, &case);
        }
        in_flight.write(iteration, seed, &counts, &case);
        let (outcome, elapsed) = run_one(&case.text, &case.options, format!("fuzz {seed} #{iteration}"));
        counts.executions += 1;
        if iteration < seeds.len() as u64 {
            print_baseline(seed, elapsed, &outcome);
        }
        let at = Current { iteration, seed, case: &case, elapsed };
        let mutated = iteration >= seeds.len() as u64;
        hang = judge(&mut recorder, &at, outcome, mutated, &mut counts, stats_on.then_some(&mut stats));
        iteration += 1;
        if hang {
            break;
        }
    }
    in_flight.remove();
    let mut stdout = std::io::stdout();
    for (kind, n) in &stats {
        let _ = writeln!(stdout, "{}", stat_line(kind, *n));
    }
    let _ = writeln!(stdout, "{}", summary_line(iteration, counts, hang));
    let _ = stdout.flush();
    (counts, iteration, hang)
}

/// How a seed fared unmutated (the supervisor prints it).
fn print_baseline(seed: &str, elapsed: Duration, outcome: &Outcome) {
    let result = match outcome {
        Outcome::Ok => "ok".to_string(),
        Outcome::Rejected(f) => format!(
            "rejected: {}",
            f.diagnostics
                .iter()
                .find(|d| d.severity == generator::Severity::Error)
                .map(|d| d.to_string())
                .unwrap_or_default()
        ),
        Outcome::Panic(p) => format!("PANIC at {}: {}", p.location, p.message),
        Outcome::Hang => "HANG".into(),
    };
    let _ = writeln!(std::io::stdout(), "{}", baseline_line(seed, elapsed.as_millis(), &result));
}

/// Counts one answer and reports what it shows: contract violations and render bugs
/// among rejections, panics, hangs, slow calls. Returns whether the call hung.
fn judge(
    recorder: &mut Recorder,
    at: &Current,
    outcome: Outcome,
    mutated: bool,
    counts: &mut Counts,
    stats: Option<&mut BTreeMap<String, u64>>,
) -> bool {
    let hang = matches!(outcome, Outcome::Hang);
    match outcome {
        Outcome::Ok => {
            counts.ok += 1;
            if mutated {
                save_build_sample(at.iteration, at.case);
            }
        }
        Outcome::Rejected(failure) => {
            counts.rejected += 1;
            judge_rejection(recorder, at, &failure, stats);
        }
        Outcome::Panic(record) => {
            counts.panics += 1;
            report_panic(recorder, at, &record);
        }
        Outcome::Hang => recorder.report(
            at,
            "hang",
            format!("no answer within {:?}", hang_limit()),
            format!("still running after {:?}", at.elapsed),
            String::new(),
        ),
    }
    if !hang && at.elapsed > SLOW {
        let millis = at.elapsed.as_millis();
        recorder.report(at, "slow", format!("{millis} ms"), format!("took {millis} ms"), String::new());
    }
    hang
}

/// A rejection: its kind for `FUZZ_STATS`, and a finding when it breaks the contract of an
/// `Err` or is a "generator bug" render error.
fn judge_rejection(
    recorder: &mut Recorder,
    at: &Current,
    failure: &generator::Failure,
    stats: Option<&mut BTreeMap<String, u64>>,
) {
    if let Some(stats) = stats {
        *stats.entry(rejection_kind(failure)).or_insert(0u64) += 1;
    }
    if let Some(problem) = contract_problem(failure) {
        recorder.report(at, "contract", problem.clone(), format!("{problem}: {failure:?}"), String::new());
    }
    if let Some((key, message)) = render_bug(failure) {
        recorder.report(at, "render-bug", key, message, String::new());
    }
}

/// A panic, keyed by its place in the generator, with the generator's frames.
fn report_panic(recorder: &mut Recorder, at: &Current, record: &PanicRecord) {
    let frames = generator_frames(&record.backtrace, 8);
    let details = format!(
        "location: {}\nframes:\n  {}\n\nbacktrace:\n{}",
        record.location,
        frames.join("\n  "),
        record.backtrace
    );
    let message = format!("{} (at {}; frames: {})", record.message, record.location, frames.join(" <- "));
    recorder.report(at, "panic", panic_key(record), message, details);
}
