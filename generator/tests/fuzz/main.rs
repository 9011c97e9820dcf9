//! Bounded, deterministic fuzzing of [`generator::generate`]: malformed and mutated
//! specs must never panic or hang. `Err(Failure)` is an expected answer (with at least
//! one error diagnostic and a non-empty message); panics, hangs and aborts are findings.
//!
//! cargo-fuzz needs nightly, so this is a plain integration test instead:
//!
//! ```text
//! cargo test -p generator --test fuzz                       # ~20 s, 300 mutated specs
//! FUZZ_SECONDS=120 FUZZ_ITERATIONS=1000000 cargo test -p generator --test fuzz --release -- --nocapture
//! ```
//!
//! Mutations cover OpenAPI 3.1 too (`mutate_31`, a 3.1 seed, 3.1 shapes among the
//! random schemas): type lists, `const`, `examples`, numeric exclusive bounds, `$ref`
//! with siblings, `{type: "null"}` branches, `$defs`, boolean schemas, unsupported
//! 2020-12 keywords, webhooks through `components/pathItems`, dialects.
//!
//! Seeds: every `*.yaml` / `*.json` in `tests/fuzz-seeds/` (including the
//! `regression-*.yaml` repros of past findings, which run unmutated only),
//! `../spec/sunshine-conversations.yaml`
//! and `../../shared/upstream/*.yaml` when present. Each seed first runs unmutated;
//! then iteration `i` mutates a seed with a xorshift64 PRNG seeded from `i` (plus
//! `FUZZ_SEED`, default 0), so a failing iteration number reproduces exactly.
//!
//! Environment:
//! - `FUZZ_ITERATIONS` (default 300): mutated specs to run; `FUZZ_SECONDS` (default 20):
//!   wall-clock budget; whichever ends first.
//! - `FUZZ_SEED` (default 0): varies the whole sequence.
//! - `FUZZ_HANG_SECONDS` (default 10): a single call slower than this is a hang.
//! - `FUZZ_IN_PROCESS=1`: no supervisor process (a stack overflow then kills the test).
//! - `FUZZ_STRICT=1`: "generator bug" render errors fail the test too (default: reported).
//! - `FUZZ_STATS=1`: also print what the rejections were about (first error, grouped).
//! - `FUZZ_BUILD_DIR` (`FUZZ_BUILD_SAMPLE`, default 12): save a sample of the crates
//!   generated from accepted mutated specs there, for `cargo xtask ci-upstream` to build.
//! - `FUZZ_DUMP=dir`: also write every input the run makes to `dir/<iteration>.yaml`
//!   (with its seed and mutations in `<iteration>.txt`), e.g. to check that a change to
//!   this test keeps the sequence of inputs the same (diff two dumps).
//!
//! A stack overflow aborts the whole process and cannot be caught, so the test is a
//! supervisor: it re-runs this test binary as a worker (`FUZZ_WORKER=1`), and when the
//! worker dies it reports the in-flight input and restarts after it. Findings are
//! written to `target/fuzz-failures/<iteration>.yaml` (plus a `.txt` with the seed,
//! the mutations, the panic message and backtrace). Options that are not the defaults
//! are recorded in a first line `# fuzz-options: {json}`, which seeds may carry too.
//!
//! Two `#[ignore]`d helpers work on such files:
//! - `FUZZ_REPRO=file cargo test -p generator --test fuzz fuzz_repro -- --ignored --nocapture`
//! - `FUZZ_MINIMISE=file [FUZZ_MINIMISE_OUT=out.yaml] cargo test -p generator --test fuzz fuzz_minimise -- --ignored --nocapture`
//!   shrinks the spec while the finding (same panic location / abort / hang) persists.
//!
//! Modules, one job each:
//! - making inputs: [`config`] (environment, places), [`rng`], [`seeds`], [`options`]
//!   (the `# fuzz-options:` line), [`case`] (iteration -> input), [`tree`] (paths in a
//!   parsed document), [`mutate`] and its families;
//! - running them: [`run`] (one call on its own thread: panics, hangs), [`verdict`] (what
//!   an answer is about: panic keys, contract, render bugs), [`findings`] (saving them),
//!   [`worker`], [`protocol`] (worker -> supervisor lines, their [`fields`] escaped),
//!   [`in_flight`] (the input a dead worker was running), [`supervisor`], [`report`];
//! - side outputs: [`build_samples`] (`FUZZ_BUILD_DIR`), [`dump`] (`FUZZ_DUMP`);
//! - helpers: [`repro`], [`minimise`].

mod build_samples;
mod case;
mod config;
mod dump;
mod fields;
mod findings;
mod in_flight;
mod minimise;
mod mutate;
mod options;
mod protocol;
mod report;
mod repro;
mod rng;
mod run;
mod seeds;
mod supervisor;
mod tree;
mod verdict;
mod worker;

use std::time::{Duration, Instant};

use config::{env_flag, env_num};
use findings::Finding;
use report::Report;
use worker::Budget;

/// The session: seeds, then mutated specs, in worker processes under a supervisor (or in
/// this process with `FUZZ_IN_PROCESS=1`); fails on a fatal finding.
#[test]
fn fuzz_generate_never_panics() {
    if env_flag("FUZZ_WORKER") {
        worker::worker_process();
        return;
    }

    let started = Instant::now();
    let iterations = env_num("FUZZ_ITERATIONS", 300.0) as u64;
    let seconds = env_num("FUZZ_SECONDS", 20.0);
    let deadline = started + Duration::from_secs_f64(seconds);
    let base_seed = env_num("FUZZ_SEED", 0.0) as u64;
    let seeds = seeds::load_seeds();
    let end = seeds.len() as u64 + iterations;
    println!(
        "fuzz: {} seeds ({}), up to {iterations} mutated specs or {seconds} s",
        seeds.len(),
        seeds.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
    );

    let budget = Budget { start: 0, end, deadline, base_seed };
    let report = if env_flag("FUZZ_IN_PROCESS") {
        let mut findings: Vec<Finding> = Vec::new();
        let (counts, _, _) = worker::worker(&budget, &seeds, &mut findings);
        Report { findings, counts, restarts: 0, stats: Default::default() }
    } else {
        supervisor::supervise(&budget)
    };
    report.finish(started.elapsed().as_secs_f64());
}

/// Runs one file (`FUZZ_REPRO`) and prints `@@repro\t<kind>\t<key>\t<message>`.
#[test]
#[ignore = "helper: FUZZ_REPRO=<file>"]
fn fuzz_repro() {
    let Ok(path) = std::env::var("FUZZ_REPRO") else { return };
    repro::repro(&path);
}

/// Shrinks `FUZZ_MINIMISE` while `classify` gives the same answer.
#[test]
#[ignore = "helper: FUZZ_MINIMISE=<file>"]
fn fuzz_minimise() {
    let Ok(path) = std::env::var("FUZZ_MINIMISE") else { return };
    minimise::minimise(&path);
}
