//! Replaying one saved input: in this process (`fuzz_repro`, which prints a
//! `@@repro` line), or in a child process ([`classify`], for the minimiser, which must
//! survive aborts and hangs).

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::config::{failures_dir, hang_limit};
use crate::fields::{escape_field, unescape_field};
use crate::options::options_of;
use crate::run::{Outcome, install_panic_hook, run_one};
use crate::verdict::{contract_problem, generator_frames, panic_key, render_bug};

/// Runs the file at `path` and prints `@@repro\t<kind>\t<key>\t<message>`.
pub(crate) fn repro(path: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    install_panic_hook();
    let (outcome, elapsed) = run_one(&text, &options_of(&text), "fuzz repro".into());
    let (kind, key, message) = match outcome {
        Outcome::Ok => ("ok", String::new(), String::new()),
        Outcome::Rejected(f) => match (contract_problem(&f), render_bug(&f)) {
            (Some(p), _) => ("contract", p, f.to_string()),
            (None, Some((key, message))) => ("render-bug", key, message),
            (None, None) => ("rejected", String::new(), f.to_string()),
        },
        Outcome::Panic(p) => {
            let frames = generator_frames(&p.backtrace, 8).join("\n  ");
            let message = format!("{}\n  at {}\n  {frames}", p.message, p.location);
            ("panic", panic_key(&p), message)
        }
        Outcome::Hang => ("hang", String::new(), String::new()),
    };
    println!("@@repro\t{kind}\t{}\t{}", escape_field(&key), escape_field(&message));
    println!("{kind} in {} ms: {key}\n{message}", elapsed.as_millis());
    std::io::stdout().flush().unwrap();
    if kind == "hang" {
        std::process::exit(0);
    }
}

/// Runs `text` in a child process: `(kind, key)`.
pub(crate) fn classify(text: &str) -> (String, String) {
    let dir = failures_dir();
    let path = dir.join(format!("minimise-{}.yaml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["fuzz_repro", "--exact", "--ignored", "--nocapture", "--test-threads", "1"])
        .env("FUZZ_REPRO", &path)
        .env_remove("FUZZ_WORKER")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limit = hang_limit().mul_f64(1.5) + Duration::from_secs(1);
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return ("hang".into(), String::new());
        }
        thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        let Some(at) = line.find("@@repro\t") else { continue };
        if let Some(rest) = line[at..].strip_prefix("@@repro\t") {
            let f: Vec<&str> = rest.splitn(3, '\t').collect();
            return (f[0].to_string(), unescape_field(f.get(1).copied().unwrap_or_default()));
        }
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let key = if stderr.contains("has overflowed its stack") {
        "stack overflow".to_string()
    } else {
        format!("died: {}", output.status)
    };
    ("abort".into(), key)
}
