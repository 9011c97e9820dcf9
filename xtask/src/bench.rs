//! `cargo xtask bench [--quick]`: generation time, compile cost, cold builds, runtime
//! throughput, bytes on the wire and union decoding of the generated client, written
//! to BENCHMARKS.md (a `--quick` run writes target/bench/BENCHMARKS-quick.md instead,
//! so the checked-in numbers always come from a full run) and printed.
//!
//! - Generation runs in release: `cargo xtask` builds xtask in debug, so this re-runs
//!   itself as `cargo run --release -p xtask -- bench --emit-generation-json` (or
//!   measures in-process when already built in release).
//! - Compile cost builds copies of the generated crates under target/bench/ with the
//!   root Cargo.lock, in the shared target/generated-crates-target.
//! - Cold builds (full runs only) build tiny binary crates under target/bench/cold/
//!   from an empty target directory: the generated crate with each TLS provider
//!   feature and none, the floor it stands on, reqwest with default features, and an
//!   application on reqwest's defaults adding the generated crate.
//!   `cargo xtask bench --cold-only` runs these alone and writes their section to
//!   target/bench/cold/COLD.md (not BENCHMARKS.md, which only full runs write).
//! - Runtime builds xtask/bench/client (a standalone crate, not a workspace member) from
//!   a copy in target/bench/client, in release, and runs it; the Python client runs in
//!   a venv under target/bench/venv against that program's server.
//!
//! Nothing here asserts a timing: targets are reported as met or missed.

mod cold;
mod compile;
mod decode;
mod generation;
mod report;
pub(crate) mod runtime;
mod wire;

use std::path::Path;
use std::process::{Command, Stdio};

/// How long and how often to measure.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub quick: bool,
    /// In-process runs of `generator::generate` per spec.
    pub generation_runs: usize,
    /// Timed builds per crate and profile (best of).
    pub build_runs: usize,
    /// Runtime bench: seconds per round, rounds per client and scenario.
    pub seconds: f64,
    pub rounds: usize,
    /// Requests in flight in the concurrent scenarios (tasks for Rust, threads for Python).
    pub concurrency: usize,
    /// Python: seconds per round and rounds.
    pub python_seconds: f64,
    pub python_rounds: usize,
    /// Decodes per contender in the union decoding bench.
    pub decode_iterations: usize,
}

impl Plan {
    pub(crate) fn new(quick: bool) -> Self {
        if quick {
            Plan {
                quick,
                generation_runs: 20,
                build_runs: 1,
                seconds: 0.05,
                rounds: 1,
                concurrency: 32,
                python_seconds: 0.1,
                python_rounds: 1,
                decode_iterations: 30,
            }
        } else {
            Plan {
                quick,
                generation_runs: 50,
                build_runs: 3,
                seconds: 0.5,
                rounds: 10,
                concurrency: 32,
                python_seconds: 1.0,
                python_rounds: 3,
                decode_iterations: 2000,
            }
        }
    }
}

/// `cargo xtask bench [--quick]`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut quick = false;
    let mut emit_generation = false;
    let mut cold_only = false;
    let mut runs = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--emit-generation-json" => emit_generation = true,
            "--cold-only" => cold_only = true,
            "--runs" => {
                let value = it.next().ok_or("--runs needs a value")?;
                runs = Some(value.parse::<usize>().map_err(|e| format!("--runs {value}: {e}"))?);
            }
            other => {
                return Err(format!(
                    "unknown bench argument `{other}` (usage: cargo xtask bench [--quick | --cold-only])"
                ));
            }
        }
    }
    let mut plan = Plan::new(quick);
    if let Some(runs) = runs {
        plan.generation_runs = runs.max(1);
    }
    if emit_generation {
        // Internal: the release child of `measure_generation`.
        println!("{}", generation::measure_in_process(root, plan.generation_runs)?);
        return Ok(());
    }

    if cold_only {
        let cold = cold::measure_counting_in(root, &Plan::new(false), root)?;
        let text = report::cold_section(&cold);
        print!("{text}");
        let out = root.join("target/bench/cold/COLD.md");
        std::fs::write(&out, &text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        eprintln!("bench: wrote {}", out.display());
        return Ok(());
    }

    let started = std::time::Instant::now();
    let progress = |what: &str| eprintln!("bench: [{:5.1} s] {what}", started.elapsed().as_secs_f64());
    progress(&format!("generation ({} runs per spec, release)", plan.generation_runs));
    let generation = generation::measure(root, &plan)?;
    progress("compile cost");
    let compile = compile::measure(root, &plan)?;
    progress(if quick { "cold builds: skipped in --quick (dependency counts only)" } else { "cold builds" });
    let cold = cold::measure(root, &plan)?;
    progress("runtime: building xtask/bench/client (release)");
    let client = runtime::build_client(root)?;
    progress("runtime: generated client vs raw reqwest");
    let rust = runtime::measure_rust(&client, &plan)?;
    progress("runtime: bytes on the wire (gzip)");
    let wire = wire::measure(&client, &plan)?;
    progress("runtime: union decoding");
    let decode = decode::measure(&client, &plan)?;
    progress("runtime: official Python client");
    let python = runtime::measure_python(root, &client, &plan);
    let measured = report::Measured { generation, compile, cold, rust, wire, decode, python };
    let text = report::render(&plan, &nproc(), &measured);
    print!("{text}");
    let out = if quick { root.join("target/bench/BENCHMARKS-quick.md") } else { root.join("BENCHMARKS.md") };
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(&out, &text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("bench: wrote {} in {:.0} s", out.display(), started.elapsed().as_secs_f64());
    Ok(())
}

/// The machine's core count as `nproc` prints it.
fn nproc() -> String {
    Command::new("nproc")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.to_string()))
        .unwrap_or_else(|| "unknown".into())
}

/// `cargo`, as the one running xtask.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs a command to completion and returns its stdout; stderr is passed through
/// unless `quiet`, in which case it is only shown in the error.
pub(crate) fn output(cmd: &mut Command, quiet: bool) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    cmd.stderr(if quiet { Stdio::piped() } else { Stdio::inherit() });
    let out = cmd.output().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{shown} exited with {}\n{}", out.status, String::from_utf8_lossy(&out.stderr)))
    }
}

/// Median of `values` (0 when empty).
pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Smallest of `values` (0 when empty).
pub(crate) fn min(values: &[f64]) -> f64 {
    values.iter().copied().reduce(f64::min).unwrap_or(0.0)
}

/// Numbers from a JSON array.
pub(crate) fn numbers(value: &serde_json::Value) -> Vec<f64> {
    value.as_array().map(|a| a.iter().filter_map(serde_json::Value::as_f64).collect()).unwrap_or_default()
}

/// The median of the numbers in a JSON array, `None` when there are none (a CPU time
/// the platform could not measure).
pub(crate) fn median_of(value: &serde_json::Value) -> Option<f64> {
    let values = numbers(value);
    (!values.is_empty()).then(|| median(&values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_min() {
        assert_eq!(median(&[]), 0.0);
        assert_eq!(median(&[3.0]), 3.0);
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(min(&[4.0, 1.5, 3.0]), 1.5);
        assert_eq!(min(&[]), 0.0);
    }

    #[test]
    fn numbers_skip_non_numbers() {
        assert_eq!(numbers(&serde_json::json!([1, 2.5, "x"])), vec![1.0, 2.5]);
        assert!(numbers(&serde_json::json!({})).is_empty());
    }
}
