//! `cargo xtask test`, `cargo xtask check` and `cargo xtask ci-upstream`: run every
//! step in order, each failure recorded and the run continued (a step that needs what a
//! failed one makes is skipped, saying so); at the end, every failure is listed with
//! the command that failed.

use std::path::{Path, PathBuf};

use crate::process::{Steps, cargo, generated_target, run};
use crate::regen;

/// `cargo xtask test`: every test the project has. Every step runs; the failures are
/// listed at the end.
pub(crate) fn test(root: &Path) -> Result<(), String> {
    let mut steps = Steps::default();
    steps.run("the fast checks (cargo xtask check)", || crate::check::run(root));
    // generated/ is formatted by the generator (prettyplease), not by rustfmt.
    steps.run("cargo fmt --check (generator, xtask, the runtime crate, the client tests)", || {
        run(cargo(root).args([
            "fmt",
            "-p",
            "generator",
            "-p",
            "xtask",
            "-p",
            "client-runtime",
            "-p",
            "client-tests",
            "--check",
        ]))
    });
    let prism_bin = steps.value("install the pinned Prism mock server (npm ci)", || crate::prism::install(root));
    let prism = "the Prism install";
    match &prism_bin {
        Some(prism_bin) => steps.run("cargo test --workspace", || {
            run(cargo(root)
                .args(["test", "--workspace", "--all-targets", "--no-fail-fast"])
                .env("INSTA_UPDATE", "no")
                .env("FUZZ_STRICT", "1")
                .env("PRISM_BIN", prism_bin))
        }),
        None => steps.skip("cargo test --workspace", prism),
    }
    steps.run("TLS provider features: the JWT and provider tests, the handshakes, with each feature set", || {
        provider_feature_tests(root)
    });
    steps.run("spec/ examples decode and re-encode (request, response, webhook, schema)", || {
        crate::spec_examples::run(root)
    });
    steps.run("clippy -D warnings", || {
        run(cargo(root).args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]))
    });
    // Each feature set users build (--all-features is above): the default (TLS
    // `rustls-aws-lc-rs`), no provider, *ring* alone, `axum` alone, `testing` alone.
    steps.run(
        "clippy -D warnings on the generated crate: default, no provider, `rustls-ring`, `axum`, `testing`",
        || {
            for features in GENERATED_FEATURE_SETS {
                run(cargo(root)
                    .args(["clippy", "-p", "sunshine-conversations", "--lib", "--examples"])
                    .args(features)
                    .args(["--", "-D", "warnings"]))?;
            }
            // The runtime's and the client tests' code for the other provider feature sets.
            for features in PROVIDER_FEATURE_SETS {
                run(cargo(root)
                    .args(["clippy", "-p", "client-runtime", "-p", "client-tests", "--all-targets"])
                    .args(features)
                    .args(["--", "-D", "warnings"]))?;
            }
            Ok(())
        },
    );
    steps
        .run("rust-version is true: the generated manifest, clippy's incompatible_msrv, Cargo.lock's packages", || {
            crate::msrv::check(root)
        });
    match &prism_bin {
        Some(prism_bin) => steps
            .run("the crate's examples run against Prism (spec/), the webhook bot included", || {
                crate::example_runs::run_examples(root, prism_bin)
            }),
        None => steps.skip("the crate's examples run against Prism", prism),
    }
    steps.run("rustdoc -D warnings (generated crate)", || {
        run(cargo(root)
            .args(["doc", "-p", "sunshine-conversations", "--no-deps", "--all-features"])
            .env("RUSTDOCFLAGS", "-D warnings"))
    });
    // The guide's feature-gated examples (testing, axum) compile and run.
    steps.run("doctests of the generated crate with every feature", || {
        run(cargo(root).args(["test", "-p", "sunshine-conversations", "--doc", "--all-features"]))
    });
    steps.run("cargo package the generated crate (a complete manifest, license files; the package builds)", || {
        run(cargo(root).args(["package", "-p", "sunshine-conversations", "--allow-dirty", "--quiet"]))
    });
    steps.run("fixture crates: clippy, cargo package and rustdoc -D warnings", || fixture_crates(root));
    steps.run("the benchmark client compiles against generated/ (cargo check)", || {
        crate::bench::runtime::check_client(root)
    });
    steps.run("fresh resolution: generated/ and a fixture crate on the newest dependencies, every feature set", || {
        crate::fresh::check(root)
    });
    steps.finish()
}

/// The generated crate's feature sets linted alone (`--all-features` is the workspace's).
const GENERATED_FEATURE_SETS: [&[&str]; 5] = [
    &[],
    &["--no-default-features"],
    &["--no-default-features", "--features", "rustls-ring"],
    &["--features", "axum"],
    &["--features", "testing"],
];

/// The TLS provider feature sets besides the default (`rustls-aws-lc-rs`, which the
/// workspace's tests use): no provider, *ring* alone, both (`--all-features`).
const PROVIDER_FEATURE_SETS: [&[&str]; 3] =
    [&["--no-default-features"], &["--no-default-features", "--features", "rustls-ring"], &["--all-features"]];

/// With each provider feature set (the default ran with the workspace's tests): the
/// runtime's JWT and `provider_` tests, and the TLS handshakes of the client tests
/// (`tests/tls.rs`, `tests/tls_app_provider.rs`), each a build of its own.
fn provider_feature_tests(root: &Path) -> Result<(), String> {
    for features in PROVIDER_FEATURE_SETS {
        run(cargo(root).args(["test", "-p", "client-runtime", "--lib"]).args(features).args([
            "--",
            "tests::auth::",
            "tests::client::provider_",
        ]))?;
        run(cargo(root)
            .args(["test", "-p", "client-tests", "--test", "tls", "--test", "tls_app_provider"])
            .args(features)
            .args(["--", "--nocapture"]))?;
    }
    Ok(())
}

/// `cargo xtask ci-upstream`: checks against the official documents in ../shared.
/// Every step runs; the failures are listed at the end.
pub(crate) fn ci_upstream(root: &Path) -> Result<(), String> {
    let upstream = root.join("../shared/upstream");
    if !upstream.exists() {
        return Err(format!("{} not found: ci-upstream needs the shared folder beside the repo", upstream.display()));
    }
    let mut steps = Steps::default();
    let reference = crate::upstream::reference();
    steps.run(&format!("spec/ matches upstream {reference} structurally"), || crate::upstream::spec_compare(None, &[]));
    crate::upstream::ci(root, &mut steps);
    match steps.value("install the pinned Prism mock server (npm ci)", || crate::prism::install(root)) {
        Some(prism_bin) => {
            steps.run(&format!("Prism contract test against upstream {reference} (CONTRACT_SPEC)"), || {
                let spec = crate::upstream::reference_spec(root);
                run(cargo(root)
                    .args(["test", "-p", "client-tests", "--test", "contract_prism", "--", "--nocapture"])
                    .env("CONTRACT_SPEC", spec)
                    .env("PRISM_BIN", &prism_bin))
            })
        }
        None => steps.skip("Prism contract test against upstream", "the Prism install"),
    }
    let samples = root.join("target/fuzz-build");
    let fuzzed = steps.value("fuzz: a longer bounded session (release, 120 s)", || {
        let _ = std::fs::remove_dir_all(&samples);
        run(cargo(root)
            .args(["test", "--release", "-p", "generator", "--test", "fuzz", "--", "--nocapture"])
            .env("FUZZ_SECONDS", "120")
            .env("FUZZ_STRICT", "1")
            .env("FUZZ_ITERATIONS", "1000000")
            .env("FUZZ_BUILD_DIR", &samples)
            .env("FUZZ_BUILD_SAMPLE", "12"))
    });
    match fuzzed {
        Some(()) => steps
            .run("fuzz: a sample of accepted mutated specs gives crates that build (clippy, no doctests)", || {
                fuzz_samples(root, &samples)
            }),
        None => steps.skip("fuzz: the sample crates build", "the fuzz session"),
    }
    steps.run("quick benchmarks (cargo xtask bench --quick)", || crate::bench::run(root, &["--quick".to_owned()]));
    steps.finish()
}

/// Generates every fixture spec into one workspace under target/, adds each fixture's
/// own tests (`generator/tests/fixture-tests/<name>.rs`), and runs clippy, rustdoc and
/// the tests. No doctest may come from a spec: every crate must run zero of them.
fn fixture_crates(root: &Path) -> Result<(), String> {
    let fixtures = root.join("generator/tests/fixtures");
    let out = root.join("target/fixture-crates");
    let mut members = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("cannot list {}: {e}", fixtures.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    entries.sort();
    for spec in entries {
        let name = spec.file_stem().unwrap_or_default().to_string_lossy().to_string();
        let options = generator::Options {
            standalone: false,
            ..generator::Options::new(format!("fixture-{name}"), format!("generator/tests/fixtures/{name}.yaml"))
        };
        let mut files = regen::run_generator(&spec, &options)?;
        let tests = root.join("generator/tests/fixture-tests").join(format!("{name}.rs"));
        if let Ok(text) = std::fs::read_to_string(&tests) {
            files.insert(format!("tests/{name}.rs"), text);
        }
        crate::write::sync(&out.join(&name), &files, false)?;
        members.push(name);
    }
    // Render at its seam: crates rendered from IRs built by hand (generator/tests/seams.rs).
    run(cargo(root).args(["test", "-q", "-p", "generator", "--test", "seams"]).env("SEAM_CRATES_DIR", &out))?;
    members.extend(["seam-pagination", "seam-struct", "seam-unions"].map(String::from));
    check_workspace(root, &out, &members)
}

/// The crates the fuzz session saved (`FUZZ_BUILD_DIR`, see generator/tests/fuzz/build_samples.rs),
/// each generated from an accepted mutated spec, checked like the fixture crates.
fn fuzz_samples(root: &Path, samples: &Path) -> Result<(), String> {
    let mut members: Vec<String> = std::fs::read_dir(samples)
        .map_err(|e| format!("the fuzz session saved no sample in {}: {e}", samples.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    members.sort();
    if members.is_empty() {
        return Err(format!("the fuzz session saved no sample in {}", samples.display()));
    }
    println!("{} sample crate(s): {}", members.len(), members.join(", "));
    check_workspace(root, samples, &members)
}

/// Makes `out` a workspace of `members`, then clippy and rustdoc `-D warnings`, and
/// the tests with no doctest from spec text.
fn check_workspace(root: &Path, out: &Path, members: &[String]) -> Result<(), String> {
    crate::write::workspace(root, out, members)?;
    let target = generated_target(root);
    run(cargo(out)
        .args(["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", &target))?;
    // Each crate packages (a complete manifest, its license files).
    run(cargo(out)
        .args(["package", "--workspace", "--no-verify", "--allow-dirty", "--quiet"])
        .env("CARGO_TARGET_DIR", &target))?;
    // Spec prose becomes rustdoc: it must build without warnings too.
    run(cargo(out)
        .args(["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", &target))?;
    // cargo names each doctest run on stderr, rustdoc counts them on stdout: both go to
    // one file, in the order they happen.
    // The integration tests (`tests/`) and the doctests, not the libraries' unit-test
    // harnesses: generated code has no unit tests, and each harness is one more build of
    // every crate.
    let log_path = out.join("test-output.log");
    let log = std::fs::File::create(&log_path).map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let has_tests = members.iter().any(|m| out.join(m).join("tests").is_dir());
    let mut runs: Vec<&[&str]> = vec![&["--doc"]];
    if has_tests {
        runs.insert(0, &["--test", "*"]);
    }
    let mut failed = false;
    for targets in runs {
        let (stdout, stderr) = (log.try_clone(), log.try_clone());
        let status = cargo(out)
            .args(["test", "--workspace", "--all-features"])
            .args(targets)
            .env("CARGO_TARGET_DIR", &target)
            .stdout(stdout.map_err(|e| e.to_string())?)
            .stderr(stderr.map_err(|e| e.to_string())?)
            .status()
            .map_err(|e| format!("cannot run cargo test: {e}"))?;
        failed |= !status.success();
    }
    let stdout = std::fs::read_to_string(&log_path).map_err(|e| e.to_string())?;
    print!("{stdout}");
    if failed {
        return Err(format!("the tests of the crates in {} failed", out.display()));
    }
    // Each operation's documentation has one example (ours); any other doctest came
    // from spec text.
    let mut wrong = Vec::new();
    for (name, count) in doctests_run(&stdout) {
        let member = members.iter().find(|m| lib_name(&out.join(m)).as_deref() == Some(name.as_str()));
        let expected = member.map_or(0, |m| operation_count(&out.join(m)));
        if count != expected {
            wrong.push(format!("{name}: {count} doctests, {expected} operation examples"));
        }
    }
    if !wrong.is_empty() {
        return Err(format!("doctests ran from spec text (every fence must be inert): {wrong:?}"));
    }
    Ok(())
}

/// The library name of a generated crate (`[lib] name` of its manifest).
fn lib_name(krate: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).ok()?;
    let lib = manifest.split("[lib]").nth(1)?;
    let line = lib.lines().find(|l| l.trim_start().starts_with("name"))?;
    Some(line.split('"').nth(1)?.to_string())
}

/// The operations of a generated crate: its `src/operations/` files but `mod.rs`.
fn operation_count(krate: &Path) -> usize {
    std::fs::read_dir(krate.join("src/operations"))
        .map(|entries| entries.filter_map(|e| e.ok()).filter(|e| e.file_name() != "mod.rs").count())
        .unwrap_or(0)
}

/// The `Doc-tests <crate>` sections of `cargo test` output: (crate, tests run).
fn doctests_run(stdout: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut current: Option<&str> = None;
    for line in stdout.lines() {
        if let Some(name) = line.trim().strip_prefix("Doc-tests ") {
            current = Some(name);
        } else if let (Some(name), Some(rest)) = (current, line.trim().strip_prefix("running ")) {
            let count = rest.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(usize::MAX);
            found.push((name.to_string(), count));
            current = None;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_doctests_per_crate() {
        let out = "   Doc-tests a\n\nrunning 0 tests\n\n   Doc-tests b\n\nrunning 2 tests\ntest x ... ok\n";
        assert_eq!(super::doctests_run(out), [("a".to_string(), 0), ("b".to_string(), 2)]);
    }
}
