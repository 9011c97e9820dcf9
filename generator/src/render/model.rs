//! What a model's file prints: its imports (from what it names), field types, serde
//! attributes, doc notes and validation calls.

use std::collections::BTreeSet;

use super::checks::{self, Check};
use super::rust::{self, Models};
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
    /// Some field is deprecated (the crate's own uses of it are allowed).
    pub deprecated_fields: bool,
    /// Unions: accessors of the values several variants hold.
    pub shared: Vec<SharedView<'a>>,
    /// Structs: constructors per value of their required enum field.
    pub constructors: Vec<ConstructorView<'a>>,
}

/// A constructor saying intent.
pub(crate) struct ConstructorView<'a> {
    pub c: &'a crate::ir::Constructor,
    pub docs: Vec<String>,
    /// Parameters: the other required fields.
    pub params: String,
    /// The arguments passed to `new`.
    pub args: String,
}

/// An accessor of a value several union variants hold.
pub(crate) struct SharedView<'a> {
    pub field: &'a SharedField,
    pub docs: Vec<String>,
    /// Return type, e.g. `Option<&str>`.
    pub ret: String,
    /// The variants holding the value, with the expression reading it from `value`.
    pub arms: Vec<(&'a str, String)>,
    /// The expression for the catch-all (reading a string from its JSON).
    pub other: Option<String>,
    /// Some variant answers `None`.
    pub rest: bool,
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
    /// Structs keeping undeclared members: the field's line in `members::decode!`.
    pub decode: String,
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
        shared: Vec::new(),
        constructors: Vec::new(),
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
        let decode = decode_line(f);
        if f.each_on_its_own && s.extra.is_none() {
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
            decode,
        });
    }
    for c in &s.constructors {
        let required = view.fields.iter().filter(|f| f.field.presence == Presence::Required);
        let (mut params, mut args) = (Vec::new(), Vec::new());
        for f in required {
            if f.field.rust_name == c.field {
                args.push(format!("{}::{}", c.ty, c.variant));
            } else {
                params.push(format!("{}: impl Into<{}>", f.field.rust_name, f.inner));
                args.push(f.field.rust_name.clone());
            }
        }
        let docs = vec![format!(
            "Creates a value with `{}` = `{}` ([`{}::{}`]); see [`new`](Self::new).",
            crate::docs::code(s.fields.iter().find(|f| f.rust_name == c.field).map_or("", |f| &f.wire_name)),
            crate::docs::code(&c.value),
            c.ty,
            c.variant
        )];
        view.constructors.push(ConstructorView { c, docs, params: params.join(", "), args: args.join(", ") });
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
    view.shared = u.shared.iter().map(|c| shared_view(model, u, c)).collect();
}

/// A field's line in `members::decode!`: how it is held, its name and wire name.
fn decode_line(f: &Field) -> String {
    let kind = match (f.each_on_its_own, f.presence) {
        (true, Presence::Required) => "each",
        (true, _) => "each_optional",
        (false, Presence::Required) => "required",
        (false, Presence::Optional) => "optional",
        (false, Presence::TriState) => "nullable",
    };
    format!("{kind} {} = {}", f.rust_name, rust::lit(&f.wire_name))
}

/// The accessor of a shared value: each variant's field path as an `Option` chain.
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
    let arms = holders
        .iter()
        .filter_map(|(v, steps)| Some((v.rust_name.as_str(), chain(steps.as_deref()?, string))))
        .collect();
    let other = string.then(|| {
        let pointer: String = c.wire_path.iter().map(|w| format!("/{}", crate::openapi::escape_token(w))).collect();
        format!("value.value().pointer({}).and_then(serde_json::Value::as_str)", rust::lit(&pointer))
    });
    let ret = if string { "Option<&str>".to_string() } else { format!("Option<&{}>", rust::ty(&c.ty, Models::Bare)) };
    SharedView { field: c, docs, ret, arms, rest: !others.is_empty() || other.is_none(), other }
}

/// `Option<&T>` (or `Option<&str>`) of the value at the end of `steps`, from `value`.
fn chain(steps: &[Step], string: bool) -> String {
    let mut out = String::new();
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let at = if i == 0 { "value" } else { "x" };
        let field = format!("{at}.{}", step.rust_name);
        let read = match step.presence {
            Presence::Required if last && string => format!("Some({field}.as_str())"),
            Presence::Required if step.indirect => format!("Some(&*{field})"),
            Presence::Required => format!("Some(&{field})"),
            Presence::Optional if step.indirect || (last && string) => format!("{field}.as_deref()"),
            Presence::Optional => format!("{field}.as_ref()"),
            Presence::TriState if last && string => format!("{field}.as_value().map(String::as_str)"),
            Presence::TriState if step.indirect => format!("{field}.as_value().map(|x| &**x)"),
            Presence::TriState => format!("{field}.as_value()"),
        };
        out = if i == 0 {
            read
        } else {
            match read.strip_prefix("Some(").and_then(|r| r.strip_suffix(')')) {
                Some(inner) => format!("{out}.map(|x| {inner})"),
                None => format!("{out}.and_then(|x| {read})"),
            }
        };
    }
    out
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
