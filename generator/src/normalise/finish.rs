//! Model drafts → IR models: what each model is used for (requests, update bodies,
//! responses, webhooks), which fields are held behind a pointer, which discriminator a
//! branch struct always sends, how an untagged union recognises its branches.

use std::collections::{BTreeMap, BTreeSet};

use super::Namer;
use super::graph::{Edges, components, reach};
use super::schema::{Draft, DraftKind, FieldDraft, Uses, VariantDraft};
use super::types::TypeInfo;
use crate::diagnostics::Reporter;
use crate::ir::{
    Constructor, Field, JsonKind, Model, ModelKind, Presence, Shape, ShapeMember, SharedField, Step, Struct, StructTag,
    Ty, Union, UnionVariant,
};
use crate::limits::MAX_NAME_BYTES;
use crate::names::{module_name, snake};

/// Every draft as an IR model, sorted by name, and the compiler's recursion limit the
/// models need (see [`recursion_limit`]).
pub(crate) fn finish(
    mut drafts: BTreeMap<String, Draft>,
    uses: &Uses,
    report: &mut Reporter<'_>,
) -> (Vec<Model>, Option<usize>) {
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
            all.extend(info.ty.models().into_iter().map(str::to_string));
            if let Some(m) = info.ty.model() {
                inline.insert(m.to_string());
            }
        };
        match &draft.kind {
            DraftKind::Struct(fields) => fields.iter().for_each(|f| visit(&f.info)),
            DraftKind::Union { variants, .. } => variants.iter().for_each(|v| visit(&v.info)),
            DraftKind::StringEnum(_) => {}
        }
    }
    let reached = |roots: &BTreeSet<String>| reach(&edges, roots.iter().map(String::as_str));
    let in_request = reached(&uses.request_roots);
    let in_update = reached(&uses.update_roots);
    let in_response = reached(&uses.response_roots);
    let in_webhook = reached(&uses.webhook_roots);
    // A model that holds another inline, which holds it back, needs a pointer there.
    let component = components(&direct);
    let cx = Cx { drafts: &drafts, component: &component, in_update: &in_update, in_webhook: &in_webhook };

    // Distinct type names can still share a snake-case module name (`ABC`, `Abc`).
    let mut modules = Namer::with_reserved(&crate::names::reserved_modules());
    let mut models = Vec::new();
    for draft in drafts.values() {
        let request = in_request.contains(&draft.name);
        let kind = match &draft.kind {
            DraftKind::Struct(fields) => {
                let response = in_response.contains(&draft.name) || in_webhook.contains(&draft.name);
                ModelKind::Struct(cx.finish_struct(draft, fields, tags.get(&draft.name).cloned(), request, response))
            }
            DraftKind::StringEnum(e) => ModelKind::StringEnum(e.clone()),
            DraftKind::Union { variants, tag, other } => ModelKind::Union(cx.finish_union(draft, variants, tag, other)),
        };
        models.push(Model {
            name: draft.name.clone(),
            module: modules.claim_quiet(&module_name(&snake(&draft.name), MAX_NAME_BYTES)),
            docs: draft.docs.clone(),
            source: draft.pointer.clone(),
            in_request: request,
            in_response: in_response.contains(&draft.name) || in_webhook.contains(&draft.name),
            deprecated: draft.deprecated,
            error_text: None,
            kind,
        });
    }
    (models, recursion_limit(&edges))
}

/// The discriminator each struct always sends: the one (property, value) pair under
/// which tagged unions list it. A struct listed under several values keeps the
/// property as a field (and gets one if it lacks it, so the tag is never lost).
fn branch_tags(drafts: &BTreeMap<String, Draft>, report: &mut Reporter<'_>) -> BTreeMap<String, StructTag> {
    let mut seen: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for draft in drafts.values() {
        let DraftKind::Union { variants, tag: Some(property), .. } = &draft.kind else { continue };
        for v in variants {
            let Some(target) = v.info.ty.model() else { continue };
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
                out.insert(name.to_string(), StructTag { property: property.to_string(), value: value.to_string() });
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

/// The compiler's recursion limit a crate of these models needs, when it is over the
/// default (128): the compiler (and rustdoc, proving auto traits) walks a few levels
/// per hop between types that hold one another (`Box`, `Vec`, `Option` add some), so 8
/// per model on the longest chain, plus 64.
fn recursion_limit(edges: &Edges) -> Option<usize> {
    let needed = super::graph::longest_chain(edges).saturating_mul(8).saturating_add(64);
    (needed > 128).then_some(needed)
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
            if let Some(target) = v.info.ty.model().filter(|t| drafts.get(*t).is_some_and(is_union)) {
                out.insert(target.to_string());
            }
        }
    }
    let component = components(&graph);
    for draft in drafts.values_mut() {
        let name = draft.name.clone();
        let DraftKind::Union { variants, .. } = &mut draft.kind else { continue };
        variants.retain(|v| {
            let cyclic = v.info.ty.model().is_some_and(|t| {
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
    /// Whether `owner` holding `target` inline needs a pointer: they contain each other.
    fn recursive(&self, owner: &str, target: &str) -> bool {
        self.component.get(owner).is_some_and(|c| self.component.get(target) == Some(c))
    }

    fn is_union(&self, model: &str) -> bool {
        matches!(self.drafts.get(model).map(|d| &d.kind), Some(DraftKind::Union { .. }))
    }

    /// How a field of `model` holds its value.
    fn presence(&self, model: &str, f: &FieldDraft) -> Presence {
        presence(f.required, &f.info, self.in_update.contains(model))
    }

    fn finish_struct(
        &self,
        draft: &Draft,
        fields: &[FieldDraft],
        tag: Option<StructTag>,
        in_request: bool,
        in_response: bool,
    ) -> Struct {
        let mut out: Vec<Field> = Vec::new();
        for f in fields {
            let info = &f.info;
            let presence = self.presence(&draft.name, f);
            let indirect = info.ty.model().is_some_and(|m| self.recursive(&draft.name, m));
            // In a webhook payload, an array of unions (a delivery's events) decodes
            // each element on its own: one undecodable element is kept aside.
            let union_items = matches!(&info.ty, Ty::List(item) if item.model().is_some_and(|m| self.is_union(m)));
            let each_on_its_own =
                union_items && self.in_webhook.contains(&draft.name) && presence != Presence::TriState;
            // A request model cannot send a read-only field; a response-only model
            // never receives a write-only one.
            let settable = if in_request { !info.read_only } else { !info.write_only };
            out.push(Field {
                rust_name: f.rust.clone(),
                wire_name: f.wire.clone(),
                docs: f.docs.clone(),
                ty: info.ty.clone(),
                required: f.required,
                presence,
                indirect,
                read_only: info.read_only,
                write_only: info.write_only,
                deprecated: info.deprecated,
                constraints: info.constraints.clone(),
                // Named below, once every field is known.
                setter: settable.then(String::new),
                clear_setter: (presence == Presence::TriState).then(String::new),
                each_on_its_own,
            });
        }
        let mut methods = name_setters(&mut out);
        let constructors = self.constructors(&draft.name, &out, &mut methods);
        let extra = in_response.then(|| {
            let taken: Vec<&str> = out.iter().map(|f| f.rust_name.as_str()).collect();
            Namer::with_reserved(&taken).claim_quiet("extra")
        });
        Struct { fields: out, tag, extra, constructors, conversions: Vec::new() }
    }

    /// One constructor per value of the single required field whose type is a string
    /// enum (of at most [`MAX_CONSTRUCTORS`] values), named after the value; none when
    /// the struct has no such field, or several. A value whose name is the type's
    /// (`Dog::dog()`) gets none: a constructor named after its type reads as a
    /// stutter (clippy's `self_named_constructors`), and `new` says the same; nor does
    /// a value named `default`.
    fn constructors(&self, type_name: &str, fields: &[Field], methods: &mut Namer) -> Vec<Constructor> {
        let enums: Vec<(&Field, &crate::ir::StringEnum)> = fields
            .iter()
            .filter(|f| f.presence == Presence::Required)
            .filter_map(|f| match self.drafts.get(f.ty.model()?).map(|d| &d.kind) {
                Some(DraftKind::StringEnum(e)) => Some((f, e)),
                _ => None,
            })
            .collect();
        let [(field, values)] = enums.as_slice() else { return Vec::new() };
        if values.variants.len() > MAX_CONSTRUCTORS {
            return Vec::new();
        }
        let ty = field.ty.model().unwrap_or_default().to_string();
        values
            .variants
            .iter()
            .filter(|v| snake(&v.rust_name).replace('_', "") != type_name.to_lowercase())
            // `Thing::default()` reads as `Default::default` (clippy's should_implement_trait).
            .filter(|v| snake(&v.rust_name) != "default")
            .filter_map(|v| {
                Some(Constructor {
                    method: methods.try_claim(&snake(&v.rust_name))?,
                    field: field.rust_name.clone(),
                    ty: ty.clone(),
                    variant: v.rust_name.clone(),
                    value: v.wire_name.clone(),
                })
            })
            .collect()
    }

    fn finish_union(&self, draft: &Draft, variants: &[VariantDraft], tag: &Option<String>, other: &str) -> Union {
        let count = |ty: &Ty| variants.iter().filter(|v| &v.info.ty == ty).count();
        let mut methods = Namer::with_reserved(crate::vocabulary::UNION_METHODS);
        let shared = self.shared_fields(variants, tag.as_deref(), &mut methods);
        let variants: Vec<UnionVariant> = variants
            .iter()
            .map(|v| {
                // Every struct or union payload is behind a pointer: the union stays as
                // small as a pointer whatever its branches (an array of them decodes into
                // little more than its JSON), and it may contain itself.
                let indirect = v.info.ty.model().is_some_and(|m| {
                    self.recursive(&draft.name, m)
                        || matches!(
                            self.drafts.get(m).map(|d| &d.kind),
                            Some(DraftKind::Struct(_) | DraftKind::Union { .. })
                        )
                });
                UnionVariant {
                    rust_name: v.rust.clone(),
                    ty: v.info.ty.clone(),
                    indirect,
                    docs: v.docs.clone(),
                    tags: v.tags.clone(),
                    from: count(&v.info.ty) == 1 && v.info.ty != Ty::Any,
                    shape: tag.is_none().then(|| self.shape(&v.info)),
                    accessor: methods.claim_quiet(&format!("as_{}", snake(&v.rust))),
                }
            })
            .collect();
        // Text on the wire: every branch a scalar or a string enum (`Models::is_scalar_union`
        // said so of the schema, for parameters).
        let scalar = tag.is_none()
            && !variants.is_empty()
            && variants.iter().all(|v| match &v.ty {
                Ty::String | Ty::Integer(_) | Ty::Number | Ty::Boolean => true,
                Ty::Model(name) => matches!(self.drafts.get(name).map(|d| &d.kind), Some(DraftKind::StringEnum(_))),
                _ => false,
            });
        Union { variants, tag: tag.clone(), other: other.to_string(), shared, scalar }
    }

    /// Strings and models (by wire name) that two or more variants' structs hold, other
    /// than the tag: as a member of their own, or as a member of a struct member they
    /// share by name (an event's `payload.conversation`). A nearer value takes a name
    /// first; a name already taken is not given twice.
    fn shared_fields(&self, variants: &[VariantDraft], tag: Option<&str>, methods: &mut Namer) -> Vec<SharedField> {
        let structs: Vec<Option<(&str, &[FieldDraft])>> =
            variants.iter().map(|v| self.struct_fields(&v.info.ty)).collect();
        let mut out = Vec::new();
        // Own members.
        let own: Vec<Vec<Holding>> = structs
            .iter()
            .map(|s| {
                let Some((model, fields)) = s else { return Vec::new() };
                fields
                    .iter()
                    .filter(|f| Some(f.wire.as_str()) != tag)
                    .map(|f| Some((f.wire.clone(), vec![self.step(model, f)], f.info.ty.clone())))
                    .collect()
            })
            .collect();
        self.collect_shared(&own, methods, &mut out);
        // Members of struct members shared by name.
        let mut nested: Vec<Vec<Holding>> = vec![Vec::new(); structs.len()];
        for (i, s) in structs.iter().enumerate() {
            let Some((model, fields)) = s else { continue };
            for f in fields.iter().filter(|f| Some(f.wire.as_str()) != tag) {
                let Some((inner_model, inner)) = self.struct_fields(&f.info.ty) else { continue };
                let first = self.step(model, f);
                for g in inner {
                    let path = format!("{}/{}", f.wire, g.wire);
                    nested[i].push(Some((path, vec![first.clone(), self.step(inner_model, g)], g.info.ty.clone())));
                }
            }
        }
        self.collect_shared(&nested, methods, &mut out);
        out
    }

    /// Adds an accessor for each path (joined by `/`) that two or more variants hold,
    /// all with one type, a string or a model. A path holding different types in
    /// different variants gets none (an accessor answering `None` for some variant
    /// that has the member would mislead).
    fn collect_shared(&self, per_variant: &[Vec<Holding>], methods: &mut Namer, out: &mut Vec<SharedField>) {
        let mut paths: Vec<(&str, &Ty)> = Vec::new();
        let mut mixed: BTreeSet<&str> = BTreeSet::new();
        for (path, _, ty) in per_variant.iter().flatten().flatten() {
            match paths.iter().find(|(p, _)| p == path) {
                None => paths.push((path, ty)),
                Some((_, seen)) if *seen != ty => {
                    mixed.insert(path);
                }
                Some(_) => {}
            }
        }
        for (path, ty) in paths {
            if mixed.contains(path) || !(*ty == Ty::String || ty.model().is_some()) {
                continue;
            }
            let steps: Vec<Option<Vec<Step>>> = per_variant
                .iter()
                .map(|fields| {
                    fields.iter().flatten().find(|(p, _, t)| p == path && t == ty).map(|(_, steps, _)| steps.clone())
                })
                .collect();
            if steps.iter().flatten().count() < 2 {
                continue;
            }
            let wire_path: Vec<String> = path.split('/').map(str::to_string).collect();
            let Some(last) = wire_path.last() else { continue };
            let Some(method) = methods.try_claim(&snake(last)) else { continue };
            out.push(SharedField { method, wire_path, ty: ty.clone(), steps });
        }
    }

    /// The fields of a struct model.
    fn struct_fields<'t>(&'t self, ty: &'t Ty) -> Option<(&'t str, &'t [FieldDraft])> {
        let model = ty.model()?;
        match self.drafts.get(model).map(|d| &d.kind) {
            Some(DraftKind::Struct(fields)) => Some((model, fields.as_slice())),
            _ => None,
        }
    }

    /// How `model` holds its field `f`.
    fn step(&self, model: &str, f: &FieldDraft) -> Step {
        Step {
            rust_name: f.rust.clone(),
            wire_name: f.wire.clone(),
            presence: self.presence(model, f),
            indirect: f.info.ty.model().is_some_and(|m| self.recursive(model, m)),
        }
    }

    /// How an untagged union recognises this branch.
    fn shape(&self, info: &TypeInfo) -> Shape {
        let mut shape = Shape { kind: self.kind(&info.ty), required: Vec::new(), members: Vec::new(), union: None };
        let Some(model) = info.ty.model() else { return shape };
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
            Ty::String | Ty::File => JsonKind::String,
            Ty::Integer(_) => JsonKind::Integer,
            Ty::Number => JsonKind::Number,
            Ty::Boolean => JsonKind::Boolean,
            Ty::Any => JsonKind::Any,
            Ty::Object | Ty::Map(_) => JsonKind::Object,
            Ty::List(_) => JsonKind::Array,
            Ty::Model(name) => match self.drafts.get(name).map(|d| &d.kind) {
                Some(DraftKind::Struct(_)) => JsonKind::Object,
                Some(DraftKind::StringEnum(_)) => JsonKind::String,
                _ => JsonKind::Any,
            },
        }
    }
}

/// How a field holds its value: required non-nullable fields are `T`; optional
/// nullable fields of models in PATCH bodies are tri-state (absent, `null`, a value);
/// everything else is optional. Read-only and write-only fields are never required.
pub(crate) fn presence(required: bool, info: &TypeInfo, in_update: bool) -> Presence {
    if required && !info.nullable && !info.read_only && !info.write_only {
        Presence::Required
    } else if !required && info.nullable && in_update && !info.read_only {
        Presence::TriState
    } else {
        Presence::Optional
    }
}

/// Names the setters of settable fields: natural names first, so `with_x` (for a
/// field named like a method the struct already has) never takes the name of a field
/// called `with_x`; then the `clear_*` setters of tri-state fields.
/// A value a union variant holds: its wire path (joined by `/`), the fields on the
/// way, its type.
type Holding = Option<(String, Vec<Step>, Ty)>;

/// The most values a struct's enum field may have for it to get a constructor per
/// value (more would bury its other methods).
const MAX_CONSTRUCTORS: usize = 12;

fn name_setters(fields: &mut [Field]) -> Namer {
    let taken = crate::vocabulary::STRUCT_METHODS;
    let mut methods = Namer::with_reserved(taken);
    let reserved = |name: &str| taken.contains(&name);
    for renamed in [false, true] {
        for field in fields.iter_mut().filter(|f| f.setter.is_some() && reserved(&f.rust_name) == renamed) {
            let wanted = if renamed { format!("with_{}", field.rust_name) } else { field.rust_name.clone() };
            field.setter = Some(methods.claim_quiet(&wanted));
        }
    }
    for field in fields.iter_mut().filter(|f| f.clear_setter.is_some()) {
        field.clear_setter = Some(methods.claim_quiet(&format!("clear_{}", field.rust_name)));
    }
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(ty: Ty, nullable: bool, read_only: bool, write_only: bool) -> TypeInfo {
        TypeInfo { nullable, read_only, write_only, ..TypeInfo::new(ty) }
    }

    /// Presence, table-driven: (required, nullable, readOnly, writeOnly, in a PATCH body) → presence.
    #[test]
    fn presence_rules() {
        use Presence::*;
        let table = [
            ((true, false, false, false, false), Required),
            ((true, true, false, false, false), Optional),
            ((true, false, true, false, false), Optional),
            ((true, false, false, true, false), Optional),
            ((false, false, false, false, true), Optional),
            ((false, true, false, false, false), Optional),
            ((false, true, false, false, true), TriState),
            ((false, true, true, false, true), Optional),
            ((true, true, false, false, true), Optional),
        ];
        for ((required, nullable, read_only, write_only, update), expected) in table {
            let got = presence(required, &info(Ty::String, nullable, read_only, write_only), update);
            assert_eq!(
                got, expected,
                "required {required}, nullable {nullable}, readOnly {read_only}, writeOnly {write_only}, update {update}"
            );
        }
    }

    fn field(name: &str, settable: bool, tri: bool) -> Field {
        Field {
            rust_name: name.to_string(),
            wire_name: name.to_string(),
            docs: Vec::new(),
            ty: Ty::String,
            required: false,
            presence: if tri { Presence::TriState } else { Presence::Optional },
            indirect: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            constraints: Default::default(),
            setter: settable.then(String::new),
            clear_setter: tri.then(String::new),
            each_on_its_own: false,
        }
    }

    #[test]
    fn setters_avoid_the_struct_methods_and_each_other() {
        let mut fields = vec![
            field("new", true, false),
            field("with_new", true, false),
            field("validate", true, false),
            field("id", false, false),
            field("note", true, true),
            field("clear_note", true, false),
        ];
        name_setters(&mut fields);
        let setters: Vec<Option<&str>> = fields.iter().map(|f| f.setter.as_deref()).collect();
        assert_eq!(
            setters,
            [Some("with_new2"), Some("with_new"), Some("with_validate"), None, Some("note"), Some("clear_note")]
        );
        assert_eq!(fields[4].clear_setter.as_deref(), Some("clear_note2"));
    }
}
