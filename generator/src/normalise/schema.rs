//! Schemas → Rust types and models.
//!
//! Component schemas that need a type of their own (objects with properties,
//! compositions, string enums, unions) become models; the rest (strings, numbers,
//! arrays, free-form objects, single-`$ref` wrappers) are inlined where used, with their
//! constraints. Models are built on first use, so `--tag` selections contain only what
//! their operations reach; names of component models are assigned up front so they do
//! not depend on the selection.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Namer, resolve};
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{
    Check, EnumVariant, Field, Model, ModelKind, Presence, StringEnum, Struct, Union, UnionVariant,
};
use crate::names::{RESERVED_TYPE_NAMES, pascal, snake};

/// A Rust type, before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    String,
    Integer,
    Number,
    Boolean,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    Model(String),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Boxed(Box<Ty>),
}

impl Ty {
    /// Prints the type; `models` is the path prefix for model names (`""` or `models::`).
    pub(crate) fn render(&self, models: &str) -> String {
        match self {
            Ty::String => "String".into(),
            Ty::Integer => "i64".into(),
            Ty::Number => "f64".into(),
            Ty::Boolean => "bool".into(),
            Ty::Json => "serde_json::Value".into(),
            Ty::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
            Ty::Model(name) => format!("{models}{name}"),
            Ty::Vec(inner) => format!("Vec<{}>", inner.render(models)),
            Ty::Map(inner) => format!("std::collections::BTreeMap<String, {}>", inner.render(models)),
            Ty::Boxed(inner) => format!("Box<{}>", inner.render(models)),
        }
    }

    /// Model names anywhere inside.
    fn models(&self, out: &mut BTreeSet<String>) {
        match self {
            Ty::Model(name) => {
                out.insert(name.clone());
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => inner.models(out),
            _ => {}
        }
    }

    /// The model held inline (not behind a container), if any.
    fn direct_model(&self) -> Option<&str> {
        match self {
            Ty::Model(name) => Some(name),
            _ => None,
        }
    }

    pub(crate) fn is_string(&self) -> bool {
        matches!(self, Ty::String)
    }
}

/// Constraints of a type, from the schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
}

/// The type of a schema where it is used.
#[derive(Debug, Clone)]
pub(crate) struct TypeInfo {
    pub ty: Ty,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub constraints: Constraints,
}

impl TypeInfo {
    fn new(ty: Ty) -> Self {
        Self { ty, nullable: false, read_only: false, write_only: false, constraints: Constraints::default() }
    }

    /// Validation calls for the value at `place` (e.g. `self.name`) held as `presence`.
    pub(crate) fn checks(&self, place: &str, presence: Presence) -> Vec<Check> {
        let c = &self.constraints;
        let opt = |v: Option<u64>| v.map_or("None".to_string(), |v| format!("Some({v})"));
        let optf = |v: Option<f64>| v.map_or("None".to_string(), |v| format!("Some({v:?})"));
        let bound = |lo: Option<String>, hi: Option<String>| match (lo, hi) {
            (Some(lo), Some(hi)) => format!("{lo}..={hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (None, Some(hi)) => format!("at most {hi}"),
            (None, None) => String::new(),
        };
        // The `Option<_>` argument of a check, for each way the value can be held.
        let value = |required: String, optional: String, tristate: String| match presence {
            Presence::Required => required,
            Presence::Optional => optional,
            Presence::TriState => tristate,
        };
        let check = |function: &str, value: String, args: String, doc: String| Check {
            function: function.into(),
            value,
            args,
            doc,
        };
        let mut out = Vec::new();
        match &self.ty {
            Ty::String if c.min_length.is_some() || c.max_length.is_some() => out.push(check(
                "length",
                value(
                    format!("Some({place}.as_str())"),
                    format!("{place}.as_deref()"),
                    format!("{place}.as_value().map(String::as_str)"),
                ),
                format!("{}, {}", opt(c.min_length), opt(c.max_length)),
                format!(
                    "Length: {} characters.",
                    bound(c.min_length.map(|v| v.to_string()), c.max_length.map(|v| v.to_string()))
                ),
            )),
            Ty::Integer | Ty::Number if c.minimum.is_some() || c.maximum.is_some() => {
                let integer = self.ty == Ty::Integer;
                let fmt = |v: f64| if integer { format!("{}", v as i64) } else { v.to_string() };
                out.push(check(
                    "range",
                    if integer {
                        value(
                            format!("Some({place} as f64)"),
                            format!("{place}.map(|v| v as f64)"),
                            format!("{place}.as_value().map(|v| *v as f64)"),
                        )
                    } else {
                        value(format!("Some({place})"), place.to_string(), format!("{place}.as_value().copied()"))
                    },
                    format!(
                        "{}, {}, {}, {}",
                        optf(c.minimum),
                        optf(c.maximum),
                        c.exclusive_minimum,
                        c.exclusive_maximum
                    ),
                    format!(
                        "Range: {}{}.",
                        bound(c.minimum.map(fmt), c.maximum.map(fmt)),
                        if c.exclusive_minimum || c.exclusive_maximum { " (exclusive bounds)" } else { "" }
                    ),
                ));
            }
            _ => {}
        }
        if let Ty::Vec(item) = &self.ty {
            if c.min_items.is_some() || c.max_items.is_some() {
                out.push(check(
                    "items",
                    value(
                        format!("Some({place}.len())"),
                        format!("{place}.as_ref().map(Vec::len)"),
                        format!("{place}.as_value().map(Vec::len)"),
                    ),
                    format!("{}, {}", opt(c.min_items), opt(c.max_items)),
                    format!(
                        "Items: {}.",
                        bound(c.min_items.map(|v| v.to_string()), c.max_items.map(|v| v.to_string()))
                    ),
                ));
            }
            if matches!(**item, Ty::Model(_)) {
                out.push(check(
                    "each",
                    value(
                        format!("Some({place}.as_slice())"),
                        format!("{place}.as_deref()"),
                        format!("{place}.as_value().map(Vec::as_slice)"),
                    ),
                    String::new(),
                    String::new(),
                ));
            }
        }
        match &self.ty {
            Ty::Model(_) => out.push(check(
                "nested",
                value(format!("Some(&{place})"), format!("{place}.as_ref()"), format!("{place}.as_value()")),
                String::new(),
                String::new(),
            )),
            Ty::Boxed(_) => out.push(check(
                "nested",
                value(
                    format!("Some(&*{place})"),
                    format!("{place}.as_deref()"),
                    format!("{place}.as_value().map(|v| &**v)"),
                ),
                String::new(),
                String::new(),
            )),
            _ => {}
        }
        out
    }
}

/// A struct field as operations see it (for pagination).
#[derive(Debug, Clone)]
pub(crate) struct FieldView {
    pub wire: String,
    pub rust: String,
    pub ty: Ty,
    /// Always present (`T`, not `Option<T>`).
    pub required: bool,
    /// Modelled as `Nullable<T>` (in request models).
    pub tristate: bool,
}

impl FieldView {
    /// An expression storing `value` in this field.
    pub(crate) fn wrap(&self, value: &str) -> String {
        if self.required {
            value.to_string()
        } else if self.tristate {
            format!("crate::Nullable::Value({value})")
        } else {
            format!("Some({value})")
        }
    }

    /// An expression for "absent".
    pub(crate) fn empty(&self) -> String {
        if self.tristate { "crate::Nullable::Absent".into() } else { "None".into() }
    }
}

#[derive(Debug)]
struct FieldDraft {
    pointer: String,
    wire: String,
    rust: String,
    docs: Vec<String>,
    info: TypeInfo,
    required: bool,
}

/// A discriminator subtype: its tag values and the pointer of its schema.
type Subtype = (Vec<String>, String);

#[derive(Debug)]
struct VariantDraft {
    rust: String,
    info: TypeInfo,
    docs: Vec<String>,
    tags: Vec<String>,
}

#[derive(Debug)]
enum DraftKind {
    Struct(Vec<FieldDraft>),
    StringEnum(StringEnum),
    Union { variants: Vec<VariantDraft>, tag: Option<String>, other: String },
}

#[derive(Debug)]
struct Draft {
    name: String,
    docs: Vec<String>,
    pointer: String,
    kind: DraftKind,
}

/// Builds models on demand and turns them into IR at the end.
pub(crate) struct Models<'t> {
    tree: &'t Value,
    namer: Namer,
    /// Rust names of models, by the pointer of their schema.
    names: BTreeMap<String, String>,
    /// Built models, by name.
    drafts: BTreeMap<String, Draft>,
    /// Models a request can contain.
    request_roots: BTreeSet<String>,
    /// Schemas being inlined right now (arrays, maps, `allOf` wrappers): meeting one
    /// again means a type that contains itself with no struct in between.
    inlining: Vec<String>,
}

impl<'t> Models<'t> {
    /// Assigns names to every component schema that becomes a model.
    pub(crate) fn new(tree: &'t Value, report: &mut Reporter<'_>) -> Self {
        let mut models = Self {
            tree,
            namer: Namer::with_reserved(RESERVED_TYPE_NAMES),
            names: BTreeMap::new(),
            drafts: BTreeMap::new(),
            request_roots: BTreeSet::new(),
            inlining: Vec::new(),
        };
        if let Some(Value::Object(schemas)) = tree.pointer("/components/schemas") {
            let mut sorted: Vec<_> = schemas.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (name, node) in sorted {
                let pointer = join("/components/schemas", name);
                if needs_model(node) {
                    let rust = models.namer.claim(&pascal(name), &pointer, report);
                    models.names.insert(pointer, rust);
                }
            }
        }
        models
    }

    /// Records that requests contain this type (it and what it reaches get validation).
    pub(crate) fn mark_request(&mut self, ty: &Ty) {
        let mut found = BTreeSet::new();
        ty.models(&mut found);
        self.request_roots.extend(found);
    }

    /// The type of the schema `node` found at `pointer`; `hint` names an inline model.
    pub(crate) fn type_of(&mut self, pointer: &str, node: &'t Value, hint: &str, report: &mut Reporter<'_>) -> TypeInfo {
        let Some((pointer, node)) = resolve(self.tree, pointer, node, report) else {
            return TypeInfo::new(Ty::Json);
        };
        // Models break recursion by name; only inlined schemas can recurse forever.
        if needs_model(node) {
            return self.type_of_resolved(&pointer, node, hint, report);
        }
        if self.inlining.contains(&pointer) {
            report.warn(
                &pointer,
                "this schema contains itself with no object in between, so it has no finite Rust type; typed as any JSON",
                Some("make the recursive part an object with properties (it then becomes a struct)"),
            );
            return TypeInfo::new(Ty::Json);
        }
        self.inlining.push(pointer.clone());
        let info = self.type_of_resolved(&pointer, node, hint, report);
        self.inlining.pop();
        info
    }

    fn type_of_resolved(&mut self, pointer: &str, node: &'t Value, hint: &str, report: &mut Reporter<'_>) -> TypeInfo {
        let pointer = pointer.to_string();
        let flags = |mut info: TypeInfo| {
            info.nullable |= flag(node, "nullable");
            info.read_only |= flag(node, "readOnly");
            info.write_only |= flag(node, "writeOnly");
            info
        };
        if !node.is_object() {
            report.error(&pointer, "a schema must be an object", Some("write the schema as a mapping"));
            return TypeInfo::new(Ty::Json);
        }
        if !well_formed(&pointer, node, report) {
            return TypeInfo::new(Ty::Json);
        }
        // `allOf: [X]` with nothing else of substance is X (plus description/nullable).
        if let Some(single) = single_all_of(node) {
            let info = self.type_of(&join(&join(&pointer, "allOf"), "0"), single, hint, report);
            return flags(info);
        }
        if needs_model(node) {
            let name = match self.names.get(&pointer) {
                Some(name) => name.clone(),
                None => {
                    let wanted = node
                        .get("title")
                        .and_then(Value::as_str)
                        .filter(|t| !pointer.starts_with("/components/schemas/") && !t.trim().is_empty())
                        .map_or_else(|| pascal(hint), pascal);
                    let name = self.namer.claim(&wanted, &pointer, report);
                    self.names.insert(pointer.clone(), name.clone());
                    name
                }
            };
            if !self.drafts.contains_key(&name) {
                self.build(&name, &pointer, node, report);
            }
            return flags(TypeInfo::new(Ty::Model(name)));
        }
        let mut info = TypeInfo::new(Ty::Json);
        info.constraints = constraints(node);
        info.ty = match schema_type(node) {
            Some("string") => Ty::String,
            Some("integer") => Ty::Integer,
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => match node.get("items") {
                Some(items) => {
                    let item = self.type_of(&join(&pointer, "items"), items, &format!("{hint}Item"), report);
                    Ty::Vec(Box::new(item.ty))
                }
                None => Ty::Vec(Box::new(Ty::Json)),
            },
            Some("object") => match node.get("additionalProperties") {
                Some(extra @ Value::Object(map)) if !map.is_empty() => {
                    let item = self.type_of(&join(&pointer, "additionalProperties"), extra, &format!("{hint}Value"), report);
                    Ty::Map(Box::new(item.ty))
                }
                _ => Ty::JsonObject,
            },
            Some(other) => {
                report.error(
                    &join(&pointer, "type"),
                    format!("unknown schema type `{other}`"),
                    Some("use one of string, integer, number, boolean, array, object"),
                );
                Ty::Json
            }
            None => Ty::Json,
        };
        flags(info)
    }

    fn build(&mut self, name: &str, pointer: &str, node: &'t Value, report: &mut Reporter<'_>) {
        // Reserve the slot first: recursive schemas find the name and stop.
        self.drafts.insert(
            name.to_string(),
            Draft { name: name.to_string(), docs: Vec::new(), pointer: pointer.to_string(), kind: DraftKind::Struct(Vec::new()) },
        );
        let docs = model_docs(node, pointer);
        let kind = if let Some(values) = node.get("enum") {
            self.string_enum(pointer, values, report)
        } else if let Some((key, branches)) = union_branches(node) {
            self.union(name, pointer, node, key, branches, report)
        } else if let Some((tag, subtypes)) = self.subtypes(pointer, node) {
            self.inherited_union(pointer, tag, subtypes, report)
        } else {
            let mut fields = Vec::new();
            let mut required = BTreeSet::new();
            let mut flattened = BTreeSet::from([pointer.to_string()]);
            self.collect_fields(name, pointer, node, &mut fields, &mut required, &mut flattened, 0, report);
            for field in &mut fields {
                field.required = required.contains(&field.wire);
            }
            DraftKind::Struct(fields)
        };
        let draft = self.drafts.get_mut(name).expect("slot reserved above");
        draft.docs = docs;
        draft.kind = kind;
    }

    fn string_enum(&mut self, pointer: &str, values: &Value, report: &mut Reporter<'_>) -> DraftKind {
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        let values = values.as_array().map(Vec::as_slice).unwrap_or_default();
        for (i, value) in values.iter().enumerate() {
            let wire = match value {
                Value::String(s) => s.clone(),
                Value::Null => continue,
                other => {
                    report.error(
                        &join(&join(pointer, "enum"), &i.to_string()),
                        format!("enum value {other} is not a string"),
                        Some("only string enums become Rust enums; drop `enum` or quote the values"),
                    );
                    continue;
                }
            };
            if variants.iter().any(|v: &EnumVariant| v.wire_name == wire) {
                continue;
            }
            let rust = namer.claim(&pascal(&wire), &join(&join(pointer, "enum"), &i.to_string()), report);
            variants.push(EnumVariant { rust_name: rust, doc_name: crate::docs::code(&wire), wire_name: wire });
        }
        let other = namer.claim_quiet("Other");
        DraftKind::StringEnum(StringEnum { variants, other })
    }

    fn union(
        &mut self,
        name: &str,
        pointer: &str,
        node: &'t Value,
        key: &str,
        branches: &'t [Value],
        report: &mut Reporter<'_>,
    ) -> DraftKind {
        let tag = node.pointer("/discriminator/propertyName").and_then(Value::as_str).map(str::to_string);
        let mapping: Vec<(String, String)> = node
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
            .unwrap_or_default();
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let at = join(&join(pointer, key), &i.to_string());
            let reference = branch.get("$ref").and_then(Value::as_str);
            let title = branch.get("title").and_then(Value::as_str);
            let hint = match (reference, title) {
                (Some(r), _) => r.rsplit('/').next().unwrap_or("Variant").to_string(),
                (None, Some(t)) => t.to_string(),
                (None, None) => format!("{name}Variant{}", i + 1),
            };
            let info = self.type_of(&at, branch, &hint, report);
            let wanted = match (&info.ty, reference, title) {
                (_, Some(_), _) | (_, None, Some(_)) => pascal(&hint),
                (Ty::String, ..) => "String".to_string(),
                (Ty::Integer, ..) => "Integer".to_string(),
                (Ty::Number, ..) => "Number".to_string(),
                (Ty::Boolean, ..) => "Boolean".to_string(),
                (Ty::Vec(_), ..) => "Array".to_string(),
                (Ty::Map(_) | Ty::JsonObject, ..) => "Object".to_string(),
                _ => format!("Variant{}", i + 1),
            };
            let rust = namer.claim(&wanted, &at, report);
            let mut tags = Vec::new();
            if tag.is_some() {
                match reference {
                    Some(r) => {
                        tags.extend(mapping.iter().filter(|(_, target)| target == r).map(|(k, _)| k.clone()));
                        if tags.is_empty() {
                            tags.push(r.rsplit('/').next().unwrap_or_default().to_string());
                        }
                    }
                    None => report.error(
                        &at,
                        "a branch of a discriminated union must be a `$ref`",
                        Some("move the branch into components/schemas and reference it"),
                    ),
                }
            }
            let docs = branch
                .get("description")
                .and_then(Value::as_str)
                .map(doc_lines)
                .unwrap_or_else(|| vec![format!("The `{}` branch.", crate::docs::code(&hint))]);
            variants.push(VariantDraft { rust, info, docs, tags });
        }
        let other = namer.claim_quiet("Other");
        DraftKind::Union { variants, tag, other }
    }

    /// Subtypes of a base object that has a discriminator (the `allOf` inheritance
    /// pattern): from `discriminator.mapping`, else every component schema whose
    /// `allOf` references the base (tagged with its name). `None` when there are none.
    fn subtypes(&self, pointer: &str, node: &Value) -> Option<(String, Vec<Subtype>)> {
        let tag = node.pointer("/discriminator/propertyName")?.as_str()?.to_string();
        let mut subtypes: Vec<Subtype> = Vec::new();
        let mut add = |value: String, target: String| {
            if target == pointer {
                return;
            }
            match subtypes.iter_mut().find(|(_, t)| *t == target) {
                Some((tags, _)) => tags.push(value),
                None => subtypes.push((vec![value], target)),
            }
        };
        if let Some(mapping) = node.pointer("/discriminator/mapping").and_then(Value::as_object) {
            for (value, target) in mapping {
                if let Some(target) = target.as_str().and_then(|t| t.strip_prefix('#'))
                    && self.tree.pointer(target).is_some() {
                        add(value.clone(), target.to_string());
                    }
            }
        } else if let Some(Value::Object(schemas)) = self.tree.pointer("/components/schemas") {
            let reference = format!("#{pointer}");
            let mut names: Vec<&String> = schemas.keys().collect();
            names.sort();
            for name in names {
                let parts = schemas[name].get("allOf").and_then(Value::as_array);
                if parts.into_iter().flatten().any(|p| p.get("$ref").and_then(Value::as_str) == Some(&reference)) {
                    add(name.clone(), join("/components/schemas", name));
                }
            }
        }
        (!subtypes.is_empty()).then_some((tag, subtypes))
    }

    /// A base object with subtypes becomes a union tagged by the discriminator, one
    /// variant per subtype (each a struct with the base's fields and its own).
    fn inherited_union(
        &mut self,
        pointer: &str,
        tag: String,
        subtypes: Vec<Subtype>,
        report: &mut Reporter<'_>,
    ) -> DraftKind {
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        for (tags, target) in subtypes {
            let Some(node) = self.tree.pointer(&target) else { continue };
            let stem = target.rsplit('/').next().unwrap_or("Variant").replace("~1", "/").replace("~0", "~");
            let info = self.type_of(&target, node, &stem, report);
            if !matches!(info.ty, Ty::Model(_)) {
                report.warn(
                    &target,
                    format!("discriminator subtype of {pointer} is not an object; left out of the union"),
                    Some("a subtype should be an object (usually `allOf` of the base and its own properties)"),
                );
                continue;
            }
            let docs = node
                .get("description")
                .and_then(Value::as_str)
                .map(doc_lines)
                .unwrap_or_else(|| vec![format!("The `{}` subtype.", crate::docs::code(&stem))]);
            let rust = namer.claim(&pascal(&stem), &target, report);
            variants.push(VariantDraft { rust, info, docs, tags });
        }
        let other = namer.claim_quiet("Other");
        DraftKind::Union { variants, tag: Some(tag), other }
    }

    /// Flattens properties of an object and of every `allOf` part into `fields`.
    #[allow(clippy::too_many_arguments)]
    fn collect_fields(
        &mut self,
        model: &str,
        pointer: &str,
        node: &'t Value,
        fields: &mut Vec<FieldDraft>,
        required: &mut BTreeSet<String>,
        flattened: &mut BTreeSet<String>,
        depth: usize,
        report: &mut Reporter<'_>,
    ) {
        if depth > 32 {
            report.error(pointer, "`allOf` nests too deep (a cycle?)", Some("break the cycle"));
            return;
        }
        if let Some(Value::Array(parts)) = node.get("allOf") {
            for (i, part) in parts.iter().enumerate() {
                let at = join(&join(pointer, "allOf"), &i.to_string());
                let Some((at, part)) = resolve(self.tree, &at, part, report) else { continue };
                // Each part once per model: a part listed twice, or reached again
                // through a cycle or a diamond, adds nothing (and would blow up).
                if !flattened.insert(at.clone()) {
                    continue;
                }
                if union_branches(part).is_some() || part.get("enum").is_some() {
                    report.error(
                        &at,
                        "an `allOf` part that is a union or enum cannot be flattened into a struct",
                        Some("describe the combined object with properties, or use oneOf at the top"),
                    );
                    continue;
                }
                self.collect_fields(model, &at, part, fields, required, flattened, depth + 1, report);
            }
        }
        if let Some(Value::Array(names)) = node.get("required") {
            required.extend(names.iter().filter_map(Value::as_str).map(str::to_string));
        }
        let Some(Value::Object(properties)) = node.get("properties") else { return };
        for (wire, property) in properties {
            let at = join(&join(pointer, "properties"), wire);
            let info = self.type_of(&at, property, &format!("{model}{}", pascal(wire)), report);
            let docs = property_docs(self.tree, property);
            if let Some(existing) = fields.iter_mut().find(|f| &f.wire == wire) {
                // A later allOf part redefines the property: the last definition wins.
                existing.info = info;
                if !docs.is_empty() {
                    existing.docs = docs;
                }
                continue;
            }
            fields.push(FieldDraft { pointer: at.clone(), wire: wire.clone(), rust: snake(wire), docs, info, required: false });
        }
    }

    /// The fields of a struct model, as far as known now.
    pub(crate) fn fields(&self, model: &str) -> Option<Vec<FieldView>> {
        let DraftKind::Struct(fields) = &self.drafts.get(model)?.kind else { return None };
        Some(
            fields
                .iter()
                .map(|f| {
                    let info = &f.info;
                    let required = f.required && !info.nullable && !info.read_only && !info.write_only;
                    FieldView {
                        wire: f.wire.clone(),
                        rust: f.rust.clone(),
                        ty: info.ty.clone(),
                        required,
                        tristate: !f.required && info.nullable && !info.read_only,
                    }
                })
                .collect(),
        )
    }

    /// Whether a model is a string enum (usable as a scalar parameter).
    pub(crate) fn is_string_enum(&self, model: &str) -> bool {
        self.drafts.get(model).is_some_and(|d| matches!(d.kind, DraftKind::StringEnum(_)))
    }

    /// One field of a struct model.
    pub(crate) fn field(&self, model: &str, wire: &str) -> Option<FieldView> {
        self.fields(model)?.into_iter().find(|f| f.wire == wire)
    }

    /// Finishes every model: request reachability, boxing of recursion, field types.
    pub(crate) fn finish(self, report: &mut Reporter<'_>) -> Vec<Model> {
        let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut direct: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for draft in self.drafts.values() {
            let all = edges.entry(&draft.name).or_default();
            let inline = direct.entry(&draft.name).or_default();
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
        let in_request = reach(&edges, self.request_roots.iter().map(String::as_str));
        // Distinct type names can still share a snake-case module name (`ABC`, `Abc`).
        let mut modules = Namer::with_reserved(&["mod"]);
        let mut models = Vec::new();
        for draft in self.drafts.values() {
            let boxed = |target: &str| reach(&direct, [target]).contains(&draft.name);
            let kind = match &draft.kind {
                DraftKind::Struct(fields) => ModelKind::Struct(finish_struct(fields, &boxed, in_request.contains(&draft.name), report)),
                DraftKind::StringEnum(e) => ModelKind::StringEnum(e.clone()),
                DraftKind::Union { variants, tag, other } => ModelKind::Union(Union {
                    variants: variants
                        .iter()
                        .map(|v| {
                            let ty = match v.info.ty.direct_model() {
                                Some(m) if boxed(m) => Ty::Boxed(Box::new(v.info.ty.clone())),
                                _ => v.info.ty.clone(),
                            };
                            UnionVariant {
                                rust_name: v.rust.clone(),
                                ty: ty.render(""),
                                docs: v.docs.clone(),
                                tags: v.tags.clone(),
                                validate: matches!(v.info.ty, Ty::Model(_)),
                            }
                        })
                        .collect(),
                    tag: tag.clone(),
                    tag_doc: tag.as_deref().map(crate::docs::code).unwrap_or_default(),
                    other: other.clone(),
                    allow_large: variants.iter().any(|v| v.info.ty.direct_model().is_some_and(|m| {
                        matches!(self.drafts.get(m).map(|d| &d.kind), Some(DraftKind::Struct(f)) if !f.is_empty())
                    })),
                }),
            };
            let uses = model_uses(&draft.name, &edges[draft.name.as_str()], &kind, in_request.contains(&draft.name));
            models.push(Model {
                name: draft.name.clone(),
                module: modules.claim_quiet(&snake(&draft.name)),
                docs: draft.docs.clone(),
                pointer: format!("#{}", crate::docs::code(&draft.pointer)),
                in_request: in_request.contains(&draft.name),
                uses,
                kind,
            });
        }
        models
    }
}

fn finish_struct(
    fields: &[FieldDraft],
    boxed: &dyn Fn(&str) -> bool,
    in_request: bool,
    report: &mut Reporter<'_>,
) -> Struct {
    let mut names = Namer::default();
    let mut methods = Namer::with_reserved(&["new", "validate"]);
    let mut out = Vec::new();
    for f in fields {
        let mut info = f.info.clone();
        if let Some(m) = info.ty.direct_model()
            && boxed(m) {
                info.ty = Ty::Boxed(Box::new(info.ty.clone()));
            }
        let rust_name = names.claim(&f.rust, &f.pointer, report);
        let inner_ty = info.ty.render("");
        let sent = !info.read_only;
        let presence = if f.required && !info.nullable && !info.read_only && !info.write_only {
            Presence::Required
        } else if !f.required && info.nullable && in_request && sent {
            Presence::TriState
        } else {
            Presence::Optional
        };
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
        let checks = info.checks(&format!("self.{rust_name}"), presence);
        let mut docs = f.docs.clone();
        let notes: Vec<String> = checks.iter().map(|c| c.doc.clone()).filter(|d| !d.is_empty()).collect();
        if !notes.is_empty() || info.read_only || presence == Presence::TriState {
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.extend(notes);
            if info.read_only {
                docs.push("Read-only: set by the server, never sent.".into());
            }
            if presence == Presence::TriState {
                docs.push("Nullable: absent leaves it unchanged, `Null` clears it.".into());
            }
        }
        if docs.is_empty() {
            docs.push(format!("The `{}` property.", crate::docs::code(&f.wire)));
        }
        let setter = if ["new", "validate"].contains(&rust_name.as_str()) {
            methods.claim_quiet(&format!("with_{rust_name}"))
        } else {
            methods.claim_quiet(&rust_name)
        };
        let clear_setter =
            if presence == Presence::TriState { methods.claim_quiet(&format!("clear_{rust_name}")) } else { String::new() };
        out.push(Field {
            rust_name,
            wire_name: f.wire.clone(),
            doc_name: crate::docs::code(&f.wire),
            docs,
            ty,
            inner_ty,
            serde,
            presence,
            setter,
            clear_setter,
            checks,
        });
    }
    let required = out.iter().filter(|f| f.presence == Presence::Required).count();
    let has_checks = out.iter().any(|f| !f.checks.is_empty());
    Struct { default: required == 0, many_args: required > 7, has_checks, fields: out }
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
        ModelKind::Union(u) => {
            uses.insert("serde::{Deserialize, Deserializer, Serialize, Serializer}".to_string());
            if u.tag.is_none() {
                uses.insert("crate::runtime::json".to_string());
            }
            if in_request {
                uses.insert("crate::runtime::validate::Validate".to_string());
                uses.insert("crate::ValidationError".to_string());
            }
        }
    }
    uses.into_iter().collect()
}

/// Everything reachable from `roots` along `edges`, roots included.
fn reach<'a>(edges: &BTreeMap<&str, BTreeSet<String>>, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.into_iter().map(str::to_string).collect();
    while let Some(next) = stack.pop() {
        if !seen.insert(next.clone()) {
            continue;
        }
        if let Some(out) = edges.get(next.as_str()) {
            stack.extend(out.iter().filter(|m| !seen.contains(*m)).cloned());
        }
    }
    seen
}

/// Checks the JSON types of the schema keywords this generator reads (OpenAPI 3.0:
/// `type` is one string, `required` a list of names, ...). Reports every mismatch.
fn well_formed(pointer: &str, node: &Value, report: &mut Reporter<'_>) -> bool {
    let mut ok = true;
    let mut fail = |key: &str, wanted: &str| {
        report.error(
            &join(pointer, key),
            format!("`{key}` must be {wanted} in an OpenAPI 3.0 schema"),
            Some("fix the keyword's value (OpenAPI 3.1 forms such as `type: [string, \"null\"]` are not 3.0)"),
        );
        ok = false;
    };
    let Some(map) = node.as_object() else { return false };
    for (key, value) in map {
        let good = match key.as_str() {
            "type" | "format" | "pattern" | "title" | "description" => value.is_string(),
            "properties" => value.as_object().is_some_and(|p| p.values().all(Value::is_object)),
            "required" => value.as_array().is_some_and(|r| r.iter().all(Value::is_string)),
            "items" | "not" => value.is_object(),
            "enum" => value.is_array(),
            "allOf" | "oneOf" | "anyOf" => value.as_array().is_some_and(|b| b.iter().all(Value::is_object)),
            "additionalProperties" => value.is_object() || value.is_boolean(),
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" | "exclusiveMinimum"
            | "exclusiveMaximum" => value.is_boolean(),
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => value.is_u64(),
            "minimum" | "maximum" | "multipleOf" => value.is_number(),
            "discriminator" => value.get("propertyName").is_some_and(Value::is_string),
            _ => true,
        };
        if !good {
            let wanted = match key.as_str() {
                "type" | "format" | "pattern" | "title" | "description" => "a string",
                "properties" => "a mapping of names to schemas",
                "required" => "a list of property names",
                "items" | "not" => "a schema",
                "enum" => "a list",
                "allOf" | "oneOf" | "anyOf" => "a list of schemas",
                "additionalProperties" => "a schema or a boolean",
                "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" => {
                    "a non-negative integer"
                }
                "minimum" | "maximum" | "multipleOf" => "a number",
                "discriminator" => "an object with a string `propertyName`",
                _ => "a boolean",
            };
            fail(key, wanted);
        }
    }
    ok
}

fn flag(node: &Value, key: &str) -> bool {
    node.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn schema_type(node: &Value) -> Option<&str> {
    match node.get("type").and_then(Value::as_str) {
        Some(t) => Some(t),
        None if node.get("properties").is_some() || node.get("additionalProperties").is_some() => Some("object"),
        None if node.get("items").is_some() => Some("array"),
        None => None,
    }
}

fn union_branches(node: &Value) -> Option<(&'static str, &[Value])> {
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = node.get(key) {
            return Some((key, branches.as_slice()));
        }
    }
    None
}

/// `allOf` with one part and no properties, type or composition of its own.
fn single_all_of(node: &Value) -> Option<&Value> {
    match node.get("allOf") {
        Some(Value::Array(parts))
            if parts.len() == 1
                && node.get("properties").is_none()
                && node.get("required").is_none()
                && union_branches(node).is_none() =>
        {
            parts.first()
        }
        _ => None,
    }
}

/// Whether a schema gets a named type of its own.
fn needs_model(node: &Value) -> bool {
    if node.get("$ref").is_some() || single_all_of(node).is_some() {
        return false;
    }
    if union_branches(node).is_some() || node.get("allOf").is_some() {
        return true;
    }
    if node.get("enum").is_some() {
        return schema_type(node) == Some("string");
    }
    schema_type(node) == Some("object") && node.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
}

fn constraints(node: &Value) -> Constraints {
    let u = |k: &str| node.get(k).and_then(Value::as_u64);
    let f = |k: &str| node.get(k).and_then(Value::as_f64);
    Constraints {
        min_length: u("minLength"),
        max_length: u("maxLength"),
        min_items: u("minItems"),
        max_items: u("maxItems"),
        minimum: f("minimum"),
        maximum: f("maximum"),
        exclusive_minimum: flag(node, "exclusiveMinimum"),
        exclusive_maximum: flag(node, "exclusiveMaximum"),
    }
}

fn model_docs(node: &Value, pointer: &str) -> Vec<String> {
    let mut docs = node.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
    if docs.is_empty() {
        let title = node.get("title").and_then(Value::as_str);
        docs.push(match title {
            Some(t) => format!("{}.", crate::docs::inline(t)),
            None => format!(
                "The `{}` schema.",
                crate::docs::code(&pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~"))
            ),
        });
    }
    docs
}

/// A property's description: its own, else the one of the schema it references.
fn property_docs(tree: &Value, property: &Value) -> Vec<String> {
    let mut node = property;
    for _ in 0..8 {
        if let Some(text) = node.get("description").and_then(Value::as_str) {
            return doc_lines(text);
        }
        let target = node
            .get("$ref")
            .or_else(|| node.pointer("/allOf/0/$ref"))
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| tree.pointer(p));
        match target {
            Some(next) => node = next,
            None => break,
        }
    }
    Vec::new()
}
