//! Cold builds: what depending on the generated crate costs a fresh checkout. Tiny
//! binary crates under target/bench/cold/ (each its own workspace, seeded with the root
//! Cargo.lock so versions match the project's), each built in debug from an empty
//! `CARGO_TARGET_DIR`:
//! - `generated`: the generated crate (default features: TLS `rustls-aws-lc-rs`), tokio
//!   and serde_json; builds a `Client` and calls one operation;
//! - `generated, rustls-ring` and `generated, no provider feature`: the same with the
//!   other TLS provider feature, and with none (the application would bring one);
//! - `floor`: what the generated crate cannot do without: reqwest with rustls (its
//!   aws-lc-rs default provider) and gzip, tokio, serde and serde_json, making the same
//!   call by hand;
//! - `reqwest default`: the same with reqwest's default features;
//! - `reqwest default + generated`, and with `rustls-ring`: an application already on
//!   reqwest's defaults that adds the generated crate and makes both calls, the common
//!   case the default provider is chosen for.
//!
//! Also: the crypto crates each build compiles (`cargo tree`), the slowest units of the
//! `generated` build (`cargo build --timings`), the units that only the generated
//! crate's `gzip` feature brings, and the distinct packages of its dependency tree.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use super::Plan;
use super::compile::distinct_packages;

/// Where the crates are written, relative to the workspace root.
const COLD: &str = "target/bench/cold";
/// The runtime crate's manifest, whose dependencies are the generated crate's.
const RUNTIME_MANIFEST: &str = "templates/runtime/Cargo.toml";
/// The crates that implement TLS cryptography, as `cargo tree` names them.
pub(crate) const CRYPTO_CRATES: [&str; 3] = ["aws-lc-rs", "aws-lc-sys", "ring"];
/// How many units of the `generated` build to list.
pub(crate) const TOP_UNITS: usize = 10;

/// One cold build.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    pub label: &'static str,
    /// Wall-clock seconds of `cargo build`.
    pub seconds: f64,
    /// CPU seconds (user + system) of `cargo build` and every process it ran: unlike the
    /// wall-clock time, not inflated by waiting for a core on a busy machine. `None`
    /// where /proc is not there.
    pub cpu: Option<f64>,
    /// The crypto crates of its tree (`CRYPTO_CRATES`), as `name version`.
    pub crypto: Vec<String>,
}

/// A unit of `cargo build --timings`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub name: String,
    pub version: String,
    /// What was built: `lib`, `build script`, `run build script`, `bin`, ...
    pub what: String,
    pub seconds: f64,
}

/// What the gzip feature costs a cold build.
#[derive(Debug, Clone)]
pub(crate) struct Gzip {
    /// Whether the generated Cargo template enables reqwest's gzip unconditionally.
    pub unconditional: bool,
    /// Packages in the dependency tree only because of gzip.
    pub packages: Vec<String>,
    /// Their units in the `generated` build.
    pub units: Vec<Unit>,
}

/// Everything measured here.
#[derive(Debug, Clone)]
pub(crate) struct Cold {
    /// `None` with `--quick`.
    pub builds: Option<Vec<Build>>,
    /// The `generated` build's units, slowest first (empty with `--quick`).
    pub units: Vec<Unit>,
    /// The copy of that build's timing report, relative to the workspace root.
    pub timings_file: Option<String>,
    /// `None` with `--quick`.
    pub gzip: Option<Gzip>,
    /// Distinct packages in the generated crate's normal dependency tree, itself
    /// excluded: default features, and with `--features testing`.
    pub dependencies: usize,
    pub dependencies_testing: usize,
}

/// The crates: (directory name, label, dependencies, main.rs).
fn crates(root: &Path) -> Vec<(&'static str, &'static str, String, &'static str)> {
    let generated = root.join(crate::regen::GENERATED);
    let generated = generated.to_string_lossy().replace('\\', "/");
    let sunshine = |features: &str| format!("sunshine-conversations = {{ path = {generated:?}{features} }}\n");
    let tokio = "tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }\n";
    let serde = "serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n";
    let reqwest_default = "reqwest = \"0.13\"\n";
    let ring = ", default-features = false, features = [\"rustls-ring\"]";
    vec![
        ("generated", "generated", format!("{}{tokio}serde_json = \"1\"\n", sunshine("")), GENERATED_MAIN),
        (
            "generated-ring",
            "generated, `rustls-ring`",
            format!("{}{tokio}serde_json = \"1\"\n", sunshine(ring)),
            GENERATED_MAIN,
        ),
        (
            "generated-no-provider",
            "generated, no provider feature",
            format!("{}{tokio}serde_json = \"1\"\n", sunshine(", default-features = false")),
            GENERATED_MAIN,
        ),
        (
            "floor",
            "floor",
            format!(
                "reqwest = {{ version = \"0.13\", default-features = false, features = [\"rustls\", \"gzip\"] }}\n\
                 {tokio}{serde}"
            ),
            HAND_MAIN,
        ),
        ("reqwest-default", "reqwest default", format!("{reqwest_default}{tokio}{serde}"), HAND_MAIN),
        (
            "reqwest-default-generated",
            "reqwest default + generated",
            format!("{reqwest_default}{}{tokio}{serde}", sunshine("")),
            BOTH_MAIN,
        ),
        (
            "reqwest-default-generated-ring",
            "reqwest default + generated, `rustls-ring`",
            format!("{reqwest_default}{}{tokio}{serde}", sunshine(ring)),
            BOTH_MAIN,
        ),
    ]
}

const GENERATED_MAIN: &str = r#"use sunshine_conversations::Client;

#[tokio::main]
async fn main() {
    let client = Client::builder("https://api.smooch.io").basic_auth("app_key", "secret").build().expect("client");
    match client.get_conversation("app_1", "c_1").send().await {
        Ok(found) => println!("{}", serde_json::to_string(found.body()).expect("JSON")),
        Err(error) => eprintln!("{error}"),
    }
}
"#;

/// The same call by hand, with reqwest's own provider.
const HAND_MAIN: &str = r#"use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct Conversation {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Found {
    conversation: Conversation,
}

#[tokio::main]
async fn main() {
    let http = reqwest::Client::builder().build().expect("client");
    let sent = http
        .get("https://api.smooch.io/v2/apps/app_1/conversations/c_1")
        .basic_auth("app_key", Some("secret"))
        .header("accept", "application/json")
        .send()
        .await;
    match sent {
        Ok(response) => match response.bytes().await.map(|b| serde_json::from_slice::<Found>(&b)) {
            Ok(Ok(found)) => println!("{}", serde_json::to_string(&found).expect("JSON")),
            Ok(Err(error)) => eprintln!("{error}"),
            Err(error) => eprintln!("{error}"),
        },
        Err(error) => eprintln!("{error}"),
    }
}
"#;

/// An application on reqwest that adds the generated crate: its own call by hand
/// (`HAND_MAIN`'s, through `hand()`) and the generated client's (`GENERATED_MAIN`'s).
const BOTH_MAIN: &str = "both";

fn main_rs(which: &str) -> String {
    match which {
        BOTH_MAIN => {
            let hand = HAND_MAIN.replace("#[tokio::main]\nasync fn main()", "async fn hand()");
            let generated = GENERATED_MAIN.replace("#[tokio::main]\nasync fn main()", "async fn generated()");
            format!(
                "{hand}\n{generated}\n#[tokio::main]\nasync fn main() {{\n    hand().await;\n    generated().await;\n}}\n"
            )
        }
        main => main.to_owned(),
    }
}

/// Writes a crate's manifest, main.rs and a fresh copy of the root Cargo.lock.
fn write_crate(root: &Path, dir: &Path, name: &str, dependencies: &str, main: &str) -> Result<(), String> {
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask bench` (cold builds).\n[package]\nname = \"cold-{name}\"\nversion = \"0.0.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}\n[workspace]\n"
    );
    let write =
        |path: PathBuf, text: &str| fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()));
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join("src/main.rs"), &main_rs(main))?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("cannot seed Cargo.lock: {e}"))?;
    Ok(())
}

pub(crate) fn measure(root: &Path, plan: &Plan) -> Result<Cold, String> {
    measure_counting_in(root, plan, &root.join("target/bench/conversations"))
}

/// [`measure`], counting the generated crate's dependencies in the workspace `counts`
/// (`cargo xtask bench --cold-only` counts them in the root workspace: no copy is made).
pub(crate) fn measure_counting_in(root: &Path, plan: &Plan, counts: &Path) -> Result<Cold, String> {
    let cold = root.join(COLD);
    let target = cold.join("target");
    let (dependencies, dependencies_testing) = dependency_counts(counts)?;
    if plan.quick {
        return Ok(Cold {
            builds: None,
            units: Vec::new(),
            timings_file: None,
            gzip: None,
            dependencies,
            dependencies_testing,
        });
    }
    let mut builds = Vec::new();
    let mut units = Vec::new();
    let mut timings_file = None;
    for (name, label, deps, main) in crates(root) {
        let dir = cold.join(name);
        write_crate(root, &dir, name, &deps, main)?;
        // Downloads and lock file updates (reqwest's default TLS is not in the root
        // lock) happen here, untimed.
        super::output(super::cargo().current_dir(&dir).args(["fetch", "--quiet"]), true)?;
        let crypto = crypto_crates(&dir)?;
        if target.exists() {
            fs::remove_dir_all(&target).map_err(|e| format!("cannot empty {}: {e}", target.display()))?;
        }
        eprintln!("bench:   cold build of {} (debug, empty target directory)", dir.display());
        let mut cmd = super::cargo();
        cmd.current_dir(&dir).args(["build", "--quiet", "--timings"]).env("CARGO_TARGET_DIR", &target);
        let start = Instant::now();
        let cpu_before = children_cpu_seconds();
        super::output(&mut cmd, true)?;
        let seconds = start.elapsed().as_secs_f64();
        let cpu = cpu_before.zip(children_cpu_seconds()).map(|(before, after)| after - before);
        builds.push(Build { label, seconds, cpu, crypto });
        if name == "generated" {
            let report = target.join("cargo-timings/cargo-timing.html");
            let kept = cold.join("generated-cargo-timing.html");
            fs::copy(&report, &kept).map_err(|e| format!("cannot copy {}: {e}", report.display()))?;
            let html = fs::read_to_string(&kept).map_err(|e| format!("cannot read {}: {e}", kept.display()))?;
            units = parse_units(&html)?;
            timings_file = Some(kept.strip_prefix(root).unwrap_or(&kept).to_string_lossy().replace('\\', "/"));
        }
    }
    let gzip = gzip_cost(root, &cold, &units)?;
    Ok(Cold { builds: Some(builds), units, timings_file, gzip: Some(gzip), dependencies, dependencies_testing })
}

/// CPU seconds (user + system) of this process's children that have ended and been
/// waited for, with all of theirs: `cutime` and `cstime` of /proc/self/stat, in the
/// kernel's fixed 100 ticks per second. `None` without /proc (not Linux).
fn children_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    cpu_from_stat(&stat)
}

/// [`children_cpu_seconds`] from the text of a /proc/<pid>/stat.
fn cpu_from_stat(stat: &str) -> Option<f64> {
    // The command name, in parentheses, may hold spaces: count fields after it, from
    // field 3 (`state`); `cutime` and `cstime` are fields 16 and 17.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |field: usize| fields.get(field - 3)?.parse::<f64>().ok();
    Some((ticks(16)? + ticks(17)?) / 100.0)
}

/// The crypto crates (`CRYPTO_CRATES`) in the normal dependency tree of the crate in
/// `dir`, as `name version`, sorted.
fn crypto_crates(dir: &Path) -> Result<Vec<String>, String> {
    let mut cmd = super::cargo();
    cmd.current_dir(dir).args(["tree", "-e", "normal", "--prefix", "none", "--format", "{p}"]);
    Ok(crypto_in_tree(&super::output(&mut cmd, true)?))
}

/// The `CRYPTO_CRATES` lines of `cargo tree --prefix none --format {p}` output.
fn crypto_in_tree(tree: &str) -> Vec<String> {
    let found: BTreeSet<String> = tree
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let (name, version) = (words.next()?, words.next()?);
            CRYPTO_CRATES.contains(&name).then(|| format!("{name} {}", version.trim_start_matches('v')))
        })
        .collect();
    found.into_iter().collect()
}

/// Distinct packages of the generated crate's normal dependency tree (itself
/// excluded), with default features and with `--features testing`, in its copy `dir`
/// (written by the compile-cost step).
fn dependency_counts(dir: &Path) -> Result<(usize, usize), String> {
    let count = |features: &[&str]| -> Result<usize, String> {
        let mut cmd = super::cargo();
        cmd.current_dir(dir).args(["tree", "-e", "normal", "--prefix", "none", "-p", "sunshine-conversations"]);
        cmd.args(features);
        Ok(distinct_packages(&super::output(&mut cmd, true)?).saturating_sub(1))
    };
    Ok((count(&[])?, count(&["--features", "testing"])?))
}

/// The `UNIT_DATA` array of a `cargo build --timings` report, slowest first.
pub(crate) fn parse_units(html: &str) -> Result<Vec<Unit>, String> {
    const MARKER: &str = "const UNIT_DATA = ";
    let start = html.find(MARKER).ok_or("no UNIT_DATA in the timing report")? + MARKER.len();
    let data = serde_json::Deserializer::from_str(&html[start..])
        .into_iter::<Value>()
        .next()
        .ok_or("empty UNIT_DATA")?
        .map_err(|e| format!("UNIT_DATA is not JSON: {e}"))?;
    let mut units: Vec<Unit> = data
        .as_array()
        .ok_or("UNIT_DATA is not an array")?
        .iter()
        .map(|unit| {
            let text = |key: &str| unit[key].as_str().unwrap_or_default().trim().to_owned();
            let what = match (text("mode").as_str(), text("target").as_str()) {
                ("run-custom-build", _) => "run build script".to_owned(),
                (_, "build script") => "build script".to_owned(),
                (_, "") => "lib".to_owned(),
                (_, target) => target.trim_matches(|c| c == '(' || c == ')').to_owned(),
            };
            Unit {
                name: text("name"),
                version: text("version"),
                what,
                seconds: unit["duration"].as_f64().unwrap_or(0.0),
            }
        })
        .collect();
    units.sort_by(|a, b| b.seconds.total_cmp(&a.seconds));
    Ok(units)
}

/// Whether a manifest (the runtime's, whose dependencies every generated crate gets)
/// turns reqwest's gzip on unconditionally (not behind a feature of its own).
fn gzip_unconditional(manifest: &str) -> bool {
    let manifest = format!("\n{manifest}");
    let dependencies = manifest.split("\n[").find(|section| section.starts_with("dependencies]")).unwrap_or_default();
    dependencies.lines().any(|line| {
        let line = line.split('#').next().unwrap_or_default();
        line.trim_start().starts_with("reqwest") && line.contains("\"gzip\"") && !line.contains("optional = true")
    })
}

/// The packages only gzip brings (in the floor crate's tree, not in the same crate
/// without reqwest's gzip; `cargo tree` only, nothing is built) and their units in the
/// `generated` build.
fn gzip_cost(root: &Path, cold: &Path, units: &[Unit]) -> Result<Gzip, String> {
    let manifest =
        fs::read_to_string(root.join(RUNTIME_MANIFEST)).map_err(|e| format!("cannot read {RUNTIME_MANIFEST}: {e}"))?;
    let unconditional = gzip_unconditional(&manifest);
    let floor_deps = crates(root)
        .into_iter()
        .find(|(name, ..)| *name == "floor")
        .map(|(_, _, deps, _)| deps)
        .ok_or("no floor crate")?;
    let without = cold.join("floor-without-gzip");
    write_crate(root, &without, "floor-without-gzip", &floor_deps.replace(", \"gzip\"", ""), HAND_MAIN)?;
    let tree = |dir: &Path| -> Result<BTreeSet<String>, String> {
        let mut cmd = super::cargo();
        cmd.current_dir(dir).args(["tree", "-e", "normal", "--prefix", "none", "--format", "{p}"]);
        let text = super::output(&mut cmd, true)?;
        // The first line is the crate itself.
        Ok(text
            .lines()
            .skip(1)
            .filter_map(|line| line.trim().trim_end_matches("(*)").split_whitespace().next().map(str::to_owned))
            .collect())
    };
    let with = tree(&cold.join("floor"))?;
    let packages: Vec<String> = with.difference(&tree(&without)?).cloned().collect();
    let units = units.iter().filter(|u| packages.contains(&u.name)).cloned().collect();
    Ok(Gzip { unconditional, packages, units })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_read_from_the_timing_report() {
        let html = r#"<script>
const UNIT_DATA = [
  {"i": 0, "name": "itoa", "version": "1.0.19", "mode": "todo", "target": "", "duration": 0.15},
  {"i": 1, "name": "serde", "version": "1.0.0", "mode": "run-custom-build", "target": "", "duration": 0.5},
  {"i": 2, "name": "serde", "version": "1.0.0", "mode": "todo", "target": " build script", "duration": 0.25},
  {"i": 3, "name": "cold", "version": "0.0.0", "mode": "todo", "target": " (bin \"cold\")", "duration": 0.3}
];
const CONCURRENCY_DATA = [];
</script>"#;
        let units = parse_units(html).unwrap();
        let shown: Vec<(&str, &str, f64)> =
            units.iter().map(|u| (u.name.as_str(), u.what.as_str(), u.seconds)).collect();
        assert_eq!(
            shown,
            [
                ("serde", "run build script", 0.5),
                ("cold", "bin \"cold\"", 0.3),
                ("serde", "build script", 0.25),
                ("itoa", "lib", 0.15)
            ]
        );
        assert!(parse_units("<html></html>").is_err());
    }

    #[test]
    fn gzip_in_the_template() {
        let on = "[dependencies]\nreqwest = { version = \"0.13\", features = [\"rustls-no-provider\", \"gzip\"] }\n";
        assert!(gzip_unconditional(on));
        let optional = "[dependencies]\nreqwest = { version = \"0.13\", features = [\"gzip\"], optional = true }\n";
        assert!(!gzip_unconditional(optional));
        let feature = "[dependencies]\nreqwest = { version = \"0.13\" }\n\n[features]\ngzip = [\"reqwest/gzip\"]\n";
        assert!(!gzip_unconditional(feature));
        assert!(gzip_unconditional(include_str!("../../../templates/runtime/Cargo.toml")), "today's manifest");
    }

    #[test]
    fn the_application_on_reqwest_makes_both_calls() {
        let both = main_rs(BOTH_MAIN);
        assert_eq!(both.matches("#[tokio::main]").count(), 1, "{both}");
        assert!(both.contains("async fn hand()") && both.contains("async fn generated()"), "{both}");
        assert!(both.contains("hand().await;\n    generated().await;"), "{both}");
        assert!(
            both.contains("reqwest::Client::builder()") && both.contains("Client::builder(\"https://api.smooch.io\")")
        );
        assert_eq!(main_rs(GENERATED_MAIN), GENERATED_MAIN);
        assert_eq!(main_rs(HAND_MAIN), HAND_MAIN);
    }

    #[test]
    fn children_cpu_is_read_from_proc_stat() {
        let stat = "4242 (x task) S 1 2 3 4 5 6 7 8 9 10 120 30 1500 250 20 0 1 0 100 200 300";
        assert_eq!(cpu_from_stat(stat), Some(17.5));
        assert_eq!(cpu_from_stat("4242 (x"), None);
    }

    #[test]
    fn crypto_crates_are_read_from_the_tree() {
        let tree = "cold-x v0.0.0 (/tmp/x)\nreqwest v0.13.5\naws-lc-rs v1.19.0\naws-lc-sys v0.47.0\nring v0.17.14\n\
                    aws-lc-rs v1.19.0 (*)\nrustls v0.23.48\nsubtle v2.6.1\n";
        assert_eq!(crypto_in_tree(tree), ["aws-lc-rs 1.19.0", "aws-lc-sys 0.47.0", "ring 0.17.14"]);
        assert!(crypto_in_tree("cold-x v0.0.0\nreqwest v0.13.5\n").is_empty());
    }
}
