//! What changed for callers between two generated crates, read from their IRs (so it
//! names exactly the public items of the crate that changed, in the Rust names users
//! see).
//!
//! Every field of the IR is compared (each IR struct is destructured whole, so a field
//! added to the IR does not compile here until it is classified), and each difference
//! is one entry:
//! - *breaking*: callers may stop compiling, or calls change meaning (a new required
//!   argument, a removed or retyped field, a changed signature, a removed variant);
//! - *additive*: callers keep compiling and working (structs, enums and unions are
//!   `#[non_exhaustive]`, so new fields and variants are additive);
//! - *deprecated*: an item is now marked deprecated (callers get a warning);
//! - *docs-only*: documentation and examples;
//! - *internal*: generated code changed but no public item did (a file renamed, a
//!   branch recognised differently).
//!
//! Entries also name the generated files they account for, so a test can check the
//! report against the files that really changed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{
    Api, AuthMethod, BodyContent, EnumVariant, Field, FormPart, Krate, Model, ModelKind, Operation, Pagination, Param,
    Presence, RequestBody, SchemeKind, SecurityScheme, Server, Shape, StringEnum, Struct, Success, Ty, Union,
    UnionVariant, Webhook,
};
use crate::layout;
use crate::render::{Models, rust_ty};

/// Effect of a change on callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Impact {
    /// Callers may stop compiling, or calls change meaning.
    Breaking,
    /// Callers keep compiling and working.
    Additive,
    /// An item is now deprecated: callers keep compiling, with a warning.
    Deprecated,
    /// Documentation or examples only.
    Docs,
    /// Generated code changed, no public item did.
    Internal,
}

impl Impact {
    /// The word the report uses.
    pub fn label(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Deprecated => "deprecated",
            Impact::Docs => "docs-only",
            Impact::Internal => "internal",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    /// Section: `Crate`, `Servers`, `Authentication`, `Models`, `Operations`, `Webhooks`.
    pub section: &'static str,
    /// The item, e.g. ``operation `post_message` `` (the sort key).
    pub item: String,
    /// What changed, in words that differ on both sides.
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
        .filter(|path| !layout::is_runtime(path) && old.get(*path) != new.get(*path))
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

    /// Whether any entry is breaking.
    pub fn breaking(&self) -> bool {
        self.count(Impact::Breaking) > 0
    }

    /// Markdown for a pull request; the last line is
    /// `Summary: N breaking, M additive, D deprecated, K docs-only, I internal`.
    pub fn render(&self, old_label: &str, new_label: &str, listed: Listed) -> String {
        let mut out = format!("## API changes: {old_label} → {new_label}\n");
        let mut section = "";
        let shown = |e: &&Entry| match listed {
            Listed::Everything => true,
            Listed::Public => e.impact != Impact::Internal,
            Listed::Breaking => e.impact == Impact::Breaking,
        };
        for entry in self.entries.iter().filter(shown) {
            if entry.section != section {
                section = entry.section;
                let _ = writeln!(out, "### {section}");
            }
            let _ = writeln!(out, "- {}: {}: {}", entry.impact.label(), entry.item, entry.text);
        }
        let hidden = match listed {
            Listed::Everything => "",
            Listed::Public => " (internal ones not listed)",
            Listed::Breaking => " (only breaking ones listed)",
        };
        let _ = writeln!(
            out,
            "Summary: {} breaking, {} additive, {} deprecated, {} docs-only, {} internal{hidden}",
            self.count(Impact::Breaking),
            self.count(Impact::Additive),
            self.count(Impact::Deprecated),
            self.count(Impact::Docs),
            self.count(Impact::Internal)
        );
        out
    }
}

/// A call's positional arguments before and after (see `Cx::arguments`).
struct Call {
    /// `Model::new` or `client.method`.
    callee: String,
    /// The first entry pushed for the item whose arguments these are.
    since: usize,
    old: Vec<String>,
    new: Vec<String>,
}

/// Which entries [`Report::render`] lists (the summary line counts them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Every entry, internal ones too (tests, `api-diff --internal`).
    Everything,
    /// What users of the crate see: internal entries (generated code with no public
    /// item changed) are only counted. `api-diff`'s default, for a PR summary.
    Public,
    /// Breaking entries only (`api-diff --breaking-only`).
    Breaking,
}

/// The changes from `old` to `new`. `changed` are the generated files whose text
/// differs between the two (see [`crate::api_diff`], which renders both to find them):
/// a change of an item is also seen where other items print it, and those files are
/// named only if they changed.
pub fn compare(old: &Api, new: &Api, changed: BTreeSet<String>) -> Report {
    let mut cx = Cx { entries: Vec::new(), old, new, changed };
    // The API's usual error body is compared where operations use it; the crate-level
    // facts (recursion limit, key header) in `derived`.
    let Api {
        krate,
        servers,
        security,
        models,
        operations,
        tags,
        webhooks,
        scopes,
        default_error: _,
        recursion_limit: _,
        key_header: _,
        left_out,
    } = new;
    cx.krate(&old.krate, krate);
    cx.servers(&old.servers, servers);
    cx.security(&old.security, security);
    cx.models(&old.models, models);
    cx.operations(&old.operations, operations);
    cx.webhooks(&old.webhooks, webhooks);
    cx.tags(&old.tags, tags);
    cx.scopes(&old.scopes, scopes);
    cx.left_out(&old.left_out, left_out);
    cx.derived();
    let mut entries = cx.entries;
    entries.sort();
    entries.dedup();
    Report { entries, versions: (old.krate.api_version.clone(), new.krate.api_version.clone()) }
}

struct Cx<'a> {
    entries: Vec<Entry>,
    old: &'a Api,
    new: &'a Api,
    /// The files whose text differs: a change of an item is also seen where other items
    /// print it (an enum's values in the docs of the operations taking it, a model's
    /// required fields in their examples), and those files are named only if they did.
    changed: BTreeSet<String>,
}

/// A scheme as users see it: its name and the builder methods it gives.
fn scheme_item(scheme: &SecurityScheme) -> String {
    if scheme.methods.is_empty() {
        format!("security scheme `{}`", scheme.name)
    } else {
        format!("security scheme `{}` ({})", scheme.name, method_list(&scheme.methods))
    }
}

/// `ClientBuilder::a`, `ClientBuilder::b`.
fn method_list(methods: &[AuthMethod]) -> String {
    methods.iter().map(|m| format!("`ClientBuilder::{}`", m.name)).collect::<Vec<_>>().join(", ")
}

fn files(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|f| f.to_string()).collect()
}

/// Items by a key, for matching both sides.
fn by<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> BTreeMap<&'a str, &'a T> {
    items.iter().map(|item| (key(item), item)).collect()
}

fn ty(t: &Ty) -> String {
    rust_ty(t, Models::Qualified)
}

fn model_file(m: &Model) -> String {
    layout::model(m)
}

fn op_file(o: &Operation) -> String {
    layout::operation(o)
}

/// The file of the group an operation is listed under (its `Client` method and docs).
fn tag_file(api: &Api, o: &Operation) -> String {
    layout::tag_module(api.group(o).map_or("other", |t| t.module.as_str()))
}

/// Every file of a crate, for changes that touch them all (the preamble).
fn all_files(api: &Api) -> BTreeSet<String> {
    let mut out = files(&[
        layout::CARGO_TOML,
        layout::README,
        layout::LIB,
        layout::AUTH,
        layout::SERVER,
        layout::WEBHOOKS,
        layout::TESTING,
        layout::MODELS_MOD,
        layout::OPERATIONS_MOD,
        layout::ENV,
    ]);
    if !api.scopes.is_empty() {
        out.insert(layout::SCOPES.to_string());
    }
    out.extend(api.tags.iter().map(layout::tag));
    out.extend(api.models.iter().map(model_file));
    out.extend(api.operations.iter().map(op_file));
    out.extend(api.krate.examples.iter().map(|e| layout::example(&e.name)));
    out
}

/// The files that name `model` (besides its own): models holding it, operations
/// sending or receiving it, the webhooks and test doubles.
fn dependents(api: &Api, model: &str) -> BTreeSet<String> {
    let names = |t: &Ty| t.models().contains(&model);
    let mut out = BTreeSet::new();
    for m in &api.models {
        let named = match &m.kind {
            ModelKind::Struct(s) => s.fields.iter().any(|f| names(&f.ty)),
            ModelKind::Union(u) => u.variants.iter().any(|v| names(&v.ty)),
            ModelKind::StringEnum(_) => false,
        };
        if named && m.name != model {
            out.insert(model_file(m));
        }
    }
    for o in &api.operations {
        let mut types: Vec<&Ty> = o.params.iter().map(|p| &p.ty).collect();
        types.extend(o.success.ty.iter().chain(api.error_body(o)));
        if let Some(body) = &o.body {
            types.extend(body.content.types());
        }
        if types.into_iter().any(names) {
            out.insert(op_file(o));
            out.insert(tag_file(api, o));
        }
    }
    if api.webhooks.iter().any(|w| names(&w.payload)) {
        out.insert(layout::WEBHOOKS.into());
    }
    out
}

impl Cx<'_> {
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

    fn krate(&mut self, a: &Krate, b: &Krate) {
        let Krate {
            package,
            lib,
            spec_file,
            command,
            title,
            api_version,
            summary,
            description,
            keywords,
            docs,
            standalone,
            guide,
            examples,
            version,
            repository,
            documentation,
            changelog,
            env_prefix,
        } = b;
        let item = "crate";
        if env_prefix != &a.env_prefix {
            let text = format!(
                "`Client::from_env` reads `{env_prefix}_...` variables, not `{}_...` (a program relying on them may now miss a variable)",
                a.env_prefix
            );
            self.push("Crate", item, Impact::Breaking, text, files(&[layout::ENV]));
        }
        if version != &a.version {
            let text = format!("version {} → {version}", a.version);
            self.push("Crate", item, Impact::Internal, text, files(&[layout::CARGO_TOML]));
        }
        if (repository, documentation) != (&a.repository, &a.documentation) {
            self.push(
                "Crate",
                item,
                Impact::Docs,
                "repository or documentation URL changed",
                files(&[layout::CARGO_TOML]),
            );
        }
        if changelog != &a.changelog {
            self.push("Crate", item, Impact::Docs, "changelog changed", files(&[layout::CHANGELOG]));
        }
        if (package, lib) != (&a.package, &a.lib) {
            let text = format!("package `{}` → `{package}` (callers name the crate differently)", a.package);
            self.push("Crate", item, Impact::Breaking, text, all_files(self.new));
        }
        if (spec_file, command) != (&a.spec_file, &a.command) {
            let text =
                format!("generated by `{}` from `{}` → by `{command}` from `{spec_file}`", a.command, a.spec_file);
            let mut all = all_files(self.old);
            all.extend(all_files(self.new));
            self.push("Crate", item, Impact::Internal, text, all);
        }
        if api_version != &a.api_version {
            let text = format!("API version {} → {api_version}", a.api_version);
            self.push("Crate", item, Impact::Docs, text, files(&[layout::LIB, layout::README, layout::API_MD]));
        }
        if title != &a.title {
            let text = format!("title `{}` → `{title}`", a.title);
            self.push("Crate", item, Impact::Docs, text, files(&[layout::LIB, layout::README, layout::API_MD]));
        }
        if summary != &a.summary {
            let text = format!("summary `{}` → `{summary}`", a.summary);
            self.push("Crate", item, Impact::Docs, text, files(&[layout::LIB, layout::README]));
        }
        if description != &a.description || keywords != &a.keywords || standalone != &a.standalone {
            self.push(
                "Crate",
                item,
                Impact::Docs,
                "package metadata changed (description, keywords or workspace table)",
                files(&[layout::CARGO_TOML]),
            );
        }
        if docs != &a.docs {
            self.push("Crate", item, Impact::Docs, "crate documentation changed", files(&[layout::LIB]));
        }
        if guide != &a.guide {
            self.push("Crate", item, Impact::Docs, "guide changed", files(&[layout::LIB, layout::README]));
        }
        let (x, y) = (by(&a.examples, |e| &e.name), by(examples, |e| &e.name));
        for (name, example) in &y {
            let file = files(&[&layout::example(name)]);
            match x.get(name) {
                None => self.push("Crate", item, Impact::Docs, format!("example `{name}` added"), file),
                Some(before) if (&before.source, &before.features) != (&example.source, &example.features) => {
                    let mut file = file;
                    if before.features != example.features {
                        file.insert(layout::CARGO_TOML.into());
                    }
                    self.push("Crate", item, Impact::Docs, format!("example `{name}` changed"), file);
                }
                Some(_) => {}
            }
        }
        for name in x.keys().filter(|n| !y.contains_key(*n)) {
            self.push(
                "Crate",
                item,
                Impact::Docs,
                format!("example `{name}` removed"),
                files(&[&layout::example(name)]),
            );
        }
    }

    fn servers(&mut self, old: &[Server], new: &[Server]) {
        let (a, b) = (by(old, |s| &s.variant), by(new, |s| &s.variant));
        let file = || files(&[layout::SERVER]);
        for (name, server) in &b {
            let Server { variant: _, docs, url, parts } = server;
            let item = format!("server `Server::{name}`");
            match a.get(name) {
                None => self.push("Servers", &item, Impact::Additive, format!("added (`{url}`)"), file()),
                Some(before) => {
                    let vars = |s: &Server| {
                        s.parts
                            .iter()
                            .filter_map(|p| match p {
                                crate::ir::UrlPart::Variable(v) => Some(v.rust_name.clone()),
                                crate::ir::UrlPart::Literal(_) => None,
                            })
                            .collect::<Vec<_>>()
                    };
                    if vars(before) != vars(server) {
                        let text = format!(
                            "fields ({}) → ({}) (constructing the variant changes)",
                            vars(before).join(", "),
                            vars(server).join(", ")
                        );
                        self.push("Servers", &item, Impact::Breaking, text, file());
                    } else if &before.url != url {
                        let text = format!("URL `{}` → `{url}`", before.url);
                        self.push("Servers", &item, Impact::Breaking, text, file());
                    } else if &before.docs != docs || &before.parts != parts {
                        self.push("Servers", &item, Impact::Docs, "documentation changed", file());
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Servers", &format!("server `Server::{name}`"), Impact::Breaking, "removed", file());
        }
        // `Client::from_env` connects to the first server, reading its variables.
        let default = |servers: &[Server]| {
            servers.first().map(|s| {
                let vars: Vec<String> = s
                    .parts
                    .iter()
                    .filter_map(|p| match p {
                        crate::ir::UrlPart::Variable(v) => Some(format!("{} ({})", v.rust_name, v.wire_name)),
                        crate::ir::UrlPart::Literal(_) => None,
                    })
                    .collect();
                (s.variant.clone(), vars)
            })
        };
        let (was, now) = (default(old), default(new));
        if was != now {
            let shown = |d: &Option<(String, Vec<String>)>| match d {
                None => "none (`BASE_URL` required)".to_string(),
                Some((variant, vars)) if vars.is_empty() => format!("`Server::{variant}`"),
                Some((variant, vars)) => format!("`Server::{variant}` with {}", vars.join(", ")),
            };
            let text = format!(
                "without a base URL it connects to {} → {} (a program relying on it may now miss a variable)",
                shown(&was),
                shown(&now)
            );
            self.push("Servers", "`Client::from_env`", Impact::Breaking, text, files(&[layout::ENV]));
        }
    }

    fn security(&mut self, old: &[SecurityScheme], new: &[SecurityScheme]) {
        let first = self.entries.len();
        self.security_entries(old, new);
        // The operations' docs name each scheme's builder methods.
        let mut docs = BTreeSet::new();
        for api in [self.old, self.new] {
            for op in &api.operations {
                docs.insert(tag_file(api, op));
            }
        }
        docs.insert(layout::LIB.to_string());
        // `Client::from_env` reads the credentials of the text-only schemes.
        docs.insert(layout::ENV.to_string());
        let extra: BTreeSet<String> = docs.intersection(&self.changed).cloned().collect();
        for entry in &mut self.entries[first..] {
            entry.files.extend(extra.iter().cloned());
        }
    }

    fn security_entries(&mut self, old: &[SecurityScheme], new: &[SecurityScheme]) {
        let (a, b) = (by(old, |s| &s.name), by(new, |s| &s.name));
        let file = || files(&[layout::AUTH]);
        let describe = |kind: &SchemeKind| match kind {
            SchemeKind::Basic => "HTTP Basic".to_string(),
            SchemeKind::Bearer { jwt: Some(jwt), .. } => format!(
                "bearer token or minted JWT ({} {})",
                jwt.claim,
                jwt.scopes.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join("/")
            ),
            SchemeKind::Bearer { jwt: None, .. } => "bearer token".to_string(),
            SchemeKind::ApiKey { location, name } => format!("API key in {location:?} `{name}`"),
            SchemeKind::Other { kind } => format!("`{kind}` (caller-supplied)"),
        };
        for (name, scheme) in &b {
            let SecurityScheme { name: _, docs, kind, methods } = scheme;
            let item = scheme_item(scheme);
            match a.get(name) {
                None => {
                    self.push("Authentication", &item, Impact::Additive, format!("added: {}", describe(kind)), file())
                }
                Some(before) => {
                    if &before.kind != kind {
                        let text = format!("{} → {}", describe(&before.kind), describe(kind));
                        self.push("Authentication", &item, Impact::Breaking, text, file());
                    } else if &before.docs != docs {
                        self.push("Authentication", &item, Impact::Docs, "documentation changed", file())
                    }
                    self.auth_methods(&item, &before.methods, methods);
                }
            }
        }
        for (_, scheme) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let text = if scheme.methods.is_empty() {
                "removed".to_string()
            } else {
                format!("removed ({} gone)", method_list(&scheme.methods))
            };
            self.push("Authentication", &scheme_item(scheme), Impact::Breaking, text, file());
        }
    }

    /// The builder methods of one scheme and the variables `from_env` reads for them.
    fn auth_methods(&mut self, item: &str, old: &[AuthMethod], new: &[AuthMethod]) {
        let file = || files(&[layout::AUTH]);
        for method in new {
            match old.iter().find(|m| m.name == method.name) {
                None => {
                    let text = format!("{} added", method_list(std::slice::from_ref(method)));
                    self.push("Authentication", item, Impact::Additive, text, file());
                }
                Some(before) if before.kind != method.kind => {
                    let text = format!(
                        "`ClientBuilder::{}` takes {:?} → {:?} credentials",
                        method.name, before.kind, method.kind
                    );
                    self.push("Authentication", item, Impact::Breaking, text, file());
                }
                Some(_) => {}
            }
        }
        for method in old.iter().filter(|m| !new.iter().any(|n| n.name == m.name)) {
            let text = format!("{} removed", method_list(std::slice::from_ref(method)));
            self.push("Authentication", item, Impact::Breaking, text, file());
        }
        let env = |list: &[AuthMethod]| -> Vec<(String, Vec<String>)> {
            list.iter().filter(|m| !m.env.is_empty()).map(|m| (m.name.clone(), m.env.clone())).collect()
        };
        if env(old) != env(new) {
            let shown = |list: &[(String, Vec<String>)]| {
                let each: Vec<String> = list.iter().map(|(_, vars)| format!("`{}`", vars.join("` + `"))).collect();
                if each.is_empty() { "none".to_string() } else { each.join(", ") }
            };
            let text = format!(
                "`Client::from_env` reads its credentials from {} → {} (a program relying on them may now miss a variable)",
                shown(&env(old)),
                shown(&env(new))
            );
            self.push("Authentication", item, Impact::Breaking, text, files(&[layout::ENV]));
        }
    }

    fn models(&mut self, old: &[Model], new: &[Model]) {
        let (a, b) = (by(old, |m| &m.name), by(new, |m| &m.name));
        for (name, model) in &b {
            let item = format!("model `{name}`");
            match a.get(name) {
                None => {
                    let listed = files(&[&model_file(model), layout::MODELS_MOD, layout::README]);
                    self.push("Models", &item, Impact::Additive, format!("added ({})", kind_name(&model.kind)), listed);
                }
                Some(before) => self.model(&item, before, model),
            }
        }
        for (name, model) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let listed = files(&[&model_file(model), layout::MODELS_MOD, layout::README]);
            self.push("Models", &format!("model `{name}`"), Impact::Breaking, "removed", listed);
        }
    }

    fn model(&mut self, item: &str, old: &Model, new: &Model) {
        let first = self.entries.len();
        self.model_entries(item, old, new);
        // Where the model is printed besides its file (the operations' docs and
        // examples, the models holding it), as far as those files changed.
        let mut seen: BTreeSet<String> = dependents(self.old, &new.name);
        seen.extend(dependents(self.new, &new.name));
        let extra: BTreeSet<String> = seen.intersection(&self.changed).cloned().collect();
        for entry in &mut self.entries[first..] {
            entry.files.extend(extra.iter().cloned());
        }
    }

    fn model_entries(&mut self, item: &str, old: &Model, new: &Model) {
        let Model { name, module, docs, source, in_request, in_response, deprecated, error_text, kind } = new;
        if &old.error_text != error_text {
            let text = match error_text {
                Some(_) => "API errors decoded into it say their messages in `Display`",
                None => "no longer an error body",
            };
            self.push("Models", item, Impact::Internal, text, files(&[&model_file(new)]));
        }
        let mut file = files(&[&model_file(new)]);
        if &old.module != module {
            let mut moved = files(&[&model_file(old), layout::MODELS_MOD]);
            moved.extend(file.iter().cloned());
            self.push(
                "Models",
                item,
                Impact::Internal,
                format!("file `{}` → `{}`", model_file(old), model_file(new)),
                moved,
            );
            file.insert(model_file(old));
        }
        if &old.docs != docs || &old.source != source {
            self.push("Models", item, Impact::Docs, "documentation changed", file.clone());
        }
        if &old.deprecated != deprecated {
            let (impact, text) = if *deprecated {
                (Impact::Deprecated, "now deprecated")
            } else {
                (Impact::Docs, "no longer deprecated")
            };
            self.push("Models", item, impact, text, file.clone());
        }
        if &old.in_request != in_request {
            let (impact, text) = if *in_request {
                (Impact::Additive, "now sent in requests: implements `Validate`")
            } else {
                (Impact::Breaking, "no longer sent in requests: no longer implements `Validate`")
            };
            self.push("Models", item, impact, text, file.clone());
        }
        if &old.in_response != in_response {
            let text = if *in_response { "now received in responses" } else { "no longer received in responses" };
            let changed = self.changed.contains(&model_file(new));
            self.push("Models", item, Impact::Internal, text, if changed { file.clone() } else { BTreeSet::new() });
        }
        match (&old.kind, kind) {
            (ModelKind::Struct(a), ModelKind::Struct(b)) => self.strukt(item, name, a, b, &file),
            (ModelKind::StringEnum(a), ModelKind::StringEnum(b)) => self.string_enum(item, a, b, &file),
            (ModelKind::Union(a), ModelKind::Union(b)) => self.union(item, a, b, &file),
            _ => {
                let mut all = file.clone();
                all.extend(dependents(self.old, name));
                all.extend(dependents(self.new, name));
                let text = format!("{} → {}", kind_name(&old.kind), kind_name(kind));
                self.push("Models", item, Impact::Breaking, text, all);
            }
        }
    }

    fn strukt(&mut self, item: &str, name: &str, a: &Struct, b: &Struct, file: &BTreeSet<String>) {
        let Struct { fields, tag, extra, constructors, conversions } = b;
        let (x, y) = (by(&a.conversions, |c| &c.from), by(conversions, |c| &c.from));
        for (from, c) in &y {
            match x.get(from) {
                None => {
                    let text = format!("`From<&{from}>` added (read, change, send back)");
                    self.push("Models", item, Impact::Additive, text, file.clone());
                }
                Some(was) if was != c => {
                    let text = format!("`From<&{from}>` takes other fields");
                    self.push("Models", item, Impact::Internal, text, file.clone());
                }
                Some(_) => {}
            }
        }
        for from in x.keys().filter(|k| !y.contains_key(*k)) {
            let text = format!("`From<&{from}>` removed (the models no longer share their members)");
            self.push("Models", item, Impact::Breaking, text, file.clone());
        }
        match (&a.extra, extra) {
            (None, Some(name)) => {
                let text = format!("keeps undeclared members (field `{name}`)");
                self.push("Models", item, Impact::Additive, text, file.clone());
            }
            (Some(name), None) => {
                let text = format!("no longer keeps undeclared members (field `{name}` removed)");
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            (Some(was), Some(now)) if was != now => {
                let text = format!("undeclared members kept in `{was}` → `{now}`");
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            _ => {}
        }
        let (x, y) = (by(&a.constructors, |c| &c.method), by(constructors, |c| &c.method));
        for (method, c) in &y {
            match x.get(method) {
                None => {
                    let text = format!("constructor `{method}()` added (`{}` = `{}`)", c.field, c.value);
                    self.push("Models", item, Impact::Additive, text, file.clone());
                }
                Some(was) if was.value != c.value || was.field != c.field => {
                    let text = format!(
                        "constructor `{method}()` sets `{}` = `{}` → `{}` = `{}`",
                        was.field, was.value, c.field, c.value
                    );
                    self.push("Models", item, Impact::Breaking, text, file.clone());
                }
                Some(_) => {}
            }
        }
        for method in x.keys().filter(|k| !y.contains_key(*k)) {
            self.push("Models", item, Impact::Breaking, format!("constructor `{method}()` removed"), file.clone());
        }
        if &a.tag != tag {
            let shown = |t: &Option<crate::ir::StructTag>| {
                t.as_ref().map_or("no tag".to_string(), |t| format!("`\"{}\": \"{}\"`", t.property, t.value))
            };
            let text = format!("the discriminator it sends: {} → {}", shown(&a.tag), shown(tag));
            self.push("Models", item, Impact::Breaking, text, file.clone());
        }
        self.fields(item, name, &a.fields, fields, file);
    }

    fn fields(&mut self, item: &str, model: &str, old: &[Field], new: &[Field], file: &BTreeSet<String>) {
        let since = self.entries.len();
        let (a, b) = (by(old, |f| &f.rust_name), by(new, |f| &f.rust_name));
        for (name, field) in &b {
            let Some(before) = a.get(name) else {
                let (impact, how) = match field.presence {
                    Presence::Required => (Impact::Breaking, "required: `new` takes it"),
                    _ => (Impact::Additive, "optional"),
                };
                self.push("Models", item, impact, format!("field `{name}` added ({how})"), file.clone());
                continue;
            };
            let Field {
                rust_name: _,
                wire_name,
                docs,
                ty: t,
                required,
                presence: p,
                indirect,
                read_only,
                write_only,
                deprecated,
                constraints,
                setter,
                clear_setter,
                each_on_its_own,
            } = field;
            let held = |f: &Field| crate::render::rust_field_ty(f);
            if (&before.ty, &before.presence, &before.indirect) != (t, p, indirect) {
                let text = format!("field `{name}`: `{}` → `{}`", held(before), held(field));
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            if &before.wire_name != wire_name {
                let text = format!("field `{name}` sent as `{}` → `{wire_name}`", before.wire_name);
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            if (&before.required, &before.read_only, &before.write_only) != (required, read_only, write_only)
                && (&before.ty, &before.presence) == (t, p)
            {
                let flags = |f: &Field| {
                    let mut list = vec![if f.required { "required" } else { "optional" }];
                    if f.read_only {
                        list.push("read-only");
                    }
                    if f.write_only {
                        list.push("write-only");
                    }
                    list.join(", ")
                };
                let text = format!("field `{name}`: {} → {} on the wire", flags(before), flags(field));
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            match (&before.setter, setter) {
                (Some(x), Some(y)) if x != y => {
                    self.push("Models", item, Impact::Breaking, format!("setter `{x}()` renamed `{y}()`"), file.clone())
                }
                (Some(x), None) => {
                    self.push("Models", item, Impact::Breaking, format!("setter `{x}()` removed"), file.clone())
                }
                (None, Some(y)) => {
                    self.push("Models", item, Impact::Additive, format!("setter `{y}()` added"), file.clone())
                }
                _ => {}
            }
            match (&before.clear_setter, clear_setter) {
                (Some(x), Some(y)) if x != y => {
                    self.push("Models", item, Impact::Breaking, format!("setter `{x}()` renamed `{y}()`"), file.clone())
                }
                (Some(x), None) => {
                    self.push("Models", item, Impact::Breaking, format!("setter `{x}()` removed"), file.clone())
                }
                (None, Some(y)) => {
                    self.push("Models", item, Impact::Additive, format!("setter `{y}()` added"), file.clone())
                }
                _ => {}
            }
            if &before.constraints != constraints {
                let text = format!(
                    "field `{name}`: constraints {} → {}",
                    constraints_text(&before.constraints),
                    constraints_text(constraints)
                );
                // Looser constraints accept everything that passed before.
                let impact = if looser(&before.constraints, constraints) { Impact::Additive } else { Impact::Breaking };
                self.push("Models", item, impact, text, file.clone());
            }
            if &before.deprecated != deprecated {
                let (impact, text) = if *deprecated {
                    (Impact::Deprecated, format!("field `{name}` now deprecated"))
                } else {
                    (Impact::Docs, format!("field `{name}` no longer deprecated"))
                };
                self.push("Models", item, impact, text, file.clone());
            }
            if &before.each_on_its_own != each_on_its_own {
                let text = if *each_on_its_own {
                    format!("field `{name}`: each element now decodes on its own")
                } else {
                    format!("field `{name}`: elements no longer decode on their own")
                };
                self.push("Models", item, Impact::Internal, text, file.clone());
            }
            if &before.docs != docs {
                self.push("Models", item, Impact::Docs, format!("field `{name}` documentation changed"), file.clone());
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Models", item, Impact::Breaking, format!("field `{name}` removed"), file.clone());
        }
        let positional = |fs: &[Field]| {
            fs.iter().filter(|f| f.presence == Presence::Required).map(|f| f.rust_name.clone()).collect()
        };
        let callee = format!("{model}::new");
        self.arguments("Models", item, Call { callee, since, old: positional(old), new: positional(new) }, file);
    }

    fn string_enum(&mut self, item: &str, a: &StringEnum, b: &StringEnum, file: &BTreeSet<String>) {
        let StringEnum { variants, other } = b;
        let wire = |vs: &[EnumVariant]| {
            vs.iter().map(|v| (v.wire_name.clone(), v.rust_name.clone())).collect::<BTreeMap<_, _>>()
        };
        let (x, y) = (wire(&a.variants), wire(variants));
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
        if &a.other != other {
            self.push(
                "Models",
                item,
                Impact::Breaking,
                format!("catch-all `{}` renamed `{other}`", a.other),
                file.clone(),
            );
        }
        let order = |vs: &[EnumVariant]| vs.iter().map(|v| v.wire_name.clone()).collect::<Vec<_>>();
        if order(&a.variants) != order(variants) && x.keys().collect::<Vec<_>>() == y.keys().collect::<Vec<_>>() {
            self.push("Models", item, Impact::Docs, "values listed in another order", file.clone());
        }
    }

    fn union(&mut self, item: &str, a: &Union, b: &Union, file: &BTreeSet<String>) {
        let Union { variants, tag, other, shared, scalar } = b;
        let (x, y) = (by(&a.variants, |v| &v.rust_name), by(variants, |v| &v.rust_name));
        for (name, variant) in &y {
            let Some(old) = x.get(name) else {
                self.push("Models", item, Impact::Additive, format!("variant `{name}` added"), file.clone());
                continue;
            };
            let UnionVariant { rust_name: _, ty: t, indirect, docs, tags, from, shape, accessor } = variant;
            let held = |v: &UnionVariant| {
                let written = ty(&v.ty);
                if v.indirect { format!("Box<{written}>") } else { written }
            };
            if (&old.ty, &old.indirect) != (t, indirect) {
                let text = format!("variant `{name}` holds `{}` → `{}`", held(old), held(variant));
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            if &old.tags != tags {
                let text = format!("variant `{name}` chosen by tags [{}] → [{}]", old.tags.join(", "), tags.join(", "));
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            match (&old.from, from) {
                (true, false) => self.push(
                    "Models",
                    item,
                    Impact::Breaking,
                    format!("`From<{}>` removed (another variant holds the same type)", ty(t)),
                    file.clone(),
                ),
                (false, true) => {
                    self.push("Models", item, Impact::Additive, format!("`From<{}>` added", ty(t)), file.clone())
                }
                _ => {}
            }
            if &old.accessor != accessor {
                let text = format!("accessor `{}()` renamed `{accessor}()`", old.accessor);
                self.push("Models", item, Impact::Breaking, text, file.clone());
            }
            if &old.shape != shape {
                let text = format!("variant `{name}` recognised by {} → {}", shape_text(&old.shape), shape_text(shape));
                self.push("Models", item, Impact::Internal, text, file.clone());
            }
            if &old.docs != docs {
                self.push(
                    "Models",
                    item,
                    Impact::Docs,
                    format!("variant `{name}` documentation changed"),
                    file.clone(),
                );
            }
        }
        for name in x.keys().filter(|n| !y.contains_key(*n)) {
            self.push("Models", item, Impact::Breaking, format!("variant `{name}` removed"), file.clone());
        }
        let order = |vs: &[UnionVariant]| vs.iter().map(|v| v.rust_name.clone()).collect::<Vec<_>>();
        if order(&a.variants) != order(variants) && x.keys().collect::<Vec<_>>() == y.keys().collect::<Vec<_>>() {
            let impact = if tag.is_none() { Impact::Internal } else { Impact::Docs };
            self.push("Models", item, impact, "branches listed (and, untagged, tried) in another order", file.clone());
        }
        if &a.tag != tag {
            let shown = |t: &Option<String>| t.as_ref().map_or("none (untagged)".to_string(), |t| format!("`{t}`"));
            let text = format!("discriminator {} → {}", shown(&a.tag), shown(tag));
            self.push("Models", item, Impact::Breaking, text, file.clone());
        }
        if &a.other != other {
            self.push(
                "Models",
                item,
                Impact::Breaking,
                format!("catch-all `{}` renamed `{other}`", a.other),
                file.clone(),
            );
        }
        if a.scalar != *scalar {
            let (impact, text) = if *scalar {
                (Impact::Additive, "written as text now (`Display`): every branch is a scalar")
            } else {
                (Impact::Breaking, "no longer written as text (`Display`): a branch is not a scalar")
            };
            self.push("Models", item, impact, text, file.clone());
        }
        let (before, after) = (by(&a.shared, |c| &c.method), by(shared, |c| &c.method));
        for (method, c) in &after {
            let Some(was) = before.get(method) else {
                let text = format!("accessor `{method}()` added (`{}`)", c.wire_path.join("."));
                self.push("Models", item, Impact::Additive, text, file.clone());
                continue;
            };
            if was.ty != c.ty || was.wire_path != c.wire_path {
                let text = format!(
                    "accessor `{method}()` reads `{}` as `{}` → `{}` as `{}`",
                    was.wire_path.join("."),
                    ty(&was.ty),
                    c.wire_path.join("."),
                    ty(&c.ty)
                );
                self.push("Models", item, Impact::Breaking, text, file.clone());
            } else if was.steps != c.steps {
                let text = format!("accessor `{method}()` reads the variants' fields differently");
                self.push("Models", item, Impact::Internal, text, file.clone());
            }
        }
        for method in before.keys().filter(|k| !after.contains_key(*k)) {
            self.push("Models", item, Impact::Breaking, format!("accessor `{method}()` removed"), file.clone());
        }
    }

    /// The crate docs' list of operations left out (the operation itself is compared
    /// in [`Cx::operations`]: one newly left out is removed).
    fn left_out(&mut self, old: &[crate::ir::LeftOut], new: &[crate::ir::LeftOut]) {
        let (a, b) = (by(old, |o| &o.operation_id), by(new, |o| &o.operation_id));
        for (id, entry) in &b {
            let item = format!("operation `{id}` (`{} {}`)", entry.method, entry.path);
            match a.get(id) {
                Some(before) if before == entry => {}
                Some(_) => self.push(
                    "Crate",
                    &item,
                    Impact::Docs,
                    format!("left out: {}", entry.reason),
                    files(&[layout::LIB]),
                ),
                None => self.push(
                    "Crate",
                    &item,
                    Impact::Docs,
                    format!("now left out: {}", entry.reason),
                    files(&[layout::LIB]),
                ),
            }
        }
        for (id, entry) in a.iter().filter(|(id, _)| !b.contains_key(*id)) {
            let item = format!("operation `{id}` (`{} {}`)", entry.method, entry.path);
            self.push("Crate", &item, Impact::Docs, "no longer left out", files(&[layout::LIB]));
        }
    }

    fn operations(&mut self, old: &[Operation], new: &[Operation]) {
        let (a, b) = (by(old, |o| &o.method_name), by(new, |o| &o.method_name));
        for (name, op) in &b {
            let item = format!("operation `{name}` ({})", op.operation_id);
            match a.get(name) {
                None => {
                    let mut listed =
                        files(&[&op_file(op), layout::OPERATIONS_MOD, layout::TESTING, layout::README, layout::API_MD]);
                    listed.insert(tag_file(self.new, op));
                    let text = format!("added (`{} {}`)", op.method, op.path);
                    self.push("Operations", &item, Impact::Additive, text, listed);
                }
                Some(before) => self.operation(&item, before, op),
            }
        }
        for (name, op) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let mut listed =
                files(&[&op_file(op), layout::OPERATIONS_MOD, layout::TESTING, layout::README, layout::API_MD]);
            listed.insert(tag_file(self.old, op));
            // Callers keep reaching the endpoint while they migrate: the client's
            // escape hatch sends any request with its auth, retries and error decoding.
            let text = format!(
                "removed (`{} {}`); to keep calling it, use `client.send_raw(Method::{}, \"{}\", body, CallOptions::default())`",
                op.method, op.path, op.method, op.path
            );
            self.push(
                "Operations",
                &format!("operation `{name}` ({})", op.operation_id),
                Impact::Breaking,
                text,
                listed,
            );
        }
    }

    fn operation(&mut self, item: &str, old: &Operation, new: &Operation) {
        let Operation {
            operation_id,
            method_name: _,
            builder,
            mock_marker,
            mock_method,
            module,
            summary,
            description,
            tags,
            group,
            deprecated,
            method,
            idempotent,
            path,
            path_parts,
            params,
            body,
            responses,
            success,
            error,
            accept,
            security,
            pagination,
            request_example,
        } = new;
        // Where an operation's text lives: its builder (op file), its `Client` method and
        // docs (its group's file), its test double, the API reference.
        let mut builder_file = files(&[&op_file(new)]);
        let docs: BTreeSet<String> = [tag_file(self.old, old), tag_file(self.new, new)].into();
        let mock = files(&[layout::TESTING]);
        let reference = files(&[layout::API_MD]);
        let join =
            |sets: &[&BTreeSet<String>]| -> BTreeSet<String> { sets.iter().flat_map(|s| s.iter().cloned()).collect() };
        if &old.module != module {
            let moved = files(&[&op_file(old), &op_file(new), layout::OPERATIONS_MOD]);
            let text = format!("file `{}` → `{}`", op_file(old), op_file(new));
            self.push("Operations", item, Impact::Internal, text, moved);
            builder_file.insert(op_file(old));
        }
        if &old.group != group {
            let text = format!("listed under `{}` → `{group}`", old.group);
            self.push("Operations", item, Impact::Docs, text, join(&[&docs, &reference]));
        }
        if &old.operation_id != operation_id {
            let text = format!("operationId `{}` → `{operation_id}`", old.operation_id);
            self.push("Operations", item, Impact::Docs, text, join(&[&builder_file, &docs, &mock]));
        }
        if &old.builder != builder {
            let text = format!("request builder `{}` → `{builder}`", old.builder);
            let listed = join(&[&builder_file, &docs, &files(&[layout::OPERATIONS_MOD])]);
            self.push("Operations", item, Impact::Breaking, text, listed);
        }
        if (&old.mock_marker, &old.mock_method) != (mock_marker, mock_method) {
            let text = format!(
                "test double `testing::{}`/`MockApi::{}` → `testing::{mock_marker}`/`MockApi::{mock_method}`",
                old.mock_marker, old.mock_method
            );
            self.push("Operations", item, Impact::Breaking, text, mock.clone());
        }
        if (&old.method, &old.path) != (method, path) {
            let text = format!("`{} {}` → `{method} {path}`", old.method, old.path);
            self.push("Operations", item, Impact::Breaking, text, join(&[&builder_file, &docs, &mock, &reference]));
        } else if &old.idempotent != idempotent {
            let text = if *idempotent {
                "now retried after 502-504, timeouts and transport errors"
            } else {
                "no longer retried after 502-504, timeouts and transport errors"
            };
            self.push("Operations", item, Impact::Docs, text, docs.clone());
        }
        if (&old.method, &old.path) == (method, path) && &old.path_parts != path_parts {
            self.push("Operations", item, Impact::Internal, "path parameters bound differently", builder_file.clone());
        }
        if &old.deprecated != deprecated {
            let (impact, text) = if *deprecated {
                (Impact::Deprecated, "now deprecated")
            } else {
                (Impact::Docs, "no longer deprecated")
            };
            self.push("Operations", item, impact, text, join(&[&docs, &reference]));
        }
        self.params(item, &new.method_name, &old.params, params, &builder_file, &docs);
        let method = &new.method_name;
        self.body(item, method, old.body.as_ref(), body.as_ref(), &join(&[&builder_file, &docs, &mock]), &docs);
        self.success(item, &old.success, success, &join(&[&builder_file, &docs]), &mock);
        let (was, now) = (self.old.error_body(old), self.new.error_body(new));
        if was != now {
            let shown = |e: Option<&Ty>| e.map_or("serde_json::Value".to_string(), ty);
            let text = format!("error body `{}` → `{}`", shown(was), shown(now));
            self.push("Operations", item, Impact::Breaking, text, join(&[&builder_file, &docs, &mock]));
        } else if &old.error != error {
            let text = if error.is_some() { "error body now documented" } else { "error body no longer documented" };
            self.push("Operations", item, Impact::Docs, text, docs.clone());
        }
        self.pagination(item, old.pagination.as_ref(), pagination.as_ref(), &join(&[&builder_file, &docs]));
        if &old.accept != accept {
            let text = format!("`Accept: {}` → `Accept: {}`", old.accept.join(", "), accept.join(", "));
            self.push("Operations", item, Impact::Additive, text, join(&[&builder_file, &docs]));
        }
        if &old.security != security {
            self.push("Operations", item, Impact::Docs, "accepted credentials changed", docs.clone());
        }
        if &old.summary != summary {
            self.push("Operations", item, Impact::Docs, "summary changed", join(&[&docs, &reference]));
        }
        if (&old.description, &old.tags[1.min(old.tags.len())..]) != (description, &tags[1.min(tags.len())..]) {
            self.push("Operations", item, Impact::Docs, "documentation changed", docs.clone());
        }
        if &old.responses != responses {
            self.push("Operations", item, Impact::Docs, "documented responses changed", docs.clone());
        }
        if &old.request_example != request_example {
            self.push("Operations", item, Impact::Docs, "request example changed", docs.clone());
        }
    }

    fn params(
        &mut self,
        item: &str,
        method: &str,
        old: &[Param],
        new: &[Param],
        builder_file: &BTreeSet<String>,
        docs: &BTreeSet<String>,
    ) {
        let since = self.entries.len();
        let both: BTreeSet<String> = builder_file.union(docs).cloned().collect();
        let (a, b) = (by(old, |p| &p.rust_name), by(new, |p| &p.rust_name));
        for (name, param) in &b {
            let Some(before) = a.get(name) else {
                let (impact, how) = if param.required {
                    (Impact::Breaking, "a new argument")
                } else {
                    (Impact::Additive, "a new setter")
                };
                self.push("Operations", item, impact, format!("parameter `{name}` added ({how})"), both.clone());
                continue;
            };
            let Param {
                rust_name: _,
                wire_name,
                location,
                ty: t,
                required,
                deprecated,
                constraints,
                docs: text,
                example,
            } = param;
            // A setter's docs are in the builder too.
            let documented = if *required && before.required { docs.clone() } else { both.clone() };
            let shown = |p: &Param| format!("{} `{}`", if p.required { "required" } else { "optional" }, ty(&p.ty));
            if (&before.ty, &before.required) != (t, required) {
                let text = format!("parameter `{name}`: {} → {}", shown(before), shown(param));
                self.push("Operations", item, Impact::Breaking, text, both.clone());
            }
            if (&before.wire_name, &before.location) != (wire_name, location) {
                let text = format!(
                    "parameter `{name}` sent as {:?} `{}` → {location:?} `{wire_name}`",
                    before.location, before.wire_name
                );
                self.push("Operations", item, Impact::Breaking, text, both.clone());
            }
            if &before.constraints != constraints {
                let text = format!(
                    "parameter `{name}`: constraints {} → {}",
                    constraints_text(&before.constraints),
                    constraints_text(constraints)
                );
                let impact = if looser(&before.constraints, constraints) { Impact::Additive } else { Impact::Breaking };
                self.push("Operations", item, impact, text, both.clone());
            }
            if &before.deprecated != deprecated {
                let (impact, text) = if *deprecated {
                    (Impact::Deprecated, format!("parameter `{name}` now deprecated"))
                } else {
                    (Impact::Docs, format!("parameter `{name}` no longer deprecated"))
                };
                self.push("Operations", item, impact, text, documented.clone());
            }
            if &before.docs != text {
                self.push(
                    "Operations",
                    item,
                    Impact::Docs,
                    format!("parameter `{name}` documentation changed"),
                    documented.clone(),
                );
            }
            if &before.example != example {
                let text = format!("parameter `{name}` example changed (the operation's doc example)");
                self.push("Operations", item, Impact::Docs, text, docs.clone());
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Operations", item, Impact::Breaking, format!("parameter `{name}` removed"), both.clone());
        }
        let positional = |ps: &[Param]| ps.iter().filter(|p| p.required).map(|p| p.rust_name.clone()).collect();
        self.arguments(
            "Operations",
            item,
            Call { callee: format!("client.{method}"), since, old: positional(old), new: positional(new) },
            &both,
        );
    }

    fn body(
        &mut self,
        item: &str,
        method: &str,
        old: Option<&RequestBody>,
        new: Option<&RequestBody>,
        file: &BTreeSet<String>,
        docs: &BTreeSet<String>,
    ) {
        let shown = |b: &RequestBody| match &b.content {
            BodyContent::Json(t) => format!("{} `{}`", if b.required { "required" } else { "optional" }, ty(t)),
            BodyContent::Form(t) => {
                format!("{} `{}` as a form", if b.required { "required" } else { "optional" }, ty(t))
            }
            BodyContent::Raw { text } => format!(
                "{} `{}`",
                if b.required { "required" } else { "optional" },
                if *text { "String" } else { "bytes::Bytes" }
            ),
            BodyContent::Multipart(parts) => format!(
                "{} form ({})",
                if b.required { "required" } else { "optional" },
                parts.iter().map(|p| p.rust_name.clone()).collect::<Vec<_>>().join(", ")
            ),
        };
        match (old, new) {
            (None, None) => {}
            (None, Some(b)) => {
                let impact = if b.required { Impact::Breaking } else { Impact::Additive };
                self.push("Operations", item, impact, format!("request body added: {}", shown(b)), file.clone());
            }
            (Some(_), None) => self.push("Operations", item, Impact::Breaking, "request body removed", file.clone()),
            (Some(a), Some(b)) => {
                let RequestBody { media_type, required, docs: text, content } = b;
                match (&a.content, content) {
                    (BodyContent::Multipart(x), BodyContent::Multipart(y)) if a.required == *required => {
                        self.parts(item, method, x, y, file)
                    }
                    (x, y) if (body_kind(x), x.value_ty(), a.required) != (body_kind(y), y.value_ty(), *required) => {
                        let text = format!("request body {} → {}", shown(a), shown(b));
                        self.push("Operations", item, Impact::Breaking, text, file.clone());
                    }
                    _ => {}
                }
                if &a.media_type != media_type {
                    let text = format!("request body sent as `{}` → `{media_type}`", a.media_type);
                    self.push("Operations", item, Impact::Breaking, text, file.clone());
                }
                if &a.docs != text {
                    // An optional body's setter is documented in the builder too.
                    let documented = if *required { docs.clone() } else { file.clone() };
                    self.push("Operations", item, Impact::Docs, "request body documentation changed", documented);
                }
            }
        }
    }

    fn parts(&mut self, item: &str, method: &str, old: &[FormPart], new: &[FormPart], file: &BTreeSet<String>) {
        let since = self.entries.len();
        let (a, b) = (by(old, |p| &p.rust_name), by(new, |p| &p.rust_name));
        for (name, part) in &b {
            let FormPart { rust_name: _, wire_name, ty: t, required, docs } = part;
            match a.get(name) {
                None => {
                    let impact = if *required { Impact::Breaking } else { Impact::Additive };
                    self.push("Operations", item, impact, format!("form field `{name}` added"), file.clone());
                }
                Some(before) => {
                    if (&before.ty, &before.required, &before.wire_name) != (t, required, wire_name) {
                        let shown = |p: &FormPart| {
                            format!(
                                "{} `{}` sent as `{}`",
                                if p.required { "required" } else { "optional" },
                                ty(&p.ty),
                                p.wire_name
                            )
                        };
                        let text = format!("form field `{name}`: {} → {}", shown(before), shown(part));
                        self.push("Operations", item, Impact::Breaking, text, file.clone());
                    }
                    if &before.docs != docs {
                        self.push(
                            "Operations",
                            item,
                            Impact::Docs,
                            format!("form field `{name}` documentation changed"),
                            file.clone(),
                        );
                    }
                }
            }
        }
        for name in a.keys().filter(|n| !b.contains_key(*n)) {
            self.push("Operations", item, Impact::Breaking, format!("form field `{name}` removed"), file.clone());
        }
        let positional = |ps: &[FormPart]| ps.iter().filter(|p| p.required).map(|p| p.rust_name.clone()).collect();
        self.arguments(
            "Operations",
            item,
            Call { callee: format!("client.{method}"), since, old: positional(old), new: positional(new) },
            file,
        );
    }

    fn success(&mut self, item: &str, a: &Success, b: &Success, file: &BTreeSet<String>, mock: &BTreeSet<String>) {
        let Success { status, ty: t, raw, empty_ok, redirects, example } = b;
        if (&a.ty, &a.raw) != (t, raw) {
            let text = format!("response `{}` → `{}`", crate::render::success_ty(a), crate::render::success_ty(b));
            let all = file.union(mock).cloned().collect();
            self.push("Operations", item, Impact::Breaking, text, all);
        }
        if &a.status != status {
            self.push(
                "Operations",
                item,
                Impact::Docs,
                format!("success status {} → {status}", a.status),
                mock.clone(),
            );
        }
        if (&a.empty_ok, &a.redirects) != (empty_ok, redirects) {
            let text = format!(
                "an empty 2xx body {} → {}; a documented 3xx {} → {}",
                if a.empty_ok { "accepted" } else { "refused" },
                if *empty_ok { "accepted" } else { "refused" },
                if a.redirects { "returned" } else { "followed" },
                if *redirects { "returned" } else { "followed" }
            );
            self.push("Operations", item, Impact::Additive, text, file.clone());
        }
        if &a.example != example {
            self.push("Operations", item, Impact::Docs, "example of the success response changed", mock.clone());
        }
    }

    fn pagination(&mut self, item: &str, old: Option<&Pagination>, new: Option<&Pagination>, file: &BTreeSet<String>) {
        let shown = |p: &Pagination| {
            let steps = |s: &[crate::ir::Step]| s.iter().map(|s| s.wire_name.as_str()).collect::<Vec<_>>().join(".");
            format!("{:?}, `{}` from `{}`", p.direction, p.cursor_wire, steps(&p.next_cursor)).to_lowercase()
        };
        match (old, new) {
            (None, None) => {}
            (None, Some(p)) => {
                let text = format!("`into_stream()` and `into_pages()` added ({})", shown(p));
                self.push("Operations", item, Impact::Additive, text, file.clone());
            }
            (Some(_), None) => self.push(
                "Operations",
                item,
                Impact::Breaking,
                "`into_stream()` and `into_pages()` removed",
                file.clone(),
            ),
            (Some(a), Some(b)) => {
                let Pagination {
                    direction,
                    param: _,
                    member: _,
                    clears: _,
                    cursor_wire,
                    next_cursor,
                    has_more,
                    items,
                    item: t,
                } = b;
                if &a.item != t {
                    let text = format!("`into_stream()` yields `{}` → `{}`", ty(&a.item), ty(t));
                    self.push("Operations", item, Impact::Breaking, text, file.clone());
                }
                if (&a.direction, &a.cursor_wire, &a.next_cursor, &a.has_more, &a.items)
                    != (direction, cursor_wire, next_cursor, has_more, items)
                {
                    let text = if shown(a) != shown(b) {
                        format!("`into_stream()` walks {} → {}", shown(a), shown(b))
                    } else {
                        "`into_stream()` reads the pages' fields differently (how they are held)".to_string()
                    };
                    let impact = if a.direction != *direction { Impact::Breaking } else { Impact::Internal };
                    self.push("Operations", item, impact, text, file.clone());
                } else if a != b {
                    self.push(
                        "Operations",
                        item,
                        Impact::Internal,
                        "`into_stream()` sets the cursor differently",
                        file.clone(),
                    );
                }
            }
        }
    }

    fn webhooks(&mut self, old: &[Webhook], new: &[Webhook]) {
        let (a, b) = (by(old, |w| &w.function), by(new, |w| &w.function));
        let file = || files(&[layout::WEBHOOKS]);
        for (name, hook) in &b {
            // Examples are compared as fixtures, below.
            let Webhook {
                name: wire,
                operation_id,
                function: _,
                method,
                docs,
                payload,
                key_header,
                own_header,
                examples: _,
            } = hook;
            let item = format!("webhook `{wire}` (`webhooks::{name}`)");
            match a.get(name) {
                None => {
                    self.push("Webhooks", &item, Impact::Additive, format!("added (payload `{}`)", ty(payload)), file())
                }
                Some(before) => {
                    if &before.payload != payload {
                        let text = format!("payload `{}` → `{}`", ty(&before.payload), ty(payload));
                        self.push("Webhooks", &item, Impact::Breaking, text, file());
                    }
                    if &before.key_header != key_header {
                        let text = format!("key header `{}` → `{key_header}`", before.key_header);
                        self.push("Webhooks", &item, Impact::Breaking, text, file());
                    }
                    if &before.own_header != own_header {
                        let shown = |own: &Option<crate::ir::OwnHeader>| match own {
                            None => "`Verifier::new`".to_string(),
                            Some(own) => format!("`Verifier::{}` (`{}`)", own.constructor, own.constant),
                        };
                        let text = format!("verified with {} → {}", shown(&before.own_header), shown(own_header));
                        self.push("Webhooks", &item, Impact::Breaking, text, file());
                    }
                    if (&before.docs, &before.name, &before.method, &before.operation_id)
                        != (docs, wire, method, operation_id)
                    {
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
        self.fixtures(old, new);
    }

    /// The webhook examples as `testing::events` fixtures.
    fn fixtures(&mut self, old: &[Webhook], new: &[Webhook]) {
        fn all(hooks: &[Webhook]) -> BTreeMap<&str, &crate::ir::WebhookExample> {
            hooks.iter().flat_map(|w| &w.examples).map(|e| (e.function.as_str(), e)).collect()
        }
        let (a, b) = (all(old), all(new));
        let testing = || files(&[layout::TESTING]);
        for (function, example) in &b {
            let item = format!("fixture `testing::events::{function}`");
            match a.get(function) {
                None => {
                    let text = format!("added (the spec's example `{}`)", example.name);
                    self.push("Webhooks", &item, Impact::Additive, text, testing());
                }
                Some(before) if before.json != example.json || before.name != example.name => {
                    self.push("Webhooks", &item, Impact::Internal, "the example's JSON changed", testing());
                }
                Some(_) => {}
            }
        }
        for function in a.keys().filter(|f| !b.contains_key(*f)) {
            let item = format!("fixture `testing::events::{function}`");
            self.push("Webhooks", &item, Impact::Breaking, "removed (the spec no longer has its example)", testing());
        }
    }

    /// Handles: the handle itself (`src/scopes.rs`, re-exported in `src/lib.rs`) and the
    /// methods it offers (in the files of the groups of its operations).
    fn scopes(&mut self, old: &[crate::ir::Scope], new: &[crate::ir::Scope]) {
        let (a, b) = (by(old, |s| &s.handle), by(new, |s| &s.handle));
        let group_files = |api: &Api, ops: &[String]| -> BTreeSet<String> {
            api.operations.iter().filter(|o| ops.contains(&o.method_name)).map(|o| tag_file(api, o)).collect()
        };
        for (handle, scope) in &b {
            let crate::ir::Scope { method, handle: _, param, param_rust, prefix, operations } = scope;
            let item = format!("handle `{handle}`");
            let Some(before) = a.get(handle) else {
                let mut all = files(&[layout::SCOPES, layout::LIB]);
                all.extend(group_files(self.new, operations));
                let text = format!("added: `Client::{method}({param_rust})` for the operations under `{prefix}`");
                self.push("Operations", &item, Impact::Additive, text, all);
                continue;
            };
            if &before.method != method
                || &before.param != param
                || &before.param_rust != param_rust
                || &before.prefix != prefix
            {
                let text = format!(
                    "`Client::{}({})` under `{}` → `Client::{method}({param_rust})` under `{prefix}`",
                    before.method, before.param_rust, before.prefix
                );
                let mut all = files(&[layout::SCOPES]);
                all.extend(group_files(self.old, &before.operations));
                all.extend(group_files(self.new, operations));
                self.push("Operations", &item, Impact::Breaking, text, all);
            }
            // The handle's docs give the number of operations it offers.
            let counted = |mut files: BTreeSet<String>| {
                if before.operations.len() != operations.len() {
                    files.insert(layout::SCOPES.to_string());
                }
                files
            };
            for op in operations.iter().filter(|o| !before.operations.contains(o)) {
                let file = counted(group_files(self.new, std::slice::from_ref(op)));
                self.push("Operations", &item, Impact::Additive, format!("offers `{op}`"), file);
            }
            for op in before.operations.iter().filter(|o| !operations.contains(o)) {
                let file = counted(group_files(self.old, std::slice::from_ref(op)));
                self.push("Operations", &item, Impact::Breaking, format!("no longer offers `{op}`"), file);
            }
        }
        for (handle, scope) in &a {
            if !b.contains_key(handle) {
                let mut all = files(&[layout::SCOPES, layout::LIB]);
                all.extend(group_files(self.old, &scope.operations));
                self.push("Operations", &format!("handle `{handle}`"), Impact::Breaking, "removed", all);
            }
        }
    }

    fn tags(&mut self, old: &[crate::ir::Tag], new: &[crate::ir::Tag]) {
        let file = |t: &crate::ir::Tag| layout::tag(t);
        let (a, b) = (by(old, |t| &t.name), by(new, |t| &t.name));
        for (name, tag) in &b {
            let crate::ir::Tag { name: _, module, docs } = tag;
            let item = format!("group `{name}`");
            match a.get(name) {
                None => {
                    let listed = files(&[&file(tag), layout::TAGS_MOD, layout::LIB, layout::API_MD]);
                    self.push("Operations", &item, Impact::Docs, "added (its operations are listed under it)", listed);
                }
                Some(before) => {
                    if &before.module != module {
                        let moved = files(&[&file(before), &file(tag), layout::TAGS_MOD]);
                        self.push(
                            "Operations",
                            &item,
                            Impact::Internal,
                            format!("file `{}` → `{}`", file(before), file(tag)),
                            moved,
                        );
                    }
                    if &before.docs != docs {
                        self.push(
                            "Operations",
                            &item,
                            Impact::Docs,
                            "documentation changed",
                            files(&[&file(tag), layout::LIB]),
                        );
                    }
                }
            }
        }
        for (name, tag) in a.iter().filter(|(n, _)| !b.contains_key(*n)) {
            let listed = files(&[&file(tag), layout::TAGS_MOD, layout::LIB, layout::API_MD]);
            self.push("Operations", &format!("group `{name}`"), Impact::Docs, "removed", listed);
        }
        let order = |ts: &[crate::ir::Tag]| ts.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
        if order(old) != order(new) && a.len() == b.len() && a.keys().all(|k| b.contains_key(k)) {
            self.push(
                "Operations",
                "groups",
                Impact::Docs,
                "listed in another order",
                files(&[layout::TAGS_MOD, layout::LIB, layout::API_MD]),
            );
        }
    }

    /// Changes of what the crate-level files derive from the whole API.
    fn derived(&mut self) {
        let (old, new) = (self.old, self.new);
        let mut fact = |changed: bool, file: &str, text: String| {
            if changed {
                self.push("Crate", "crate", Impact::Internal, text, files(&[file]));
            }
        };
        fact(
            old.recursion_limit != new.recursion_limit,
            layout::LIB,
            format!("the compiler's recursion limit {:?} → {:?}", old.recursion_limit, new.recursion_limit),
        );
        fact(old.jwt().is_some() != new.jwt().is_some(), layout::LIB, "`JwtScope` re-exported or not".into());
        fact(
            old.paginated() != new.paginated(),
            layout::LIB,
            "`Items`, `Pages` and `MAX_EMPTY_PAGES` re-exported or not".into(),
        );
        fact(
            old.mocks_name_models() != new.mocks_name_models(),
            layout::TESTING,
            "the testing module names `models` or not".into(),
        );
        fact(
            !old.key_header.eq_ignore_ascii_case(&new.key_header),
            layout::WEBHOOKS,
            format!(
                "`API_KEY_HEADER` `{}` → `{}`",
                old.key_header.to_ascii_lowercase(),
                new.key_header.to_ascii_lowercase()
            ),
        );
        // Each group listed in `Client`'s docs: name, docs, and its operations as listed.
        type Listed = (String, Vec<String>, Vec<(String, Option<String>, String, String)>);
        let listed = |api: &Api| -> Vec<Listed> {
            api.tags
                .iter()
                .map(|tag| {
                    let ops = api
                        .operations_of(tag)
                        .map(|o| (o.method_name.clone(), o.summary.clone(), o.method.to_string(), o.path.clone()))
                        .collect();
                    (tag.name.clone(), tag.docs.clone(), ops)
                })
                .filter(|(_, _, ops): &(String, Vec<String>, Vec<_>)| !ops.is_empty())
                .collect()
        };
        fact(
            listed(old) != listed(new),
            layout::LIB,
            "the operations listed in `Client`'s documentation changed".into(),
        );
        fact(
            old.server_variables() != new.server_variables(),
            layout::SERVER,
            "the servers' percent-encoding helper is needed or not".into(),
        );
    }

    /// Positional arguments kept on both sides but in another order: a caller's values
    /// of the same type would silently swap, so it is breaking.
    /// A call's positional arguments (a constructor's required fields, an operation's
    /// required parameters) before and after. When an argument is lost or gained, the
    /// entry about it (pushed for `item` since `since`) also shows the call before and
    /// after, so a reviewer sees which call sites break:
    /// "field `author`: `Author` → `Option<Author>`; `MessagePost::new(author, content)`
    /// → `MessagePost::new(content)`". A reorder alone is its own breaking entry.
    fn arguments(&mut self, section: &'static str, item: &str, call: Call, file: &BTreeSet<String>) {
        let Call { callee, since, old, new } = call;
        if old == new {
            return;
        }
        let call = format!("`{callee}({})` → `{callee}({})`", old.join(", "), new.join(", "));
        let moved: Vec<&String> =
            old.iter().filter(|n| !new.contains(n)).chain(new.iter().filter(|n| !old.contains(n))).collect();
        if moved.is_empty() {
            self.push(section, item, Impact::Breaking, format!("{call}: arguments reordered"), file.clone());
            return;
        }
        let about =
            |entry: &Entry| entry.item == item && moved.iter().any(|name| entry.text.contains(&format!("`{name}`")));
        match self.entries[since..].iter_mut().find(|e| about(e)) {
            Some(entry) => entry.text = format!("{}; {call}", entry.text),
            None => self.push(section, item, Impact::Breaking, call, file.clone()),
        }
    }
}

/// What a request body is sent as, told apart for api-diff.
fn body_kind(content: &BodyContent) -> &'static str {
    match content {
        BodyContent::Json(_) => "json",
        BodyContent::Form(_) => "form",
        BodyContent::Raw { text: true } => "text",
        BodyContent::Raw { text: false } => "bytes",
        BodyContent::Multipart(_) => "multipart",
    }
}

fn kind_name(kind: &ModelKind) -> &'static str {
    match kind {
        ModelKind::Struct(_) => "struct",
        ModelKind::StringEnum(_) => "enum",
        ModelKind::Union(_) => "union",
    }
}

fn shape_text(shape: &Option<Shape>) -> String {
    match shape {
        None => "its tag".to_string(),
        Some(shape) => {
            let mut text = format!("{:?}", shape.kind).to_lowercase();
            if !shape.members.is_empty() {
                let members: Vec<String> = shape
                    .members
                    .iter()
                    .map(|m| if shape.required.contains(&m.name) { format!("{}!", m.name) } else { m.name.clone() })
                    .collect();
                text = format!("{text} {{{}}}", members.join(", "));
            }
            text
        }
    }
}

fn constraints_text(c: &crate::ir::Constraints) -> String {
    let notes: Vec<String> = [
        c.min_length.map(|v| format!("minLength {v}")),
        c.max_length.map(|v| format!("maxLength {v}")),
        c.minimum.map(|v| format!("minimum {v}{}", if c.exclusive_minimum { " (exclusive)" } else { "" })),
        c.maximum.map(|v| format!("maximum {v}{}", if c.exclusive_maximum { " (exclusive)" } else { "" })),
        c.min_items.map(|v| format!("minItems {v}")),
        c.max_items.map(|v| format!("maxItems {v}")),
        c.pattern.as_ref().map(|p| format!("pattern `{p}`")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if notes.is_empty() { "(none)".to_string() } else { notes.join(", ") }
}

/// Whether `new` accepts every value `old` accepted (each bound kept or relaxed; the
/// pattern is documented, not checked, so it does not count).
fn looser(old: &crate::ir::Constraints, new: &crate::ir::Constraints) -> bool {
    let lower = |o: Option<u64>, n: Option<u64>| match (o, n) {
        (_, None) => true,
        (Some(o), Some(n)) => n <= o,
        (None, Some(_)) => false,
    };
    let upper = |o: Option<u64>, n: Option<u64>| match (o, n) {
        (_, None) => true,
        (Some(o), Some(n)) => n >= o,
        (None, Some(_)) => false,
    };
    let min = match (old.minimum, new.minimum) {
        (_, None) => true,
        (Some(o), Some(n)) => n < o || (n == o && (!new.exclusive_minimum || old.exclusive_minimum)),
        (None, Some(_)) => false,
    };
    let max = match (old.maximum, new.maximum) {
        (_, None) => true,
        (Some(o), Some(n)) => n > o || (n == o && (!new.exclusive_maximum || old.exclusive_maximum)),
        (None, Some(_)) => false,
    };
    lower(old.min_length, new.min_length)
        && upper(old.max_length, new.max_length)
        && lower(old.min_items, new.min_items)
        && upper(old.max_items, new.max_items)
        && min
        && max
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Constraints;

    #[test]
    fn looser_constraints_accept_everything_that_passed() {
        let c = |min_length, max_length| Constraints { min_length, max_length, ..Constraints::default() };
        assert!(looser(&c(Some(1), Some(10)), &c(Some(1), Some(20))));
        assert!(looser(&c(Some(1), Some(10)), &c(None, None)));
        assert!(!looser(&c(Some(1), Some(10)), &c(Some(2), Some(10))));
        assert!(!looser(&c(None, None), &c(None, Some(5))));
        let range = |maximum, exclusive_maximum| Constraints { maximum, exclusive_maximum, ..Constraints::default() };
        assert!(looser(&range(Some(5.0), true), &range(Some(5.0), false)));
        assert!(!looser(&range(Some(5.0), false), &range(Some(5.0), true)));
    }
}
