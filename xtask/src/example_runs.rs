//! The generated crate's example programs, run against a Prism mock of `spec/`:
//! `quickstart` and `bot` must exit 0; `webhook_bot` is started as a server, gets the
//! spec's own `conversation:message` delivery, must answer it 200 (having posted its
//! reply to the mock), must close a connection whose request head never ends within its
//! `HEAD_TIMEOUT`, and is stopped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{cargo, run};

/// The settings every example reads (`Client::from_env` and its own).
fn settings<'a>(cmd: &'a mut Command, base_url: &str) -> &'a mut Command {
    cmd.env("SUNSHINE_CONVERSATIONS_BASE_URL", base_url)
        .env("SUNSHINE_CONVERSATIONS_KEY_ID", "app_example")
        .env("SUNSHINE_CONVERSATIONS_SECRET", "example-secret")
        .env("BOT_APP_ID", "65f0a1b2c3d4e5f607182930")
        .env("BOT_USER_ID", "3f1b2c4d5e6f708192a3b4c5")
        .env("BOT_HISTORY_LIMIT", "20")
}

pub(crate) fn run_examples(root: &Path, prism_bin: &Path) -> Result<(), String> {
    let spec = root.join("spec/sunshine-conversations.yaml");
    for example in ["quickstart", "bot"] {
        let mock = crate::prism::Mock::start(prism_bin, &spec)?;
        println!("{example} against {}", mock.url);
        run(settings(
            cargo(root).args(["run", "--quiet", "-p", "sunshine-conversations", "--example", example]),
            &mock.url,
        ))?;
    }
    webhook_bot(root, prism_bin, &spec)
}

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn webhook_bot(root: &Path, prism_bin: &Path, spec: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let options = generator::Options::new("sunshine-conversations", "spec/sunshine-conversations.yaml");
    let (api, _) = generator::intermediate(&text, &options).map_err(|f| f.to_string())?;
    let webhook = api.webhooks.first().ok_or("spec/ has no webhook")?;
    let example = webhook
        .examples
        .iter()
        .find(|e| e.name == "conversation:message")
        .ok_or("spec/ has no `conversation:message` webhook example")?;
    run(cargo(root).args([
        "build",
        "--quiet",
        "-p",
        "sunshine-conversations",
        "--example",
        "webhook_bot",
        "--features",
        "axum",
    ]))?;
    let mock = crate::prism::Mock::start(prism_bin, spec)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?
        .port();
    let secret = "example-webhook-secret";
    let mut cmd = cargo(root);
    cmd.args(["run", "--quiet", "-p", "sunshine-conversations", "--example", "webhook_bot", "--features", "axum"])
        .env("BOT_WEBHOOK_SECRET", secret)
        .env("BOT_ADDRESS", format!("127.0.0.1:{port}"))
        .stdin(Stdio::null());
    let child = settings(&mut cmd, &mock.url).spawn().map_err(|e| format!("cannot start webhook_bot: {e}"))?;
    let mut bot = Running(child);
    println!("webhook_bot on 127.0.0.1:{port}, against {}", mock.url);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = bot.0.try_wait() {
            return Err(format!("webhook_bot exited with {status} before listening"));
        }
        if Instant::now() > deadline {
            return Err("webhook_bot did not listen within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // A request head that never ends, started first: the bot must cut it (checked after
    // the deliveries, which take a while anyway).
    let head_timeout = head_timeout(&root.join("spec/examples/webhook_bot.rs"))?;
    let mut slow = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    slow.write_all(b"POST /webhooks HTTP/1.1\r\nHost: 127.0.0.1\r\n").map_err(|e| format!("send: {e}"))?;
    let slow_since = Instant::now();
    let answer = post(port, "/webhooks", &[(&webhook.key_header, secret)], &example.json)?;
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(format!("webhook_bot answered the delivery with {:?}", answer.lines().next().unwrap_or_default()));
    }
    let refused = post(port, "/webhooks", &[(&webhook.key_header, "wrong")], &example.json)?;
    if !refused.starts_with("HTTP/1.1 401") {
        return Err(format!("webhook_bot answered a wrong key with {:?}", refused.lines().next().unwrap_or_default()));
    }
    let margin = Duration::from_secs(10);
    slow.set_read_timeout(Some(
        (head_timeout + margin).saturating_sub(slow_since.elapsed()).max(Duration::from_millis(1)),
    ))
    .map_err(|e| e.to_string())?;
    let mut rest = Vec::new();
    // Closed (end of stream or reset) is the answer; a read timeout is not.
    let cut = match slow.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
    };
    if !cut {
        return Err(format!(
            "webhook_bot kept a connection whose request head never ended open for {:?} (its HEAD_TIMEOUT is {head_timeout:?})",
            slow_since.elapsed()
        ));
    }
    println!(
        "webhook_bot: the delivery answered 200 (reply posted to the mock), a wrong key 401, an unfinished request \
         head cut after {:.1} s",
        slow_since.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The `HEAD_TIMEOUT` of `examples/webhook_bot.rs`, read from its source
/// (`const HEAD_TIMEOUT: Duration = Duration::from_secs(N);`), so the check follows it.
fn head_timeout(example: &Path) -> Result<Duration, String> {
    let text = std::fs::read_to_string(example).map_err(|e| format!("{}: {e}", example.display()))?;
    text.lines()
        .find_map(|line| {
            line.trim().strip_prefix("const HEAD_TIMEOUT: Duration = Duration::from_secs(")?.strip_suffix(");")
        })
        .and_then(|seconds| seconds.parse().ok())
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{}: no `const HEAD_TIMEOUT: Duration = Duration::from_secs(N);`", example.display()))
}

/// A JSON POST over HTTP/1.1 on 127.0.0.1; the whole answer as text.
fn post(port: u16, path: &str, headers: &[(&str, &str)], body: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).map_err(|e| format!("send: {e}"))?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| format!("read: {e}"))?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_webhook_bot_states_its_head_timeout() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let timeout = super::head_timeout(&root.join("spec/examples/webhook_bot.rs")).unwrap();
        assert_eq!(timeout, std::time::Duration::from_secs(10));
    }
}
