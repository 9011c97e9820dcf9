//! What a model's file prints: its imports (from what it names), field types, serde
//! attributes, doc notes and validation calls.

use std::collections::BTreeSet;

use super::checks::{self, Check};
use super::rust::{self, Models};
use crate::ir::{Api, Field, Model, ModelKind, Presence, Struct, Ty, Union, UnionVariant};

/// A model file.
pub(crate) struct ModelView<'a> {
    /// `use` paths, sorted.
    pub uses: Vec<String>,
    /// The schema's pointer as it can appear in a doc code span.
    pub source: String,
    pub fields: Vec<FieldView<'a>>,
    pub variants: Vec<VariantView<'a>>,
    /// All fields optional: `Default` is derived.
    pub default: bool,
    /// More than seven `new` arguments (clippy's `too_many_arguments`, allowed on `new`).
    pub many_args: bool,
    /// Some field has a validation call.
    pub has_checks: bool,
    /// Some union variant validates (so `validate` reads its location).
    pub validates: bool,
    /// Some field is deprecated (the crate's own uses of it are allowed).
    pub deprecated_fields: bool,
}

/// A struct field as printed.
pub(crate) struct FieldView<'a> {
    pub field: &'a Field,
    /// Full type, e.g. `Option<Box<Node>>`.
    pub ty: String,
    /// Type without presence, e.g. `Box<Node>`: what `new` and setters take.
    pub inner: String,
    /// `#[serde(...)]` arguments.
    pub serde: Vec<String>,
    /// Docs with constraint and flag notes.
    pub docs: Vec<String>,
    pub checks: Vec<Check>,
    /// The wire name as it can appear in a doc code span.
    pub doc_name: String,
}

/// A union variant as printed.
pub(crate) struct VariantView<'a> {
    pub variant: &'a UnionVariant,
    /// The variant's field type, e.g. `Box<TextMessage>`.
    pub ty: String,
    /// The payload type, e.g. `TextMessage`.
    pub payload: String,
    /// The payload implements `Validate`.
    pub validate: bool,
    /// Docs with the tag line.
    pub docs: Vec<String>,
    /// Untagged unions: the condition choosing this branch for `value`.
    pub test: String,
}

pub(crate) fn view<'a>(api: &'a Api, model: &'a Model) -> ModelView<'a> {
    let mut view = ModelView {
        uses: Vec::new(),
        source: format!("#{}", crate::docs::code(&model.source)),
        fields: Vec::new(),
        variants: Vec::new(),
        default: false,
        many_args: false,
        has_checks: false,
        validates: false,
        deprecated_fields: false,
    };
    match &model.kind {
        ModelKind::Struct(s) => struct_view(api, model, s, &mut view),
        ModelKind::Union(u) => union_view(api, model, u, &mut view),
        ModelKind::StringEnum(_) => {}
    }
    view.uses = uses(model, &view);
    view
}

fn struct_view<'a>(api: &'a Api, model: &'a Model, s: &'a Struct, view: &mut ModelView<'a>) {
    for f in &s.fields {
        let inner = rust::held(&f.ty, f.indirect, Models::Bare);
        let ty = rust::with_presence(&inner, f.presence);
        let mut serde = Vec::new();
        if f.rust_name != f.wire_name {
            serde.push(format!("rename = {}", rust::lit(&f.wire_name)));
        }
        match f.presence {
            Presence::Required => {}
            Presence::Optional if f.read_only => serde.push("default, skip_serializing".into()),
            // Required on the wire but nullable: `None` is sent as `null`.
            Presence::Optional if f.required => serde.push("default".into()),
            Presence::Optional => serde.push("default, skip_serializing_if = \"Option::is_none\"".into()),
            Presence::TriState => serde.push("default, skip_serializing_if = \"crate::Nullable::is_absent\"".into()),
        }
        if f.each_on_its_own {
            let function =
                if f.presence == Presence::Required { "each_on_its_own" } else { "each_on_its_own_optional" };
            serde.push(format!("deserialize_with = \"json::{function}\""));
        }
        let checks = if model.in_request {
            checks::checks(&format!("self.{}", f.rust_name), &f.ty, f.indirect, &f.constraints, f.presence, api)
        } else {
            Vec::new()
        };
        let mut docs = f.docs.clone();
        let mut notes = checks::notes(&f.ty, &f.constraints);
        if f.read_only {
            notes.push("Read-only: set by the server, never sent.".into());
        }
        if f.write_only {
            notes.push("Write-only: sent, never returned.".into());
        }
        if f.presence == Presence::TriState {
            notes.push("Nullable: absent leaves it unchanged, `Null` clears it.".into());
        }
        if f.deprecated {
            notes.push("Deprecated: the API description marks this property deprecated.".into());
        }
        if !notes.is_empty() {
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.extend(notes);
        }
        if docs.is_empty() {
            docs.push(format!("The `{}` property.", crate::docs::code(&f.wire_name)));
        }
        view.fields.push(FieldView {
            field: f,
            ty,
            inner,
            serde,
            docs,
            checks,
            doc_name: crate::docs::code(&f.wire_name),
        });
    }
    let required = s.fields.iter().filter(|f| f.presence == Presence::Required).count();
    view.default = required == 0;
    view.many_args = required > 7;
    view.has_checks = view.fields.iter().any(|f| !f.checks.is_empty());
    view.deprecated_fields = s.fields.iter().any(|f| f.deprecated);
}

fn union_view<'a>(api: &'a Api, _model: &'a Model, u: &'a Union, view: &mut ModelView<'a>) {
    for v in &u.variants {
        let mut docs = v.docs.clone();
        if let Some(property) = u.tag.as_deref().filter(|_| !v.tags.is_empty()) {
            docs.push(String::new());
            let values: Vec<String> = v.tags.iter().map(|t| format!("`{}`", crate::docs::code(t))).collect();
            docs.push(format!("Sent with `{}` = {}.", crate::docs::code(property), values.join(" or ")));
        }
        let validate =
            v.ty.model().is_some_and(|m| api.model(m).is_some_and(|m| !matches!(m.kind, ModelKind::StringEnum(_))));
        view.variants.push(VariantView {
            variant: v,
            ty: rust::held(&v.ty, v.indirect, Models::Bare),
            payload: rust::ty(&v.ty, Models::Bare),
            validate,
            docs,
            test: v.shape.as_ref().map(shape_test).unwrap_or_default(),
        });
    }
    view.validates = view.variants.iter().any(|v| v.validate);
}

/// The condition under which an untagged union chooses a branch of this shape.
fn shape_test(shape: &crate::ir::Shape) -> String {
    if let Some(inner) = &shape.union {
        return format!("<{inner} as json::Matches>::matches(value)");
    }
    if shape.kind == crate::ir::JsonKind::Object && !shape.members.is_empty() {
        let required: Vec<String> = shape.required.iter().map(|r| format!("{}, ", rust::lit(r))).collect();
        let members: Vec<String> = shape
            .members
            .iter()
            .map(|m| {
                format!(
                    "json::Member::new({}, json::Kind::{}, {}), ",
                    rust::lit(&m.name),
                    rust::json_kind(m.kind),
                    m.nullable
                )
            })
            .collect();
        return format!("json::object_matches(value, &[{}], &[{}])", required.concat(), members.concat());
    }
    format!("json::Kind::{}.matches(value)", rust::json_kind(shape.kind))
}

/// The `use` lines of a model file: what it prints, and nothing else.
fn uses(model: &Model, view: &ModelView<'_>) -> Vec<String> {
    let mut uses = BTreeSet::new();
    let mut siblings = BTreeSet::new();
    let mut add_models = |ty: &Ty| {
        siblings.extend(ty.models().into_iter().filter(|m| *m != model.name).map(str::to_string));
    };
    match &model.kind {
        ModelKind::Struct(s) => {
            s.fields.iter().for_each(|f| add_models(&f.ty));
            uses.insert("serde::{Deserialize, Serialize}".to_string());
            if s.fields.iter().any(|f| f.each_on_its_own) {
                uses.insert("crate::runtime::json".to_string());
            }
        }
        ModelKind::StringEnum(_) => {
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("std::fmt".to_string());
        }
        ModelKind::Union(u) => {
            u.variants.iter().for_each(|v| add_models(&v.ty));
            for shape in u.variants.iter().filter_map(|v| v.shape.as_ref()) {
                siblings.extend(shape.union.iter().filter(|m| **m != model.name).cloned());
            }
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("crate::runtime::json".to_string());
        }
    }
    match siblings.len() {
        0 => {}
        1 => {
            uses.insert(format!("super::{}", siblings.iter().next().map(String::as_str).unwrap_or_default()));
        }
        _ => {
            uses.insert(format!("super::{{{}}}", siblings.into_iter().collect::<Vec<_>>().join(", ")));
        }
    }
    if model.in_request {
        uses.insert(if view.has_checks {
            "crate::runtime::validate::{self, Validate}".to_string()
        } else {
            "crate::runtime::validate::Validate".to_string()
        });
    }
    uses.into_iter().collect()
}
