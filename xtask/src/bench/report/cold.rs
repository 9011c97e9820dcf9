//! The cold-build section.

use std::fmt::Write;

use super::met;
use crate::bench::cold::{Build, CRYPTO_CRATES, Cold, TOP_UNITS};

/// Targets: generated / floor at most this, generated / reqwest default at most that.
const FLOOR_TARGET: f64 = 1.1;
const REQWEST_DEFAULT_TARGET: f64 = 0.8;

pub(super) fn section(out: &mut String, cold: &Cold) {
    let _ = writeln!(out, "## Cold builds\n");
    let _ = writeln!(
        out,
        "Tiny binary crates written by the bench under target/bench/cold/<name>/, each its own \
         workspace seeded with a copy of the root Cargo.lock (versions as the project's; packages the lock \
         lacks are resolved and downloaded by an untimed `cargo fetch`), built with `cargo build --timings` \
         (debug) from an empty `CARGO_TARGET_DIR` (target/bench/cold/target, deleted before each build); \
         wall-clock time of the build, and its CPU time (user + system of cargo and every process it ran, \
         from /proc: unlike the wall-clock time, not inflated when other builds share the machine's cores, \
         so the column to compare on a busy machine). Each main.rs makes its API calls, so nothing is pruned: \
         **generated** = the generated crate (path dependency, default features, so TLS `rustls-aws-lc-rs`) \
         + tokio (rt-multi-thread, macros) + serde_json, building a `Client` and calling `get_conversation`; \
         **generated, `rustls-ring`** and **generated, no provider feature** = the same with \
         `default-features = false` and the *ring* feature, or none (the application would bring a provider: \
         this is the crate's cost without one); **floor** = reqwest 0.13 (no default features; rustls, which \
         is aws-lc-rs, and gzip) + tokio + serde (derive) + serde_json, the same call by hand; **reqwest \
         default** = reqwest 0.13 with default features + tokio + serde + serde_json, the same call; \
         **reqwest default + generated** = that application adding the generated crate (default features, \
         or `rustls-ring`) and making both calls: the common case, which chose the default provider. Crypto \
         crates: those of {} in the crate's `cargo tree -e normal`.\n",
        CRYPTO_CRATES.join(", ")
    );
    let Some(builds) = &cold.builds else {
        let _ = writeln!(out, "| build | cold debug build | CPU | crypto crates | target |");
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        let _ = writeln!(out, "| every cold build | skipped in --quick | — | — | — |");
        let _ = writeln!(out, "| slowest units, gzip feature cost | skipped in --quick | — |\n");
        dependencies(out, cold);
        return;
    };
    let build = |label: &str| builds.iter().find(|b| b.label == label);
    let cpu = |build: &Build| build.cpu.map_or("—".to_owned(), |cpu| format!("{cpu:.1} s"));
    let _ = writeln!(out, "| build | cold debug build | CPU | crypto crates | target |");
    let _ = writeln!(out, "|---|---:|---:|---|---|");
    for build in builds {
        let crypto = if build.crypto.is_empty() { "none".to_owned() } else { build.crypto.join(", ") };
        let _ = writeln!(out, "| {} | {:.1} s | {} | {crypto} | — |", build.label, build.seconds, cpu(build));
    }
    let ratio = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a / b);
    let shown = |ratio: Option<f64>| ratio.map_or("—".to_owned(), |r| format!("{r:.2}×"));
    if let Some(generated) = build("generated") {
        for (other, target) in [("floor", FLOOR_TARGET), ("reqwest default", REQWEST_DEFAULT_TARGET)] {
            let Some(other_build) = build(other) else { continue };
            let wall = generated.seconds / other_build.seconds;
            let by_cpu = ratio(generated.cpu, other_build.cpu);
            let _ = writeln!(
                out,
                "| generated / {other} | {wall:.2}× | {} | | ≤ {target}× (wall-clock): {} |",
                shown(by_cpu),
                met(wall <= target)
            );
        }
    }
    // What the crate adds to an application already on reqwest's defaults.
    if let Some(alone) = build("reqwest default") {
        for with in ["reqwest default + generated", "reqwest default + generated, `rustls-ring`"] {
            let Some(both) = build(with) else { continue };
            let cpu = both.cpu.zip(alone.cpu).map_or("—".to_owned(), |(b, a)| format!("{:+.1} s", b - a));
            let _ =
                writeln!(out, "| ({with}) − reqwest default | {:+.1} s | {cpu} | | — |", both.seconds - alone.seconds);
        }
    }
    out.push('\n');

    let _ = writeln!(
        out,
        "Slowest {TOP_UNITS} units of the generated build, from the `UNIT_DATA` of its `cargo build --timings` \
         report ({}; cargo wrote it to target/bench/cold/target/cargo-timings/cargo-timing.html). Units run in \
         parallel on the machine's cores, so durations add up to more than the wall-clock time.\n",
        cold.timings_file.as_deref().map_or("not kept".to_owned(), |f| format!("copied to `{f}`"))
    );
    let _ = writeln!(out, "| unit | version | what | duration |");
    let _ = writeln!(out, "|---|---|---|---:|");
    for unit in cold.units.iter().take(TOP_UNITS) {
        let _ = writeln!(out, "| {} | {} | {} | {:.2} s |", unit.name, unit.version, unit.what, unit.seconds);
    }
    out.push('\n');

    if let Some(gzip) = &cold.gzip {
        let sum: f64 = gzip.units.iter().map(|u| u.seconds).sum();
        let packages = if gzip.packages.is_empty() { "none".to_owned() } else { gzip.packages.join(", ") };
        if gzip.unconditional {
            let _ = writeln!(
                out,
                "The `gzip` feature: the runtime's manifest (templates/runtime/Cargo.toml, whose dependencies \
                 every generated crate gets) turns reqwest's `gzip` on for every generated crate \
                 (no feature of its own), so the generated build above includes it. The packages only it brings \
                 (in the floor crate's `cargo tree -e normal` but not in the same crate without reqwest's gzip): \
                 {packages}. Their units in the generated build take **{sum:.2} s** in all (sum of unit \
                 durations, not wall-clock time: {}).\n",
                if gzip.units.is_empty() {
                    "none were built".to_owned()
                } else {
                    gzip.units
                        .iter()
                        .map(|u| format!("{} {} {:.2} s", u.name, u.what, u.seconds))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
        } else {
            let _ = writeln!(
                out,
                "The `gzip` feature: templates/runtime/Cargo.toml does not turn reqwest's `gzip` on \
                 unconditionally, so \
                 the generated build above does not pay for it; the packages it would bring: {packages}.\n"
            );
        }
    }
    dependencies(out, cold);
}

fn dependencies(out: &mut String, cold: &Cold) {
    let _ = writeln!(
        out,
        "Dependency tree: distinct packages in `cargo tree -e normal --prefix none -p sunshine-conversations` \
         (deduplicated, the crate itself excluded), in its copy target/bench/conversations.\n"
    );
    let _ = writeln!(out, "| generated crate | distinct packages |");
    let _ = writeln!(out, "|---|---:|");
    let _ = writeln!(out, "| default features | {} |", cold.dependencies);
    let _ = writeln!(out, "| `--features testing` | {} |\n", cold.dependencies_testing);
}
