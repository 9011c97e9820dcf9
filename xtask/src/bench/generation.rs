//! Generation time: in-process runs of `generator::generate`, in release.

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

use super::Plan;
use crate::regen;

/// The full upstream document, relative to the workspace root.
/// The reference upstream document, relative to the repository root.
pub(crate) fn upstream() -> String {
    crate::upstream::spec_name(crate::upstream::reference())
}

/// One spec's timings, in milliseconds.
#[derive(Debug, Clone)]
pub(crate) struct SpecTimes {
    pub spec: String,
    pub operations: usize,
    pub models: usize,
    pub files: usize,
    /// `generate`: load + normalise + render + format.
    pub generate: Vec<f64>,
    /// `intermediate`: load + normalise.
    pub intermediate: Vec<f64>,
    /// Mean on-CPU time of a `generate` run (Linux), less sensitive to other load.
    pub generate_cpu: Option<f64>,
    /// The target for the median, in ms.
    pub target_ms: f64,
}

/// Measures in a release build: in-process when this is one, else in a release child.
pub(crate) fn measure(root: &Path, plan: &Plan) -> Result<Vec<SpecTimes>, String> {
    let json = if cfg!(debug_assertions) {
        let mut cmd = super::cargo();
        cmd.current_dir(root).args(["run", "--release", "--quiet", "-p", "xtask", "--", "bench"]).args([
            "--emit-generation-json",
            "--runs",
            &plan.generation_runs.to_string(),
        ]);
        super::output(&mut cmd, false)?
    } else {
        measure_in_process(root, plan.generation_runs)?
    };
    let value: Value = serde_json::from_str(json.trim()).map_err(|e| format!("bad generation JSON: {e}\n{json}"))?;
    let specs = value.as_array().ok_or("generation JSON: expected an array")?;
    Ok(specs
        .iter()
        .map(|s| SpecTimes {
            spec: s["spec"].as_str().unwrap_or_default().to_owned(),
            operations: s["operations"].as_u64().unwrap_or(0) as usize,
            models: s["models"].as_u64().unwrap_or(0) as usize,
            files: s["files"].as_u64().unwrap_or(0) as usize,
            generate: super::numbers(&s["generate_ms"]),
            intermediate: super::numbers(&s["intermediate_ms"]),
            generate_cpu: s["generate_cpu_ms"].as_f64(),
            target_ms: s["target_ms"].as_f64().unwrap_or(0.0),
        })
        .collect())
}

/// The options `cargo xtask generate --spec FILE --out DIR` uses.
pub(crate) fn generate_options(spec_file: &str) -> generator::Options {
    generator::Options::new("sunshine-conversations", spec_file)
}

/// Median targets, in milliseconds, set from a measurement (release, in process, 20
/// runs, 2-core machine, December 2026): spec/ took 69 ms (22 ms load + normalise, 47 ms
/// render + format of 260 files), the published 17.12.1 document 136 ms (45 + 91 ms
/// for 409 files). About a third is the IR, two thirds printing and formatting the
/// files, which grows with the files written: the targets keep today's speed with a
/// margin for a noisy machine, so a change that makes generation slower shows.
const SPEC_TARGET_MS: f64 = 80.0;
/// See [`SPEC_TARGET_MS`].
const UPSTREAM_TARGET_MS: f64 = 160.0;

/// Times both specs in this process; returns the JSON the parent reads.
pub(crate) fn measure_in_process(root: &Path, runs: usize) -> Result<String, String> {
    let mut specs = vec![(regen::SPEC.to_owned(), regen::options(root)?, SPEC_TARGET_MS)];
    let upstream = upstream();
    if root.join(&upstream).exists() {
        specs.push((upstream.clone(), generate_options(&upstream), UPSTREAM_TARGET_MS));
    }
    let mut out = Vec::new();
    for (spec, options, target_ms) in specs {
        let path = root.join(&spec);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let failed = |f: generator::Failure| format!("{spec}: {f}");
        // Warm-up, and the sizes.
        let output = generator::generate(&text, &options).map_err(failed)?;
        let (api, _) = generator::intermediate(&text, &options).map_err(failed)?;
        let mut intermediate = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            std::hint::black_box(generator::intermediate(&text, &options).map_err(failed)?);
            intermediate.push(start.elapsed().as_secs_f64() * 1e3);
        }
        let mut generate = Vec::with_capacity(runs);
        let cpu_start = process_cpu_ns();
        for _ in 0..runs {
            let start = Instant::now();
            std::hint::black_box(generator::generate(&text, &options).map_err(failed)?);
            generate.push(start.elapsed().as_secs_f64() * 1e3);
        }
        // Over the whole loop: the counter moves in clock ticks (10 ms).
        let generate_cpu = match (cpu_start, process_cpu_ns()) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / 1e6 / runs as f64),
            _ => None,
        };
        out.push(json!({
            "spec": spec,
            "operations": api.operations.len(),
            "models": api.models.len(),
            "files": output.files.len(),
            "generate_ms": generate,
            "intermediate_ms": intermediate,
            "generate_cpu_ms": generate_cpu,
            "target_ms": target_ms,
        }));
    }
    Ok(Value::Array(out).to_string())
}

/// Nanoseconds this process has spent on a CPU, all its threads (live and exited)
/// together: `generate` runs on threads of its own (Linux: user + system time in
/// /proc/self/stat, in clock ticks of 10 ms).
fn process_cpu_ns() -> Option<u64> {
    const NS_PER_TICK: u64 = 10_000_000;
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces):
    // state is field 3, utime 14, stime 15.
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) * NS_PER_TICK)
}
