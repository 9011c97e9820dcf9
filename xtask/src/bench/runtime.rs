//! Runtime throughput: the bench client program (generated client vs raw reqwest) and
//! the official Python client against that program's canned server.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::Plan;
use crate::process;

/// The Python client the bench installs.
pub(crate) const PYTHON_CLIENT: &str = "sunshine-conversations-client==17.0.1";
/// The bench client's source, relative to the workspace root.
const CLIENT_SOURCE: &str = "xtask/bench/client";
/// Where it is built from (with the root Cargo.lock), relative to the workspace root.
const CLIENT_BUILD: &str = "target/bench/client";
const VENV: &str = "target/bench/venv";
const PYTHON_SCRIPT: &str = "xtask/bench/python_client.py";

/// One scenario of the Rust bench.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub operation: String,
    pub concurrency: u64,
    /// Median requests/s.
    pub generated: f64,
    pub raw: f64,
    /// `generated / raw` of the medians.
    pub ratio: f64,
    /// Median CPU time of the client thread per request, in µs (Linux only).
    pub generated_cpu: Option<f64>,
    pub raw_cpu: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct RustRuntime {
    pub rows: Vec<Row>,
    /// Request heads (identical for both clients), host port replaced by `PORT`.
    pub heads: Vec<(String, String)>,
    /// Response body sizes by operation.
    pub body_bytes: Vec<(String, u64)>,
    /// `size_of_val` of the futures one call awaits, by operation: (generated
    /// `send()`, raw code).
    pub future_bytes: Vec<(String, u64, u64)>,
}

#[derive(Debug, Clone)]
pub(crate) enum Python {
    Ran {
        client: String,
        python: String,
        threads: u64,
        /// (operation, concurrency, median requests/s).
        rows: Vec<(String, u64, f64)>,
        /// First request head per operation, port replaced by `PORT`.
        heads: Vec<(String, String)>,
    },
    Skipped(String),
    Failed(String),
}

/// Builds the bench client in release from a copy under target/ and returns its path.
/// The client's sources copied to [`CLIENT_BUILD`] with the root `Cargo.lock`. Only
/// changed files are rewritten, so an up-to-date build stays up to date.
fn copy_client(root: &Path) -> Result<PathBuf, String> {
    let build = root.join(CLIENT_BUILD);
    let files = super::compile::read_tree(&root.join(CLIENT_SOURCE))?;
    crate::write::sync(&build, &files, true)?;
    super::compile::sync_file(&root.join("Cargo.lock"), &build.join("Cargo.lock"))?;
    Ok(build)
}

/// `cargo check` of the benchmark client against `generated/` (`cargo xtask test`): a
/// change to the crate that breaks the client says so before a benchmark run does.
pub(crate) fn check_client(root: &Path) -> Result<(), String> {
    let build = copy_client(root)?;
    process::run(
        super::cargo()
            .current_dir(&build)
            .args(["check", "--quiet"])
            .env("CARGO_TARGET_DIR", process::generated_target(root)),
    )
}

pub(crate) fn build_client(root: &Path) -> Result<PathBuf, String> {
    let build = copy_client(root)?;
    let target = process::generated_target(root);
    let mut cmd = super::cargo();
    cmd.current_dir(&build).args(["build", "--release", "--quiet"]).env("CARGO_TARGET_DIR", &target);
    super::output(&mut cmd, false)?;
    Ok(target.join("release").join(format!("bench-client{}", std::env::consts::EXE_SUFFIX)))
}

pub(crate) fn measure_rust(client: &Path, plan: &Plan) -> Result<RustRuntime, String> {
    let mut cmd = Command::new(client);
    cmd.args(["run", "--seconds", &plan.seconds.to_string(), "--rounds", &plan.rounds.to_string()])
        .args(["--concurrency", &plan.concurrency.to_string()]);
    let text = super::output(&mut cmd, false)?;
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| format!("bad bench-client JSON: {e}\n{text}"))?;
    let rows = value["results"]
        .as_array()
        .ok_or("bench-client JSON: no results")?
        .iter()
        .map(|r| {
            let generated = super::numbers(&r["generated_rounds"]);
            let raw = super::numbers(&r["raw_rounds"]);
            let (generated, raw) = (super::median(&generated), super::median(&raw));
            Row {
                operation: r["operation"].as_str().unwrap_or_default().to_owned(),
                concurrency: r["concurrency"].as_u64().unwrap_or(0),
                generated,
                raw,
                ratio: if raw > 0.0 { generated / raw } else { 0.0 },
                generated_cpu: super::median_of(&r["generated_cpu_us"]),
                raw_cpu: super::median_of(&r["raw_cpu_us"]),
            }
        })
        .collect();
    let future_bytes = value["future_bytes"]
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(op, v)| (op.clone(), v["generated"].as_u64().unwrap_or(0), v["raw"].as_u64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    Ok(RustRuntime {
        rows,
        heads: heads(&value["request_heads"]),
        body_bytes: pairs_u64(&value["body_bytes"]),
        future_bytes,
    })
}

fn pairs_u64(value: &Value) -> Vec<(String, u64)> {
    value.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect()).unwrap_or_default()
}

fn heads(value: &Value) -> Vec<(String, String)> {
    value
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), without_port(v.as_str().unwrap_or_default()))).collect())
        .unwrap_or_default()
}

/// `127.0.0.1:43117` → `127.0.0.1:PORT`, so the report does not change run to run.
pub(crate) fn without_port(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        let after = &rest[i + "127.0.0.1:".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..i]);
        out.push_str("127.0.0.1:");
        out.push_str(if digits > 0 { "PORT" } else { "" });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Installs the Python client into the venv (full runs only) and runs its script.
pub(crate) fn measure_python(root: &Path, client: &Path, plan: &Plan) -> Python {
    let venv = root.join(VENV);
    let python = venv.join("bin/python");
    let installed = || {
        Command::new(&python)
            .args(["-c", "import sunshine_conversations_client"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !installed() {
        if plan.quick {
            return Python::Skipped(format!("--quick and no venv at {VENV} (a full `cargo xtask bench` creates it)"));
        }
        if let Err(error) = install(&venv) {
            return Python::Failed(format!("could not install {PYTHON_CLIENT}: {error}"));
        }
    }
    match run_python(root, client, &python, plan) {
        Ok(python) => python,
        Err(error) => Python::Failed(error),
    }
}

fn install(venv: &Path) -> Result<(), String> {
    eprintln!("bench:   installing {PYTHON_CLIENT} into {VENV}");
    if !venv.join("bin/python").exists() {
        super::output(Command::new("python3").arg("-m").arg("venv").arg(venv), false)?;
    }
    let mut pip = Command::new(venv.join("bin/pip"));
    pip.args(["install", "--quiet", "--disable-pip-version-check", PYTHON_CLIENT]);
    super::output(&mut pip, false).map(|_| ())
}

fn run_python(root: &Path, client: &Path, python: &Path, plan: &Plan) -> Result<Python, String> {
    let mut server = Command::new(client)
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {} serve: {e}", client.display()))?;
    let mut stdout = BufReader::new(server.stdout.take().ok_or("no server stdout")?);
    let mut base = String::new();
    if stdout.read_line(&mut base).is_err() || !base.starts_with("http://") {
        let _ = server.kill();
        let _ = server.wait();
        return Err(format!("{} serve did not print its URL", client.display()));
    }
    let mut cmd = Command::new(python);
    cmd.arg(root.join(PYTHON_SCRIPT)).arg(base.trim()).args([
        plan.python_seconds.to_string(),
        plan.python_rounds.to_string(),
        plan.concurrency.to_string(),
    ]);
    let result = super::output(&mut cmd, false);
    // Closing stdin stops the server, which then prints what it saw.
    if let Some(mut stdin) = server.stdin.take() {
        let _ = stdin.flush();
    }
    let mut seen = String::new();
    let _ = stdout.read_to_string(&mut seen);
    let _ = server.wait();
    let text = result?;
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| format!("bad Python JSON: {e}\n{text}"))?;
    let seen: Value = serde_json::from_str(seen.trim()).unwrap_or(Value::Null);
    let rows = value["results"]
        .as_array()
        .ok_or("Python JSON: no results")?
        .iter()
        .map(|r| {
            let operation = r["operation"].as_str().unwrap_or_default().to_owned();
            (operation, r["concurrency"].as_u64().unwrap_or(0), r["rps"].as_f64().unwrap_or(0.0))
        })
        .collect();
    Ok(Python::Ran {
        client: value["client"].as_str().unwrap_or_default().to_owned(),
        python: value["python"].as_str().unwrap_or_default().to_owned(),
        threads: value["threads"].as_u64().unwrap_or(0),
        rows,
        heads: heads(&seen["first"]),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn ports_are_masked() {
        assert_eq!(
            super::without_port("host: 127.0.0.1:43117\r\nx: http://127.0.0.1:8/a"),
            "host: 127.0.0.1:PORT\r\nx: http://127.0.0.1:PORT/a"
        );
        assert_eq!(super::without_port("127.0.0.1: x"), "127.0.0.1: x");
    }
}
