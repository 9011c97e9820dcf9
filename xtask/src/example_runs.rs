//! The generated crate's example programs, run against a Prism mock of `spec/`:
//! `quickstart` and `bot` must exit 0; `webhook_bot` is started as a server, gets the
//! spec's own `conversation:message` delivery, must answer it 200 (having posted its
//! reply to the mock), and is stopped.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::tasks::{cargo, run};

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
    let answer = post(port, "/webhooks", &[(&webhook.key_header, secret)], &example.json)?;
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(format!("webhook_bot answered the delivery with {:?}", answer.lines().next().unwrap_or_default()));
    }
    let refused = post(port, "/webhooks", &[(&webhook.key_header, "wrong")], &example.json)?;
    if !refused.starts_with("HTTP/1.1 401") {
        return Err(format!("webhook_bot answered a wrong key with {:?}", refused.lines().next().unwrap_or_default()));
    }
    println!("webhook_bot: the delivery answered 200 (reply posted to the mock), a wrong key 401");
    Ok(())
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
