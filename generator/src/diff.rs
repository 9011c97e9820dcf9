//! What changed for callers between two generated crates, read from their IRs (so it
//! names exactly the public items of the crate that changed, and nothing else).
//!
//! Each entry is *additive* (callers keep compiling), *breaking* (a caller may not:
//! a new required argument, a removed or retyped field, a changed signature, a removed
//! variant), or *docs-only* (documentation and examples). Entries also name the
//! generated files they account for, so a test can check the report against the files
//! that really changed. Structs, enums and unions are `#[non_exhaustive]`, so new
//! fields and variants are additive.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Api, Field, Model, ModelKind, Operation, Param, Presence, Server, Webhook};

/// Effect of a change on callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Impact {
    /// Callers keep compiling and working.
    Additive,
    /// Callers may stop compiling, or calls change meaning.
    Breaking,
    /// Documentation or examples only.
    Docs,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    /// Section: `Operations`, `Models`, `Webhooks`, `Servers`, `Crate`.
    pub section: &'static str,
    /// The item, e.g. ``operation `post_message` `` (the sort key).
    pub item: String,
    /// What changed.
    pub text: String,
    /// Its effect.
    pub impact: Impact,
    /// Generated files (relative paths) whose text this change alters.
    pub files: BTreeSet<String>,
}

/// The generated files that differ between two outputs (added, removed or changed),
/// the fixed runtime left out.
pub fn changed_files(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> BTreeSet<String> {
    old.keys()
        .chain(new.keys())
        .filter(|path| !path.starts_with("src/runtime/") && old.get(*path) != new.get(*path))
        .cloned()
        .collect()
}

/// How a report and the files that changed disagree: files no entry accounts for, and
/// files an entry names that did not change. Empty when they agree.
pub fn disagreements(report: &Report, changed: &BTreeSet<String>) -> Vec<String> {
    let claimed = report.files();
    let mut out: Vec<String> =
        changed.difference(&claimed).map(|f| format!("{f} changed, but no entry says so")).collect();
    out.extend(claimed.difference(changed).map(|f| format!("an entry names {f}, which did not change")));
    out
}

/// All changes, sorted by section and item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The entries.
    pub entries: Vec<Entry>,
    /// API versions (`info.version`) of both sides.
    pub versions: (String, String),
}

impl Report {
    /// Entries with this impact.
    pub fn count(&self, impact: Impact) -> usize {
        self.entries.iter().filter(|e| e.impact == impact).count()
    }

    /// Every file some entry accounts for.
    pub fn files(&self) -> BTreeSet<String> {
        self.entries.iter().flat_map(|e| e.files.iter().cloned()).collect()
    }

    /// Markdown for a pull request; the last line is
    /// `Summary: N additive, M breaking, K docs-only`.
    pub fn render(&self, old_label: &str, new_label: &str, breaking_only: bool) -> String {
        let mut out = format!("## API changes: {old_label} → {new_label}\n");
        let mut section = "";
        for entry in self.entries.iter().filter(|e| !breaking_only || e.impact == Impact::Breaking) {
            if entry.section != section {
                section = entry.section;
                let _ = writeln!(out, "### {section}");
            }
            let mark = match entry.impact {
                Impact::Additive => "additive",
                Impact::Breaking => "breaking",
                Impact::Docs => "docs-only",
            };
            let _ = writeln!(out, "- {mark}: {}: {}", entry.item, entry.text);
        }
        let hidden = if breaking_only { " (only breaking ones listed)" } else { "" };
        let _ = writeln!(
            out,
            "Summary: {} additive, {} breaking, {} docs-only{hidden}",
            self.count(Impact::Additive),
            self.count(Impact::Breaking),
            self.count(Impact::Docs)
        );
        out
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let mut cx = Cx { entries: Vec::new() };
    cx.krate(old, new);
    cx.servers(&old.servers, &new.servers);
    cx.models(old, new);
    cx.operations(&old.operations, &new.operations);
    cx.webhooks(&old.webhooks, &new.webhooks);
    let mut entries = cx.entries;
    entries.sort();
    entries.dedup();
    Report { entries, versions: (old.krate.api_version.clone(), new.krate.api_version.clone()) }
}

struct Cx {
    entries: Vec<Entry>,
}

fn files(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|f| f.to_string()).collect()
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// Items by a key, for matching both sides.
fn by<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, &'a T> {
    items.iter().map(|item| (key(item), item)).collect()
}

impl Cx {
    fn push(
        &mut self,
        section: &'static str,
        item: &str,
        impact: Impact,
        text: impl Into<String>,
        files: BTreeSet<String>,
    ) {
        self.entries.push(Entry { section, item: item.to_string(), text: text.into(), impact, files });
    }

    fn krate(&mut self, old: &Api, new: &Api) {
        let (a, b) = (&old.krate, &new.krate);
        if a.api_version != b.api_version {
            let text = format!("API version {} → {}", a.api_version, b.api_version);
            self.push("Crate", "crate", Impact::Docs, text, files(&["src/lib.rs", "README.md"]));
        }
        if a.title != b.title || a.description != b.description {
            self.push(
                "Crate",
                "crate",
                Impact::Docs,
                "title changed",
                files(&["src/lib.rs", "README.md", "Cargo.toml"]),
            );
        }
        if a.docs != b.docs {
            self.push("Crate", "crate", Impact::Docs, "crate documentation changed", files(&["src/lib.rs"]));
        }
        if a.guide != b.guide {
            self.push("Crate", "crate", Impact::Docs, "guide changed", files(&["src/lib.rs", "README.md"]));
        }
        if json(&a.examples) != json(&b.examples) {
            let changed: BTreeSet<String> =
                a.examples.iter().chain(&b.examples).map(|e| format!("examples/{}.rs", e.name)).collect();
            self.push("Crate", "crate", Impact::Docs, "examples changed", changed);
        }
        if a.operations_use_models != b.operations_use_models {
            self.push(
                "Crate",
                "crate",
                Impact::Additive,
                "the testing module now names `models`",
                files(&["src/testing.rs"]),
            );
        }
    }

    fn servers(&mut self, old: &[Server], new: &[Server]) {
        let (a, b) = (by(old, |s| &s.variant), by(new, |s| &s.variant));
        let file = || files(&["src/server.rs"]);
        for (name, server) in &b {
            let item = format!("server `Server::{name}`");
            match a.get(name) {
                None => self.push("Servers", &item, Impact::Additive, format!("added (`{}`)", server.url), file()),
                Some(before) => {
                    let vars = |s: &Server| s.variables.iter().map(|v| v.rust_name.clone()).collect::<Vec<_>>();
                    if vars(before) != vars(server) {
                        let text = format!(
                            "variables {:?} → {:?} (constructing the variant changes)",
                            vars(before),
                            vars(server)
                        );
                        self.push("Servers", &item, Impact::Breaking, text, file());
                    }
                    if before.url != server.url {
                        let text = format!("URL `{}` → `{}`", before.url, server.url);
                        self.push("Servers", &item, Impact::Breaking, text, file());
                    } else if before.docs != server.docs || json(&before.variables) != json(&server.variables) {
                        self.push("Servers", &item, Impact::Docs, "documentation changed", file());
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Servers", &format!("server `Server::{name}`"), Impact::Breaking, "removed", file());
        }
    }

    fn models(&mut self, old: &Api, new: &Api) {
        let (a, b) = (by(&old.models, |m| &m.name), by(&new.models, |m| &m.name));
        for (name, model) in &b {
            let item = format!("model `{name}`");
            let file = format!("src/models/{}.rs", model.module);
            match a.get(name) {
                None => {
                    let listed = files(&[&file, "src/models/mod.rs", "README.md"]);
                    self.push("Models", &item, Impact::Additive, format!("added ({})", kind_name(&model.kind)), listed);
                }
                Some(before) => self.model(&item, before, model),
            }
        }
        for (name, model) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let file = format!("src/models/{}.rs", model.module);
            self.push(
                "Models",
                &format!("model `{name}`"),
                Impact::Breaking,
                "removed",
                files(&[&file, "src/models/mod.rs", "README.md"]),
            );
        }
    }

    fn model(&mut self, item: &str, old: &Model, new: &Model) {
        let mut file = files(&[&format!("src/models/{}.rs", new.module)]);
        if old.module != new.module {
            file.insert(format!("src/models/{}.rs", old.module));
            file.insert("src/models/mod.rs".into());
        }
        let before = self.entries.len();
        if old.docs != new.docs || old.pointer != new.pointer {
            self.push("Models", item, Impact::Docs, "documentation changed", file.clone());
        }
        if old.in_request != new.in_request {
            let text = if new.in_request {
                "now sent in requests (validated before sending)"
            } else {
                "no longer sent in requests"
            };
            self.push("Models", item, Impact::Additive, text, file.clone());
        }
        match (&old.kind, &new.kind) {
            (ModelKind::Struct(a), ModelKind::Struct(b)) => {
                if a.tag != b.tag {
                    self.push("Models", item, Impact::Breaking, "the discriminator it sends changed", file.clone());
                }
                self.fields(item, &a.fields, &b.fields, &file);
            }
            (ModelKind::StringEnum(a), ModelKind::StringEnum(b)) => {
                let wire = |e: &crate::ir::StringEnum| {
                    e.variants.iter().map(|v| (v.wire_name.clone(), v.rust_name.clone())).collect::<BTreeMap<_, _>>()
                };
                let (x, y) = (wire(a), wire(b));
                for (value, variant) in &y {
                    match x.get(value) {
                        None => self.push(
                            "Models",
                            item,
                            Impact::Additive,
                            format!("value `{value}` added (`{variant}`)"),
                            file.clone(),
                        ),
                        Some(old) if old != variant => self.push(
                            "Models",
                            item,
                            Impact::Breaking,
                            format!("value `{value}` renamed `{old}` → `{variant}`"),
                            file.clone(),
                        ),
                        Some(_) => {}
                    }
                }
                for value in x.keys().filter(|v| !y.contains_key(*v)) {
                    self.push("Models", item, Impact::Breaking, format!("value `{value}` removed"), file.clone());
                }
            }
            (ModelKind::Union(a), ModelKind::Union(b)) => {
                let (x, y) = (by(&a.variants, |v| &v.rust_name), by(&b.variants, |v| &v.rust_name));
                for (name, variant) in &y {
                    match x.get(name) {
                        None => {
                            self.push("Models", item, Impact::Additive, format!("variant `{name}` added"), file.clone())
                        }
                        Some(old) if old.ty != variant.ty => self.push(
                            "Models",
                            item,
                            Impact::Breaking,
                            format!("variant `{name}` holds `{}` → `{}`", old.ty, variant.ty),
                            file.clone(),
                        ),
                        Some(old) if old.tags != variant.tags => self.push(
                            "Models",
                            item,
                            Impact::Breaking,
                            format!("variant `{name}` tags {:?} → {:?}", old.tags, variant.tags),
                            file.clone(),
                        ),
                        Some(old) if old.docs != variant.docs => self.push(
                            "Models",
                            item,
                            Impact::Docs,
                            format!("variant `{name}` documentation changed"),
                            file.clone(),
                        ),
                        Some(_) => {}
                    }
                }
                for name in x.keys().filter(|n| !y.contains_key(*n)) {
                    self.push("Models", item, Impact::Breaking, format!("variant `{name}` removed"), file.clone());
                }
                if a.tag != b.tag {
                    self.push(
                        "Models",
                        item,
                        Impact::Breaking,
                        format!("discriminator {:?} → {:?}", a.tag, b.tag),
                        file.clone(),
                    );
                }
                let common = |u: &crate::ir::Union| u.common.iter().map(|c| c.method.clone()).collect::<BTreeSet<_>>();
                for method in common(b).difference(&common(a)) {
                    self.push("Models", item, Impact::Additive, format!("accessor `{method}()` added"), file.clone());
                }
                for method in common(a).difference(&common(b)) {
                    self.push("Models", item, Impact::Breaking, format!("accessor `{method}()` removed"), file.clone());
                }
            }
            _ => self.push(
                "Models",
                item,
                Impact::Breaking,
                format!("{} → {}", kind_name(&old.kind), kind_name(&new.kind)),
                file.clone(),
            ),
        }
        self.fallback("Models", item, before, json(old) != json(new), file);
    }

    fn fields(&mut self, item: &str, old: &[Field], new: &[Field], file: &BTreeSet<String>) {
        let (a, b) = (by(old, |f| &f.rust_name), by(new, |f| &f.rust_name));
        for (name, field) in &b {
            match a.get(name) {
                None => {
                    let (impact, how) = match field.presence {
                        Presence::Required => (Impact::Breaking, "required: `new` takes it"),
                        _ => (Impact::Additive, "optional"),
                    };
                    self.push("Models", item, impact, format!("field `{name}` added ({how})"), file.clone());
                }
                Some(before) => {
                    if before.ty != field.ty {
                        let text = format!("field `{name}`: `{}` → `{}`", before.ty, field.ty);
                        self.push("Models", item, Impact::Breaking, text, file.clone());
                    }
                    if before.wire_name != field.wire_name {
                        let text = format!("field `{name}` sent as `{}` → `{}`", before.wire_name, field.wire_name);
                        self.push("Models", item, Impact::Breaking, text, file.clone());
                    }
                    if !before.setter.is_empty() && field.setter != before.setter {
                        self.push(
                            "Models",
                            item,
                            Impact::Breaking,
                            format!("setter `{}()` removed or renamed", before.setter),
                            file.clone(),
                        );
                    }
                    if before.setter.is_empty() && !field.setter.is_empty() {
                        self.push(
                            "Models",
                            item,
                            Impact::Additive,
                            format!("setter `{}()` added", field.setter),
                            file.clone(),
                        );
                    }
                    if json(&before.checks.iter().map(|c| &c.rule).collect::<Vec<_>>())
                        != json(&field.checks.iter().map(|c| &c.rule).collect::<Vec<_>>())
                    {
                        self.push(
                            "Models",
                            item,
                            Impact::Breaking,
                            format!("field `{name}`: constraints changed"),
                            file.clone(),
                        );
                    }
                    if before.docs != field.docs {
                        self.push(
                            "Models",
                            item,
                            Impact::Docs,
                            format!("field `{name}` documentation changed"),
                            file.clone(),
                        );
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Models", item, Impact::Breaking, format!("field `{name}` removed"), file.clone());
        }
        let positional = |fs: &[Field]| {
            fs.iter().filter(|f| f.presence == Presence::Required).map(|f| f.rust_name.clone()).collect()
        };
        self.reordered("Models", item, "`new` arguments", positional(old), positional(new), file);
    }

    fn operations(&mut self, old: &[Operation], new: &[Operation]) {
        let (a, b) = (by(old, |o| &o.method_name), by(new, |o| &o.method_name));
        for (name, op) in &b {
            let item = format!("operation `{name}` ({})", op.operation_id);
            let file = format!("src/operations/{}.rs", op.module);
            match a.get(name) {
                None => {
                    let listed = files(&[&file, "src/operations/mod.rs", "src/testing.rs", "README.md"]);
                    self.push(
                        "Operations",
                        &item,
                        Impact::Additive,
                        format!("added (`{} {}`)", op.http_method, op.path),
                        listed,
                    );
                }
                Some(before) => self.operation(&item, before, op),
            }
        }
        for (name, op) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let file = format!("src/operations/{}.rs", op.module);
            let listed = files(&[&file, "src/operations/mod.rs", "src/testing.rs", "README.md"]);
            self.push(
                "Operations",
                &format!("operation `{name}` ({})", op.operation_id),
                Impact::Breaking,
                "removed",
                listed,
            );
        }
    }

    fn operation(&mut self, item: &str, old: &Operation, new: &Operation) {
        let file = files(&[&format!("src/operations/{}.rs", new.module)]);
        let with_mock = {
            let mut f = file.clone();
            f.insert("src/testing.rs".into());
            f
        };
        let before = self.entries.len();
        if old.http_method != new.http_method || old.path != new.path {
            let text = format!("`{} {}` → `{} {}`", old.http_method, old.path, new.http_method, new.path);
            self.push("Operations", item, Impact::Breaking, text, with_mock.clone());
        }
        self.params(item, &old.params, &new.params, &file);
        let body_ty = |o: &Operation| {
            o.body.as_ref().map(|b| (b.ty.clone(), b.required, json(&b.required_parts), json(&b.optional_parts)))
        };
        match (body_ty(old), body_ty(new)) {
            (None, Some((ty, required, ..))) => {
                let impact = if required { Impact::Breaking } else { Impact::Additive };
                self.push("Operations", item, impact, format!("request body `{ty}` added"), with_mock.clone());
            }
            (Some(_), None) => {
                self.push("Operations", item, Impact::Breaking, "request body removed", with_mock.clone())
            }
            (Some(x), Some(y)) if x != y => {
                let text = format!("request body `{}` → `{}`", x.0, y.0);
                self.push("Operations", item, Impact::Breaking, text, with_mock.clone());
            }
            _ => {}
        }
        if old.response_ty != new.response_ty {
            let text = format!("response `{}` → `{}`", old.response_ty, new.response_ty);
            self.push("Operations", item, Impact::Breaking, text, with_mock.clone());
        }
        if old.error_ty != new.error_ty {
            let text = format!("error `{}` → `{}`", old.error_ty, new.error_ty);
            self.push("Operations", item, Impact::Breaking, text, with_mock.clone());
        }
        match (&old.pagination, &new.pagination) {
            (None, Some(p)) => self.push(
                "Operations",
                item,
                Impact::Additive,
                format!("`into_stream()` added (follows `{}`)", p.cursor_param),
                file.clone(),
            ),
            (Some(_), None) => self.push("Operations", item, Impact::Breaking, "`into_stream()` removed", file.clone()),
            (Some(x), Some(y)) if json(x) != json(y) => {
                let text = format!(
                    "`into_stream()` follows `{}` ({:?}) → `{}` ({:?})",
                    x.cursor_param, x.direction, y.cursor_param, y.direction
                );
                self.push("Operations", item, Impact::Breaking, text, file.clone());
            }
            _ => {}
        }
        if old.docs != new.docs {
            self.push("Operations", item, Impact::Docs, "documentation changed", file.clone());
        }
        if old.success_example != new.success_example {
            self.push(
                "Operations",
                item,
                Impact::Docs,
                "example of the success response changed",
                files(&["src/testing.rs"]),
            );
        }
        if old.success_status != new.success_status {
            let text = format!("success status {} → {}", old.success_status, new.success_status);
            self.push("Operations", item, Impact::Additive, text, files(&["src/testing.rs"]));
        }
        if old.accept != new.accept || old.redirects != new.redirects || old.empty_ok != new.empty_ok {
            self.push(
                "Operations",
                item,
                Impact::Additive,
                "documented response media types or statuses changed",
                file.clone(),
            );
        }
        let mut all = with_mock;
        if old.module != new.module {
            all.insert(format!("src/operations/{}.rs", old.module));
            all.insert("src/operations/mod.rs".into());
        }
        self.fallback("Operations", item, before, json(old) != json(new), all);
    }

    fn params(&mut self, item: &str, old: &[Param], new: &[Param], file: &BTreeSet<String>) {
        let (a, b) = (by(old, |p| &p.rust_name), by(new, |p| &p.rust_name));
        for (name, param) in &b {
            match a.get(name) {
                None => {
                    let (impact, how) = if param.required {
                        (Impact::Breaking, "a new argument")
                    } else {
                        (Impact::Additive, "a new setter")
                    };
                    self.push("Operations", item, impact, format!("parameter `{name}` added ({how})"), file.clone());
                }
                Some(before) => {
                    if before.ty != param.ty || before.required != param.required || before.wire_name != param.wire_name
                    {
                        let shown =
                            |p: &Param| format!("{} `{}`", if p.required { "required" } else { "optional" }, p.ty);
                        let text = format!("parameter `{name}`: {} → {}", shown(before), shown(param));
                        self.push("Operations", item, Impact::Breaking, text, file.clone());
                    }
                    if json(&before.checks.iter().map(|c| &c.rule).collect::<Vec<_>>())
                        != json(&param.checks.iter().map(|c| &c.rule).collect::<Vec<_>>())
                    {
                        self.push(
                            "Operations",
                            item,
                            Impact::Breaking,
                            format!("parameter `{name}`: constraints changed"),
                            file.clone(),
                        );
                    }
                    if before.docs != param.docs {
                        self.push(
                            "Operations",
                            item,
                            Impact::Docs,
                            format!("parameter `{name}` documentation changed"),
                            file.clone(),
                        );
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Operations", item, Impact::Breaking, format!("parameter `{name}` removed"), file.clone());
        }
        let positional = |ps: &[Param]| ps.iter().filter(|p| p.required).map(|p| p.rust_name.clone()).collect();
        self.reordered("Operations", item, "required arguments", positional(old), positional(new), file);
    }

    /// Positional arguments kept on both sides but in another order: a caller's values
    /// of the same type would silently swap, so it is breaking.
    fn reordered(
        &mut self,
        section: &'static str,
        item: &str,
        what: &str,
        old: Vec<String>,
        new: Vec<String>,
        file: &BTreeSet<String>,
    ) {
        let kept = |from: &[String], other: &[String]| -> Vec<String> {
            from.iter().filter(|n| other.contains(n)).cloned().collect()
        };
        let (before, after) = (kept(&old, &new), kept(&new, &old));
        if before != after {
            let text = format!("{what} reordered: ({}) → ({})", before.join(", "), after.join(", "));
            self.push(section, item, Impact::Breaking, text, file.clone());
        }
    }

    fn webhooks(&mut self, old: &[Webhook], new: &[Webhook]) {
        let (a, b) = (by(old, |w| &w.function), by(new, |w| &w.function));
        let file = || files(&["src/webhooks.rs"]);
        for (name, hook) in &b {
            let item = format!("webhook `{}` (`webhooks::{name}`)", hook.name);
            match a.get(name) {
                None => self.push(
                    "Webhooks",
                    &item,
                    Impact::Additive,
                    format!("added (payload `{}`)", hook.payload_ty),
                    file(),
                ),
                Some(before) => {
                    if before.payload_ty != hook.payload_ty {
                        let text = format!("payload `{}` → `{}`", before.payload_ty, hook.payload_ty);
                        self.push("Webhooks", &item, Impact::Breaking, text, file());
                    }
                    if before.docs != hook.docs || before.name != hook.name || before.http_method != hook.http_method {
                        self.push("Webhooks", &item, Impact::Docs, "documentation changed", file());
                    }
                }
            }
        }
        for (name, hook) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            self.push(
                "Webhooks",
                &format!("webhook `{}` (`webhooks::{name}`)", hook.name),
                Impact::Breaking,
                "removed",
                file(),
            );
        }
    }

    /// An item whose IR differs in a way no entry above describes still changed its
    /// generated code: say so, so no changed file goes unexplained.
    fn fallback(&mut self, section: &'static str, item: &str, before: usize, differs: bool, files: BTreeSet<String>) {
        if differs && self.entries.len() == before {
            self.push(section, item, Impact::Additive, "generated code changed, its public items did not", files);
        }
    }
}

fn kind_name(kind: &ModelKind) -> &'static str {
    match kind {
        ModelKind::Struct(_) => "struct",
        ModelKind::StringEnum(_) => "enum",
        ModelKind::Union(_) => "union",
    }
}
