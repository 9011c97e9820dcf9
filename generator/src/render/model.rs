//! What a model's file prints: its imports (from what it names), field types, serde
//! attributes, doc notes and validation calls.

use std::collections::BTreeSet;

use super::checks;
use super::rust::{self, Models};
use super::shapes::{Check, FieldRead, MemberTest, ReadStep, ShapeTest, json_kind};
use crate::ir::{Api, Field, Model, ModelKind, Presence, SharedField, Step, Struct, Ty, Union, UnionVariant};

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
    /// Every union variant validates (so `validate` goes through `each_branch!`).
    pub all_validate: bool,
    /// Some field is deprecated (the crate's own uses of it are allowed).
    pub deprecated_fields: bool,
    /// Unions: accessors of the values several variants hold.
    pub shared: Vec<SharedView<'a>>,
    /// Structs: constructors per value of their required enum field.
    pub constructors: Vec<ConstructorView<'a>>,
    /// Request structs: conversions from the models the API sends (`From<&Source>`).
    pub conversions: Vec<ConversionView<'a>>,
    /// Error bodies: where `ErrorMessages` reads the messages.
    pub messages: Option<MessagesView>,
}

/// `impl ErrorMessages`: the list holding the messages (`None`: the body is one), and
/// each message's code and text reads (from `e`, an item, or `self`).
pub(crate) struct MessagesView {
    pub list: Option<(String, Presence)>,
    pub code: Option<ReadStep>,
    pub text: Option<ReadStep>,
}

/// `impl From<&Source> for Model`: each field from the source's.
pub(crate) struct ConversionView<'a> {
    pub from: &'a str,
    pub docs: Vec<String>,
    /// (target field, source field, source presence, target presence, the value is `Copy`).
    pub fields: Vec<(&'a str, &'a str, Presence, Presence, bool)>,
}

/// A constructor saying intent.
pub(crate) struct ConstructorView<'a> {
    pub c: &'a crate::ir::Constructor,
    pub docs: Vec<String>,
    /// Parameters: the other required fields (name, type, taken as it is rather than
    /// via `impl Into`).
    pub params: Vec<(String, String, bool)>,
    /// The arguments passed to `new`, in order.
    pub args: Vec<ConstructorArg>,
    /// More than seven parameters (clippy's `too_many_arguments`, allowed as on `new`).
    pub many_args: bool,
}

/// An argument a constructor passes to `new`.
pub(crate) enum ConstructorArg {
    /// Its enum value: `Type::Variant`.
    Value { ty: String, variant: String },
    /// One of its parameters.
    Param(String),
}

/// An accessor of a value several union variants hold.
pub(crate) struct SharedView<'a> {
    pub field: &'a SharedField,
    pub docs: Vec<String>,
    /// Return type, e.g. `Option<&str>`.
    pub ret: String,
    /// The variants holding the value, with the fields read from `value` to reach it.
    pub arms: Vec<(&'a str, Vec<ReadStep>)>,
    /// The catch-all reads a string at this JSON pointer of its JSON.
    pub other: Option<String>,
    /// Some variant answers `None`.
    pub rest: bool,
    /// Every variant holds the value and reads it the same way: the accessor goes
    /// through the union's `each_branch!` (one list of variants per file, so a new
    /// variant or a new shared field changes a line, not one line per variant).
    pub uniform: Option<Vec<ReadStep>>,
}

/// An argument of a field's `#[serde(...)]`, in the order printed.
pub(crate) enum SerdeArg {
    /// `rename = "wire"`.
    Rename(String),
    /// `default`.
    Default,
    /// `skip_serializing`.
    SkipSerializing,
    /// `skip_serializing_if = "Option::is_none"`.
    SkipIfNone,
    /// `skip_serializing_if = "crate::Nullable::is_absent"`.
    SkipIfAbsent,
    /// `deserialize_with = "json::<function>"`.
    DeserializeWith(&'static str),
}

/// A struct field as printed.
pub(crate) struct FieldView<'a> {
    pub field: &'a Field,
    /// Full type, e.g. `Option<Box<Node>>`.
    pub ty: String,
    /// Type without presence, e.g. `Box<Node>`: what `new` and setters take.
    pub inner: String,
    /// `new` and setters take `inner` as it is (an integer), not `impl Into<inner>`.
    pub as_is: bool,
    /// A free-form JSON object: its setter's docs point at `object!`.
    pub object: bool,
    /// `#[serde(...)]` arguments.
    pub serde: Vec<SerdeArg>,
    /// Docs with constraint and flag notes.
    pub docs: Vec<String>,
    pub checks: Vec<Check>,
    /// The wire name as it can appear in a doc code span.
    pub doc_name: String,
    /// Structs keeping undeclared members: how `members::decode!` reads the field.
    pub decode: &'static str,
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
    pub test: Option<ShapeTest>,
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
        all_validate: false,
        deprecated_fields: false,
        shared: Vec::new(),
        constructors: Vec::new(),
        conversions: Vec::new(),
        messages: model.error_text.as_ref().map(|t| {
            let read = |step: &Step| reads(std::slice::from_ref(step), true).pop();
            MessagesView {
                list: t.list.as_ref().map(|l| (l.rust_name.clone(), l.presence)),
                code: t.code.as_ref().and_then(read),
                text: t.text.as_ref().and_then(read),
            }
        }),
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
            serde.push(SerdeArg::Rename(f.wire_name.clone()));
        }
        match f.presence {
            Presence::Required => {}
            Presence::Optional if f.read_only => serde.extend([SerdeArg::Default, SerdeArg::SkipSerializing]),
            // Required on the wire but nullable: `None` is sent as `null`.
            Presence::Optional if f.required => serde.push(SerdeArg::Default),
            Presence::Optional => serde.extend([SerdeArg::Default, SerdeArg::SkipIfNone]),
            Presence::TriState => serde.extend([SerdeArg::Default, SerdeArg::SkipIfAbsent]),
        }
        let decode = decode_kind(f);
        if f.each_on_its_own && s.extra.is_none() {
            let function =
                if f.presence == Presence::Required { "each_on_its_own" } else { "each_on_its_own_optional" };
            serde.push(SerdeArg::DeserializeWith(function));
        }
        let checks = if model.in_request {
            checks::checks(&f.rust_name, &f.wire_name, &f.ty, f.indirect, &f.constraints, f.presence, api)
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
            as_is: rust::taken_as_is(&f.ty),
            object: f.ty == Ty::Object,
            serde,
            docs,
            checks,
            doc_name: crate::docs::code(&f.wire_name),
            decode,
        });
    }
    for c in &s.constructors {
        let required = view.fields.iter().filter(|f| f.field.presence == Presence::Required);
        let (mut params, mut args) = (Vec::new(), Vec::new());
        for f in required {
            if f.field.rust_name == c.field {
                args.push(ConstructorArg::Value { ty: c.ty.clone(), variant: c.variant.clone() });
            } else {
                params.push((f.field.rust_name.clone(), f.inner.clone(), f.as_is));
                args.push(ConstructorArg::Param(f.field.rust_name.clone()));
            }
        }
        let docs = vec![format!(
            "Creates a value with `{}` = `{}` ([`{}::{}`]); see [`new`](Self::new).",
            crate::docs::code(s.fields.iter().find(|f| f.rust_name == c.field).map_or("", |f| &f.wire_name)),
            crate::docs::code(&c.value),
            c.ty,
            c.variant
        )];
        let many_args = params.len() > 7;
        view.constructors.push(ConstructorView { c, docs, params, args, many_args });
    }
    for conversion in &s.conversions {
        let fields = conversion
            .fields
            .iter()
            .map(|c| {
                let target = s.fields.iter().find(|f| f.rust_name == c.target);
                let copy =
                    target.is_some_and(|f| rust::is_copy(&f.ty, f.indirect)) && c.presence.1 != Presence::TriState;
                (c.target.as_str(), c.source.as_str(), c.presence.0, c.presence.1, copy)
            })
            .collect();
        let docs = vec![
            format!(
                "Every member of this body, from a [`{}`] read from the API: change what you want, then",
                conversion.from
            ),
            "send it. Members the API sent that this body does not have are left out; a member the".to_string(),
            "value lacks stays unset (a PATCH then leaves it as it is).".to_string(),
        ];
        view.conversions.push(ConversionView { from: &conversion.from, docs, fields });
    }
    let required = s.fields.iter().filter(|f| f.presence == Presence::Required).count();
    view.default = required == 0;
    view.many_args = required > 7;
    view.has_checks = view.fields.iter().any(|f| !f.checks.is_empty());
    view.deprecated_fields = s.fields.iter().any(|f| f.deprecated);
}

fn union_view<'a>(api: &'a Api, model: &'a Model, u: &'a Union, view: &mut ModelView<'a>) {
    for v in &u.variants {
        let mut docs = v.docs.clone();
        if let Some(property) = u.tag.as_deref().filter(|_| !v.tags.is_empty()) {
            docs.push(String::new());
            let values: Vec<String> = v.tags.iter().map(|t| format!("`{}`", crate::docs::code(t))).collect();
            docs.push(format!("Sent with `{}` = {}.", crate::docs::code(property), values.join(" or ")));
        }
        let validate = api.validates(&v.ty);
        view.variants.push(VariantView {
            variant: v,
            ty: rust::held(&v.ty, v.indirect, Models::Bare),
            payload: rust::ty(&v.ty, Models::Bare),
            validate,
            docs,
            test: v.shape.as_ref().map(shape_test),
        });
    }
    view.validates = view.variants.iter().any(|v| v.validate);
    view.all_validate = !view.variants.is_empty() && view.variants.iter().all(|v| v.validate);
    view.shared = u.shared.iter().map(|c| shared_view(model, u, c)).collect();
}

/// How `members::decode!` reads a field. Free-form members are read as text first: one
/// whose value cannot be held is kept aside in `extra` (`members::Free`), not a failure
/// of the whole struct.
fn decode_kind(f: &Field) -> &'static str {
    let free = !f.indirect && matches!(f.ty, Ty::Any | Ty::Object);
    match (f.each_on_its_own, f.presence) {
        (true, Presence::Required) => "each",
        (true, _) => "each_optional",
        (false, Presence::Optional) if free => "free_optional",
        (false, Presence::TriState) if free => "free_nullable",
        (false, Presence::Required) => "required",
        (false, Presence::Optional) => "optional",
        (false, Presence::TriState) => "nullable",
    }
}

/// The accessor of a shared value: each variant's field path as reads.
fn shared_view<'a>(model: &Model, u: &'a Union, c: &'a SharedField) -> SharedView<'a> {
    let string = c.ty == Ty::String;
    let path = c.wire_path.iter().map(|w| crate::docs::code(w)).collect::<Vec<_>>().join(".");
    let link = |v: &UnionVariant| format!("[`{}`](Self::{})", v.rust_name, v.rust_name);
    let (holders, others): (Vec<_>, Vec<_>) = u.variants.iter().zip(&c.steps).partition(|(_, s)| s.is_some());
    let list =
        |vs: &[(&UnionVariant, &Option<Vec<Step>>)]| vs.iter().map(|(v, _)| link(v)).collect::<Vec<_>>().join(", ");
    let mut docs = if others.is_empty() {
        vec![format!("`{path}`, which every kind of {} has.", model.name)]
    } else if others.len() < holders.len() {
        vec![format!("`{path}` of every kind of {} but {} (`None` for those).", model.name, list(&others))]
    } else {
        vec![format!("`{path}` of a {} (`None` for the others).", list(&holders))]
    };
    if string {
        docs.push(String::new());
        docs.push("Read from the JSON of a kind this crate does not know, too.".to_string());
    }
    let arms: Vec<(&str, Vec<ReadStep>)> = holders
        .iter()
        .filter_map(|(v, steps)| Some((v.rust_name.as_str(), reads(steps.as_deref()?, string))))
        .collect();
    let other =
        string.then(|| c.wire_path.iter().map(|w| format!("/{}", crate::openapi::escape_token(w))).collect::<String>());
    let ret = rust::option_ref(&if string { "str".to_string() } else { rust::ty(&c.ty, Models::Bare) });
    let uniform = match arms.split_first() {
        Some(((_, first), rest)) if others.is_empty() && rest.iter().all(|(_, r)| r == first) => Some(first.clone()),
        _ => None,
    };
    SharedView { field: c, docs, ret, arms, rest: !others.is_empty() || other.is_none(), other, uniform }
}

/// How each field on the way to a shared value is read (a string is read as `&str`).
fn reads(steps: &[Step], string: bool) -> Vec<ReadStep> {
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let last_string = string && i + 1 == steps.len();
            let how = match step.presence {
                Presence::Required if last_string => FieldRead::Str,
                Presence::Required if step.indirect => FieldRead::Boxed,
                Presence::Required => FieldRead::Ref,
                Presence::Optional if step.indirect || last_string => FieldRead::Deref,
                Presence::Optional => FieldRead::AsRef,
                Presence::TriState if last_string => FieldRead::ValueStr,
                Presence::TriState if step.indirect => FieldRead::ValueBoxed,
                Presence::TriState => FieldRead::Value,
            };
            ReadStep { name: step.rust_name.clone(), how }
        })
        .collect()
}

/// The condition under which an untagged union chooses a branch of this shape.
fn shape_test(shape: &crate::ir::Shape) -> ShapeTest {
    if let Some(inner) = &shape.union {
        return ShapeTest::Union(inner.clone());
    }
    if shape.kind == crate::ir::JsonKind::Object && !shape.members.is_empty() {
        return ShapeTest::Object {
            required: shape.required.clone(),
            members: shape
                .members
                .iter()
                .map(|m| MemberTest { name: m.name.clone(), kind: json_kind(m.kind), nullable: m.nullable })
                .collect(),
        };
    }
    ShapeTest::Kind(json_kind(shape.kind))
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
            s.conversions.iter().for_each(|c| add_models(&Ty::Model(c.from.clone())));
            if s.extra.is_some() {
                uses.insert("serde::Serialize".to_string());
                uses.insert("crate::runtime::members".to_string());
            } else {
                uses.insert("serde::{Deserialize, Serialize}".to_string());
            }
            if s.extra.is_none() && s.fields.iter().any(|f| f.each_on_its_own) {
                uses.insert("crate::runtime::json".to_string());
            }
        }
        ModelKind::StringEnum(_) => {
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("std::fmt".to_string());
        }
        ModelKind::Union(u) => {
            u.variants.iter().for_each(|v| add_models(&v.ty));
            u.shared.iter().for_each(|c| add_models(&c.ty));
            for shape in u.variants.iter().filter_map(|v| v.shape.as_ref()) {
                siblings.extend(shape.union.iter().filter(|m| **m != model.name).cloned());
            }
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            uses.insert("crate::runtime::json".to_string());
        }
    }
    let siblings: Vec<&str> = siblings.iter().map(String::as_str).collect();
    uses.extend(rust::siblings(&siblings));
    if model.in_request {
        uses.insert(if view.has_checks {
            "crate::runtime::validate::{self, Validate}".to_string()
        } else {
            "crate::runtime::validate::Validate".to_string()
        });
    }
    uses.into_iter().collect()
}
