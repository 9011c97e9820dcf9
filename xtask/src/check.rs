//! `cargo xtask check`: the edit–check loop, in seconds and without building a crate.
//! What a maintainer runs after each edit of `spec/` or the overlay, before the full
//! `cargo xtask test` (which runs it first):
//!
//! 1. `generated/` matches `spec/` (regen --check) and the generator's own generated
//!    data is fresh (codegen --check);
//! 2. spec/'s examples fit the types the crate decodes them into (`conforms`, from the
//!    IR, in process);
//! 3. with `../shared/upstream` beside the repository: spec-compare against the
//!    reference version, and the project overlay on every published version (no
//!    warning but the expected ones, every event reached by its mapping, our semantics);
//! 4. the api-diff summary since the last release (what the next release will say).
//!
//! Every step runs; the failures are listed at the end.

use std::fs;
use std::path::Path;

use crate::process::Steps;

/// `cargo xtask check`.
pub(crate) fn run(root: &Path) -> Result<(), String> {
    let mut steps = Steps::default();
    steps.run("generated/ is up to date (regen --check)", || crate::regen::regen(root, true));
    steps.run("the generator's generated data is fresh (codegen --check)", || crate::codegen::run(root, true));
    steps.run("spec/'s examples fit their types (in process, from the IR)", || examples(root));
    let upstream = crate::upstream::upstream_dir(root);
    if upstream.exists() {
        steps.run(&format!("spec/ matches upstream {} structurally", crate::upstream::reference()), || {
            crate::upstream::spec_compare(None, &[])
        });
        steps.run("the project overlay on every published version: expected warnings only, our semantics", || {
            let overlays = crate::upstream::overlays(root)?;
            crate::upstream::semantics::check_all(root, &upstream, &overlays)
        });
    } else {
        println!("==> upstream checks skipped: {} not found", upstream.display());
    }
    steps.run("api-diff since the last release", || since_release(root));
    steps.finish()
}

/// Every example of spec/ against its type; all problems at once.
fn examples(root: &Path) -> Result<(), String> {
    let options = crate::regen::options(root)?;
    let text = fs::read_to_string(root.join(crate::regen::SPEC)).map_err(|e| format!("cannot read the spec: {e}"))?;
    let (api, _) = generator::intermediate(&text, &options).map_err(|f| f.to_string())?;
    let target =
        crate::upstream::Target { version: "spec/".into(), tags: Vec::new(), package: "sunshine-conversations".into() };
    let plan = crate::upstream::collect_examples(&text, &options, &target)?;
    let mut problems = Vec::new();
    for case in &plan.cases {
        let value: serde_json::Value = serde_json::from_str(&case.json).map_err(|e| e.to_string())?;
        for problem in crate::conforms::problems(&api, &case.ir, &value) {
            problems.push(format!("{} (as {}): {problem}", case.pointer, case.ty));
        }
    }
    println!("spec/ examples: {} checked against their types, {} problems", plan.cases.len(), problems.len());
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// The api-diff summary from the description at the last release to today's.
fn since_release(root: &Path) -> Result<(), String> {
    let options = crate::regen::options(root)?;
    let read = |path: &str| fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"));
    // Both read as spec/ (as release does): only the description differs.
    let side = |path: &str| {
        generator::intermediate(&read(path)?, &options).map(|(api, _)| api).map_err(|f| format!("{path}: {f}"))
    };
    let report = generator::api_diff(&side(crate::release::RELEASED_SPEC)?, &side(crate::regen::SPEC)?);
    let rendered = report.render("the last release", "spec/", generator::diff::Listed::Public);
    print!("{rendered}");
    Ok(())
}
