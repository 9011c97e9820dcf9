//! The public Rust API of a generated crate, read back from its files: every item a
//! user can name (through re-exports, as the user names it), its signature, the traits
//! it implements or derives, and the attributes that matter to semver
//! (`#[non_exhaustive]`, `#[deprecated]`, private fields).
//!
//! `cargo xtask release` records it with each release and compares it with the crate it
//! is about to release, so a change the generator or the runtime makes (a renamed
//! runtime item, a constructor that now returns `Result`) is versioned and changelogged
//! like a change of the API description, which [`crate::diff`] reports from the IR.
//! This is the one place that reads Rust rather than the IR: its job is to see what
//! the IR cannot, the output.
//!
//! Not seen: items made by macros (`macro_rules!` invocations), trait impls a macro
//! writes, and behaviour behind an unchanged signature.

use std::collections::{BTreeMap, BTreeSet};

use crate::diff::{Entry, Impact};

/// The public API: item path (`crate::webhooks::Verifier::new`) → its signature with
/// its semver flags (` #[derive(Clone, Debug)]`, ` #[non_exhaustive]`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface(pub BTreeMap<String, String>);

/// The first line of the recorded listing.
const HEADER: &str = "# The public Rust API of the crate as released: one item per line, `path<TAB>signature`.\n# Written by `cargo xtask release` (generator::surface); compared with the next release.\n";

impl Surface {
    /// The listing as recorded (one item per line, sorted).
    pub fn text(&self) -> String {
        let mut out = HEADER.to_string();
        for (path, shown) in &self.0 {
            out.push_str(path);
            out.push('\t');
            out.push_str(shown);
            out.push('\n');
        }
        out
    }

    /// Reads a recorded listing back.
    pub fn parse(text: &str) -> Result<Surface, String> {
        let mut items = BTreeMap::new();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
            let (path, shown) = line.split_once('\t').ok_or_else(|| format!("line {}: no tab: {line}", n + 1))?;
            items.insert(path.to_string(), shown.to_string());
        }
        Ok(Surface(items))
    }

    /// The public API of the crate whose files (relative paths → text, as
    /// [`crate::generate`] returns them) are `files`, from `src/lib.rs`.
    pub fn of(files: &BTreeMap<String, String>) -> Result<Surface, String> {
        let mut crate_ = Crate::default();
        crate_.load(files, "crate", "src/lib.rs", None)?;
        Ok(crate_.surface())
    }
}

/// What changed between two listings, in the terms of [`crate::diff`] (section
/// `Rust API`), with semver's reading: a removed item or a changed signature is
/// breaking; a new item additive, unless users' code could break on it (a field of a
/// struct they can build with a literal, a variant of an enum they can match
/// exhaustively, a required method of a trait).
pub fn compare(old: &Surface, new: &Surface) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut push = |path: &str, impact: Impact, text: String| {
        let item = format!("`{}`", path.strip_prefix("crate::").unwrap_or(path));
        entries.push(Entry { section: "Rust API", item, text, impact, files: BTreeSet::new() });
    };
    for (path, shown) in &old.0 {
        match new.0.get(path) {
            // A removed type's fields, variants and methods go with it.
            None if parent(old, path).is_some_and(|p| !new.0.contains_key(p)) => {}
            None => push(path, Impact::Breaking, format!("removed (was `{}`)", Flags::split(shown).0)),
            Some(now) if now != shown => changed(path, shown, now, &mut push),
            Some(_) => {}
        }
    }
    for (path, shown) in new.0.iter().filter(|(p, _)| !old.0.contains_key(*p)) {
        if parent(new, path).is_some_and(|p| !old.0.contains_key(p)) {
            continue;
        }
        let (base, _) = Flags::split(shown);
        match constrains(new, path) {
            Some(why) => push(path, Impact::Breaking, format!("added: `{base}` ({why})")),
            None => push(path, Impact::Additive, format!("added: `{base}`")),
        }
    }
    entries
}

/// The item a field, variant, method or trait impl belongs to, if listed.
fn parent<'s>(surface: &Surface, path: &'s str) -> Option<&'s str> {
    let at = [path.find(" impl "), path.rfind('.'), path.rfind("::")].into_iter().flatten().next()?;
    let owner = &path[..at];
    surface.0.contains_key(owner).then_some(owner)
}

/// Why a new item breaks code written against its parent, if it does.
fn constrains(surface: &Surface, path: &str) -> Option<&'static str> {
    let parent = |at: usize| surface.0.get(&path[..at]).map(|s| Flags::split(s));
    if let Some(at) = path.rfind('.') {
        let (base, flags) = parent(at)?;
        let literal = base.starts_with("struct") && !flags.has("non_exhaustive") && !flags.has("private fields");
        return literal.then_some("a struct literal of it must now name the field");
    }
    let (base, flags) = parent(path.rfind("::")?)?;
    let (_, own) = Flags::split(&surface.0[path]);
    if base.starts_with("enum") && !flags.has("non_exhaustive") {
        Some("an exhaustive `match` must now handle the variant")
    } else if base.starts_with("trait") && own.has("required") {
        Some("every implementation must now provide it")
    } else {
        None
    }
}

fn changed(path: &str, old: &str, new: &str, push: &mut impl FnMut(&str, Impact, String)) {
    let ((a, was), (b, is)) = (Flags::split(old), Flags::split(new));
    if a != b {
        push(path, Impact::Breaking, format!("`{a}` → `{b}`"));
    }
    for flag in was.0.difference(&is.0) {
        let (impact, text) = match flag.as_str() {
            "non_exhaustive" => (Impact::Additive, "no longer `#[non_exhaustive]`".to_string()),
            "deprecated" => (Impact::Docs, "no longer deprecated".to_string()),
            "private fields" => (Impact::Additive, "every field public now".to_string()),
            "required" => (Impact::Additive, "has a default now".to_string()),
            derive => (Impact::Breaking, format!("no longer implements `{derive}`")),
        };
        push(path, impact, text);
    }
    for flag in is.0.difference(&was.0) {
        let (impact, text) = match flag.as_str() {
            "non_exhaustive" => (Impact::Breaking, "now `#[non_exhaustive]`".to_string()),
            "deprecated" => (Impact::Deprecated, "now deprecated".to_string()),
            "private fields" => (Impact::Breaking, "has private fields now (no struct literal)".to_string()),
            "required" => (Impact::Breaking, "no longer has a default".to_string()),
            derive => (Impact::Additive, format!("now implements `{derive}`")),
        };
        push(path, impact, text);
    }
}

/// The flags of a shown item: derives (`Clone`), `non_exhaustive`, `deprecated`,
/// `private fields`, `required` (a trait method without a default).
#[derive(Debug, Default)]
struct Flags(BTreeSet<String>);

impl Flags {
    fn split(shown: &str) -> (&str, Flags) {
        let mut parts = shown.split(" #[");
        let base = parts.next().unwrap_or_default();
        (base, Flags(parts.map(|p| p.trim_end_matches(']').to_string()).collect()))
    }

    fn has(&self, flag: &str) -> bool {
        self.0.contains(flag)
    }
}

/// A module of the crate.
#[derive(Default)]
struct Module {
    items: Vec<syn::Item>,
    /// Its `#[cfg(…)]`, if any, shown on its line.
    cfg: Option<String>,
}

/// What a path names.
#[derive(Clone, PartialEq)]
enum Target {
    Module(String),
    /// An item: its module and name.
    Item(String, String),
    /// Outside the crate (`reqwest`, `std::time::Duration`).
    External(String),
}

#[derive(Default)]
struct Crate {
    modules: BTreeMap<String, Module>,
}

impl Crate {
    fn load(
        &mut self,
        files: &BTreeMap<String, String>,
        module: &str,
        file: &str,
        cfg: Option<String>,
    ) -> Result<(), String> {
        let text = files.get(file).ok_or_else(|| format!("`{module}`: no file `{file}`"))?;
        let parsed = syn::parse_file(text).map_err(|e| format!("{file}: {e}"))?;
        // `mod x;` in `lib.rs` or `mod.rs` is `x.rs` beside it, else in a folder named
        // after the file.
        let dir = match file.rsplit_once('/') {
            Some((dir, name)) if name == "lib.rs" || name == "mod.rs" => dir.to_string(),
            Some((dir, name)) => format!("{dir}/{}", name.trim_end_matches(".rs")),
            None => String::new(),
        };
        self.items(files, module, &dir, parsed.items, cfg)
    }

    fn items(
        &mut self,
        files: &BTreeMap<String, String>,
        module: &str,
        dir: &str,
        items: Vec<syn::Item>,
        cfg: Option<String>,
    ) -> Result<(), String> {
        let mut kept = Vec::new();
        for item in items {
            if test_only(attrs(&item)) {
                continue;
            }
            if let syn::Item::Mod(m) = &item {
                let child = format!("{module}::{}", m.ident);
                let cfg = cfg_of(&m.attrs);
                match &m.content {
                    Some((_, inner)) => self.items(files, &child, &format!("{dir}/{}", m.ident), inner.clone(), cfg)?,
                    None => {
                        let file = match path_attr(&m.attrs) {
                            Some(path) => format!("{}/{path}", dir.rsplit_once('/').map_or(dir, |(d, _)| d)),
                            None if files.contains_key(&format!("{dir}/{}.rs", m.ident)) => {
                                format!("{dir}/{}.rs", m.ident)
                            }
                            None => format!("{dir}/{}/mod.rs", m.ident),
                        };
                        self.load(files, &child, &file, cfg)?;
                    }
                }
            }
            kept.push(item);
        }
        self.modules.insert(module.to_string(), Module { items: kept, cfg });
        Ok(())
    }

    /// What `segments` names, read in `module` (depth-bounded: imports may cycle).
    fn resolve(&self, module: &str, segments: &[String], depth: usize) -> Option<Target> {
        let (first, rest) = segments.split_first()?;
        if depth > 32 {
            return None;
        }
        let within = |m: &str| {
            if rest.is_empty() { Some(Target::Module(m.to_string())) } else { self.resolve(m, rest, depth + 1) }
        };
        match first.as_str() {
            "crate" => return within("crate"),
            "self" => return within(module),
            "super" => return within(module.rsplit_once("::").map_or("crate", |(p, _)| p)),
            _ => {}
        }
        let child = format!("{module}::{first}");
        if self.modules.contains_key(&child) {
            return within(&child);
        }
        let items = &self.modules.get(module)?.items;
        if items.iter().any(|item| name(item).as_deref() == Some(first)) {
            return rest.is_empty().then(|| Target::Item(module.to_string(), first.clone()));
        }
        for import in imports(items) {
            match &import.name {
                Some(alias) if alias == first => {
                    let mut path = import.path.clone();
                    path.extend(rest.iter().cloned());
                    return self.resolve(module, &path, depth + 1).or_else(|| Some(Target::External(path.join("::"))));
                }
                None => {
                    if let Some(Target::Module(from)) = self.resolve(module, &import.path, depth + 1)
                        && let Some(found) = self.resolve(&from, segments, depth + 1)
                    {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn surface(&self) -> Surface {
        let mut exported: BTreeMap<String, Target> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        self.export("crate", "crate", &mut exported, &mut seen);
        // Each item's canonical path: the shortest way a user names it.
        let mut canonical: BTreeMap<(String, String), String> = BTreeMap::new();
        for (path, target) in &exported {
            if let Target::Item(m, n) = target {
                let entry = canonical.entry((m.clone(), n.clone())).or_insert_with(|| path.clone());
                if (path.len(), path) < (entry.len(), &*entry) {
                    *entry = path.clone();
                }
            }
        }
        let mut out = BTreeMap::new();
        for (path, target) in &exported {
            match target {
                Target::Module(m) => {
                    let cfg = self.modules[m].cfg.as_ref().map(|c| format!(" #[{c}]")).unwrap_or_default();
                    out.insert(path.clone(), format!("mod{cfg}"));
                }
                Target::External(from) => {
                    out.insert(path.clone(), format!("use {from}"));
                }
                Target::Item(m, n) => {
                    let item = self.modules[m].items.iter().find(|i| name(i).as_deref() == Some(n.as_str()));
                    if let Some(item) = item {
                        item_lines(path, item, &mut out);
                    }
                }
            }
        }
        for (module, content) in &self.modules {
            for item in &content.items {
                if let syn::Item::Impl(block) = item {
                    self.impl_lines(module, block, &canonical, &mut out);
                }
            }
        }
        Surface(out)
    }

    /// Every name `module` offers users, under `prefix`.
    fn export(&self, module: &str, prefix: &str, out: &mut BTreeMap<String, Target>, seen: &mut BTreeSet<String>) {
        if !seen.insert(format!("{module}@{prefix}")) {
            return;
        }
        let Some(content) = self.modules.get(module) else { return };
        for item in content.items.iter().filter(|i| public(i) && !hidden(attrs(i))) {
            match item {
                syn::Item::Mod(m) => {
                    let child = format!("{module}::{}", m.ident);
                    let path = format!("{prefix}::{}", m.ident);
                    out.insert(path.clone(), Target::Module(child.clone()));
                    self.export(&child, &path, out, seen);
                }
                syn::Item::Use(_) => {}
                _ => {
                    if let Some(n) = name(item) {
                        out.insert(format!("{prefix}::{n}"), Target::Item(module.to_string(), n));
                    }
                }
            }
        }
        for import in imports(&content.items).into_iter().filter(|i| i.public) {
            match &import.name {
                Some(alias) => {
                    let path = format!("{prefix}::{alias}");
                    match self.resolve(module, &import.path, 0) {
                        Some(Target::Module(m)) => {
                            out.insert(path.clone(), Target::Module(m.clone()));
                            self.export(&m, &path, out, seen);
                        }
                        Some(target) => {
                            out.insert(path, target);
                        }
                        None => {
                            out.insert(path, Target::External(import.path.join("::")));
                        }
                    }
                }
                None => {
                    if let Some(Target::Module(m)) = self.resolve(module, &import.path, 0) {
                        self.export(&m, prefix, out, seen);
                    }
                }
            }
        }
    }

    /// The public methods of an inherent impl, or the trait an impl implements, under
    /// the type's canonical path (skipped when users cannot name the type).
    fn impl_lines(
        &self,
        module: &str,
        block: &syn::ItemImpl,
        canonical: &BTreeMap<(String, String), String>,
        out: &mut BTreeMap<String, String>,
    ) {
        if test_only(&block.attrs) || hidden(&block.attrs) {
            return;
        }
        let syn::Type::Path(ty) = &*block.self_ty else { return };
        let segments: Vec<String> = ty.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some(Target::Item(m, n)) = self.resolve(module, &segments, 0) else { return };
        let Some(owner) = canonical.get(&(m, n)) else { return };
        match &block.trait_ {
            Some((path, _)) => {
                let mut ty: syn::TypePath = syn::parse_str("X").expect("a path type");
                ty.path = path.clone();
                let shown = shown_type(&syn::Type::Path(ty));
                out.insert(format!("{owner} impl {shown}"), "impl".to_string());
            }
            None => {
                for member in &block.items {
                    match member {
                        syn::ImplItem::Fn(f) if is_pub(&f.vis) && !hidden(&f.attrs) => {
                            let shown = shown_signature(&f.sig) + &deprecated(&f.attrs);
                            out.insert(format!("{owner}::{}", f.sig.ident), shown);
                        }
                        syn::ImplItem::Const(c) if is_pub(&c.vis) && !hidden(&c.attrs) => {
                            out.insert(
                                format!("{owner}::{}", c.ident),
                                format!("const {}: {}", c.ident, shown_type(&c.ty)),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// The lines of one public item at `path`.
fn item_lines(path: &str, item: &syn::Item, out: &mut BTreeMap<String, String>) {
    match item {
        syn::Item::Struct(s) => {
            let private = s.fields.iter().any(|f| !is_pub(&f.vis));
            let mut head = s.clone();
            head.attrs.clear();
            head.vis = syn::Visibility::Inherited;
            head.fields = syn::Fields::Unit;
            head.semi_token = Some(Default::default());
            let mut flags = type_flags(&s.attrs);
            if private {
                flags.push_str(" #[private fields]");
            }
            out.insert(path.to_string(), shown_item(syn::Item::Struct(head)) + &flags);
            for (index, field) in s.fields.iter().enumerate().filter(|(_, f)| is_pub(&f.vis) && !hidden(&f.attrs)) {
                let name = field.ident.as_ref().map_or(index.to_string(), ToString::to_string);
                out.insert(
                    format!("{path}.{name}"),
                    format!("{name}: {}", shown_type(&field.ty)) + &deprecated(&field.attrs),
                );
            }
        }
        syn::Item::Enum(e) => {
            let mut head = e.clone();
            head.attrs.clear();
            head.vis = syn::Visibility::Inherited;
            head.variants.clear();
            out.insert(path.to_string(), shown_item(syn::Item::Enum(head)) + &type_flags(&e.attrs));
            for variant in e.variants.iter().filter(|v| !hidden(&v.attrs)) {
                let mut shape = variant.clone();
                shape.attrs.clear();
                shape.discriminant = None;
                shape.fields.iter_mut().for_each(|field| field.attrs.clear());
                let mut holder = e.clone();
                holder.attrs.clear();
                holder.vis = syn::Visibility::Inherited;
                holder.variants.clear();
                holder.variants.push(shape);
                let text = shown_item(syn::Item::Enum(holder));
                let inner = text.find('{').map_or("", |at| text[at + 1..].trim_end_matches('}').trim());
                let inner = inner.trim_end_matches(',').trim();
                out.insert(format!("{path}::{}", variant.ident), inner.to_string() + &deprecated(&variant.attrs));
            }
        }
        syn::Item::Trait(t) => {
            let mut head = t.clone();
            head.attrs.clear();
            head.vis = syn::Visibility::Inherited;
            head.items.clear();
            out.insert(path.to_string(), shown_item(syn::Item::Trait(head)) + &type_flags(&t.attrs));
            for member in &t.items {
                match member {
                    syn::TraitItem::Fn(f) if !hidden(&f.attrs) => {
                        let required = if f.default.is_none() { " #[required]" } else { "" };
                        out.insert(format!("{path}::{}", f.sig.ident), shown_signature(&f.sig) + required);
                    }
                    syn::TraitItem::Type(ty) => {
                        out.insert(format!("{path}::{}", ty.ident), format!("type {}", ty.ident));
                    }
                    syn::TraitItem::Const(c) => {
                        out.insert(format!("{path}::{}", c.ident), format!("const {}: {}", c.ident, shown_type(&c.ty)));
                    }
                    _ => {}
                }
            }
        }
        syn::Item::Fn(f) => {
            out.insert(path.to_string(), shown_signature(&f.sig) + &deprecated(&f.attrs));
        }
        syn::Item::Const(c) => {
            out.insert(path.to_string(), format!("const {}: {}", c.ident, shown_type(&c.ty)) + &deprecated(&c.attrs));
        }
        syn::Item::Static(s) => {
            out.insert(path.to_string(), format!("static {}: {}", s.ident, shown_type(&s.ty)));
        }
        syn::Item::Type(t) => {
            let mut head = t.clone();
            head.attrs.clear();
            head.vis = syn::Visibility::Inherited;
            out.insert(path.to_string(), shown_item(syn::Item::Type(head)) + &deprecated(&t.attrs));
        }
        syn::Item::Macro(m) => {
            if let Some(ident) = &m.ident {
                out.insert(format!("crate::{ident}!"), format!("macro_rules! {ident}"));
            }
        }
        _ => {}
    }
}

/// One `use` leaf: the path it imports and the name it binds (`None`: a glob).
struct Import {
    public: bool,
    path: Vec<String>,
    name: Option<String>,
}

fn imports(items: &[syn::Item]) -> Vec<Import> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, public: bool, out: &mut Vec<Import>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, public, out);
                prefix.pop();
            }
            syn::UseTree::Name(n) if n.ident == "self" => {
                let name = prefix.last().cloned();
                out.push(Import { public, path: prefix.clone(), name });
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix.clone();
                path.push(n.ident.to_string());
                out.push(Import { public, path, name: Some(n.ident.to_string()) });
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                path.push(r.ident.to_string());
                out.push(Import { public, path, name: Some(r.rename.to_string()) });
            }
            syn::UseTree::Glob(_) => out.push(Import { public, path: prefix.clone(), name: None }),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, public, out)),
        }
    }
    let mut out = Vec::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            let hidden_export = is_pub(&u.vis) && hidden(&u.attrs);
            if !test_only(&u.attrs) && !hidden_export {
                walk(&u.tree, &mut Vec::new(), is_pub(&u.vis), &mut out);
            }
        }
    }
    out
}

fn name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Fn(f) => &f.sig.ident,
        syn::Item::Struct(s) => &s.ident,
        syn::Item::Enum(e) => &e.ident,
        syn::Item::Const(c) => &c.ident,
        syn::Item::Static(s) => &s.ident,
        syn::Item::Type(t) => &t.ident,
        syn::Item::Trait(t) => &t.ident,
        syn::Item::Union(u) => &u.ident,
        syn::Item::Mod(m) => &m.ident,
        syn::Item::Macro(m) if exported_macro(m) => m.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

fn exported_macro(m: &syn::ItemMacro) -> bool {
    m.attrs.iter().any(|a| a.path().is_ident("macro_export"))
}

fn public(item: &syn::Item) -> bool {
    match item {
        syn::Item::Fn(f) => is_pub(&f.vis),
        syn::Item::Struct(s) => is_pub(&s.vis),
        syn::Item::Enum(e) => is_pub(&e.vis),
        syn::Item::Const(c) => is_pub(&c.vis),
        syn::Item::Static(s) => is_pub(&s.vis),
        syn::Item::Type(t) => is_pub(&t.vis),
        syn::Item::Trait(t) => is_pub(&t.vis),
        syn::Item::Union(u) => is_pub(&u.vis),
        syn::Item::Mod(m) => is_pub(&m.vis),
        syn::Item::Macro(m) => exported_macro(m),
        _ => false,
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Struct(s) => &s.attrs,
        syn::Item::Enum(e) => &e.attrs,
        syn::Item::Const(c) => &c.attrs,
        syn::Item::Static(s) => &s.attrs,
        syn::Item::Type(t) => &t.attrs,
        syn::Item::Trait(t) => &t.attrs,
        syn::Item::Union(u) => &u.attrs,
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(m) => &m.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]`: not part of the crate users build.
fn test_only(attrs: &[syn::Attribute]) -> bool {
    cfg_of(attrs).is_some_and(|cfg| cfg == "cfg(test)")
}

fn cfg_of(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("cfg")).map(|a| collapse(&shown_attr(a)))
}

/// `#[doc(hidden)]`: outside the public API by convention.
fn hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc") && collapse(&shown_attr(a)).replace(' ', "") == "doc(hidden)")
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("path")).and_then(|a| match &a.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// A type's semver flags: what it derives, `non_exhaustive`, `deprecated`.
fn type_flags(attrs: &[syn::Attribute]) -> String {
    let mut flags = BTreeSet::new();
    for attr in attrs {
        if attr.path().is_ident("derive") {
            let _ = attr.parse_nested_meta(|meta| {
                if let Some(last) = meta.path.segments.last() {
                    flags.insert(last.ident.to_string());
                }
                Ok(())
            });
        } else if attr.path().is_ident("non_exhaustive") {
            flags.insert("non_exhaustive".to_string());
        }
    }
    let mut out: String = flags.iter().map(|f| format!(" #[{f}]")).collect();
    out.push_str(&deprecated(attrs));
    out
}

fn deprecated(attrs: &[syn::Attribute]) -> String {
    if attrs.iter().any(|a| a.path().is_ident("deprecated")) { " #[deprecated]".to_string() } else { String::new() }
}

fn shown_attr(attr: &syn::Attribute) -> String {
    let file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Struct(syn::ItemStruct {
            attrs: vec![attr.clone()],
            vis: syn::Visibility::Inherited,
            struct_token: Default::default(),
            ident: syn::Ident::new("X", proc_macro2::Span::call_site()),
            generics: Default::default(),
            fields: syn::Fields::Unit,
            semi_token: Some(Default::default()),
        })],
    };
    let text = prettyplease::unparse(&file);
    let text = text.trim().trim_end_matches("struct X;").trim();
    text.trim_start_matches("#[").trim_end_matches(']').to_string()
}

fn shown_signature(sig: &syn::Signature) -> String {
    // `mut` on a binding is the body's business, not the caller's.
    let mut sig = sig.clone();
    for input in &mut sig.inputs {
        match input {
            syn::FnArg::Receiver(receiver) => receiver.mutability = None,
            syn::FnArg::Typed(typed) => {
                if let syn::Pat::Ident(ident) = &mut *typed.pat {
                    ident.mutability = None;
                }
            }
        }
    }
    let item = syn::Item::Fn(syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        modifiers: Default::default(),
        sig,
        block: Box::new(syn::Block { brace_token: Default::default(), stmts: Vec::new() }),
    });
    shown_item(item)
}

fn shown_type(ty: &syn::Type) -> String {
    let mut item: syn::ItemType = syn::parse_str("type X = ();").expect("a type alias");
    item.ty = Box::new(ty.clone());
    let item = syn::Item::Type(item);

    let text = shown_item(item);
    text.strip_prefix("type X = ").unwrap_or(&text).to_string()
}

/// One item as prettyplease prints it, on one line, without its empty body, with
/// paths shortened to their last segment (how a path is spelled is not API).
fn shown_item(item: syn::Item) -> String {
    let file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: vec![item] };
    let text = collapse(&prettyplease::unparse(&file));
    let text = text.strip_suffix(" {}").or_else(|| text.strip_suffix(';')).unwrap_or(&text);
    last_segments(text)
}

/// Whitespace runs as one space, none inside brackets' edges or before commas.
fn collapse(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(",)", ")")
        .replace(", >", ">")
        .replace(",>", ">")
        .replace("< ", "<")
}

/// `crate::models::Author` → `Author`, `std::time::Duration` → `Duration`.
fn last_segments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == ':' && chars.peek() == Some(&':') && !word.is_empty() {
            chars.next();
            word.clear();
            continue;
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.push_str(&word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(files: &[(&str, &str)]) -> Surface {
        let files = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        Surface::of(&files).unwrap()
    }

    const LIB: &str = "mod runtime;\npub mod models;\npub use runtime::{Client, Error as CrateError};\npub use runtime::paginate::*;\n#[cfg(test)]\nmod tests {}\n";
    const RUNTIME: &str = "pub mod paginate;\n#[derive(Debug, Clone)]\npub struct Client { inner: u8 }\nimpl Client {\n    pub fn new(base: &str) -> Self { todo!() }\n    fn private(&self) {}\n    #[doc(hidden)]\n    pub fn hidden(&self) {}\n}\n#[non_exhaustive]\npub enum Error { Transport(std::io::Error), Other { code: u16 } }\npub struct Private;\n";
    const PAGINATE: &str = "pub const MAX: usize = 3;\npub trait Pages { fn next(&mut self) -> Option<u8>; fn size(&self) -> usize { 0 } }\n";
    const MODELS: &str = "mod author;\npub use author::Author;\n";
    const AUTHOR: &str = "#[derive(Clone, serde::Serialize)]\npub struct Author { pub name: String, pub id: Option<crate::models::Id> }\npub type Id = String;\nimpl From<&str> for Author { fn from(s: &str) -> Self { todo!() } }\n";

    fn crate_files() -> Vec<(&'static str, &'static str)> {
        vec![
            ("src/lib.rs", LIB),
            ("src/runtime/mod.rs", RUNTIME),
            ("src/runtime/paginate.rs", PAGINATE),
            ("src/models/mod.rs", MODELS),
            ("src/models/author.rs", AUTHOR),
        ]
    }

    #[test]
    fn items_are_listed_as_users_name_them() {
        let listing = surface(&crate_files()).text();
        for line in [
            "crate::Client\tstruct Client #[Clone] #[Debug] #[private fields]\n",
            "crate::Client::new\tfn new(base: &str) -> Self\n",
            "crate::CrateError\tenum Error #[non_exhaustive]\n",
            "crate::CrateError::Transport\tTransport(Error)\n",
            "crate::CrateError::Other\tOther { code: u16 }\n",
            "crate::MAX\tconst MAX: usize\n",
            "crate::Pages::next\tfn next(&mut self) -> Option<u8> #[required]\n",
            "crate::Pages::size\tfn size(&self) -> usize\n",
            "crate::models\tmod\n",
            "crate::models::Author\tstruct Author #[Clone] #[Serialize]\n",
            "crate::models::Author.id\tid: Option<Id>\n",
            "crate::models::Author impl From<&str>\timpl\n",
        ] {
            assert!(listing.contains(line), "no {line:?} in:\n{listing}");
        }
        for absent in ["::private", "hidden", "Private", "tests", "crate::models::Id", "runtime"] {
            assert!(!listing.contains(absent), "{absent:?} is not public:\n{listing}");
        }
        assert_eq!(Surface::parse(&listing).unwrap().text(), listing);
    }

    #[test]
    fn changes_are_read_as_semver_reads_them() {
        let old = surface(&crate_files());
        let runtime = RUNTIME
            .replace("pub fn new(base: &str) -> Self", "pub fn new(base: &str) -> Result<Self, Error>")
            .replace("#[derive(Debug, Clone)]", "#[derive(Debug)]")
            .replace("Other { code: u16 } }", "Other { code: u16 }, Timeout }");
        let models = MODELS.replace("pub use author::Author;", "pub use author::{Author, Author as Writer};");
        let lib = LIB.replace("pub use runtime::paginate::*;", "pub use runtime::paginate::Pages;");
        let author = AUTHOR.replace("pub id:", "pub email: String, pub id:");
        let paginate = PAGINATE
            .replace("fn size(&self) -> usize { 0 } }", "fn size(&self) -> usize { 0 } fn len(&self) -> usize; }");
        let new = surface(&[
            ("src/lib.rs", &lib),
            ("src/runtime/mod.rs", &runtime),
            ("src/runtime/paginate.rs", &paginate),
            ("src/models/mod.rs", &models),
            ("src/models/author.rs", &author),
        ]);
        let entries = compare(&old, &new);
        let shown: Vec<String> =
            entries.iter().map(|e| format!("{}: {}: {}", e.impact.label(), e.item, e.text)).collect();
        for expected in [
            "breaking: `Client::new`: `fn new(base: &str) -> Self` → `fn new(base: &str) -> Result<Self, Error>`",
            "breaking: `Client`: no longer implements `Clone`",
            // Non-exhaustive: a new variant breaks nobody.
            "additive: `CrateError::Timeout`: added: `Timeout`",
            "breaking: `MAX`: removed (was `const MAX: usize`)",
            "additive: `models::Writer`: added: `struct Author`",
            "breaking: `Pages::len`: added: `fn len(&self) -> usize` (every implementation must now provide it)",
            "breaking: `models::Author.email`: added: `email: String` (a struct literal of it must now name the field)",
        ] {
            assert!(shown.iter().any(|s| s == expected), "no {expected:?} in:\n{}", shown.join("\n"));
        }
        // A new type's members come with it: one entry.
        assert!(!shown.iter().any(|s| s.contains("Writer.")), "{}", shown.join("\n"));
        assert!(compare(&old, &old).is_empty());
    }
}
