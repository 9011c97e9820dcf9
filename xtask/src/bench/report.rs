//! BENCHMARKS.md: Markdown tables, no timestamps (the file diffs cleanly). The
//! sections added with cold builds, gzip and union decoding are in submodules.

mod cold;
mod decode;
mod wire;

use std::fmt::Write;

use super::Plan;
use super::cold::Cold;
use super::compile::CrateCost;
use super::decode::Decode;
use super::generation::SpecTimes;
use super::runtime::{PYTHON_CLIENT, Python, RustRuntime};
use super::wire::Wire;
use super::{median, min};

/// The runtime target: generated / raw at least this.
const RATIO_TARGET: f64 = 0.97;

/// Everything one run measured.
pub(crate) struct Measured {
    pub generation: Vec<SpecTimes>,
    pub compile: Vec<CrateCost>,
    pub cold: Cold,
    pub rust: RustRuntime,
    pub wire: Wire,
    pub decode: Decode,
    pub python: Python,
}

/// The cold-build section alone (`cargo xtask bench --cold-only`).
pub(crate) fn cold_section(cold: &Cold) -> String {
    let mut out = String::new();
    cold::section(&mut out, cold);
    out
}

pub(crate) fn render(plan: &Plan, nproc: &str, measured: &Measured) -> String {
    let mut out = String::new();
    let command = if plan.quick { "cargo xtask bench --quick" } else { "cargo xtask bench" };
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `{command}` on a machine with `nproc` = {nproc}; rerun it to update this file \
         (`--quick` uses tiny counts and writes target/bench/BENCHMARKS-quick.md instead). \
         Numbers vary from run to run, more so on a busy machine; targets are guides, never asserted.\n"
    );
    generation_section(&mut out, plan, &measured.generation);
    compile_section(&mut out, plan, &measured.compile);
    cold::section(&mut out, &measured.cold);
    rust_section(&mut out, plan, &measured.rust);
    wire::section(&mut out, plan, &measured.wire);
    decode::section(&mut out, &measured.decode);
    python_section(&mut out, plan, &measured.rust, &measured.python);
    format!("{}\n", out.trim_end())
}

fn generation_section(out: &mut String, plan: &Plan, specs: &[SpecTimes]) {
    let _ = writeln!(out, "## Generation\n");
    let _ = writeln!(
        out,
        "`generator::generate` in process, release build, {} runs per spec after a warm-up. \
         Load + normalise is `generator::intermediate`; render + format is the difference of the medians. \
         CPU is the mean on-CPU time of a run, all its threads together (formatting runs on several threads, so CPU can exceed the wall-clock time; wall-clock times include waiting for a core on a busy machine).\n",
        plan.generation_runs
    );
    let _ = writeln!(
        out,
        "| spec | operations | models | files | median | min | CPU | load + normalise | render + format | target (median) |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for spec in specs {
        let total = median(&spec.generate);
        let front = median(&spec.intermediate);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | ≤ {} ms: {} |",
            spec.spec,
            spec.operations,
            spec.models,
            spec.files,
            ms(total),
            ms(min(&spec.generate)),
            spec.generate_cpu.map_or("—".into(), ms),
            ms(front),
            ms((total - front).max(0.0)),
            spec.target_ms,
            met(total <= spec.target_ms),
        );
    }
    if !specs.iter().any(|s| s.spec.contains(crate::upstream::reference())) {
        let _ = writeln!(out, "\nThe upstream document (../shared/upstream) was not found: only spec/ was measured.");
    }
    out.push('\n');
}

fn compile_section(out: &mut String, plan: &Plan, crates: &[CrateCost]) {
    let _ = writeln!(out, "## Compile cost\n");
    let _ = writeln!(
        out,
        "`cargo build -p sunshine-conversations` after touching `src/lib.rs`, dependencies already built, \
         best of {} (copies under target/bench/ built with the root Cargo.lock in \
         `CARGO_TARGET_DIR=target/generated-crates-target`). Lines: non-blank lines of `.rs` under `src/`, \
         runtime = `src/runtime/`. Dependencies: distinct packages in `cargo tree -e normal`, the crate excluded.\n",
        plan.build_runs
    );
    let _ = writeln!(
        out,
        "| crate | built in | generated lines | runtime lines | dependencies | debug | release | target (debug) |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---|");
    for c in crates {
        let best =
            |times: &Option<Vec<f64>>| times.as_ref().map_or("skipped".to_owned(), |t| format!("{:.2} s", min(t)));
        let target = match (c.debug_target, &c.debug) {
            (Some(target), Some(times)) => format!("≤ {target} s: {}", met(min(times) <= target)),
            (Some(target), None) => format!("≤ {target} s"),
            _ => "—".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} | {} |",
            c.label,
            c.dir,
            group(c.generated_lines as f64),
            group(c.runtime_lines as f64),
            c.dependencies,
            best(&c.debug),
            best(&c.release),
            target
        );
    }
    out.push('\n');
}

fn rust_section(out: &mut String, plan: &Plan, rust: &RustRuntime) {
    let _ = writeln!(out, "## Runtime: generated client vs raw reqwest\n");
    let _ = writeln!(
        out,
        "A canned HTTP/1.1 keep-alive server on 127.0.0.1 (hand-rolled, on its own thread) and, on one \
         tokio current-thread runtime, the generated `sunshine_conversations::Client` and hand-written \
         reqwest code, each with a default `reqwest::Client` pool without gzip (the generated one through \
         `configure_http(reqwest::ClientBuilder::no_gzip)`, so both get the lists uncompressed and this \
         compares the clients' own work; gzip has its own section below) and the generated client's \
         default 30 s per-request timeout (a timer per request on both sides), decoding into the same \
         generated model types (program: xtask/bench/client, release). {} round(s) of {} s per client \
         and scenario, alternating (ABBA); median requests/s. \
         {} in flight: a `FuturesUnordered` over the shared client. CPU µs/request is the client \
         thread's CPU time (all client work runs on it) per request, median of the rounds: less \
         sensitive than requests/s to other load on the machine.\n",
        plan.rounds, plan.seconds, plan.concurrency
    );
    let _ = writeln!(
        out,
        "| operation | response | in flight | generated req/s | raw reqwest req/s | generated / raw | target | CPU µs/request generated | CPU µs/request raw |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---|---:|---:|");
    for row in &rust.rows {
        let bytes = rust.body_bytes.iter().find(|(op, _)| *op == row.operation).map_or(0, |(_, b)| *b);
        let _ = writeln!(
            out,
            "| {} | {} B | {} | {} | {} | {:.2} | ≥ {RATIO_TARGET}: {} | {} | {} |",
            row.operation,
            group(bytes as f64),
            row.concurrency,
            group(row.generated),
            group(row.raw),
            row.ratio,
            met(row.ratio >= RATIO_TARGET),
            micros(row.generated_cpu),
            micros(row.raw_cpu),
        );
    }
    if !rust.future_bytes.is_empty() {
        let _ = writeln!(
            out,
            "\nFuture sizes (`std::mem::size_of_val` of what one call awaits; the generated `send()` future \
             holds the request builder and one boxed future with the whole call): {}.",
            rust.future_bytes
                .iter()
                .map(|(op, generated, raw)| format!("{op} generated {generated} B, raw {raw} B"))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let _ = writeln!(out, "\nBoth sent byte-identical requests (checked by the server before measuring):\n");
    for (_, head) in &rust.heads {
        let _ = writeln!(out, "```http\n{}```\n", head.replace("\r\n", "\n"));
    }
}

fn python_section(out: &mut String, plan: &Plan, rust: &RustRuntime, python: &Python) {
    let _ = writeln!(out, "## Runtime: official Python client\n");
    match python {
        Python::Skipped(reason) => {
            let _ = writeln!(out, "Skipped: {reason}.");
        }
        Python::Failed(error) => {
            let _ = writeln!(out, "FAILED: {}", error.trim().replace('\n', "\n> "));
        }
        Python::Ran { client, python, threads, rows, heads } => {
            let _ = writeln!(
                out,
                "`{client}` (pinned `{PYTHON_CLIENT}`, Python {python}) in target/bench/venv, against the same \
                 server (`bench-client serve`) with the same calls, credentials and user agent \
                 (script: xtask/bench/python_client.py). {} round(s) of {} s; medians. {threads} in flight: \
                 {threads} threads sharing one `ApiClient` (its urllib3 pool raised to {threads}).\n",
                plan.python_rounds, plan.python_seconds
            );
            let _ = writeln!(out, "| operation | in flight | Python req/s | generated req/s | generated / Python |");
            let _ = writeln!(out, "|---|---:|---:|---:|---:|");
            for (operation, concurrency, rps) in rows {
                let generated = rust
                    .rows
                    .iter()
                    .find(|r| r.operation == *operation && r.concurrency == *concurrency)
                    .map(|r| r.generated);
                let _ = writeln!(
                    out,
                    "| {operation} | {concurrency} | {} | {} | {} |",
                    group(*rps),
                    generated.map_or("—".into(), group),
                    generated.map_or("—".into(), |g| format!("{:.1}×", g / rps)),
                );
            }
            let _ = writeln!(out, "\nWhat it sent (first request per operation):\n");
            for (_, head) in heads {
                let _ = writeln!(out, "```http\n{}```\n", head.replace("\r\n", "\n"));
            }
            let list = heads.iter().find(|(op, _)| op == "ListConversations").map(|(_, head)| head.as_str());
            if list.is_some_and(|head| !head.lines().next().unwrap_or_default().contains("filter[")) {
                let _ = writeln!(
                    out,
                    "Note: its ListConversations request sends `filter` and `page` as JSON text, not as the \
                     spec's deepObject `filter[userId]=…&page[size]=…`; the canned server ignores the query.\n"
                );
            }
        }
    }
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

/// Milliseconds with two significant decimals below 10.
fn ms(value: f64) -> String {
    if value < 10.0 { format!("{value:.2} ms") } else { format!("{value:.1} ms") }
}

fn micros(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.1}"))
}

/// A rounded number with thousands separators: 12345.6 → `12,346`.
pub(crate) fn group(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(group(0.4), "0");
        assert_eq!(group(999.0), "999");
        assert_eq!(group(1234.4), "1,234");
        assert_eq!(group(1234567.0), "1,234,567");
    }

    #[test]
    fn milliseconds() {
        assert_eq!(ms(4.256), "4.26 ms");
        assert_eq!(ms(42.04), "42.0 ms");
    }
}
