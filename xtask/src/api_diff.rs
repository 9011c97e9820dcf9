//! `cargo xtask api-diff OLD NEW`: a semantic summary of the change between two
//! OpenAPI 3.0 documents, each change marked *additive* or *breaking for callers
//! of the generated crate*.
//!
//! Operations are matched by method and path (path parameters by position, so a
//! renamed path parameter is not a new operation). Component schemas are compared
//! once, in the "Schemas" section; where an operation's parameter or body `$ref`s a
//! component, only a change of the referenced name is reported under the operation.
//! Whether a schema change breaks callers depends on where the schema is used
//! (requests, responses), found by following `$ref`s from every operation of both
//! documents. Prose and samples are ignored. Odd input never panics: unexpected
//! shapes count as absent, and `$ref` chains and nesting are bounded.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use Impact::{Additive, Breaking};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Bound on `$ref` chains and schema nesting.
const MAX_DEPTH: usize = 64;
/// Stands in for a missing schema.
static NULL: Value = Value::Null;

/// Report section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Schemas,
}

/// Effect of a change on callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Additive,
    Breaking,
}

/// One reported change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub section: Section,
    /// Sort key: the path and method, or the schema name.
    pub key: String,
    /// The rendered line without the impact marker.
    pub text: String,
    pub impact: Impact,
}

/// Outcome of [`diff`]: entries sorted by section, key and text.
#[derive(Debug, Default)]
pub struct Report {
    pub entries: Vec<Entry>,
    /// `info.version` of the old and the new document, if present.
    pub old_version: Option<String>,
    pub new_version: Option<String>,
}

impl Report {
    /// Number of additive entries.
    pub fn additive(&self) -> usize {
        self.entries.iter().filter(|e| e.impact == Additive).count()
    }

    /// Number of breaking entries.
    pub fn breaking(&self) -> usize {
        self.entries.iter().filter(|e| e.impact == Breaking).count()
    }

    /// Markdown for a pull-request description.
    pub fn render(&self, old_label: &str, new_label: &str) -> String {
        self.render_filtered(old_label, new_label, false)
    }

    /// Markdown, optionally listing only the breaking entries (the summary counts all).
    pub fn render_filtered(&self, old_label: &str, new_label: &str, breaking_only: bool) -> String {
        let mut out = format!("## API changes: {old_label} → {new_label}\n");
        for (section, title) in [(Section::Operations, "Operations"), (Section::Schemas, "Schemas")] {
            let shown = |e: &&Entry| e.section == section && (!breaking_only || e.impact == Breaking);
            let lines: Vec<&Entry> = self.entries.iter().filter(shown).collect();
            if !lines.is_empty() {
                out.push_str(&format!("### {title}\n"));
            }
            for e in lines {
                let mark = if e.impact == Breaking { "breaking" } else { "additive" };
                out.push_str(&format!("- {mark}: {}\n", e.text));
            }
        }
        let hidden = if breaking_only { " (not listed)" } else { "" };
        out + &format!("Summary: {} additive{hidden}, {} breaking\n", self.additive(), self.breaking())
    }
}

/// Compares two OpenAPI documents (YAML or JSON text).
pub fn diff(old_text: &str, new_text: &str) -> Result<Report, String> {
    let (old, new) = (parse(old_text, "old")?, parse(new_text, "new")?);
    let mut usage = BTreeMap::new();
    usage_of(&old, &mut usage);
    usage_of(&new, &mut usage);
    let mut cx = Cx { old: &old, new: &new, usage, out: Vec::new() };
    cx.operations();
    cx.schemas();
    let mut entries = cx.out;
    entries.sort_by(|a, b| (a.section, &a.key, &a.text).cmp(&(b.section, &b.key, &b.text)));
    entries.dedup();
    let version = |doc: &Value| doc.pointer("/info/version").map(scalar);
    Ok(Report { entries, old_version: version(&old), new_version: version(&new) })
}

/// CLI: `api-diff [--breaking-only] OLD NEW` prints the report.
pub fn run(args: &[String]) -> Result<(), String> {
    let usage = "usage: cargo xtask api-diff [--breaking-only] OLD_SPEC NEW_SPEC";
    let breaking_only = args.iter().any(|a| a == "--breaking-only");
    let files: Vec<&str> = args.iter().map(String::as_str).filter(|a| *a != "--breaking-only").collect();
    if let Some(flag) = files.iter().find(|f| f.starts_with("--")) {
        return Err(format!("unknown flag `{flag}`\n{usage}"));
    }
    let [old_file, new_file] = files[..] else { return Err(usage.to_string()) };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"));
    let report = diff(&read(old_file)?, &read(new_file)?)?;
    let old_label = report.old_version.clone().unwrap_or_else(|| old_file.to_string());
    let new_label = report.new_version.clone().unwrap_or_else(|| new_file.to_string());
    match breaking_only {
        true => print!("{}", report.render_filtered(&old_label, &new_label, true)),
        false => print!("{}", report.render(&old_label, &new_label)),
    }
    Ok(())
}

fn parse(text: &str, which: &str) -> Result<Value, String> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| format!("cannot parse the {which} document: {e}"))?;
    if doc.is_object() { Ok(doc) } else { Err(format!("the {which} document is not a mapping")) }
}

/// Where a schema is used: in requests (sent by callers) and/or responses (read by them).
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    request: bool,
    response: bool,
}

const REQUEST: Usage = Usage { request: true, response: false };
const RESPONSE: Usage = Usage { request: false, response: true };

/// Where a change is: section, sort key, owner (operation or schema, shown first)
/// and what inside the owner (e.g. `request body`; empty for a schema itself).
#[derive(Clone)]
struct Loc {
    section: Section,
    key: String,
    owner: String,
    what: String,
}

impl Loc {
    fn within(&self, what: String) -> Loc {
        Loc { what, ..self.clone() }
    }

    /// The subject of a message about property path `path` below `what`, with a trailing space.
    fn subject(&self, path: &str) -> String {
        let s = match path {
            "" => self.what.clone(),
            _ => format!("{} property `{path}`", self.what).trim_start().to_string(),
        };
        if s.is_empty() { s } else { s + " " }
    }
}

/// One operation, with path-level parameters merged in.
struct Op<'a> {
    path: &'a str,
    method: &'static str,
    node: &'a Value,
    params: Vec<&'a Value>,
}

impl Op<'_> {
    fn id(&self) -> &str {
        Some(text(self.node, "operationId")).filter(|id| !id.is_empty()).unwrap_or("no operationId")
    }
}

/// The comparison in progress: both documents, schema usage, entries so far.
struct Cx<'a> {
    old: &'a Value,
    new: &'a Value,
    usage: BTreeMap<String, Usage>,
    out: Vec<Entry>,
}

impl<'a> Cx<'a> {
    fn push(&mut self, loc: &Loc, impact: Impact, message: impl AsRef<str>) {
        let text = format!("{}: {}", loc.owner, message.as_ref());
        self.out.push(Entry { section: loc.section, key: loc.key.clone(), text, impact });
    }

    fn operations(&mut self) {
        for ((path, method), side) in sides(&operations(self.old), &operations(self.new)) {
            let op = side.new_or_old();
            let owner = format!("`{} {}` ({})", op.method.to_uppercase(), op.path, op.id());
            let loc = Loc { section: Section::Operations, key: format!("{path} {method}"), owner, what: "".into() };
            match side {
                Side::Added(_) => self.push(&loc, Additive, "operation added"),
                Side::Removed(_) => self.push(&loc, Breaking, "operation removed"),
                Side::Both(o, n) => self.operation(&loc, o, n),
            }
        }
    }

    fn operation(&mut self, loc: &Loc, o: &Op<'a>, n: &Op<'a>) {
        if o.id() != n.id() {
            // The method is snake(operationId): a change of case keeps its name.
            let squash = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
            let (impact, why) = match squash(o.id()) == squash(n.id()) {
                true => (Additive, "method name unchanged"),
                false => (Breaking, "the client method is renamed"),
            };
            self.push(loc, impact, format!("operationId `{}` → `{}` ({why})", o.id(), n.id()));
        }
        // Parameters by location and name; path parameters by position (they are positional arguments).
        let index = |op: &Op<'a>, doc: &'a Value| -> BTreeMap<String, &'a Value> {
            let template = template_params(op.path);
            let key = |p: &Value| match template.iter().position(|t| *t == text(p, "name")) {
                Some(i) if text(p, "in") == "path" => format!("path#{i}"),
                _ => format!("{}:{}", text(p, "in"), text(p, "name")),
            };
            op.params.iter().map(|p| deref(doc, p)).map(|p| (key(p), p)).collect()
        };
        for (_, side) in sides(&index(o, self.old), &index(n, self.new)) {
            self.parameter(loc, side.copied());
        }
        self.request_body(loc, o.node.get("requestBody"), n.node.get("requestBody"));
        self.responses(loc, o.node, n.node);
    }

    fn parameter(&mut self, loc: &Loc, side: Side<&'a Value>) {
        let p = side.new_or_old();
        let what = format!("{} parameter `{}`", text(p, "in"), text(p, "name"));
        let required = |p: &Value| text(p, "in") == "path" || p.get("required") == Some(&Value::Bool(true));
        let (a, b) = match side {
            Side::Added(p) if required(p) => return self.push(loc, Breaking, format!("required {what} added")),
            Side::Added(_) => return self.push(loc, Additive, format!("optional {what} added")),
            Side::Removed(_) => return self.push(loc, Breaking, format!("{what} removed")),
            Side::Both(a, b) => (a, b),
        };
        if text(a, "name") != text(b, "name") {
            let message = format!("{what} renamed from `{}` (positional: callers unaffected)", text(a, "name"));
            self.push(loc, Additive, message);
        }
        match (required(a), required(b)) {
            (false, true) => self.push(loc, Breaking, format!("{what} optional → required (now an argument)")),
            (true, false) => self.push(loc, Breaking, format!("{what} required → optional (now a setter)")),
            _ => {}
        }
        let (sa, sb) = (a.get("schema").unwrap_or(&NULL), b.get("schema").unwrap_or(&NULL));
        self.schema(&loc.within(what), "", sa, sb, REQUEST, 0);
    }

    fn request_body(&mut self, loc: &Loc, o: Option<&'a Value>, n: Option<&'a Value>) {
        let (o, n) = (o.map(|b| deref(self.old, b)), n.map(|b| deref(self.new, b)));
        let required = |b: &Value| b.get("required") == Some(&Value::Bool(true));
        let (a, b) = match (o, n) {
            (None, Some(b)) if required(b) => return self.push(loc, Breaking, "required request body added"),
            (None, Some(_)) => return self.push(loc, Additive, "optional request body added"),
            (Some(_), None) => return self.push(loc, Breaking, "request body removed"),
            (None, None) => return,
            (Some(a), Some(b)) => (a, b),
        };
        match (required(a), required(b)) {
            (false, true) => self.push(loc, Breaking, "request body optional → required (now an argument)"),
            (true, false) => self.push(loc, Breaking, "request body required → optional (now a setter)"),
            _ => {}
        }
        let (ma, mb) = (body(a, false), body(b, false));
        let (media_a, media_b) = (ma.map_or("none", |m| m.0), mb.map_or("none", |m| m.0));
        if media_a != media_b {
            self.push(loc, Breaking, format!("request body media type {media_a} → {media_b}"));
        }
        if let (Some((_, sa)), Some((_, sb))) = (ma, mb) {
            self.schema(&loc.within("request body".into()), "", sa, sb, REQUEST, 0);
        }
    }

    /// Response codes; the success type (first 2xx JSON body: the method's return type);
    /// the error type (the one type all other JSON bodies share, else untyped JSON);
    /// the bodies of codes present in both.
    fn responses(&mut self, loc: &Loc, o: &'a Value, n: &'a Value) {
        let list = |doc: &'a Value, op: &'a Value| -> BTreeMap<&'a str, &'a Value> {
            let map = op.get("responses").and_then(Value::as_object).into_iter().flatten();
            map.map(|(k, v)| (k.as_str(), deref(doc, v))).collect()
        };
        let (ro, rn) = (list(self.old, o), list(self.new, n));
        let success = |r: &BTreeMap<&'a str, &'a Value>| {
            r.iter().filter(|(c, _)| c.starts_with('2')).find_map(|(c, v)| Some((*c, label(body(v, true)?.1, 0))))
        };
        let (so, sn) = (success(&ro), success(&rn));
        if so.as_ref().map(|s| s.0) != sn.as_ref().map(|s| s.0) {
            let unit = || "()".to_string();
            let (ta, tb) = (so.map_or_else(unit, |s| s.1), sn.map_or_else(unit, |s| s.1));
            if ta != tb {
                self.push(loc, Breaking, format!("success response type {ta} → {tb} (the return type)"));
            }
        }
        let error = |r: &BTreeMap<&'a str, &'a Value>| {
            let errors = r.iter().filter(|(c, _)| !c.starts_with('2'));
            let types: BTreeSet<String> = errors.filter_map(|(_, v)| Some(label(body(v, true)?.1, 0))).collect();
            if types.len() == 1 { types.into_iter().collect() } else { "untyped JSON".to_string() }
        };
        let (ea, eb) = (error(&ro), error(&rn));
        if ea != eb {
            self.push(loc, Breaking, format!("error body type {ea} → {eb} (the method's error type)"));
        }
        for (code, side) in sides(&ro, &rn) {
            match side.copied() {
                Side::Added(_) => self.push(loc, Additive, format!("response `{code}` added")),
                Side::Removed(_) => {
                    self.push(loc, Additive, format!("response `{code}` removed (no longer documented)"))
                }
                Side::Both(a, b) => match (body(a, true), body(b, true)) {
                    // A change of type of an error body is covered by the error type.
                    (Some((_, a)), Some((_, b))) if code.starts_with('2') || kind(a) == kind(b) => {
                        self.schema(&loc.within(format!("response `{code}` body")), "", a, b, RESPONSE, 0)
                    }
                    _ => {}
                },
            }
        }
    }

    fn schemas(&mut self) {
        let map = |doc: &'a Value| -> BTreeMap<&'a String, &'a Value> {
            doc.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten().collect()
        };
        for (name, side) in sides(&map(self.old), &map(self.new)) {
            let loc =
                Loc { section: Section::Schemas, key: name.to_string(), owner: format!("`{name}`"), what: "".into() };
            match side.copied() {
                Side::Added(_) => self.push(&loc, Additive, "schema added"),
                Side::Removed(_) => self.push(&loc, Breaking, "schema removed"),
                Side::Both(a, b) => {
                    // Unused schemas still become models: assume both directions.
                    let both = Usage { request: true, response: true };
                    self.schema(&loc, "", a, b, self.usage.get(name.as_str()).copied().unwrap_or(both), 0);
                }
            }
        }
    }

    /// Compares two schemas at property path `path` below `loc`. A `$ref` is not
    /// followed (its target is compared in the Schemas section).
    fn schema(&mut self, loc: &Loc, path: &str, old: &'a Value, new: &'a Value, usage: Usage, depth: usize) {
        let (o, n, subject) = (unwrap(old), unwrap(new), loc.subject(path));
        if depth > MAX_DEPTH {
            return;
        }
        if kind(o) != kind(n) {
            return self.push(loc, Breaking, format!("{subject}type {} → {}", label(o, 0), label(n, 0)));
        }
        if o.get("$ref").is_some() {
            return;
        }
        if o.get("format") != n.get("format") {
            let f = |s: &Value| s.get("format").map_or("none".into(), scalar);
            self.push(loc, Breaking, format!("{subject}format {} → {}", f(o), f(n)));
        }
        // A property's nullability is part of its presence, checked in `property`.
        if path.is_empty() || path.ends_with(']') || path.ends_with('}') {
            match (flag(self.old, old, "nullable"), flag(self.new, new, "nullable")) {
                (true, false) => {
                    let impact = if usage.request { Breaking } else { Additive };
                    self.push(loc, impact, format!("{subject}nullable → non-nullable (null no longer accepted)"));
                }
                (false, true) => {
                    let impact = if usage.response { Breaking } else { Additive };
                    self.push(loc, impact, format!("{subject}non-nullable → nullable (responses may contain null)"));
                }
                _ => {}
            }
        }
        self.enums(loc, &subject, o, n);
        self.constraints(loc, &subject, o, n, usage);
        self.object(loc, path, o, n, usage, depth);
        if let (Some(a), Some(b)) = (o.get("items"), n.get("items")) {
            self.schema(loc, &format!("{path}[]"), a, b, usage, depth + 1);
        }
        if let (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) =
            (o.get("additionalProperties"), n.get("additionalProperties"))
        {
            self.schema(loc, &format!("{path}{{}}"), a, b, usage, depth + 1);
        }
        self.variants(loc, path, o, n, usage, depth);
    }

    fn enums(&mut self, loc: &Loc, subject: &str, o: &Value, n: &Value) {
        let values = |s: &Value| s.get("enum").and_then(Value::as_array).map(|l| l.iter().map(scalar).collect());
        let list = |set: BTreeSet<&String>| set.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        let (a, b): (BTreeSet<_>, BTreeSet<_>) = match (values(o), values(n)) {
            (None, None) => return,
            (None, Some(_)) => return self.push(loc, Breaking, format!("{subject}now an enum (the type changes)")),
            (Some(_), None) => {
                return self.push(loc, Breaking, format!("{subject}no longer an enum (the type changes)"));
            }
            (Some(a), Some(b)) => (a, b),
        };
        let (added, removed): (BTreeSet<_>, BTreeSet<_>) = (b.difference(&a).collect(), a.difference(&b).collect());
        if !added.is_empty() {
            self.push(loc, Additive, format!("{subject}enum value {} added", list(added)));
        }
        if !removed.is_empty() {
            self.push(loc, Breaking, format!("{subject}enum value {} removed", list(removed)));
        }
    }

    /// Size and range constraints: tightening breaks requests; responses only constrain the server.
    fn constraints(&mut self, loc: &Loc, subject: &str, o: &Value, n: &Value, usage: Usage) {
        let keys = [("minLength", true), ("minItems", true), ("minimum", true)];
        for (key, lower) in keys.into_iter().chain([("maxLength", false), ("maxItems", false), ("maximum", false)]) {
            let tightened = match (o.get(key).and_then(Value::as_f64), n.get(key).and_then(Value::as_f64)) {
                (Some(x), Some(y)) if x != y => (y > x) == lower,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                _ => continue,
            };
            let show = |s: &Value| s.get(key).map_or("none".into(), scalar);
            let change = format!("{subject}{key} {} → {}", show(o), show(n));
            match (tightened, usage.request) {
                (true, true) => self.push(loc, Breaking, format!("{change} (tightened)")),
                (true, false) => self.push(loc, Additive, format!("{change} (tightened; response-only)")),
                (false, _) => self.push(loc, Additive, format!("{change} (relaxed)")),
            }
        }
    }

    /// `allOf` bases and properties (own and of inline `allOf` branches).
    fn object(&mut self, loc: &Loc, path: &str, o: &'a Value, n: &'a Value, usage: Usage, depth: usize) {
        let (vo, vn, subject) = (ObjectView::of(o), ObjectView::of(n), loc.subject(path));
        for (name, side) in sides(&vo.bases, &vn.bases) {
            let adds_required = |base| !ObjectView::of(unwrap(deref(self.new, base))).required.is_empty();
            let (impact, message) = match side.copied() {
                Side::Added(base) if adds_required(base) && usage.request => {
                    (Breaking, "its required properties become required here")
                }
                Side::Added(_) => (Additive, "adds properties"),
                Side::Removed(_) => (Breaking, "its properties are removed"),
                Side::Both(..) => continue,
            };
            let verb = if matches!(side, Side::Removed(_)) { "no longer includes" } else { "now includes" };
            self.push(loc, impact, format!("{subject}{verb} `{name}` (allOf: {message})"));
        }
        for (name, side) in sides(&vo.props, &vn.props) {
            let full = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            let required = (vo.required.contains(name), vn.required.contains(name));
            self.property(loc, &full, side.copied(), required, usage, depth);
        }
    }

    /// One property: added, removed, or its presence (requiredness, nullability,
    /// read/write-only, judged by the Rust field type the generator derives) and schema.
    fn property(
        &mut self,
        loc: &Loc,
        full: &str,
        side: Side<&'a Value>,
        (ra, rb): (bool, bool),
        usage: Usage,
        depth: usize,
    ) {
        let what = if loc.what.is_empty() { String::new() } else { format!("{} ", loc.what) };
        let (a, b) = match side {
            Side::Added(p) => {
                let typed = format!("property `{full}` ({})", label(p, 0));
                let (impact, message) = match (shape(self.new, p, rb, usage), usage.request) {
                    ("T", true) => (Breaking, format!("required {typed} added (a new argument of `new()`)")),
                    ("T", false) => (Additive, format!("required {typed} added (response-only)")),
                    (s, _) if rb => (Additive, format!("required {typed} added (nullable or read-only: `{s}`)")),
                    _ => (Additive, format!("optional {typed} added")),
                };
                return self.push(loc, impact, format!("{what}{message}"));
            }
            Side::Removed(_) => return self.push(loc, Breaking, format!("{what}property `{full}` removed")),
            Side::Both(a, b) => (a, b),
        };
        let mut parts = Vec::new();
        if ra != rb {
            parts.push(if rb { "optional → required" } else { "required → optional" });
        }
        let keys = [("nullable", "non-nullable → nullable", "nullable → non-nullable")];
        let keys = keys.into_iter().chain([("readOnly", "readOnly added", "readOnly removed")]);
        for (key, on, off) in keys.chain([("writeOnly", "writeOnly added", "writeOnly removed")]) {
            match (flag(self.old, a, key), flag(self.new, b, key)) {
                (false, true) => parts.push(on),
                (true, false) => parts.push(off),
                _ => {}
            }
        }
        if !parts.is_empty() {
            let (sa, sb) = (shape(self.old, a, ra, usage), shape(self.new, b, rb, usage));
            let must_send = usage.request && !ra && rb;
            let no_null = usage.request && parts.contains(&"nullable → non-nullable");
            let why = match () {
                _ if sa != sb => format!("field `{sa}` → `{sb}`"),
                _ if must_send => "requests must now include it".to_string(),
                _ if no_null => "null no longer accepted".to_string(),
                _ => format!("field stays `{sa}`"),
            };
            let impact = if sa != sb || must_send || no_null { Breaking } else { Additive };
            self.push(loc, impact, format!("{}{} ({why})", loc.subject(full), parts.join(", ")));
        }
        self.schema(loc, full, a, b, usage, depth + 1);
    }

    /// `oneOf`/`anyOf` branches: `$ref`s by name, inline ones by position. Unions
    /// have a catch-all variant, so a new branch is additive.
    fn variants(&mut self, loc: &Loc, path: &str, o: &'a Value, n: &'a Value, usage: Usage, depth: usize) {
        let subject = loc.subject(path);
        for key in ["oneOf", "anyOf"] {
            let split = |s: &'a Value| {
                let list = s.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                let refs: BTreeSet<&str> = list.iter().filter_map(ref_name).collect();
                (refs, list.iter().filter(|v| ref_name(v).is_none()).collect::<Vec<_>>())
            };
            let ((refs_a, inline_a), (refs_b, inline_b)) = (split(o), split(n));
            for name in refs_b.difference(&refs_a) {
                self.push(loc, Additive, format!("{subject}{key} branch `{name}` added"));
            }
            for name in refs_a.difference(&refs_b) {
                self.push(loc, Breaking, format!("{subject}{key} branch `{name}` removed"));
            }
            for (i, (a, b)) in inline_a.iter().zip(&inline_b).enumerate() {
                self.schema(loc, &format!("{path}<{key} {i}>"), a, b, usage, depth + 1);
            }
            match inline_b.len().cmp(&inline_a.len()) {
                Ordering::Greater => self.push(loc, Additive, format!("{subject}inline {key} branch added")),
                Ordering::Less => self.push(loc, Breaking, format!("{subject}inline {key} branch removed")),
                Ordering::Equal => {}
            }
        }
    }
}

/// A key of two compared maps: only in the new one, only in the old one, or in both.
enum Side<T> {
    Added(T),
    Removed(T),
    Both(T, T),
}

impl<T: Copy> Side<T> {
    fn new_or_old(&self) -> T {
        match *self {
            Side::Added(t) | Side::Removed(t) | Side::Both(_, t) => t,
        }
    }
}

impl<T: Copy> Side<&T> {
    fn copied(&self) -> Side<T> {
        match *self {
            Side::Added(t) => Side::Added(*t),
            Side::Removed(t) => Side::Removed(*t),
            Side::Both(a, b) => Side::Both(*a, *b),
        }
    }
}

/// Every key of either map, in order, with where it is.
fn sides<'m, K: Ord, V>(old: &'m BTreeMap<K, V>, new: &'m BTreeMap<K, V>) -> Vec<(&'m K, Side<&'m V>)> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    let side = |k| match (old.get(k), new.get(k)) {
        (Some(a), Some(b)) => Some(Side::Both(a, b)),
        (a, b) => b.map(Side::Added).or(a.map(Side::Removed)),
    };
    keys.into_iter().filter_map(|k| Some((k, side(k)?))).collect()
}

/// The Rust field type the generator gives a property (`finish_struct` in the
/// generator): `T` is a `new()` argument; `Nullable<T>` only in request models.
fn shape(doc: &Value, node: &Value, required: bool, usage: Usage) -> &'static str {
    let (nullable, read_only) = (flag(doc, node, "nullable"), flag(doc, node, "readOnly"));
    if required && !nullable && !read_only && !flag(doc, node, "writeOnly") {
        "T"
    } else if !required && nullable && usage.request && !read_only {
        "Nullable<T>"
    } else {
        "Option<T>"
    }
}

/// Properties and required names of an object schema, merged over inline `allOf`
/// branches; `$ref`'d `allOf` branches are bases, compared by name.
#[derive(Default)]
struct ObjectView<'a> {
    props: BTreeMap<&'a str, &'a Value>,
    required: BTreeSet<&'a str>,
    bases: BTreeMap<&'a str, &'a Value>,
}

impl<'a> ObjectView<'a> {
    fn of(node: &'a Value) -> Self {
        let mut view = Self::default();
        view.collect(node, 0);
        view
    }

    fn collect(&mut self, node: &'a Value, depth: usize) {
        for (name, prop) in node.get("properties").and_then(Value::as_object).into_iter().flatten() {
            self.props.insert(name, prop);
            // Swagger 2 style `required: true` on the property itself (a defect of the 17.x documents).
            if prop.get("required") == Some(&Value::Bool(true)) {
                self.required.insert(name);
            }
        }
        let names = node.get("required").and_then(Value::as_array).into_iter().flatten();
        self.required.extend(names.filter_map(Value::as_str));
        for branch in node.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            match ref_name(branch) {
                Some(name) => _ = self.bases.insert(name, branch),
                None if depth < MAX_DEPTH => self.collect(branch, depth + 1),
                None => {}
            }
        }
    }
}

/// Operations keyed by (path with parameter names erased, method).
fn operations(doc: &Value) -> BTreeMap<(String, &'static str), Op<'_>> {
    let mut out = BTreeMap::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let item = deref(doc, item);
        let shared = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
        for method in METHODS {
            let Some(node) = item.get(method).filter(|n| n.is_object()) else { continue };
            let mut params: Vec<&Value> = Vec::new();
            for p in shared.clone().chain(node.get("parameters").and_then(Value::as_array).into_iter().flatten()) {
                let id = |p| (text(deref(doc, p), "in"), text(deref(doc, p), "name"));
                params.retain(|q| id(q) != id(p)); // an operation's own parameters override path-level ones
                params.push(p);
            }
            let erased = template_params(path).iter().fold(path.clone(), |s, t| s.replace(&format!("{{{t}}}"), "{}"));
            out.insert((erased, method), Op { path, method, node, params });
        }
    }
    out
}

/// Records, for every component schema reachable from an operation, whether its
/// requests (parameters, body) or responses reach it.
fn usage_of(doc: &Value, usage: &mut BTreeMap<String, Usage>) {
    for op in operations(doc).values() {
        let (mut request, mut response) = (BTreeSet::new(), BTreeSet::new());
        op.params.iter().for_each(|p| reach(doc, p, &mut request, 0));
        op.node.get("requestBody").into_iter().for_each(|b| reach(doc, b, &mut request, 0));
        op.node.get("responses").into_iter().for_each(|r| reach(doc, r, &mut response, 0));
        for (refs, is_request) in [(request, true), (response, false)] {
            for r in refs {
                let Some(name) = r.strip_prefix("#/components/schemas/").and_then(|s| s.split('/').next()) else {
                    continue;
                };
                let entry = usage.entry(name.replace("~1", "/").replace("~0", "~")).or_default();
                if is_request { entry.request = true } else { entry.response = true }
            }
        }
    }
}

/// Collects every `$ref` reachable from `node`, following each once.
fn reach(doc: &Value, node: &Value, seen: &mut BTreeSet<String>, depth: usize) {
    match node {
        _ if depth > 4 * MAX_DEPTH => {}
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str)
                && let Some(target) = lookup(doc, r).filter(|_| seen.insert(r.to_string()))
            {
                reach(doc, target, seen, depth + 1);
            }
            for (_, value) in map.iter().filter(|(k, _)| *k != "example" && *k != "examples") {
                reach(doc, value, seen, depth + 1);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| reach(doc, v, seen, depth + 1)),
        _ => {}
    }
}

fn lookup<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// Follows a `$ref` chain (bounded, so cycles end); an unresolvable `$ref` stays.
fn deref<'a>(doc: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..MAX_DEPTH {
        match node.get("$ref").and_then(Value::as_str).and_then(|r| lookup(doc, r)) {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// `allOf: [X]` with nothing else structural is X (as in the generator).
fn unwrap(mut node: &Value) -> &Value {
    let structural = ["properties", "items", "oneOf", "anyOf", "enum", "additionalProperties"];
    for _ in 0..MAX_DEPTH {
        match node.get("allOf").and_then(Value::as_array) {
            Some(list) if list.len() == 1 && structural.iter().all(|k| node.get(k).is_none()) => node = &list[0],
            _ => break,
        }
    }
    node
}

/// A boolean keyword on a schema, on what it wraps (`allOf: [X]`) or on its `$ref` target.
fn flag<'a>(doc: &'a Value, mut node: &'a Value, key: &str) -> bool {
    for _ in 0..MAX_DEPTH {
        if node.get(key) == Some(&Value::Bool(true)) {
            return true;
        }
        let next = match unwrap(node) {
            same if std::ptr::eq(same, node) => deref(doc, node),
            inner => inner,
        };
        if std::ptr::eq(next, node) {
            return false;
        }
        node = next;
    }
    false
}

/// What a schema is, for type comparison: a referenced name or a JSON type.
fn kind(node: &Value) -> String {
    let node = unwrap(node);
    let has = |k: &str| node.get(k).is_some();
    match node.get("type") {
        _ if has("$ref") => format!("`{}`", ref_name(node).unwrap_or_default()),
        Some(t) => scalar(t),
        None if has("items") => "array".into(),
        None if has("properties") || has("allOf") || has("additionalProperties") => "object".into(),
        None if has("oneOf") => "oneOf".into(),
        None if has("anyOf") => "anyOf".into(),
        None => "any".into(),
    }
}

/// A short type description: `string (date-time)`, ``array of `author` ``, `string enum`.
fn label(node: &Value, depth: usize) -> String {
    let node = unwrap(node);
    let bases: Vec<String> = node
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(ref_name)
        .map(|r| format!("`{r}`"))
        .collect();
    let base = match (kind(node).as_str(), node.get("items")) {
        ("array", Some(items)) if depth < 8 => format!("array of {}", label(items, depth + 1)),
        ("object", _) if !bases.is_empty() => format!("object extending {}", bases.join(", ")),
        (k, _) => k.to_string(),
    };
    match node.get("format") {
        Some(f) => format!("{base} ({})", scalar(f)),
        None if node.get("enum").is_some() => format!("{base} enum"),
        None => base,
    }
}

fn ref_name(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
}

/// The primary media type of a request body or response and its schema: the JSON
/// one, else (unless `json_only`, as the generator reads responses) the first.
fn body(node: &Value, json_only: bool) -> Option<(&str, &Value)> {
    let content = node.get("content").and_then(Value::as_object)?;
    let mut any = content.iter().filter(|_| !json_only);
    let (media, value) = content.iter().find(|(k, _)| k.contains("json")).or_else(|| any.next())?;
    Some((media.as_str(), value.get("schema")?))
}

/// Names of the `{...}` segments of a path template, in order.
fn template_params(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
}

fn text<'v>(node: &'v Value, key: &str) -> &'v str {
    node.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A scalar as plain text (strings without quotes).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ListUsers` reads `userList` (→ `user`: response-only); `CreateUser` sends
    /// `userCreateBody` (also a base of `user`, so used both ways).
    const BASE: &str = r#"
openapi: 3.0.3
info: {title: test, version: '1.0'}
paths:
  /apps/{appId}/users:
    parameters:
      - $ref: '#/components/parameters/appId'
    get:
      operationId: ListUsers
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/userList'}}}}
    post:
      operationId: CreateUser
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/userCreateBody'}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/user'}}}}
components:
  parameters:
    appId: {name: appId, in: path, required: true, schema: {type: string}}
  schemas:
    userCreateBody:
      type: object
      required: [externalId]
      properties:
        externalId: {type: string, maxLength: 100}
        role: {type: string, enum: [owner, member]}
        nick: {type: string, nullable: true}
    user:
      allOf:
        - $ref: '#/components/schemas/userCreateBody'
        - type: object
          properties:
            id: {type: string}
            tags: {type: array, items: {type: string}, maxItems: 10}
    userList:
      type: object
      properties:
        users: {type: array, items: {$ref: '#/components/schemas/user'}}
"#;
    const USERS: &str = "/paths/~1apps~1{appId}~1users";
    const BODY: &str = "/components/schemas/userCreateBody";

    /// BASE with edits: JSON pointer → YAML value (`~` removes; a final `-` appends).
    fn edited(edits: &[(&str, &str)]) -> String {
        let mut doc: Value = serde_yaml::from_str(BASE).unwrap();
        for (pointer, yaml) in edits {
            let pointer = pointer.replace("{USERS}", USERS).replace("{BODY}", BODY);
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let key = key.replace("~1", "/");
            let value: Value = serde_yaml::from_str(yaml).unwrap();
            match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}")) {
                Value::Object(map) if value.is_null() => _ = map.remove(&key),
                Value::Object(map) => _ = map.insert(key, value),
                Value::Array(list) if key == "-" => list.push(value),
                Value::Array(list) => list[key.parse::<usize>().unwrap()] = value,
                _ => panic!("cannot edit {pointer}"),
            }
        }
        doc.to_string()
    }

    /// Asserts the report from `old` to `new` is exactly `expected` (impact, part of the line).
    fn expect(old: &str, new: &str, expected: &[(Impact, &str)]) {
        let report = diff(old, new).unwrap();
        let shown = report.render("old", "new");
        assert_eq!(report.entries.len(), expected.len(), "{shown}");
        for (entry, (impact, part)) in report.entries.iter().zip(expected) {
            assert!(entry.impact == *impact && entry.text.contains(part), "expected {impact:?} `{part}` in\n{shown}");
        }
    }

    /// BASE → BASE+edits, then the reverse direction.
    fn both_ways(edits: &[(&str, &str)], forward: &[(Impact, &str)], back: &[(Impact, &str)]) {
        let new = edited(edits);
        expect(BASE, &new, forward);
        expect(&new, BASE, back);
    }

    #[test]
    fn api_diff_identical_documents() {
        let report = diff(BASE, &edited(&[("/info/version", "'2.0'"), ("{BODY}/description", "prose")])).unwrap();
        assert!(report.entries.is_empty());
        assert_eq!(report.render("1.0", "2.0"), "## API changes: 1.0 → 2.0\nSummary: 0 additive, 0 breaking\n");
    }

    #[test]
    fn api_diff_operations() {
        let get = "{get: {operationId: GetUser, parameters: [{name: id, in: path, required: true}], responses: {}}}";
        both_ways(
            &[("/paths/~1apps~1{appId}~1users~1{id}", get)],
            &[(Additive, "`GET /apps/{appId}/users/{id}` (GetUser): operation added")],
            &[(Breaking, "`GET /apps/{appId}/users/{id}` (GetUser): operation removed")],
        );
        let renamed = edited(&[("{USERS}/post/operationId", "AddUser")]);
        expect(BASE, &renamed, &[(Breaking, "operationId `CreateUser` → `AddUser` (the client method is renamed)")]);
        let recased = edited(&[("{USERS}/post/operationId", "createUser")]);
        expect(BASE, &recased, &[(Additive, "operationId `CreateUser` → `createUser` (method name unchanged)")]);
        // The error type of a method is the one type its error bodies share, else untyped JSON.
        let error = edited(&[("{USERS}/get/responses/400", "{content: {application/json: {schema: {type: object}}}}")]);
        let expected =
            [(Breaking, "(ListUsers): error body type untyped JSON → object"), (Additive, "response `400` added")];
        expect(BASE, &error, &expected);
        // A renamed path parameter is the same operation and the same positional argument.
        let expected = [(Additive, "path parameter `appKey` renamed from `appId`"); 2];
        expect(BASE, &BASE.replace("appId", "appKey"), &expected);
    }

    #[test]
    fn api_diff_parameters() {
        let brand = ("{USERS}/get/parameters/-", "{name: brandId, in: query, schema: {type: string}}");
        both_ways(
            &[brand],
            &[(Additive, "`GET /apps/{appId}/users` (ListUsers): optional query parameter `brandId` added")],
            &[(Breaking, "(ListUsers): query parameter `brandId` removed")],
        );
        // Path-level parameters count for every operation of the path.
        let shared = ("{USERS}/parameters/-", "{name: brandId, in: query, required: true, schema: {type: string}}");
        let expected = [
            (Breaking, "(ListUsers): required query parameter `brandId` added"),
            (Breaking, "(CreateUser): required query"),
        ];
        expect(BASE, &edited(&[shared]), &expected);
        expect(
            BASE,
            &edited(&[("{USERS}/get/parameters/0/required", "true")]),
            &[(Breaking, "`limit` optional → required")],
        );
        let relaxed = edited(&[("{USERS}/get/parameters/0/schema/maximum", "500")]);
        expect(BASE, &relaxed, &[(Additive, "query parameter `limit` maximum 100 → 500 (relaxed)")]);
        expect(&relaxed, BASE, &[(Breaking, "query parameter `limit` maximum 500 → 100 (tightened)")]);
    }

    #[test]
    fn api_diff_schemas_and_properties() {
        both_ways(
            &[("/components/schemas/brand", "{type: object, properties: {id: {type: string}}}")],
            &[(Additive, "`brand`: schema added")],
            &[(Breaking, "`brand`: schema removed")],
        );
        both_ways(
            &[("{BODY}/properties/brandId", "{type: string, nullable: true}")],
            &[(Additive, "`userCreateBody`: optional property `brandId` (string) added")],
            &[(Breaking, "`userCreateBody`: property `brandId` removed")],
        );
        let required = [("{BODY}/properties/brandId", "{type: string}"), ("{BODY}/required/-", "brandId")];
        expect(BASE, &edited(&required), &[(Breaking, "`userCreateBody`: required property `brandId` (string) added")]);
        // `user` is only read: a new required property is always there.
        let read = [
            ("/components/schemas/user/allOf/1/properties/age", "{type: integer}"),
            ("/components/schemas/user/allOf/1/required", "[age]"),
        ];
        expect(BASE, &edited(&read), &[(Additive, "`user`: required property `age` (integer) added (response-only)")]);
        let ty = edited(&[("{BODY}/properties/externalId/type", "integer")]);
        expect(BASE, &ty, &[(Breaking, "`userCreateBody`: property `externalId` type string → integer")]);
        let format = edited(&[("{BODY}/properties/externalId/format", "email")]);
        expect(BASE, &format, &[(Breaking, "property `externalId` format none → email")]);
        let body = edited(&[(
            "{USERS}/post/responses/201/content/application~1json/schema/$ref",
            "'#/components/schemas/userList'",
        )]);
        expect(BASE, &body, &[(Breaking, "(CreateUser): response `201` body type `user` → `userList`")]);
    }

    #[test]
    fn api_diff_required_and_nullable() {
        let role = "property `role` optional → required (field `Option<T>` → `T`)";
        expect(BASE, &edited(&[("{BODY}/required/-", "role")]), &[(Breaking, role)]);
        // Swagger 2 style `required: true` on the property (17.x defect) means the same.
        expect(BASE, &edited(&[("{BODY}/properties/role/required", "true")]), &[(Breaking, role)]);
        let nick = edited(&[("{BODY}/properties/nick/nullable", "false")]);
        expect(
            BASE,
            &nick,
            &[(Breaking, "property `nick` nullable → non-nullable (field `Nullable<T>` → `Option<T>`)")],
        );
    }

    #[test]
    fn api_diff_enums_constraints_unions() {
        both_ways(
            &[("{BODY}/properties/role/enum/-", "guest")],
            &[(Additive, "`userCreateBody`: property `role` enum value `guest` added")],
            &[(Breaking, "`userCreateBody`: property `role` enum value `guest` removed")],
        );
        both_ways(
            &[("{BODY}/properties/externalId/maxLength", "200")],
            &[(Additive, "property `externalId` maxLength 100 → 200 (relaxed)")],
            &[(Breaking, "property `externalId` maxLength 200 → 100 (tightened)")],
        );
        let tags = edited(&[("/components/schemas/user/allOf/1/properties/tags/maxItems", "5")]);
        expect(BASE, &tags, &[(Additive, "`user`: property `tags` maxItems 10 → 5 (tightened; response-only)")]);
        let union = |refs: &str| edited(&[("/components/schemas/pet", &format!("{{oneOf: [{refs}]}}"))]);
        let (one, two) = (
            union("$ref: '#/components/schemas/user'"),
            union("$ref: '#/components/schemas/user', $ref: '#/components/schemas/userList'"),
        );
        expect(&one, &two, &[(Additive, "`pet`: oneOf branch `userList` added")]);
        expect(&two, &one, &[(Breaking, "`pet`: oneOf branch `userList` removed")]);
    }

    #[test]
    fn api_diff_odd_input() {
        assert!(diff("paths: [unclosed", BASE).is_err());
        assert!(diff(BASE, "- a list").is_err());
        let odd = [
            "{openapi: 3.0.0, paths: 5, components: {schemas: [1, 2]}}",
            "{paths: {/x: {get: {parameters: [7, {$ref: '#/nowhere'}], requestBody: {content: 3}, responses: []}}}}",
            "{components: {schemas: {a: {$ref: '#/components/schemas/a'}, b: {properties: {c: {$ref: '#/components/schemas/b'}}, allOf: [{allOf: [{}]}]}}}}",
            "{components: {schemas: {a: {properties: x, required: true, enum: 5, maxLength: big, items: [1]}}}}",
        ];
        for a in odd {
            for b in odd.iter().chain([&BASE]) {
                diff(a, b).unwrap();
                diff(b, a).unwrap();
            }
        }
    }

    #[test]
    fn api_diff_render() {
        let new = edited(&[("{BODY}/properties/brandId", "{type: string}"), ("{BODY}/properties/nick", "~")]);
        let report = diff(BASE, &new).unwrap();
        assert_eq!((report.additive(), report.breaking()), (1, 1));
        let expected = "## API changes: 1.0 → 1.1\n### Schemas\n\
            - additive: `userCreateBody`: optional property `brandId` (string) added\n\
            - breaking: `userCreateBody`: property `nick` removed\n\
            Summary: 1 additive, 1 breaking\n";
        assert_eq!(report.render("1.0", "1.1"), expected);
        let breaking = report.render_filtered("1.0", "1.1", true);
        assert!(!breaking.contains("brandId") && breaking.ends_with("Summary: 1 additive (not listed), 1 breaking\n"));
    }

    /// The official documents, when `../shared/upstream/` is there (never copied into the project).
    fn upstream(version: &str) -> Option<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/upstream/");
        std::fs::read_to_string(format!("{dir}sunshine-conversations-{version}.yaml")).ok()
    }

    #[test]
    fn api_diff_upstream_17_11_to_17_12_1() {
        let (Some(old), Some(new)) = (upstream("17.11.0"), upstream("17.12.1")) else {
            return println!("skipped: ../shared/upstream not found");
        };
        let report = diff(&old, &new).unwrap();
        let shown = report.render("17.11.0", "17.12.1");
        println!("{shown}");
        assert_eq!(report.breaking(), 0, "{shown}");
        // brandId: an optional query parameter of ten operations, an optional property of three schemas.
        let owners = |section| {
            let brand = report.entries.iter().filter(|e| e.section == section && e.text.contains("`brandId`"));
            brand.map(|e| e.key.as_str()).collect::<BTreeSet<_>>().len()
        };
        assert_eq!((owners(Section::Operations), owners(Section::Schemas)), (10, 3), "{shown}");
        assert_eq!(report.additive(), 13, "{shown}");
        assert!(report.entries.iter().all(|e| e.text.contains("brandId") && e.text.contains("optional")), "{shown}");
    }

    #[test]
    fn api_diff_upstream_older_versions() {
        for (old, new) in [("9.0", "14.1.0"), ("14.1.0", "17.11.0")] {
            let (Some(a), Some(b)) = (upstream(old), upstream(new)) else { return println!("skipped") };
            let report = diff(&a, &b).unwrap();
            println!("{old} → {new}: {} additive, {} breaking", report.additive(), report.breaking());
            assert!(report.additive() > 0 && report.breaking() > 0);
        }
    }
}
