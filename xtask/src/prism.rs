//! The pinned Stoplight Prism mock server used by the contract tests
//! (`spec/client-tests/tests/contract_prism.rs`), installed by the project itself.
//!
//! `xtask/prism/package.json` pins `@stoplight/prism-cli` 5.14.2 and, through
//! `overrides`, the `@stoplight/prism-*` versions it was released with (later
//! ones need Node >= 24.18, pull in install-time telemetry and hang on
//! malformed JSON). `xtask/prism/package-lock.json` pins everything else, with
//! integrity hashes. Both are copied to `target/prism/` and installed there with
//! `npm ci`, so nothing outside `target/` is written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Prism version the contract tests are written against.
pub(crate) const VERSION: &str = "5.14.2";

/// Installs Prism under `target/prism/` (unless the same install is already
/// there) and returns the path of its `prism` executable.
pub(crate) fn install(root: &Path) -> Result<PathBuf, String> {
    let source = root.join("xtask/prism");
    let dir = root.join("target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    let read = |path: &Path| fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let manifest = read(&source.join("package.json"))?;
    let lockfile = read(&source.join("package-lock.json"))?;

    // Cached: the right version, installed from this very lockfile.
    let same_lockfile = fs::read(dir.join("package-lock.json")).is_ok_and(|installed| installed == lockfile);
    if same_lockfile && installed_version(&bin).as_deref() == Some(VERSION) {
        println!("prism {VERSION} already installed at {}", bin.display());
        return Ok(bin);
    }

    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write("package.json", &manifest)?;
    write("package-lock.json", &lockfile)?;
    println!("installing prism {VERSION} into {} (npm ci)", dir.display());
    crate::process::run(Command::new(npm()).current_dir(&dir).args([
        "ci",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))
    .map_err(|e| format!("{e}\n(the contract tests need Node.js and npm on PATH)"))?;

    match installed_version(&bin) {
        Some(version) if version == VERSION => Ok(bin),
        Some(version) => Err(format!("{} --version printed {version:?}, expected {VERSION}", bin.display())),
        None => Err(format!("{} does not run after `npm ci`", bin.display())),
    }
}

/// What `prism --version` prints, trimmed; `None` if it cannot be run.
fn installed_version(bin: &Path) -> Option<String> {
    if !bin.exists() {
        return None;
    }
    let output = Command::new(bin).arg("--version").output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// A Prism mock of one spec on 127.0.0.1, stopped when dropped.
pub(crate) struct Mock {
    child: std::process::Child,
    /// E.g. `http://127.0.0.1:41873`.
    pub(crate) url: String,
}

impl Mock {
    /// Starts Prism on a free port and waits (at most 60 s) until it accepts connections.
    pub(crate) fn start(bin: &Path, spec: &Path) -> Result<Mock, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?
            .port();
        let child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {} (is `node` on PATH?): {e}", bin.display()))?;
        let mut mock = Mock { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(mock);
            }
            if let Ok(Some(status)) = mock.child.try_wait() {
                return Err(format!("prism exited with {status} before listening on {}", mock.url));
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("prism did not listen on {} within 60 s", mock.url));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
