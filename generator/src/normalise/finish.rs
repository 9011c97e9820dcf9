//! Model drafts → IR models: what each model is used for (requests, update bodies),
//! which fields are boxed, which discriminator a branch struct always sends, how an
//! untagged union recognises its branches.

use std::collections::{BTreeMap, BTreeSet};

use super::Namer;
use super::graph::{Edges, components, reach};
use super::schema::{Draft, DraftKind, FieldDraft, VariantDraft};
use super::types::{Ty, TypeInfo};
use crate::diagnostics::Reporter;
use crate::ir::{
    CommonField, Field, JsonKind, Model, ModelKind, Presence, Shape, ShapeMember, Struct, StructTag, Union,
    UnionVariant,
};
use crate::limits::MAX_NAME_BYTES;
use crate::names::{module_name, snake};

/// What `finish` needs besides the drafts.
pub(crate) struct Uses {
    /// Models requests contain.
    pub request_roots: BTreeSet<String>,
    /// Models PATCH bodies contain.
    pub update_roots: BTreeSet<String>,
    /// Models webhook payloads contain.
    pub webhook_roots: BTreeSet<String>,
}

/// Every draft as an IR model, sorted by name, and the longest chain of models that
/// hold one another.
pub(crate) fn finish(
    mut drafts: BTreeMap<String, Draft>,
    uses: &Uses,
    report: &mut Reporter<'_>,
) -> (Vec<Model>, usize) {
    let tags = branch_tags(&drafts, report);
    for (name, tag) in &tags {
        if let Some(DraftKind::Struct(fields)) = drafts.get_mut(name).map(|d| &mut d.kind) {
            fields.retain(|f| f.wire != tag.property);
        }
    }
    break_union_cycles(&mut drafts, report);

    let mut edges = Edges::new();
    let mut direct = Edges::new();
    for draft in drafts.values() {
        let all = edges.entry(draft.name.clone()).or_default();
        let inline = direct.entry(draft.name.clone()).or_default();
        let mut visit = |info: &TypeInfo| {
            info.ty.models(all);
            if let Some(m) = info.ty.direct_model() {
                inline.insert(m.to_string());
            }
        };
        match &draft.kind {
            DraftKind::Struct(fields) => fields.iter().for_each(|f| visit(&f.info)),
            DraftKind::Union { variants, .. } => variants.iter().for_each(|v| visit(&v.info)),
            DraftKind::StringEnum(_) => {}
        }
    }
    let in_request = reach(&edges, uses.request_roots.iter().map(String::as_str));
    let in_update = reach(&edges, uses.update_roots.iter().map(String::as_str));
    let in_webhook = reach(&edges, uses.webhook_roots.iter().map(String::as_str));
    // A model that holds another inline, which holds it back, needs a `Box` there.
    let component = components(&direct);
    let cx = Cx { drafts: &drafts, component: &component, in_update: &in_update, in_webhook: &in_webhook };

    // Distinct type names can still share a snake-case module name (`ABC`, `Abc`).
    let mut modules = Namer::with_reserved(&crate::names::reserved_modules());
    let mut models = Vec::new();
    for draft in drafts.values() {
        let request = in_request.contains(&draft.name);
        let kind = match &draft.kind {
            DraftKind::Struct(fields) => {
                ModelKind::Struct(cx.finish_struct(draft, fields, tags.get(&draft.name).cloned(), request))
            }
            DraftKind::StringEnum(e) => ModelKind::StringEnum(e.clone()),
            DraftKind::Union { variants, tag, other } => ModelKind::Union(cx.finish_union(draft, variants, tag, other)),
        };
        let uses = model_uses(&draft.name, &edges[&draft.name], &kind, request);
        models.push(Model {
            name: draft.name.clone(),
            module: modules.claim_quiet(&module_name(&snake(&draft.name), MAX_NAME_BYTES)),
            docs: draft.docs.clone(),
            pointer: format!("#{}", crate::docs::code(&draft.pointer)),
            in_request: request,
            uses,
            kind,
        });
    }
    (models, super::graph::longest_chain(&edges))
}

/// The discriminator each struct always sends: the one (property, value) pair under
/// which tagged unions list it. A struct listed under several values keeps the
/// property as a field (and gets one if it lacks it, so the tag is never lost).
fn branch_tags(drafts: &BTreeMap<String, Draft>, report: &mut Reporter<'_>) -> BTreeMap<String, StructTag> {
    let mut seen: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for draft in drafts.values() {
        let DraftKind::Union { variants, tag: Some(property), .. } = &draft.kind else { continue };
        for v in variants {
            let Some(target) = v.info.ty.direct_model() else { continue };
            if matches!(drafts.get(target).map(|d| &d.kind), Some(DraftKind::Struct(_))) {
                let entry = seen.entry(target).or_default();
                entry.extend(v.tags.iter().map(|t| (property.as_str(), t.as_str())));
            }
        }
    }
    let mut out = BTreeMap::new();
    for (name, pairs) in seen {
        match pairs.iter().collect::<Vec<_>>().as_slice() {
            [(property, value)] => {
                out.insert(
                    name.to_string(),
                    StructTag {
                        property: property.to_string(),
                        value: value.to_string(),
                        doc: crate::docs::code(&format!("\"{property}\": \"{value}\"")),
                    },
                );
            }
            _ => {
                let draft = &drafts[name];
                report.warn(
                    &draft.pointer,
                    format!(
                        "this schema is a branch of tagged unions under several tags ({}); its tag stays a field to set by hand",
                        pairs.iter().map(|(p, v)| format!("{p}={v}")).collect::<Vec<_>>().join(", ")
                    ),
                    Some("give each tag value a schema of its own"),
                );
            }
        }
    }
    out
}

/// A union whose branch is a union that leads back to it would decode a value by
/// trying itself on the same value, forever. Such branches are dropped (the catch-all
/// keeps what they would have matched), with a warning.
fn break_union_cycles(drafts: &mut BTreeMap<String, Draft>, report: &mut Reporter<'_>) {
    let is_union = |d: &Draft| matches!(d.kind, DraftKind::Union { .. });
    let mut graph = Edges::new();
    for draft in drafts.values().filter(|d| is_union(d)) {
        let DraftKind::Union { variants, .. } = &draft.kind else { continue };
        let out = graph.entry(draft.name.clone()).or_default();
        for v in variants {
            if let Some(target) = v.info.ty.direct_model().filter(|t| drafts.get(*t).is_some_and(is_union)) {
                out.insert(target.to_string());
            }
        }
    }
    let component = components(&graph);
    for draft in drafts.values_mut() {
        let name = draft.name.clone();
        let DraftKind::Union { variants, .. } = &mut draft.kind else { continue };
        variants.retain(|v| {
            let cyclic = v.info.ty.direct_model().is_some_and(|t| {
                graph.get(&name).is_some_and(|out| out.contains(t)) && component.get(t) == component.get(&name)
            });
            if cyclic {
                report.warn(
                    &v.pointer,
                    format!("this branch leads back to `{name}` through unions only, which no value can end; dropped (such values are kept whole in the catch-all)"),
                    Some("make the branch an object, or remove the cycle between the unions"),
                );
            }
            !cyclic
        });
    }
}

struct Cx<'a> {
    drafts: &'a BTreeMap<String, Draft>,
    component: &'a BTreeMap<String, usize>,
    in_update: &'a BTreeSet<String>,
    in_webhook: &'a BTreeSet<String>,
}

impl Cx<'_> {
    /// Whether `owner` holding `target` inline needs a `Box`: they contain each other.
    fn boxed(&self, owner: &str, target: &str) -> bool {
        self.component.get(owner).is_some_and(|c| self.component.get(target) == Some(c))
    }

    fn ty(&self, owner: &str, ty: &Ty) -> Ty {
        match ty.direct_model() {
            Some(m) if self.boxed(owner, m) => Ty::Boxed(Box::new(ty.clone())),
            _ => ty.clone(),
        }
    }

    /// How a field of `model` holds its value (as `finish_struct` types it).
    fn presence(&self, model: &str, f: &FieldDraft) -> Presence {
        let info = &f.info;
        if f.required && !info.nullable && !info.read_only && !info.write_only {
            Presence::Required
        } else if !f.required && info.nullable && self.in_update.contains(model) && !info.read_only {
            Presence::TriState
        } else {
            Presence::Optional
        }
    }

    fn finish_struct(&self, draft: &Draft, fields: &[FieldDraft], tag: Option<StructTag>, in_request: bool) -> Struct {
        let mut out = Vec::new();
        for f in fields {
            let mut info = f.info.clone();
            info.ty = self.ty(&draft.name, &info.ty);
            let rust_name = f.rust.clone();
            let inner_ty = info.ty.render("");
            let presence = self.presence(&draft.name, f);
            let mut serde = Vec::new();
            if rust_name != f.wire {
                serde.push(format!("rename = {:?}", f.wire));
            }
            let ty = match presence {
                Presence::Required => inner_ty.clone(),
                Presence::Optional => format!("Option<{inner_ty}>"),
                Presence::TriState => format!("Nullable<{inner_ty}>"),
            };
            match presence {
                Presence::Required => {}
                Presence::Optional if f.required => serde.push("default".into()),
                Presence::Optional if info.read_only => serde.push("default, skip_serializing".into()),
                Presence::Optional => serde.push("default, skip_serializing_if = \"Option::is_none\"".into()),
                Presence::TriState => serde.push("default, skip_serializing_if = \"Nullable::is_absent\"".into()),
            }
            if info.read_only && presence != Presence::Optional {
                serde.push("skip_serializing".into());
            }
            // In a webhook payload, an array of unions (a delivery's events) decodes
            // each element on its own: one undecodable element is kept aside.
            let union_items = matches!(&info.ty, Ty::Vec(item) if matches!(item.direct_model().and_then(|m| self.drafts.get(m)).map(|d| &d.kind), Some(DraftKind::Union { .. })));
            if union_items && self.in_webhook.contains(&draft.name) {
                match presence {
                    Presence::Required => serde.push("deserialize_with = \"json::each_on_its_own\"".into()),
                    Presence::Optional => serde.push("deserialize_with = \"json::each_on_its_own_optional\"".into()),
                    Presence::TriState => {}
                }
            }
            let checks = info.checks(&format!("self.{rust_name}"), presence);
            let mut docs = f.docs.clone();
            let notes: Vec<String> = checks.iter().map(|c| c.doc.clone()).filter(|d| !d.is_empty()).collect();
            if !notes.is_empty() || info.read_only || info.write_only || presence == Presence::TriState {
                if !docs.is_empty() {
                    docs.push(String::new());
                }
                docs.extend(notes);
                if info.read_only {
                    docs.push("Read-only: set by the server, never sent.".into());
                }
                if info.write_only {
                    docs.push("Write-only: sent, never returned.".into());
                }
                if presence == Presence::TriState {
                    docs.push("Nullable: absent leaves it unchanged, `Null` clears it.".into());
                }
            }
            if docs.is_empty() {
                docs.push(format!("The `{}` property.", crate::docs::code(&f.wire)));
            }
            // A request model cannot send a read-only field; a response-only model
            // never receives a write-only one.
            let settable = if in_request { !info.read_only } else { !info.write_only };
            out.push((
                settable,
                Field {
                    rust_name,
                    wire_name: f.wire.clone(),
                    doc_name: crate::docs::code(&f.wire),
                    docs,
                    ty,
                    inner_ty,
                    serde,
                    presence,
                    setter: String::new(),
                    clear_setter: String::new(),
                    checks,
                },
            ));
        }
        // Setters: natural names first, so `with_x` (for a field named like a method
        // the struct already has) never takes the name of a field called `with_x`.
        let mut methods = Namer::with_reserved(&["new", "validate"]);
        let reserved = |name: &str| ["new", "validate"].contains(&name);
        for renamed in [false, true] {
            for (_, field) in out.iter_mut().filter(|(settable, f)| *settable && reserved(&f.rust_name) == renamed) {
                let wanted = if renamed { format!("with_{}", field.rust_name) } else { field.rust_name.clone() };
                field.setter = methods.claim_quiet(&wanted);
            }
        }
        for (_, field) in out.iter_mut().filter(|(_, f)| f.presence == Presence::TriState) {
            field.clear_setter = methods.claim_quiet(&format!("clear_{}", field.rust_name));
        }
        let fields: Vec<Field> = out.into_iter().map(|(_, f)| f).collect();
        let required = fields.iter().filter(|f| f.presence == Presence::Required).count();
        let has_checks = fields.iter().any(|f| !f.checks.is_empty());
        Struct { default: required == 0, many_args: required > 7, has_checks, tag, fields }
    }

    fn finish_union(&self, draft: &Draft, variants: &[VariantDraft], tag: &Option<String>, other: &str) -> Union {
        let count = |ty: &Ty| variants.iter().filter(|v| &v.info.ty == ty).count();
        let mut methods = Namer::with_reserved(&[
            "tag",
            "from_json",
            "branch_of",
            "matches",
            "validate",
            "serialize",
            "deserialize",
            "clone",
            "fmt",
            "eq",
            "from",
        ]);
        let common = self.common_fields(variants, tag.as_deref(), &mut methods);
        let variants: Vec<UnionVariant> = variants
            .iter()
            .map(|v| {
                // Every struct or union payload is boxed: the union stays as small as a
                // pointer whatever its branches (an array of them decodes into little
                // more than its JSON), and it may contain itself.
                let boxed = v.info.ty.direct_model().is_some_and(|m| {
                    self.boxed(&draft.name, m)
                        || matches!(
                            self.drafts.get(m).map(|d| &d.kind),
                            Some(DraftKind::Struct(_) | DraftKind::Union { .. })
                        )
                });
                let ty = if boxed { Ty::Boxed(Box::new(v.info.ty.clone())) } else { v.info.ty.clone() };
                let mut docs = v.docs.clone();
                if let Some(property) = tag.as_deref().filter(|_| !v.tags.is_empty()) {
                    docs.push(String::new());
                    let values: Vec<String> = v.tags.iter().map(|t| format!("`{}`", crate::docs::code(t))).collect();
                    docs.push(format!("Sent with `{}` = {}.", crate::docs::code(property), values.join(" or ")));
                }
                UnionVariant {
                    rust_name: v.rust.clone(),
                    ty: ty.render(""),
                    docs,
                    tags: v.tags.clone(),
                    validate: matches!(v.info.ty, Ty::Model(_)),
                    from_ty: v.info.ty.render(""),
                    boxed,
                    from: count(&v.info.ty) == 1 && v.info.ty != Ty::Json,
                    shape: tag.is_none().then(|| self.shape(&v.info)),
                    accessor: methods.claim_quiet(&format!("as_{}", snake(&v.rust))),
                }
            })
            .collect();
        Union {
            allow_large: false,
            validates: variants.iter().any(|v| v.validate),
            variants,
            tag: tag.clone(),
            tag_doc: tag.as_deref().map(crate::docs::code).unwrap_or_default(),
            other: other.to_string(),
            common,
        }
    }

    /// String fields (by wire name) that every variant's struct has, other than the tag.
    fn common_fields(&self, variants: &[VariantDraft], tag: Option<&str>, methods: &mut Namer) -> Vec<CommonField> {
        let structs: Vec<(&str, &[FieldDraft])> = variants
            .iter()
            .filter_map(|v| {
                let model = v.info.ty.direct_model()?;
                match self.drafts.get(model).map(|d| &d.kind) {
                    Some(DraftKind::Struct(fields)) => Some((model, fields.as_slice())),
                    _ => None,
                }
            })
            .collect();
        let Some((_, first)) = structs.first().filter(|_| structs.len() == variants.len() && variants.len() > 1) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for candidate in first.iter().filter(|f| f.info.ty == Ty::String && Some(f.wire.as_str()) != tag) {
            let fields: Option<Vec<(String, Presence)>> = structs
                .iter()
                .map(|(model, fields)| {
                    let f = fields.iter().find(|f| f.wire == candidate.wire && f.info.ty == Ty::String)?;
                    Some((f.rust.clone(), self.presence(model, f)))
                })
                .collect();
            if let Some(fields) = fields {
                out.push(CommonField {
                    method: methods.claim_quiet(&snake(&candidate.wire)),
                    wire_name: candidate.wire.clone(),
                    doc_name: crate::docs::code(&candidate.wire),
                    fields,
                });
            }
        }
        out
    }

    /// How an untagged union recognises this branch.
    fn shape(&self, info: &TypeInfo) -> Shape {
        let mut shape = Shape { kind: self.kind(&info.ty), required: Vec::new(), members: Vec::new(), union: None };
        let Some(model) = info.ty.direct_model() else { return shape };
        match self.drafts.get(model).map(|d| &d.kind) {
            Some(DraftKind::Struct(fields)) => {
                for f in fields {
                    if f.required && !f.info.read_only {
                        shape.required.push(f.wire.clone());
                    }
                    shape.members.push(ShapeMember {
                        name: f.wire.clone(),
                        kind: self.kind(&f.info.ty),
                        nullable: f.info.nullable || !f.required,
                    });
                }
            }
            Some(DraftKind::Union { .. }) => shape.union = Some(model.to_string()),
            _ => {}
        }
        shape
    }

    /// The kind of JSON a type decodes from.
    fn kind(&self, ty: &Ty) -> JsonKind {
        match ty {
            Ty::String => JsonKind::String,
            Ty::Integer => JsonKind::Integer,
            Ty::Number => JsonKind::Number,
            Ty::Boolean => JsonKind::Boolean,
            Ty::Json => JsonKind::Any,
            Ty::JsonObject | Ty::Map(_) => JsonKind::Object,
            Ty::Vec(_) => JsonKind::Array,
            Ty::Boxed(inner) => self.kind(inner),
            Ty::Model(name) => match self.drafts.get(name).map(|d| &d.kind) {
                Some(DraftKind::Struct(_)) => JsonKind::Object,
                Some(DraftKind::StringEnum(_)) => JsonKind::String,
                _ => JsonKind::Any,
            },
        }
    }
}

/// The `use` lines of a model file.
fn model_uses(name: &str, refs: &BTreeSet<String>, kind: &ModelKind, in_request: bool) -> Vec<String> {
    let mut uses = BTreeSet::new();
    let siblings: Vec<&str> = refs.iter().map(String::as_str).filter(|m| *m != name).collect();
    match siblings.as_slice() {
        [] => {}
        [one] => {
            uses.insert(format!("super::{one}"));
        }
        many => {
            uses.insert(format!("super::{{{}}}", many.join(", ")));
        }
    }
    match kind {
        ModelKind::Struct(s) => {
            uses.insert("serde::{Deserialize, Serialize}".to_string());
            if s.fields.iter().any(|f| f.serde.iter().any(|a| a.contains("json::each_on_its_own"))) {
                uses.insert("crate::runtime::json".to_string());
            }
            if s.fields.iter().any(|f| f.presence == Presence::TriState) {
                uses.insert("crate::Nullable".to_string());
            }
            if in_request {
                uses.insert(if s.has_checks {
                    "crate::runtime::validate::{self, Validate}".to_string()
                } else {
                    "crate::runtime::validate::Validate".to_string()
                });
                uses.insert("crate::ValidationError".to_string());
            }
        }
        ModelKind::StringEnum(_) => {
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("std::fmt".to_string());
            if in_request {
                uses.insert("crate::runtime::validate::Validate".to_string());
                uses.insert("crate::ValidationError".to_string());
            }
        }
        ModelKind::Union(_) => {
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("crate::runtime::json".to_string());
            uses.insert("crate::Unknown".to_string());
            if in_request {
                uses.insert("crate::runtime::validate::Validate".to_string());
                uses.insert("crate::ValidationError".to_string());
            }
        }
    }
    uses.into_iter().collect()
}
