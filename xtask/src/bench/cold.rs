//! Cold builds: what depending on the generated crate costs a fresh checkout. Three
//! tiny binary crates under target/bench/cold/ (each its own workspace, seeded with
//! the root Cargo.lock so versions match the project's), each built in debug from an
//! empty `CARGO_TARGET_DIR`:
//! - `generated`: the generated crate (default features), tokio and serde_json; builds
//!   a `Client` and calls one operation;
//! - `floor`: what the generated crate cannot do without: reqwest with rustls (*ring*)
//!   and gzip, tokio, serde and serde_json, making the same call by hand;
//! - `reqwest default`: the same with reqwest's default features.
//!
//! Also: the slowest units of the `generated` build (`cargo build --timings`), the
//! units that only the generated crate's `gzip` feature brings, and the distinct
//! packages of the generated crate's dependency tree.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use super::Plan;
use super::compile::distinct_packages;

/// Where the crates are written, relative to the workspace root.
const COLD: &str = "target/bench/cold";
/// The generated crate's Cargo template.
const CARGO_TEMPLATE: &str = "templates/cargo.toml";
/// How many units of the `generated` build to list.
pub(crate) const TOP_UNITS: usize = 10;

/// One cold build.
#[derive(Debug, Clone)]
pub(crate) struct Build {
    pub label: &'static str,
    /// Wall-clock seconds of `cargo build`.
    pub seconds: f64,
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

/// The three crates: (directory name, label, dependencies, main.rs).
fn crates(root: &Path) -> [(&'static str, &'static str, String, &'static str); 3] {
    let generated = root.join(crate::regen::GENERATED);
    let generated = generated.to_string_lossy().replace('\\', "/");
    [
        (
            "generated",
            "generated",
            format!(
                "sunshine-conversations = {{ path = {generated:?} }}\n\
                 tokio = {{ version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }}\n\
                 serde_json = \"1\"\n"
            ),
            GENERATED_MAIN,
        ),
        (
            "floor",
            "floor",
            "reqwest = { version = \"0.13\", default-features = false, features = [\"rustls-no-provider\", \"gzip\"] }\n\
             rustls = { version = \"0.23\", default-features = false, features = [\"ring\", \"std\", \"tls12\"] }\n\
             tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }\n\
             serde = { version = \"1\", features = [\"derive\"] }\n\
             serde_json = \"1\"\n"
                .to_owned(),
            FLOOR_MAIN,
        ),
        (
            "reqwest-default",
            "reqwest default",
            "reqwest = \"0.13\"\n\
             tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\"] }\n\
             serde = { version = \"1\", features = [\"derive\"] }\n\
             serde_json = \"1\"\n"
                .to_owned(),
            REQWEST_DEFAULT_MAIN,
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

/// The same call by hand; `PROVIDER` is replaced by the TLS setup, if any.
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
    PROVIDER
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

const FLOOR_MAIN: &str = "floor";
const REQWEST_DEFAULT_MAIN: &str = "reqwest-default";

fn main_rs(which: &str) -> String {
    match which {
        FLOOR_MAIN => {
            HAND_MAIN.replace("PROVIDER", "let _ = rustls::crypto::ring::default_provider().install_default();")
        }
        REQWEST_DEFAULT_MAIN => HAND_MAIN.replace("    PROVIDER\n", ""),
        generated => generated.to_owned(),
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
    let cold = root.join(COLD);
    let target = cold.join("target");
    let (dependencies, dependencies_testing) = dependency_counts(&root.join("target/bench/conversations"))?;
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
        if target.exists() {
            fs::remove_dir_all(&target).map_err(|e| format!("cannot empty {}: {e}", target.display()))?;
        }
        eprintln!("bench:   cold build of {} (debug, empty target directory)", dir.display());
        let mut cmd = super::cargo();
        cmd.current_dir(&dir).args(["build", "--quiet", "--timings"]).env("CARGO_TARGET_DIR", &target);
        let start = Instant::now();
        super::output(&mut cmd, true)?;
        builds.push(Build { label, seconds: start.elapsed().as_secs_f64() });
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

/// Whether the Cargo template turns reqwest's gzip on for every generated crate (not
/// behind a feature of its own).
fn gzip_unconditional(template: &str) -> bool {
    let template = format!("\n{template}");
    let dependencies = template.split("\n[").find(|section| section.starts_with("dependencies]")).unwrap_or_default();
    dependencies.lines().any(|line| {
        let line = line.split('#').next().unwrap_or_default();
        line.trim_start().starts_with("reqwest") && line.contains("\"gzip\"") && !line.contains("optional = true")
    })
}

/// The packages only gzip brings (in the floor crate's tree, not in the same crate
/// without reqwest's gzip; `cargo tree` only, nothing is built) and their units in the
/// `generated` build.
fn gzip_cost(root: &Path, cold: &Path, units: &[Unit]) -> Result<Gzip, String> {
    let template =
        fs::read_to_string(root.join(CARGO_TEMPLATE)).map_err(|e| format!("cannot read {CARGO_TEMPLATE}: {e}"))?;
    let unconditional = gzip_unconditional(&template);
    let [_, (_, _, floor_deps, _), _] = crates(root);
    let without = cold.join("floor-without-gzip");
    write_crate(root, &without, "floor-without-gzip", &floor_deps.replace(", \"gzip\"", ""), FLOOR_MAIN)?;
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
    }

    #[test]
    fn hand_written_mains_differ_only_in_the_provider() {
        let floor = main_rs(FLOOR_MAIN);
        let default = main_rs(REQWEST_DEFAULT_MAIN);
        assert!(
            floor.contains("ring::default_provider") && !default.contains("PROVIDER") && !default.contains("rustls")
        );
        assert_eq!(main_rs(GENERATED_MAIN), GENERATED_MAIN);
    }
}
