//! Contract test: the generated client against Stoplight Prism, an independent
//! implementation of the OpenAPI document, over real HTTP on 127.0.0.1.
//!
//! Prism validates every request it receives against the document (bodies,
//! path and query parameters, security) and answers with the document's
//! examples. So a 2xx response without an `sl-violations` header means the
//! client put on the wire what the document describes, and a decoded body
//! means the client reads what the document promises.
//!
//! What runs:
//! - against the document as it is (ours, or `CONTRACT_SPEC`): every operation
//!   with valid input (2xx, decodes, no violations); every documented error
//!   status of every operation, forced with `Prefer: code=N` (typed
//!   `errorResponse` in `Error::Api`); a PATCH clearing a field (`null`); no
//!   credentials (401), bearer and minted JWT credentials; the list stream
//!   across pages; negative controls showing Prism does catch bad requests;
//! - against a tightened copy of it, written to a temporary directory (see
//!   [`tighten`]): the `filter[...]` deepObject encoding of ListConversations,
//!   which Prism cannot check on the document as it is, with negative controls;
//!   PostConversionEvents, whose request body no validator can accept as the
//!   documents stand; and PostMessage with each of the nine content types from a
//!   user and from the business (Prism ignores `discriminator` and cannot compile
//!   `author.avatarUrl`, so on the document as it is it checks no message body).
//!
//! Prism: `PRISM_BIN` (set by `cargo xtask test`, which installs the pinned
//! version from `xtask/prism/`), else `target/prism/node_modules/.bin/prism`.
//! Without either the test fails, unless `SKIP_PRISM=1`.
//!
//! `CONTRACT_SPEC=FILE` runs the same checks against another document, e.g. the
//! published 17.12.1 one (`cargo xtask ci-upstream` does); checks whose outcome
//! is known to differ there are listed, with their reasons, in
//! [`KNOWN_DIFFERENCES`] and asserted as such.
//!
//! `cargo test -p client-tests --test contract_prism -- --nocapture` prints the
//! per-operation results table.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_yaml::Value as Yaml;
use sunshine_conversations::reqwest::Method;
use sunshine_conversations::reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use sunshine_conversations::{CallOptions, Client, Error, JwtScope, Response, RetryPolicy, Server, models};

const APP_ID: &str = "65f0a1b2c3d4e5f607182930";
const CONVERSATION_ID: &str = "7a8b9c0d1e2f3a4b5c6d7e8f";
const USER_ID: &str = "3f1b2c4d5e6f708192a3b4c5";
const MESSAGE_ID: &str = "5e6f7a8b9c0d1e2f3a4b5c6d";
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

// ---- which document, which Prism ------------------------------------------------

fn workspace_root() -> PathBuf {
    client_tests::repository_root()
}

/// Whether the document under test is ours or another one (`CONTRACT_SPEC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ours,
    Upstream,
}

/// The document under test: `CONTRACT_SPEC` (relative paths are taken from the
/// workspace root, then from the current directory), else ours.
fn contract_spec() -> (PathBuf, Mode) {
    let root = workspace_root();
    let ours = root.join("spec/sunshine-conversations.yaml");
    let Some(given) = std::env::var_os("CONTRACT_SPEC").filter(|v| !v.is_empty()) else {
        return (ours, Mode::Ours);
    };
    let given = PathBuf::from(given);
    let path = [root.join(&given), given.clone()]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("CONTRACT_SPEC={} is not a file", given.display()));
    let same = |a: &Path, b: &Path| a.canonicalize().ok() == b.canonicalize().ok();
    let mode = if same(&path, &ours) { Mode::Ours } else { Mode::Upstream };
    (path, mode)
}

/// The Prism executable, or `None` when the test may be skipped (`SKIP_PRISM=1`).
fn prism_bin() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("PRISM_BIN").filter(|v| !v.is_empty()) {
        let bin = PathBuf::from(bin);
        assert!(bin.exists(), "PRISM_BIN={} does not exist: run `cargo xtask test`", bin.display());
        return Some(bin);
    }
    let installed = workspace_root().join("target/prism/node_modules/.bin/prism");
    if installed.exists() {
        return Some(installed);
    }
    if std::env::var("SKIP_PRISM").as_deref() == Ok("1") {
        eprintln!("SKIPPED: Prism is not installed and SKIP_PRISM=1");
        return None;
    }
    panic!(
        "Prism is not installed: run `cargo xtask test` (it installs the pinned Prism into target/prism/ \
         and sets PRISM_BIN), or set PRISM_BIN, or SKIP_PRISM=1 to skip this test on purpose"
    );
}

// ---- a Prism process -------------------------------------------------------------

/// A running `prism mock` on 127.0.0.1, killed (by PID) when dropped, also when a
/// check panics.
struct Prism {
    child: Child,
    log: Arc<Mutex<VecDeque<String>>>,
    url_rx: mpsc::Receiver<String>,
    label: String,
}

impl Prism {
    /// Starts Prism on a free port; does not wait for it (see [`Prism::ready`]).
    fn spawn(bin: &Path, spec: &Path, label: &str) -> Prism {
        let mut child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", "0"])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} (is `node` on PATH?): {e}", bin.display()));
        let log = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, url_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        // Prism logs every request: keep draining both pipes until it exits,
        // keeping the last lines for failure messages.
        for stream in [Box::new(stdout) as Box<dyn std::io::Read + Send>, Box::new(stderr)] {
            let log = Arc::clone(&log);
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(url) = listening_url(&line) {
                        let _ = tx.send(url);
                    }
                    let mut log = log.lock().unwrap();
                    if log.len() == 200 {
                        log.pop_front();
                    }
                    log.push_back(line);
                }
            });
        }
        Prism { child, log, url_rx, label: label.to_string() }
    }

    /// Waits until Prism listens and accepts connections; returns its URL.
    fn ready(&mut self) -> String {
        let started = Instant::now();
        let url = loop {
            if let Ok(url) = self.url_rx.recv_timeout(Duration::from_millis(100)) {
                break url;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Prism ({}) exited during startup with {status}:\n{}", self.label, self.tail());
            }
            if started.elapsed() > STARTUP_LIMIT {
                panic!("Prism ({}) did not listen within {STARTUP_LIMIT:?}:\n{}", self.label, self.tail());
            }
        };
        let address = url.trim_start_matches("http://").to_string();
        while TcpStream::connect(&address).is_err() {
            assert!(started.elapsed() < STARTUP_LIMIT, "Prism ({}) does not accept connections at {url}", self.label);
            std::thread::sleep(Duration::from_millis(50));
        }
        url
    }

    fn tail(&self) -> String {
        let log = self.log.lock().unwrap();
        log.iter().rev().take(15).rev().cloned().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `http://127.0.0.1:NNNN` from Prism's "Prism is listening on ..." line.
fn listening_url(line: &str) -> Option<String> {
    let rest = &line[line.find("Prism is listening on ")? + "Prism is listening on ".len()..];
    let rest = rest.strip_prefix("http://127.0.0.1:")?;
    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!port.is_empty()).then(|| format!("http://127.0.0.1:{port}"))
}

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("contract-prism-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- reading the document ---------------------------------------------------------

/// The conversation operations the client has (every operation under
/// `/v2/apps/{appId}/conversations`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    CreateConversation,
    ListConversations,
    GetConversation,
    UpdateConversation,
    DeleteConversation,
    DownloadMessageRef,
    PostConversionEvents,
    PostMessage,
    ListMessages,
    DeleteAllMessages,
    DeleteMessage,
    JoinConversation,
    LeaveConversation,
    ListParticipants,
    PostActivity,
    PassControl,
    OfferControl,
    AcceptControl,
    ReleaseControl,
}

/// Operations whose request body upstream is a `oneOf` of objects with one optional
/// property each (see `tighten`).
const ONE_OF_OPTIONAL: [Op; 2] = [Op::PostConversionEvents, Op::LeaveConversation];

const OPS: [Op; 19] = [
    Op::CreateConversation,
    Op::ListConversations,
    Op::GetConversation,
    Op::UpdateConversation,
    Op::DeleteConversation,
    Op::DownloadMessageRef,
    Op::PostConversionEvents,
    Op::PostMessage,
    Op::ListMessages,
    Op::DeleteAllMessages,
    Op::DeleteMessage,
    Op::JoinConversation,
    Op::LeaveConversation,
    Op::ListParticipants,
    Op::PostActivity,
    Op::PassControl,
    Op::OfferControl,
    Op::AcceptControl,
    Op::ReleaseControl,
];

const CONVERSATION: &str = "/v2/apps/{appId}/conversations/{conversationId}";

impl Op {
    fn id(self) -> &'static str {
        match self {
            Op::CreateConversation => "CreateConversation",
            Op::ListConversations => "ListConversations",
            Op::GetConversation => "GetConversation",
            Op::UpdateConversation => "UpdateConversation",
            Op::DeleteConversation => "DeleteConversation",
            Op::DownloadMessageRef => "DownloadMessageRef",
            Op::PostConversionEvents => "PostConversionEvents",
            Op::PostMessage => "PostMessage",
            Op::ListMessages => "ListMessages",
            Op::DeleteAllMessages => "DeleteAllMessages",
            Op::DeleteMessage => "DeleteMessage",
            Op::JoinConversation => "JoinConversation",
            Op::LeaveConversation => "LeaveConversation",
            Op::ListParticipants => "ListParticipants",
            Op::PostActivity => "PostActivity",
            Op::PassControl => "PassControl",
            Op::OfferControl => "OfferControl",
            Op::AcceptControl => "AcceptControl",
            Op::ReleaseControl => "ReleaseControl",
        }
    }

    /// Method and path template the client uses.
    fn route(self) -> (&'static str, String) {
        let below = |method: &'static str, rest: &str| (method, format!("{CONVERSATION}{rest}"));
        match self {
            Op::CreateConversation => ("post", "/v2/apps/{appId}/conversations".into()),
            Op::ListConversations => ("get", "/v2/apps/{appId}/conversations".into()),
            Op::GetConversation => below("get", ""),
            Op::UpdateConversation => below("patch", ""),
            Op::DeleteConversation => below("delete", ""),
            Op::DownloadMessageRef => below("post", "/download"),
            Op::PostConversionEvents => below("post", "/conversionEvents"),
            Op::PostMessage => below("post", "/messages"),
            Op::ListMessages => below("get", "/messages"),
            Op::DeleteAllMessages => below("delete", "/messages"),
            Op::DeleteMessage => below("delete", "/messages/{messageId}"),
            Op::JoinConversation => below("post", "/join"),
            Op::LeaveConversation => below("post", "/leave"),
            Op::ListParticipants => below("get", "/participants"),
            Op::PostActivity => below("post", "/activity"),
            Op::PassControl => below("post", "/passControl"),
            Op::OfferControl => below("post", "/offerControl"),
            Op::AcceptControl => below("post", "/acceptControl"),
            Op::ReleaseControl => below("post", "/releaseControl"),
        }
    }
}

/// The documented response statuses of `op`: (the 2xx one, the error ones).
fn documented_statuses(spec: &Yaml, op: Op) -> (u16, Vec<u16>) {
    let (method, path) = op.route();
    let operation = &spec["paths"][path.as_str()][method];
    assert_eq!(
        operation["operationId"].as_str(),
        Some(op.id()),
        "the document has no {} at {} {path}",
        op.id(),
        method.to_uppercase()
    );
    let responses = operation["responses"].as_mapping().expect("responses");
    let mut success = Vec::new();
    let mut errors = Vec::new();
    for key in responses.keys() {
        let code = match key {
            Yaml::String(s) => s.parse::<u16>().ok(),
            Yaml::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
            _ => None,
        };
        match code {
            Some(code @ 200..=299) => success.push(code),
            Some(code) => errors.push(code),
            None => {} // `default`: nothing Prism can be asked for by number
        }
    }
    assert_eq!(success.len(), 1, "{} documents {success:?} as 2xx", op.id());
    errors.sort_unstable();
    (success[0], errors)
}

/// Follows a local `$ref` (`#/a/b/c`) to the node it names, as a path of keys.
fn ref_path(node: &Yaml) -> Option<Vec<String>> {
    let reference = node.get("$ref")?.as_str()?;
    Some(reference.strip_prefix("#/")?.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect())
}

/// The node at `path`; numeric keys index sequences. `Null` if absent.
fn get<'a>(root: &'a Yaml, path: &[String]) -> &'a Yaml {
    path.iter().fold(root, |node, key| match key.parse::<usize>() {
        Ok(i) if node.is_sequence() => &node[i],
        _ => &node[key.as_str()],
    })
}

/// The node at `path`, mutably; numeric keys index sequences.
fn get_mut<'a>(root: &'a mut Yaml, path: &[String]) -> &'a mut Yaml {
    let mut node = root;
    for key in path {
        node = match key.parse::<usize>() {
            Ok(i) if node.is_sequence() => &mut node[i],
            _ => node.get_mut(key.as_str()).unwrap_or_else(|| panic!("no {key} in {path:?}")),
        };
    }
    node
}

/// `path` with `$ref`s followed, so that the referenced node can be edited in place.
fn resolve(root: &Yaml, mut path: Vec<String>) -> Vec<String> {
    loop {
        match ref_path(get(root, &path)) {
            Some(target) => path = target,
            None => return path,
        }
    }
}

fn keys(path: &[&str]) -> Vec<String> {
    path.iter().map(|s| s.to_string()).collect()
}

/// A copy of the document with test-only changes (numbered below), so that Prism can check
/// what it cannot check on the document as it is. Returns the copy and what
/// was changed. Panics if the expected shapes are not there (no silent skip).
///
/// 1. ListConversations' `filter` (deepObject): Prism lower-cases incoming query
///    keys but not the schema's property names, and builds the object from the
///    schema's properties only, so `filter[userId]` is never looked at. The
///    copy lower-cases the property names and adds `oneOf: [{required:
///    [userid]}, {required: [userexternalid]}]` (the descriptions' "give either
///    this or the other"): now any encoding other than `filter[userId]=...` or
///    `filter[userExternalId]=...` (alone) is a violation.
/// 2. PostConversionEvents' and LeaveConversation's bodies are a `oneOf` of
///    objects whose only property is optional (upstream), so every body matches
///    every branch and `oneOf` (exactly one) always fails. The copy makes each
///    branch require its one property.
/// 3. Discriminated unions: Prism ignores `discriminator`, so overlapping
///    branches all match and `oneOf` fails; each branch pins its tag value.
/// 4. `author.avatarUrl`: its nullable/non-nullable `allOf` does not compile in
///    Prism (which then validates no message body); the copy drops the `allOf`.
fn tighten(spec: &Yaml) -> (Yaml, Vec<String>) {
    let mut copy = spec.clone();
    let mut changes = Vec::new();

    // 1. filter
    let (method, path) = Op::ListConversations.route();
    let path = path.as_str();
    let parameters = spec["paths"][path][method]["parameters"].as_sequence().expect("ListConversations parameters");
    let mut found = false;
    for i in 0..parameters.len() {
        let mut parameter = keys(&["paths", path, method, "parameters"]);
        parameter.push(i.to_string());
        let parameter = resolve(spec, parameter);
        if get(spec, &parameter)["name"].as_str() != Some("filter") {
            continue;
        }
        let mut schema_path = parameter.clone();
        schema_path.push("schema".into());
        let schema_path = resolve(spec, schema_path);
        let schema = get_mut(&mut copy, &schema_path);
        let properties = schema.get_mut("properties").and_then(Yaml::as_mapping_mut).expect("filter has properties");
        let lowered: serde_yaml::Mapping = properties
            .iter()
            .map(|(k, v)| (Yaml::String(k.as_str().expect("property name").to_lowercase()), v.clone()))
            .collect();
        let names: Vec<String> = lowered.keys().map(|k| k.as_str().unwrap().to_string()).collect();
        // The two ways to name the user (the API's rule, which the schema cannot say):
        // exactly one of them. Any other filter property stays free, so a new filter
        // needs no change here.
        const ALTERNATIVES: [&str; 2] = ["userid", "userexternalid"];
        for alternative in ALTERNATIVES {
            assert!(names.iter().any(|n| n == alternative), "filter has no `{alternative}` (it has {names:?})");
        }
        *properties = lowered;
        let one_of: Vec<Yaml> =
            ALTERNATIVES.iter().map(|name| serde_yaml::from_str(&format!("{{required: [{name}]}}")).unwrap()).collect();
        let names: Vec<&str> = ALTERNATIVES.to_vec();
        schema.as_mapping_mut().unwrap().insert("oneOf".into(), Yaml::Sequence(one_of));
        changes.push(format!("filter properties lower-cased ({}) and exactly one required", names.join(", ")));
        found = true;
    }
    assert!(found, "ListConversations has no `filter` parameter");

    // 2. Request bodies that are a `oneOf` of single-property objects whose property
    //    is optional (conversionEventsBody, participantLeaveBody upstream).
    for op in ONE_OF_OPTIONAL {
        let (method, path) = op.route();
        let body = resolve(spec, keys(&["paths", &path, method, "requestBody"]));
        let mut schema = body.clone();
        schema.extend(keys(&["content", "application/json", "schema"]));
        let schema = resolve(spec, schema);
        let branches = get(spec, &schema)["oneOf"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{} body is a oneOf: update this test", op.id()))
            .len();
        for i in 0..branches {
            let mut branch = schema.clone();
            branch.extend(["oneOf".to_string(), i.to_string()]);
            let branch = resolve(spec, branch);
            let node = get_mut(&mut copy, &branch);
            let names: Vec<String> = node["properties"]
                .as_mapping()
                .expect("branch properties")
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect();
            assert_eq!(names.len(), 1, "{} body branch {i} has properties {names:?}: update this test", op.id());
            // spec/ already requires the property (upstream does not).
            if node.get("required").is_none() {
                node.as_mapping_mut()
                    .unwrap()
                    .insert("required".into(), Yaml::Sequence(vec![Yaml::String(names[0].clone())]));
                changes.push(format!("{} body branch `{}` requires it", op.id(), names[0]));
            }
        }
    }

    // 3. Discriminated unions: Prism ignores `discriminator`, so branches whose
    //    fields overlap (every content type with only `type` required; `reply` and
    //    `postback`) all match a body and `oneOf` fails. The copy pins each branch's
    //    tag property to its one value.
    let schemas = spec["components"]["schemas"].as_mapping().expect("schemas").clone();
    for (name, schema) in &schemas {
        let Some(tag) = schema["discriminator"]["propertyName"].as_str() else { continue };
        let branches = schema["oneOf"].as_sequence().or_else(|| schema["anyOf"].as_sequence());
        let mapping = schema["discriminator"]["mapping"].as_mapping();
        for branch in branches.into_iter().flatten() {
            let Some(reference) = branch["$ref"].as_str() else { continue };
            let target = reference.rsplit('/').next().unwrap_or_default();
            let value = mapping
                .and_then(|m| {
                    m.iter().find(|(_, v)| v.as_str() == Some(reference)).map(|(k, _)| k.as_str().unwrap_or_default())
                })
                .unwrap_or(target)
                .to_string();
            let node = copy["components"]["schemas"].get_mut(target).expect("branch schema");
            let properties =
                node.as_mapping_mut().unwrap().entry("properties".into()).or_insert(Yaml::Mapping(Default::default()));
            let pinned: Yaml = serde_yaml::from_str(&format!("{{type: string, enum: [{value:?}]}}")).unwrap();
            properties.as_mapping_mut().unwrap().insert(tag.into(), pinned);
        }
        changes.push(format!("`{}` branches pin `{tag}`", name.as_str().unwrap_or_default()));
    }

    // 4. author.avatarUrl is `allOf: [icon]` (icon is nullable) beside `nullable:
    //    false`: Prism's validator cannot compile that, and then checks no message or
    //    activity body at all. The copy gives it the same constraints directly.
    let avatar = copy["components"]["schemas"]["author"]["properties"].get_mut("avatarUrl").expect("author.avatarUrl");
    *avatar = serde_yaml::from_str("{type: string, format: uri, minLength: 1, maxLength: 2048}").unwrap();
    changes.push("author.avatarUrl without its nullable/non-nullable allOf".into());
    (copy, changes)
}

// ---- calling the operations ----------------------------------------------------------

/// What a call gave, reduced to what the checks and the table need.
#[derive(Debug)]
struct Outcome {
    /// `None` when no response was received.
    status: Option<u16>,
    /// `sl-violations` of the response, as `location:code` items.
    violations: Vec<String>,
    kind: Kind,
    /// The error's `Display`, shortened, for failure messages.
    detail: String,
}

#[derive(Debug)]
enum Kind {
    /// 2xx, body decoded; a short summary of it.
    Decoded(String),
    /// `Error::Api`: `codes` when the body parsed as an `errorResponse` with an
    /// `errors` array; `raw` when it did not parse as the operation's error type.
    /// `problem` lists the `validation` items (`location:code`) of a Prism
    /// problem+json body.
    Api { codes: Option<Vec<String>>, raw: bool, www_authenticate: bool, problem: Vec<String> },
    /// `Error::Decode`: a 2xx body that does not match the schema.
    Decode(String),
    /// `Error::InvalidRequest`: rejected client-side, nothing sent.
    Invalid(String),
    /// Anything else (transport, timeout).
    Other(String),
}

impl Outcome {
    fn clean_2xx(&self) -> bool {
        matches!(self.kind, Kind::Decoded(_))
            && self.status.is_some_and(|s| (200..300).contains(&s))
            && self.violations.is_empty()
    }

    /// Prism's 422 for a body no branch of a `oneOf` accepts exactly once.
    fn body_one_of_rejected(&self) -> bool {
        self.status == Some(422) && matches!(&self.kind, Kind::Api { problem, .. } if problem == &["body:oneOf"])
    }

    fn typed_api_error(&self, status: u16) -> bool {
        self.status == Some(status)
            && matches!(&self.kind, Kind::Api { codes: Some(codes), raw: false, .. } if !codes.is_empty() && codes.iter().all(|c| !c.is_empty()))
    }

    fn api_error_with_violations(&self, status: u16, location: &str) -> bool {
        self.status == Some(status)
            && matches!(self.kind, Kind::Api { .. })
            && !self.violations.is_empty()
            && self.violations.iter().all(|v| v.starts_with(location))
    }

    fn describe(&self) -> String {
        match &self.kind {
            Kind::Decoded(summary) => format!("decoded: {summary}"),
            Kind::Api { codes: Some(codes), raw, .. } => {
                format!("Error::Api, errorResponse [{}]{}", codes.join(", "), if *raw { " (raw)" } else { "" })
            }
            Kind::Api { codes: None, raw, www_authenticate, problem } => format!(
                "Error::Api, {} body without `errors`{}{}",
                if *raw { "raw" } else { "typed" },
                if *www_authenticate { ", WWW-Authenticate set" } else { "" },
                if problem.is_empty() {
                    String::new()
                } else {
                    format!(", problem+json validation [{}]", problem.join(", "))
                }
            ),
            Kind::Decode(message) => format!("Error::Decode: {}", shorten(message, 90)),
            Kind::Invalid(message) => format!("Error::InvalidRequest: {message}"),
            Kind::Other(message) => format!("other error: {}", shorten(message, 90)),
        }
    }
}

fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(limit).collect::<String>())
    }
}

/// Error bodies the operations decode into: `errorResponse`, or JSON for
/// operations without a documented error schema.
trait ErrorBody {
    fn codes(&self) -> Option<Vec<String>>;
}

impl ErrorBody for models::ErrorResponse {
    fn codes(&self) -> Option<Vec<String>> {
        self.errors.as_ref().map(|errors| errors.iter().map(|e| e.code.clone().unwrap_or_default()).collect())
    }
}

impl ErrorBody for serde_json::Value {
    fn codes(&self) -> Option<Vec<String>> {
        serde_json::from_value::<models::ErrorResponse>(self.clone()).ok()?.codes()
    }
}

/// The `validation` items of a Prism problem+json body (the error body's text as
/// received, whatever type it was decoded into).
fn problem(text: &str) -> Vec<String> {
    let body: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    body["validation"].as_array().map(|items| items.iter().map(violation).collect()).unwrap_or_default()
}

/// `location:code` of one Prism validation item.
fn violation(item: &serde_json::Value) -> String {
    let location: Vec<&str> = item["location"].as_array().into_iter().flatten().filter_map(|l| l.as_str()).collect();
    format!("{}:{}", location.join("."), item["code"].as_str().unwrap_or("?"))
}

fn violations(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("sl-violations")
        .iter()
        .flat_map(|value| {
            let parsed: serde_json::Value = serde_json::from_slice(value.as_bytes()).unwrap_or_default();
            let items = parsed.as_array().cloned().unwrap_or_else(|| vec![serde_json::json!({"code": "unparsed"})]);
            items.into_iter().map(|v| violation(&v))
        })
        .collect()
}

fn outcome<T, E: ErrorBody + std::fmt::Debug>(
    result: Result<Response<T>, Error<E>>,
    summary: impl FnOnce(&T) -> String,
) -> Outcome {
    let error = match result {
        Ok(response) => {
            return Outcome {
                status: Some(response.status().as_u16()),
                violations: violations(response.headers()),
                kind: Kind::Decoded(summary(response.body())),
                detail: String::new(),
            };
        }
        Err(error) => error,
    };
    let detail = shorten(&error.to_string(), 400);
    let (status, violations, kind) = match error {
        Error::Api(api) => (
            Some(api.status().as_u16()),
            violations(api.headers()),
            Kind::Api {
                codes: api.typed().and_then(ErrorBody::codes),
                raw: api.raw().is_some(),
                www_authenticate: api.headers().contains_key("www-authenticate"),
                problem: problem(api.text()),
            },
        ),
        Error::Decode { status, source, .. } => (Some(status.as_u16()), Vec::new(), Kind::Decode(source.to_string())),
        Error::InvalidRequest(error) => (None, Vec::new(), Kind::Invalid(error.to_string())),
        other => (other.status().map(|s| s.as_u16()), Vec::new(), Kind::Other(other.to_string())),
    };
    Outcome { status, violations, kind, detail }
}

/// A table row for a check that is not one call.
fn note(kind: Kind) -> Outcome {
    Outcome { status: None, violations: Vec::new(), kind, detail: String::new() }
}

fn prefer_code(code: u16) -> CallOptions {
    CallOptions::new()
        .header(HeaderName::from_static("prefer"), HeaderValue::from_str(&format!("code={code}")).unwrap())
}

fn map(pairs: &[(&str, serde_json::Value)]) -> serde_json::Map<String, serde_json::Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn conversation_summary(response: &models::ConversationResponse) -> String {
    let conversation = response.conversation.as_ref();
    format!(
        "conversation {} ({})",
        conversation.and_then(|c| c.id.as_deref()).unwrap_or("?"),
        conversation.and_then(|c| c.type_.as_ref()).map(|t| t.to_string()).unwrap_or_else(|| "?".into())
    )
}

fn conversion_events_body() -> models::ConversionEventsBody {
    let event = map(&[
        ("event_name", "Purchase".into()),
        ("event_time", 1709280000.into()),
        ("action_source", "business_messaging".into()),
    ]);
    let payload = models::MetaConversionEventPayload::new(vec![event]);
    models::ConversionEventsBody::from(models::WhatsAppConversionEventsBody::new(models::MetaConversionEvent::new(
        payload,
    )))
}

/// Calls `op` with valid input.
async fn call(client: &Client, op: Op, options: CallOptions) -> Outcome {
    match op {
        Op::CreateConversation => {
            let participant = models::ParticipantSubSchema::from(
                models::ParticipantWithUserId::new().user_id(USER_ID).subscribe_sdk_client(false),
            );
            let body = models::ConversationCreateBody::new(models::ConversationType::Personal)
                .participants(vec![participant])
                .display_name("Order 1042")
                .description("Questions about order 1042.")
                .metadata(map(&[("orderId", "1042".into())]));
            outcome(client.create_conversation(APP_ID, body).with_options(options).send().await, conversation_summary)
        }
        Op::ListConversations => {
            let filter = models::ConversationListFilter::new().user_id(USER_ID);
            let request = client.list_conversations(APP_ID, filter).page(models::Page::new().size(10));
            outcome(request.with_options(options).send().await, |page: &models::ConversationListResponse| {
                format!(
                    "{} conversations, hasMore {:?}",
                    page.conversations.as_ref().map_or(0, Vec::len),
                    page.meta.as_ref().and_then(|m| m.has_more)
                )
            })
        }
        Op::GetConversation => outcome(
            client.get_conversation(APP_ID, CONVERSATION_ID).with_options(options).send().await,
            conversation_summary,
        ),
        Op::UpdateConversation => {
            let body = models::ConversationUpdateBody::new()
                .display_name("Order 1042 (refund)")
                .metadata(map(&[("orderId", "1042".into()), ("status", "refund".into())]));
            outcome(
                client.update_conversation(APP_ID, CONVERSATION_ID, body).with_options(options).send().await,
                conversation_summary,
            )
        }
        Op::DeleteConversation => {
            outcome(client.delete_conversation(APP_ID, CONVERSATION_ID).with_options(options).send().await, |body| {
                format!("{body:?}")
            })
        }
        Op::DownloadMessageRef => {
            let reference = models::DownloadMessageRefBodyAppleInteractiveDataRef::new(
                "https://content.example.com/refs/abc123",
                "com.example.messages.extension:0000000000:com.example.app",
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                "OWNER0123456789ABCDEF.EXAMPLE",
            );
            let body =
                models::DownloadMessageRefBody::new(USER_ID).apple(models::DownloadMessageRefBodyApple::new(reference));
            outcome(
                client.download_message_ref(APP_ID, CONVERSATION_ID, body).with_options(options).send().await,
                |data: &serde_json::Map<String, serde_json::Value>| format!("object with {} keys", data.len()),
            )
        }
        Op::PostMessage => {
            let (_, body) = message_bodies(false).swap_remove(0);
            outcome(
                client.post_message(APP_ID, CONVERSATION_ID, body).with_options(options).send().await,
                message_summary,
            )
        }
        Op::ListMessages => outcome(
            client
                .list_messages(APP_ID, CONVERSATION_ID)
                .page(models::Page::new().size(10))
                .with_options(options)
                .send()
                .await,
            |page: &models::MessageListResponse| format!("{} messages", page.messages.as_ref().map_or(0, Vec::len)),
        ),
        Op::DeleteAllMessages => {
            outcome(client.delete_all_messages(APP_ID, CONVERSATION_ID).with_options(options).send().await, |body| {
                format!("{body:?}")
            })
        }
        Op::DeleteMessage => outcome(
            client.delete_message(APP_ID, CONVERSATION_ID, MESSAGE_ID).with_options(options).send().await,
            |body| format!("{body:?}"),
        ),
        Op::JoinConversation => {
            let body = models::ParticipantWithUserId::new().user_id(USER_ID).subscribe_sdk_client(false);
            outcome(
                client.join_conversation(APP_ID, CONVERSATION_ID, body).with_options(options).send().await,
                |r: &models::ParticipantResponse| {
                    format!("participant {:?}", r.participant.as_ref().and_then(|p| p.id.as_deref()))
                },
            )
        }
        Op::LeaveConversation => {
            let body = models::ParticipantLeaveBodyUserId::new(USER_ID);
            outcome(
                client.leave_conversation(APP_ID, CONVERSATION_ID, body).with_options(options).send().await,
                |body| format!("{body:?}"),
            )
        }
        Op::ListParticipants => outcome(
            client
                .list_participants(APP_ID, CONVERSATION_ID)
                .page(models::Page::new().size(10))
                .with_options(options)
                .send()
                .await,
            |page: &models::ParticipantListResponse| {
                format!("{} participants", page.participants.as_ref().map_or(0, Vec::len))
            },
        ),
        Op::PostActivity => {
            let author = models::Author::new(models::AuthorType::Business).display_name("Support");
            let body = models::ActivityPost::new(author, models::ActivityPostType::TypingStart);
            outcome(client.post_activity(APP_ID, CONVERSATION_ID, body).with_options(options).send().await, |body| {
                format!("{body:?}")
            })
        }
        Op::PassControl => {
            let body = models::PassControlBody::new("agents").metadata(map(&[("reason", "billing question".into())]));
            outcome(client.pass_control(APP_ID, CONVERSATION_ID, body).with_options(options).send().await, |body| {
                format!("{body:?}")
            })
        }
        Op::OfferControl => outcome(
            client
                .offer_control(APP_ID, CONVERSATION_ID, models::OfferControlBody::new("next"))
                .with_options(options)
                .send()
                .await,
            |body| format!("{body:?}"),
        ),
        Op::AcceptControl => outcome(
            client
                .accept_control(APP_ID, CONVERSATION_ID, models::AcceptControlBody::new())
                .with_options(options)
                .send()
                .await,
            |body| format!("{body:?}"),
        ),
        Op::ReleaseControl => {
            outcome(client.release_control(APP_ID, CONVERSATION_ID).with_options(options).send().await, |body| {
                format!("{body:?}")
            })
        }
        Op::PostConversionEvents => outcome(
            client
                .post_conversion_events(APP_ID, CONVERSATION_ID, conversion_events_body())
                .with_options(options)
                .send()
                .await,
            |response: &models::ConversionEventsResponse| {
                let events = response.conversion_events.as_ref();
                format!(
                    "datasetId {:?}, eventsReceived {:?}",
                    events.and_then(|e| e.dataset_id.as_deref()),
                    events.and_then(|e| e.events_received)
                )
            },
        ),
    }
}

/// A message body of every content type, from a user (`user`) or the business.
fn message_bodies(user: bool) -> Vec<(&'static str, models::MessagePost)> {
    use models::*;
    let author = if user {
        Author::new(AuthorType::User).user_id(USER_ID)
    } else {
        Author::new(AuthorType::Business).display_name("Support")
    };
    let item = || {
        Item::new("Blue mug", vec![ActionSubset::from(Postback::new("Buy", "BUY_MUG"))]).description("Holds 350 ml.")
    };
    let field = |name: &str| FormMessageField::new(FormMessageFieldType::Text, name, "Your name").placeholder("Ada");
    let answer = FormResponseMessageField::new(FormMessageFieldType::Text, "name", "Your name").text("Ada");
    let template = map(&[
        ("name", "order_update".into()),
        ("language", serde_json::json!({"policy": "deterministic", "code": "en"})),
    ]);
    let contents: Vec<(&'static str, Content)> = vec![
        ("text", TextMessage::new().text("Your order shipped.").into()),
        ("carousel", CarouselMessage::new(vec![item(), item()]).into()),
        ("file", FileMessage::new("https://cdn.example.com/files/invoice-1042.pdf").alt_text("Invoice").into()),
        ("form", FormMessage::new(vec![field("name")]).into()),
        ("formResponse", FormResponseMessage::new(vec![answer]).into()),
        ("image", ImageMessage::new("https://cdn.example.com/images/mug.png").into()),
        ("list", ListMessage::new(vec![item()]).into()),
        ("location", LocationMessage::new(LocationMessageCoordinates::new(45.5017, -73.5673)).into()),
        ("template", TemplateMessage::new(template).into()),
    ];
    contents.into_iter().map(|(kind, content)| (kind, MessagePost::new(author.clone(), content))).collect()
}

fn message_summary(response: &models::MessagePostResponse) -> String {
    format!("{} messages", response.messages.as_ref().map_or(0, Vec::len))
}

async fn raw(client: &Client, method: Method, path_and_query: &str, body: Option<serde_json::Value>) -> Outcome {
    outcome(client.send_raw(method, path_and_query, body.as_ref(), CallOptions::new()).await, |v| {
        shorten(&v.to_string(), 60)
    })
}

fn client_for(url: &str) -> sunshine_conversations::ClientBuilder {
    Client::builder(Server::Custom(url.to_string())).timeout(Duration::from_secs(10)).retry_policy(RetryPolicy::none())
}

// ---- expectations ---------------------------------------------------------------------

/// A check whose outcome is known to differ from the plain expectation, and why.
struct KnownDifference {
    check: &'static str,
    /// The documents it applies to.
    modes: &'static [Mode],
    reason: &'static str,
}

const PCE_AS_PUBLISHED: &str = "PostConversionEvents: valid body, document as it is";
const PCE_RESPONSE: &str = "PostConversionEvents: valid body, tightened copy";
const LEAVE_AS_PUBLISHED: &str = "LeaveConversation: valid body, document as it is";
const LEAVE_ERRORS_AS_PUBLISHED: &str = "LeaveConversation: Prefer an error status, document as it is";
const BOOLEAN_REQUIRED: &str = "document loads in Prism despite a boolean `required`";

/// Checks expected to differ, each asserted as stated (and all of them must be
/// exercised, so a fixed defect shows up as a failure to update this list).
const KNOWN_DIFFERENCES: &[KnownDifference] = &[
    KnownDifference {
        check: PCE_AS_PUBLISHED,
        modes: &[Mode::Upstream],
        reason: "the request body schema is a oneOf of three objects (messenger / instagram / whatsapp) whose \
                 single property is optional and which allow other properties, so every JSON object matches all \
                 three branches and `oneOf` (exactly one) fails: Prism answers 422 for any body. spec/ requires \
                 the channel property in each branch (explained in spec_compare); checked on the tightened copy",
    },
    KnownDifference {
        check: LEAVE_AS_PUBLISHED,
        modes: &[Mode::Upstream],
        reason: "participantLeaveBody is a oneOf of three objects (userId / userExternalId / participantId) whose \
                 single property is optional, so every body matches all three and Prism answers 422 for any body. \
                 spec/ requires each branch's identifier (explained in spec_compare); checked on the tightened copy",
    },
    KnownDifference {
        check: LEAVE_ERRORS_AS_PUBLISHED,
        modes: &[Mode::Upstream],
        reason: "the same body defect: Prism validates the request before it honours `Prefer: code=...`, so every \
                 documented error status of LeaveConversation comes back as the 422 instead",
    },
    KnownDifference {
        check: PCE_RESPONSE,
        modes: &[Mode::Upstream],
        reason: "upstream's conversionEvents response example gives datasetId as a number where the schema declares \
                 a string: Prism serves the example and the typed client rightly fails with Error::Decode",
    },
    KnownDifference {
        check: BOOLEAN_REQUIRED,
        modes: &[Mode::Upstream],
        reason: "upstream's userFilterQuery has `required: true` (a boolean, Swagger 2 style) on a property; Prism \
                 ignores it (only ListUsers, not driven here, uses it) while the strict openapiv3 model rejects the \
                 whole document: no difference in these checks, asserted so the list stays true",
    },
];

fn known(mode: Mode, check: &str) -> Option<&'static KnownDifference> {
    KNOWN_DIFFERENCES.iter().find(|k| k.check == check && k.modes.contains(&mode))
}

/// One row of the results table.
struct Row {
    op: String,
    check: String,
    expected: String,
    outcome: Outcome,
    ok: bool,
    known: Option<&'static str>,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    exercised: Vec<&'static str>,
}

impl Report {
    fn add(&mut self, op: &str, check: impl Into<String>, expected: impl Into<String>, outcome: Outcome, ok: bool) {
        self.rows.push(Row { op: op.into(), check: check.into(), expected: expected.into(), outcome, ok, known: None });
    }

    fn add_known(
        &mut self,
        op: &str,
        check: impl Into<String>,
        expected: impl Into<String>,
        outcome: Outcome,
        ok: bool,
        known: &'static KnownDifference,
    ) {
        self.exercised.push(known.check);
        self.rows.push(Row {
            op: op.into(),
            check: check.into(),
            expected: expected.into(),
            outcome,
            ok,
            known: Some(known.reason),
        });
    }

    fn print(&self, title: &str) {
        println!("\n### Prism contract results: {title}\n");
        println!("| operation | check | expected | status | sl-violations | outcome | result |");
        println!("|---|---|---|---|---|---|---|");
        let mut notes = Vec::new();
        for row in &self.rows {
            let result = match (row.ok, row.known) {
                (true, None) => "ok".to_string(),
                (true, Some(reason)) => {
                    notes.push(reason);
                    format!("ok (known difference [{}])", notes.len())
                }
                (false, _) => "**FAILED**".to_string(),
            };
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                row.op,
                row.check,
                row.expected,
                row.outcome.status.map_or("-".to_string(), |s| s.to_string()),
                if row.outcome.violations.is_empty() { "-".to_string() } else { row.outcome.violations.join(", ") },
                row.outcome.describe().replace('|', "\\|"),
                result
            );
        }
        for (i, note) in notes.iter().enumerate() {
            println!("\n[{}] {}", i + 1, note.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        println!();
    }
}

// ---- the test ---------------------------------------------------------------------------

#[test]
fn contract_against_prism() {
    let started = Instant::now();
    let Some(bin) = prism_bin() else { return };
    let (spec_path, mode) = contract_spec();
    let text = std::fs::read_to_string(&spec_path).unwrap();
    let spec: Yaml = serde_yaml::from_str(&text).unwrap();
    let (tightened, changes) = tighten(&spec);
    let temp = TempDir::new();
    let tightened_path = temp.0.join("tightened.yaml");
    std::fs::write(&tightened_path, serde_yaml::to_string(&tightened).unwrap()).unwrap();

    // Both Prisms start in parallel.
    let mut plain = Prism::spawn(&bin, &spec_path, "document as it is");
    let mut tight = Prism::spawn(&bin, &tightened_path, "tightened copy");
    let plain_url = plain.ready();
    let tight_url = tight.ready();
    let ready_after = started.elapsed();

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let report = runtime.block_on(run_checks(&spec, mode, &plain_url, &tight_url));
    drop(plain);
    drop(tight);

    let title = format!("{} ({mode:?})", spec_path.display());
    report.print(&title);
    println!("tightened copy: {}", changes.join("; "));
    println!(
        "Prism ready after {:.1} s; whole test {:.1} s\n",
        ready_after.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    let failed: Vec<String> = report
        .rows
        .iter()
        .filter(|r| !r.ok)
        .map(|r| {
            format!(
                "{} / {}: expected {}, got {:?} {} {}",
                r.op,
                r.check,
                r.expected,
                r.outcome.status,
                r.outcome.describe(),
                r.outcome.detail
            )
        })
        .collect();
    let stale: Vec<&str> = KNOWN_DIFFERENCES
        .iter()
        .filter(|k| k.modes.contains(&mode) && !report.exercised.contains(&k.check))
        .map(|k| k.check)
        .collect();
    assert!(
        failed.is_empty(),
        "{} contract checks failed against {}:\n{}",
        failed.len(),
        spec_path.display(),
        failed.join("\n")
    );
    assert!(stale.is_empty(), "known differences never exercised (update KNOWN_DIFFERENCES): {stale:?}");
}

async fn run_checks(spec: &Yaml, mode: Mode, plain_url: &str, tight_url: &str) -> Report {
    let mut report = Report::default();
    let client = client_for(plain_url).basic_auth("app_key_id", "app_key_secret").build().unwrap();

    // The document itself.
    if let Some(k) = known(mode, BOOLEAN_REQUIRED) {
        let has_boolean_required = spec["components"]["parameters"]
            .as_mapping()
            .into_iter()
            .flat_map(|p| p.values())
            .filter_map(|p| p["schema"]["properties"].as_mapping())
            .flat_map(|props| props.values())
            .any(|prop| prop["required"].is_bool());
        let row = note(Kind::Decoded("Prism started".into()));
        report.add_known(
            "(document)",
            BOOLEAN_REQUIRED,
            "boolean `required` present; Prism starts",
            row,
            has_boolean_required,
            k,
        );
    }

    // Every operation with valid input, then every documented error status.
    for op in OPS {
        let (success, errors) = documented_statuses(spec, op);
        let result = call(&client, op, CallOptions::new()).await;
        let as_published = match op {
            Op::PostConversionEvents => Some(PCE_AS_PUBLISHED),
            Op::LeaveConversation => Some(LEAVE_AS_PUBLISHED),
            _ => None,
        };
        match as_published.and_then(|check| Some((check, known(mode, check)?))) {
            Some((check, k)) => {
                let ok = result.body_one_of_rejected();
                report.add_known(op.id(), check, "Error::Api 422, validation body:oneOf", result, ok, k);
            }
            None => {
                let ok = result.status == Some(success) && result.clean_2xx();
                report.add(op.id(), "valid input", format!("{success}, decodes, no violations"), result, ok);
            }
        }
        if errors.is_empty() {
            let row = note(Kind::Decoded("none documented".into()));
            report.add(op.id(), "documented error statuses", "(none)", row, true);
        }
        for code in errors {
            let result = call(&client, op, prefer_code(code)).await;
            if let Some(k) = known(mode, LEAVE_ERRORS_AS_PUBLISHED).filter(|_| op == Op::LeaveConversation) {
                let ok = result.body_one_of_rejected();
                let check = format!("Prefer: code={code}, document as it is");
                report.add_known(op.id(), check, "Error::Api 422, validation body:oneOf", result, ok, k);
                continue;
            }
            let ok = result.typed_api_error(code);
            report.add(
                op.id(),
                format!("Prefer: code={code}"),
                format!("Error::Api {code}, typed errorResponse"),
                result,
                ok,
            );
        }
    }

    // PATCH clearing a field: `"displayName": null` is valid (nullable).
    let body = models::ConversationUpdateBody::new().clear_display_name();
    let result = outcome(client.update_conversation(APP_ID, CONVERSATION_ID, body).send().await, conversation_summary);
    let ok = result.status == Some(200) && result.clean_2xx();
    report.add("UpdateConversation", "clear_display_name() (null)", "200, no violations", result, ok);

    // Credentials: none → 401; bearer and a minted JWT pass like basic.
    let anonymous = client_for(plain_url).build().unwrap();
    let result = call(&anonymous, Op::GetConversation, CallOptions::new()).await;
    let ok = result.status == Some(401) && matches!(result.kind, Kind::Api { www_authenticate: true, .. });
    report.add("GetConversation", "no credentials", "Error::Api 401 + WWW-Authenticate", result, ok);
    let bearer = client_for(plain_url).bearer_auth("opaque-token").build().unwrap();
    let result = call(&bearer, Op::GetConversation, CallOptions::new()).await;
    let ok = result.clean_2xx();
    report.add("GetConversation", "bearer token", "200, no violations", result, ok);
    let jwt = client_for(plain_url).jwt_auth("app_key_id", "app_key_secret", JwtScope::App).build().unwrap();
    let result = call(&jwt, Op::GetConversation, CallOptions::new()).await;
    let ok = result.clean_2xx();
    report.add("GetConversation", "minted JWT (app scope)", "200, no violations", result, ok);

    // The list as a stream: follows `page[after]` (a valid 24-character cursor
    // for Prism). Prism answers every page with the same example: when it says
    // `hasMore: true` (spec/'s does), its cursor never changes, a server whose pages
    // make no progress, so the stream yields the first two pages and ends with
    // `Error::Pagination`; when it says no more (upstream's), the stream just ends.
    let filter = models::ConversationListFilter::new().user_id(USER_ID);
    let stream = client.list_conversations(APP_ID, filter).page(models::Page::new().size(2)).into_stream();
    let items: Vec<_> = stream.take(20).collect().await;
    let decoded = items.iter().filter(|r| r.is_ok()).count();
    let errors: Vec<String> = items.iter().filter_map(|r| r.as_ref().err().map(|e| e.to_string())).collect();
    let stopped = matches!(
        items.last(),
        Some(Err(Error::Pagination(sunshine_conversations::PaginationError::RepeatedCursor { page: 2 })))
    );
    let ok = decoded > 0 && items.len() < 20 && (errors.is_empty() || (errors.len() == 1 && stopped));
    let row = note(Kind::Other(format!("{decoded} items; {}", errors.join("; "))));
    report.add("ListConversations", "into_stream()", "items, then the end (or Error::Pagination)", row, ok);

    // Negative controls: Prism does reject bad requests.
    let list = format!("/v2/apps/{APP_ID}/conversations");
    let result = raw(&client, Method::GET, &format!("{list}?filter[userId]={USER_ID}&page[size]=1000"), None).await;
    let ok = result.api_error_with_violations(400, "request.query.page");
    report.add("ListConversations", "negative: raw page[size]=1000", "400 + sl-violations", result, ok);
    let result = outcome(
        client
            .list_conversations(APP_ID, models::ConversationListFilter::new().user_id(USER_ID))
            .page(models::Page::new().size(200))
            .send()
            .await,
        |_| String::new(),
    );
    let ok = matches!(result.kind, Kind::Invalid(_));
    report.add("ListConversations", "negative: page size 200 via client", "InvalidRequest, nothing sent", result, ok);
    let result = raw(&client, Method::POST, &list, Some(serde_json::json!({"displayName": "no type"}))).await;
    let ok = result.status == Some(422)
        && matches!(&result.kind, Kind::Api { problem, .. } if problem.iter().any(|p| p == "body:required"));
    report.add("CreateConversation", "negative: raw body without `type`", "422, validation body:required", result, ok);

    // The filter encoding, on the tightened copy.
    let tight = client_for(tight_url).basic_auth("app_key_id", "app_key_secret").build().unwrap();
    for (check, filter) in [
        ("filter userId (tightened copy)", models::ConversationListFilter::new().user_id(USER_ID)),
        (
            "filter userExternalId (tightened copy)",
            models::ConversationListFilter::new().user_external_id("customer-8841"),
        ),
    ] {
        let result = outcome(tight.list_conversations(APP_ID, filter).send().await, |page| {
            format!("{} conversations", page.conversations.as_ref().map_or(0, Vec::len))
        });
        let ok = result.status == Some(200) && result.clean_2xx();
        report.add("ListConversations", check, "200, no violations", result, ok);
    }
    for query in [
        "filter=abc",
        "filter[user_id]=abc",
        "filter[userId][x]=1",
        "filter[userId]=a&filter[userExternalId]=b",
        "page[size]=10",
    ] {
        let result = raw(&tight, Method::GET, &format!("{list}?{query}"), None).await;
        let ok = result.api_error_with_violations(400, "request.query.filter");
        report.add(
            "ListConversations",
            format!("negative: raw `{query}` (tightened copy)"),
            "400 + sl-violations on filter",
            result,
            ok,
        );
    }

    // PostConversionEvents on the tightened copy.
    let result = call(&tight, Op::PostConversionEvents, CallOptions::new()).await;
    match known(mode, PCE_RESPONSE) {
        Some(k) => {
            let ok = result.status == Some(200)
                && matches!(&result.kind, Kind::Decode(m) if m.contains("expected a string"));
            report.add_known("PostConversionEvents", PCE_RESPONSE, "200 but Error::Decode (datasetId)", result, ok, k);
        }
        None => {
            let ok = result.status == Some(200) && result.clean_2xx();
            report.add("PostConversionEvents", PCE_RESPONSE, "200, decodes, no violations", result, ok);
        }
    }
    // LeaveConversation on the tightened copy.
    let result = call(&tight, Op::LeaveConversation, CallOptions::new()).await;
    let ok = result.status == Some(200) && result.clean_2xx();
    report.add("LeaveConversation", "valid body, tightened copy", "200, decodes, no violations", result, ok);
    // PostMessage with every content type, from a user and from the business, on
    // the tightened copy (where Prism validates message bodies).
    for user in [true, false] {
        let role = if user { "user" } else { "business" };
        for (kind, body) in message_bodies(user) {
            let result = outcome(tight.post_message(APP_ID, CONVERSATION_ID, body).send().await, message_summary);
            let ok = result.status == Some(201) && result.clean_2xx();
            report.add(
                "PostMessage",
                format!("{kind} from the {role} (tightened copy)"),
                "201, no violations",
                result,
                ok,
            );
        }
    }
    // ... and Prism does check those bodies there.
    let messages = format!("/v2/apps/{APP_ID}/conversations/{CONVERSATION_ID}/messages");
    for (what, body) in [
        ("no author", serde_json::json!({"content": {"type": "text", "text": "hi"}})),
        ("unknown content type", serde_json::json!({"author": {"type": "business"}, "content": {"type": "hologram"}})),
        (
            "carousel without items",
            serde_json::json!({"author": {"type": "business"}, "content": {"type": "carousel"}}),
        ),
    ] {
        let result = raw(&tight, Method::POST, &messages, Some(body)).await;
        let ok = result.status == Some(422);
        report.add("PostMessage", format!("negative: raw body with {what} (tightened copy)"), "422", result, ok);
    }
    report
}

/// spec/'s conversionEventsBody branches each require their channel, so a valid
/// body matches exactly one branch and is accepted (upstream's is not: see
/// `KNOWN_DIFFERENCES`).
#[test]
fn post_conversion_events_valid_body_is_accepted() {
    let Some(bin) = prism_bin() else { return };
    let (spec_path, mode) = contract_spec();
    if mode == Mode::Upstream {
        return;
    }
    let mut prism = Prism::spawn(&bin, &spec_path, "document as it is");
    let url = prism.ready();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let result = runtime.block_on(async {
        let client = client_for(&url).basic_auth("app_key_id", "app_key_secret").build().unwrap();
        call(&client, Op::PostConversionEvents, CallOptions::new()).await
    });
    assert!(
        result.status == Some(200) && result.clean_2xx(),
        "{:?}: {} {}",
        result.status,
        result.describe(),
        result.detail
    );
}

/// An error body that is JSON but not an `errorResponse` (here Prism's 401
/// problem+json: type, title, status, detail) does not vanish: it parses as
/// the all-optional `ErrorResponse`, and `ApiError::text()` (shown by `Debug`)
/// keeps what the server said.
#[test]
fn unrecognised_error_body_keeps_its_text() {
    let Some(bin) = prism_bin() else { return };
    let (spec_path, _) = contract_spec();
    let mut prism = Prism::spawn(&bin, &spec_path, "document as it is");
    let url = prism.ready();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let error = runtime.block_on(async {
        let anonymous = client_for(&url).build().unwrap();
        anonymous.get_conversation(APP_ID, CONVERSATION_ID).send().await.unwrap_err()
    });
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.api_error().unwrap().text().contains("Invalid security scheme used"));
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("Invalid security scheme used"), "the 401 body's title is lost: {shown}");
}

#[test]
fn listening_line_is_parsed() {
    assert_eq!(
        listening_url("[1:02:03 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:41873").as_deref(),
        Some("http://127.0.0.1:41873")
    );
    assert_eq!(listening_url("GET http://127.0.0.1:41873/v2/apps"), None);
    assert_eq!(listening_url("Prism is listening on http://127.0.0.1:"), None);
}

/// The cases cover every operation of spec/ (read from the generator's IR), with the
/// method and path it has: a new operation fails here until it has a case.
#[test]
fn every_operation_of_the_spec_has_a_case() {
    let text = std::fs::read_to_string(workspace_root().join("spec/sunshine-conversations.yaml")).unwrap();
    let options = generator::Options::new("sunshine-conversations", "spec/sunshine-conversations.yaml");
    let (api, _) = generator::intermediate(&text, &options).unwrap();
    let ours: BTreeMap<&str, (String, String)> = OPS
        .iter()
        .map(|op| {
            let (method, path) = op.route();
            (op.id(), (method.to_uppercase(), path))
        })
        .collect();
    let spec: BTreeMap<&str, (String, String)> = api
        .operations
        .iter()
        .map(|o| (o.operation_id.as_str(), (o.method.as_str().to_string(), o.path.clone())))
        .collect();
    assert_eq!(ours, spec, "OPS (and Op::route) must list every operation of spec/, as it is");
}

#[test]
fn status_codes_are_read_from_the_document() {
    let spec: Yaml = serde_yaml::from_str(
        &std::fs::read_to_string(workspace_root().join("spec/sunshine-conversations.yaml")).unwrap(),
    )
    .unwrap();
    let documented: BTreeMap<Op, (u16, Vec<u16>)> =
        OPS.iter().map(|&op| (op, documented_statuses(&spec, op))).collect();
    assert_eq!(documented[&Op::CreateConversation], (201, vec![404]));
    assert_eq!(documented[&Op::ListConversations], (200, vec![400, 404]));
    assert_eq!(documented[&Op::DeleteConversation], (200, vec![400, 404]));
    assert_eq!(documented[&Op::PostConversionEvents], (200, vec![]));
}
