//! spec/'s own examples (request, response, webhook and schema examples) decode into
//! the generated types and re-encode to equivalent JSON: the same test as for the
//! upstream documents (`upstream/examples.rs`), compiled against `generated/`.

use std::fs;
use std::path::Path;

use crate::process;
use crate::upstream::{Target, collect_examples};

/// Writes `target/spec-examples/` (a test crate depending on `generated/`) and runs it.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let options = crate::regen::options(root)?;
    let text = fs::read_to_string(root.join(crate::regen::SPEC)).map_err(|e| format!("cannot read the spec: {e}"))?;
    let target = Target { version: "spec/".into(), tags: Vec::new(), package: "sunshine-conversations".into() };
    let plan = collect_examples(&text, &options, &target)?;
    let dir = root.join("target/spec-examples");
    for sub in ["src", "tests"] {
        fs::create_dir_all(dir.join(sub)).map_err(|e| e.to_string())?;
    }
    let manifest = format!(
        "# Written by `cargo xtask test` (xtask/src/spec_examples.rs).\n[package]\nname = \"spec-examples\"\nversion = \"0.0.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dev-dependencies]\nsunshine-conversations = {{ path = {:?} }}\nserde = \"1\"\n\
         serde_json = \"1\"\n\n[workspace]\n",
        root.join(crate::regen::GENERATED).to_string_lossy()
    );
    crate::upstream::write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    crate::upstream::write_if_changed(&dir.join("src/lib.rs"), "//! Only its test matters.\n")?;
    crate::upstream::write_if_changed(&dir.join("tests/spec_examples.rs"), &plan.render("sunshine_conversations"))?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    println!(
        "spec/ examples: {} to round-trip ({} skipped: {:?})",
        plan.cases.len(),
        plan.skipped.len(),
        plan.skipped_by_reason()
    );
    if plan.defects() > 0 {
        return Err("spec/ has no known defects to list: its examples are ours".to_string());
    }
    let mut cmd = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(&dir).args(["test", "--quiet"]).env("CARGO_TARGET_DIR", root.join("target"));
    process::run(&mut cmd)
}
