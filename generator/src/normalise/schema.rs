//! Schemas → Rust types and model drafts.
//!
//! Component schemas that need a type of their own (objects with properties,
//! compositions, string enums, unions) become models; the rest (strings, numbers,
//! arrays, free-form objects, single-`$ref` wrappers) are inlined where used, with their
//! constraints. Models are drafted on first use, so `--tag` selections contain only what
//! their operations reach; names of component models are assigned up front so they do
//! not depend on the selection.
//!
//! A model found while typing another is queued, not built on the spot: a chain of
//! thousands of models costs a queue entry each, no stack. Nesting inside one model
//! (inline arrays, maps, `allOf` parts) recurses, bounded by [`MAX_DEPTH`].

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde_json::Value;

use super::Namer;
use super::types::TypeInfo;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::fates::Object;
use crate::ir::{Constraints, EnumVariant, IntTy, StringEnum, Ty};
use crate::limits::MAX_DEPTH;
use crate::names::{PRELUDE, pascal, snake};
use crate::openapi::last_token;

/// A property of a struct draft. Its Rust name is final (unique in the struct).
#[derive(Debug, Clone)]
pub(crate) struct FieldDraft {
    pub pointer: String,
    pub wire: String,
    pub rust: String,
    pub docs: Vec<String>,
    pub info: TypeInfo,
    pub required: bool,
}

/// A discriminator subtype: its tag values and the pointer of its schema.
type Subtype = (Vec<String>, String);

/// A branch of a union draft.
#[derive(Debug, Clone)]
pub(crate) struct VariantDraft {
    pub pointer: String,
    pub rust: String,
    pub info: TypeInfo,
    pub docs: Vec<String>,
    /// Discriminator values selecting this branch (tagged unions).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum DraftKind {
    Struct(Vec<FieldDraft>),
    StringEnum(StringEnum),
    Union { variants: Vec<VariantDraft>, tag: Option<String>, other: String },
}

#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub name: String,
    pub docs: Vec<String>,
    pub pointer: String,
    pub deprecated: bool,
    pub kind: DraftKind,
}

/// Which requests contain a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// A parameter or a create-style body: `null` means the same as absent.
    Request,
    /// The body of a PATCH: an explicit `null` clears a value.
    Update,
}

/// What `finish` needs besides the drafts: the models each kind of message contains
/// directly (what they reach follows).
pub(crate) struct Uses {
    /// Models requests contain.
    pub request_roots: BTreeSet<String>,
    /// Models PATCH bodies contain.
    pub update_roots: BTreeSet<String>,
    /// Models responses contain.
    pub response_roots: BTreeSet<String>,
    /// Models webhook payloads contain.
    pub webhook_roots: BTreeSet<String>,
}

/// Drafts models on demand; [`finish`](super::finish) turns them into IR.
pub(crate) struct Models<'t> {
    pub(super) tree: &'t Value,
    namer: Namer,
    /// Rust names of models, by the pointer of their schema.
    names: BTreeMap<String, String>,
    /// Pointers of models, by Rust name.
    pointers: BTreeMap<String, String>,
    /// Drafted models, by name.
    pub(super) drafts: BTreeMap<String, Draft>,
    /// Models named but not drafted yet.
    pending: VecDeque<String>,
    /// Models requests contain.
    pub(super) request_roots: BTreeSet<String>,
    /// Models PATCH bodies contain.
    pub(super) update_roots: BTreeSet<String>,
    /// Models webhook payloads contain.
    pub(super) webhook_roots: BTreeSet<String>,
    /// Models responses contain.
    pub(super) response_roots: BTreeSet<String>,
    /// Schemas being inlined right now (arrays, maps, `allOf` wrappers): meeting one
    /// again means a type that contains itself with no struct in between.
    inlining: Vec<String>,
    /// Nesting of the walk in progress, bounded by [`MAX_DEPTH`].
    depth: usize,
    /// The document is OpenAPI 3.1, lowered into the 3.0 form: findings are worded for
    /// it, and refusals recorded by `lower31` are reported where a schema is used.
    lowered: bool,
    /// Refusals reported so far (each once, however often its schema is used).
    refusals_reported: BTreeSet<(String, String)>,
}

impl<'t> Models<'t> {
    /// Assigns names to every component schema that becomes a model.
    pub(crate) fn new(tree: &'t Value, report: &mut Reporter<'_>) -> Self {
        let mut models = Self {
            tree,
            namer: Namer::with_reserved(&[PRELUDE, crate::vocabulary::MODEL_IMPORTS].concat()),
            names: BTreeMap::new(),
            pointers: BTreeMap::new(),
            drafts: BTreeMap::new(),
            pending: VecDeque::new(),
            request_roots: BTreeSet::new(),
            update_roots: BTreeSet::new(),
            webhook_roots: BTreeSet::new(),
            response_roots: BTreeSet::new(),
            inlining: Vec::new(),
            depth: 0,
            lowered: tree.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1")),
            refusals_reported: BTreeSet::new(),
        };
        if let Some(Value::Object(schemas)) = tree.pointer("/components/schemas") {
            let mut sorted: Vec<_> = schemas.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (name, node) in sorted {
                let pointer = join("/components/schemas", name);
                if needs_model(node) {
                    let rust = models.namer.claim(&pascal(name), &pointer, report);
                    models.names.insert(pointer.clone(), rust.clone());
                    models.pointers.insert(rust, pointer);
                }
            }
        }
        models
    }

    /// Records that requests contain this type (it and what it reaches get validation,
    /// and in update bodies, `null` to clear).
    pub(crate) fn mark_request(&mut self, ty: &Ty, kind: Use) {
        let found: BTreeSet<String> = ty.models().into_iter().map(str::to_string).collect();
        if kind == Use::Update {
            self.update_roots.extend(found.iter().cloned());
        }
        self.request_roots.extend(found);
    }

    /// Records that webhook payloads contain this type (arrays of unions in what it
    /// reaches decode each element on its own).
    pub(crate) fn mark_webhook(&mut self, ty: &Ty) {
        self.webhook_roots.extend(ty.models().into_iter().map(str::to_string));
    }

    /// Records that responses contain this type.
    pub(crate) fn mark_response(&mut self, ty: &Ty) {
        self.response_roots.extend(ty.models().into_iter().map(str::to_string));
    }

    /// Reports what `lower31` refused in this schema of a 3.1 document, or in a schema
    /// its `$ref` chain passes; true if anything.
    fn refused(&mut self, node: &Value, report: &mut Reporter<'_>) -> bool {
        if !self.lowered {
            return false;
        }
        let mut node = node;
        let mut any = false;
        for _ in 0..=MAX_DEPTH {
            let found = crate::lower31::refusals(node);
            for (pointer, message, hint) in &found {
                if self.refusals_reported.insert((pointer.clone(), message.clone())) {
                    report.error(pointer, message.clone(), Some(hint));
                }
            }
            any |= !found.is_empty();
            let target = node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#'));
            match target.and_then(|t| self.tree.pointer(t)) {
                Some(next) => node = next,
                None => break,
            }
        }
        any
    }

    /// Follows `$ref`s, reporting broken ones.
    pub(crate) fn resolve(
        &self,
        pointer: &str,
        node: &'t Value,
        report: &mut Reporter<'_>,
    ) -> Option<(String, &'t Value)> {
        super::resolve(self.tree, pointer, node, report)
    }

    /// The type of the schema `node` found at `pointer`; `hint` names an inline model.
    pub(crate) fn type_of(
        &mut self,
        pointer: &str,
        node: &'t Value,
        hint: &str,
        report: &mut Reporter<'_>,
    ) -> TypeInfo {
        if self.depth >= MAX_DEPTH {
            report.error(
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here"),
                Some("move inner schemas into components/schemas and reference them, or flatten the nesting"),
            );
            return TypeInfo::new(Ty::Any);
        }
        if self.refused(node, report) {
            return TypeInfo::new(Ty::Any);
        }
        let Some((pointer, node)) = self.resolve(pointer, node, report) else {
            return TypeInfo::new(Ty::Any);
        };
        if !node.is_object() {
            report.error(&pointer, "a schema must be an object", Some("write the schema as a mapping"));
            return TypeInfo::new(Ty::Any);
        }
        if !well_formed(&pointer, node, self.lowered, report) {
            return TypeInfo::new(Ty::Any);
        }
        // 3.1 refusals were recorded by the lowering and reported by `refused` above.
        let handled: &[&str] = if self.lowered { REFUSED_31 } else { &[] };
        crate::fates::check(Object::Schema, &pointer, node, handled, self.lowered, report);
        // Models break recursion by name; only inlined schemas can contain themselves.
        if needs_model(node) {
            return self.model(&pointer, node, hint, report);
        }
        if self.inlining.contains(&pointer) {
            report.warn(
                &pointer,
                "this schema contains itself with no object in between, so it has no finite Rust type; typed as any JSON",
                Some("make the recursive part an object with properties (it then becomes a struct)"),
            );
            return TypeInfo::new(Ty::Any);
        }
        self.inlining.push(pointer.clone());
        self.depth += 1;
        let info = self.inline(&pointer, node, hint, report);
        self.depth -= 1;
        self.inlining.pop();
        info
    }

    /// A schema that gets a model: its name (claimed now), drafted later.
    fn model(&mut self, pointer: &str, node: &'t Value, hint: &str, report: &mut Reporter<'_>) -> TypeInfo {
        let name = match self.names.get(pointer) {
            Some(name) => name.clone(),
            None => {
                let wanted = node
                    .get("title")
                    .and_then(Value::as_str)
                    .filter(|t| !pointer.starts_with("/components/schemas/") && !t.trim().is_empty())
                    .map_or_else(|| pascal(hint), pascal);
                let name = self.namer.claim(&wanted, pointer, report);
                self.names.insert(pointer.to_string(), name.clone());
                self.pointers.insert(name.clone(), pointer.to_string());
                name
            }
        };
        if !self.drafts.contains_key(&name) && !self.pending.contains(&name) {
            self.pending.push_back(name.clone());
        }
        flags(node, TypeInfo::new(Ty::Model(name)))
    }

    /// A schema typed where it is used.
    fn inline(&mut self, pointer: &str, node: &'t Value, hint: &str, report: &mut Reporter<'_>) -> TypeInfo {
        // `allOf: [X]` with nothing else of substance is X (plus description/nullable).
        if let Some(single) = single_all_of(node) {
            let info = self.type_of(&join(&join(pointer, "allOf"), "0"), single, hint, report);
            return flags(node, info);
        }
        let mut info = TypeInfo::new(Ty::Any);
        info.constraints = constraints(node);
        info.ty = match schema_type(node) {
            Some("string") => Ty::String,
            Some("integer") => Ty::Integer(integer_type(pointer, node, &info.constraints, report)),
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Boolean,
            Some("array") => match node.get("items") {
                Some(items) => {
                    let item = self.type_of(&join(pointer, "items"), items, &format!("{hint}Item"), report);
                    Ty::List(Box::new(item.ty))
                }
                None => Ty::List(Box::new(Ty::Any)),
            },
            Some("object") => match node.get("additionalProperties") {
                Some(extra @ Value::Object(map)) if !map.is_empty() => {
                    let item =
                        self.type_of(&join(pointer, "additionalProperties"), extra, &format!("{hint}Value"), report);
                    Ty::Map(Box::new(item.ty))
                }
                _ => Ty::Object,
            },
            Some(other) => {
                report.error(
                    &join(pointer, "type"),
                    format!("unknown schema type `{other}`"),
                    Some("use one of string, integer, number, boolean, array, object"),
                );
                Ty::Any
            }
            None => Ty::Any,
        };
        flags(node, info)
    }

    /// Drafts every model named so far, and those they name in turn.
    pub(crate) fn drain(&mut self, report: &mut Reporter<'_>) {
        while let Some(name) = self.pending.pop_front() {
            if self.drafts.contains_key(&name) {
                continue;
            }
            let pointer = self.pointers[&name].clone();
            let Some(node) = self.tree.pointer(&pointer) else { continue };
            let draft = self.draft(&name, &pointer, node, report);
            self.drafts.insert(name, draft);
        }
    }

    fn draft(&mut self, name: &str, pointer: &str, node: &'t Value, report: &mut Reporter<'_>) -> Draft {
        let mut docs = model_docs(node, pointer);
        let kind = if let Some(values) = node.get("enum") {
            self.string_enum(pointer, values, report)
        } else if let Some((values, described)) = string_enum_branches(node) {
            // One string enum; the branches' descriptions become a list of its values.
            if !described.is_empty() {
                if !docs.is_empty() {
                    docs.push(String::new());
                }
                for (value, description) in &described {
                    let first = description.lines().next().unwrap_or_default();
                    docs.push(format!("- `{}`: {}", crate::docs::code(value), crate::docs::inline(first)));
                }
            }
            self.string_enum(pointer, &Value::Array(values), report)
        } else if let Some((key, branches)) = union_branches(node) {
            self.union(name, pointer, node, key, branches, report)
        } else if let Some((tag, subtypes)) = self.subtypes(pointer, node, report) {
            self.inherited_union(pointer, tag, subtypes, report)
        } else {
            let mut fields = Vec::new();
            let mut required = BTreeSet::new();
            let mut flattened = BTreeSet::from([pointer.to_string()]);
            self.collect_fields(name, pointer, node, &mut fields, &mut required, &mut flattened, report);
            // Rust names are decided here, once: pagination and the struct agree on them.
            let mut names = Namer::default();
            for field in &mut fields {
                field.required = required.contains(&field.wire);
                field.rust = names.claim(&field.rust, &field.pointer, report);
            }
            DraftKind::Struct(fields)
        };
        Draft { name: name.to_string(), docs, pointer: pointer.to_string(), deprecated: flag(node, "deprecated"), kind }
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
            variants.push(EnumVariant { rust_name: rust, wire_name: wire });
        }
        if variants.is_empty() {
            report.warn(
                &join(pointer, "enum"),
                "this `enum` lists no string value (it is empty, or `null` only): the type accepts any string, kept in its `Other` variant",
                Some("list the values, or drop `enum`"),
            );
        }
        let other = namer.claim_quiet("Other");
        DraftKind::StringEnum(StringEnum { variants, other })
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
        report: &mut Reporter<'_>,
    ) {
        if let Some(Value::Array(parts)) = node.get("allOf") {
            if self.depth >= MAX_DEPTH {
                report.error(
                    pointer,
                    format!("`allOf` parts nest more than {MAX_DEPTH} levels deep here"),
                    Some("flatten the nesting"),
                );
                return;
            }
            self.depth += 1;
            for (i, part) in parts.iter().enumerate() {
                let at = join(&join(pointer, "allOf"), &i.to_string());
                if self.refused(part, report) {
                    continue;
                }
                let Some((at, part)) = self.resolve(&at, part, report) else { continue };
                // Each part once per model: a part listed twice, or reached again
                // through a cycle or a diamond, adds nothing (and would blow up).
                if !flattened.insert(at.clone()) {
                    continue;
                }
                if !part.is_object() || !well_formed(&at, part, self.lowered, report) {
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
                self.collect_fields(model, &at, part, fields, required, flattened, report);
            }
            self.depth -= 1;
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
                // A later allOf part redefines the property: the last definition wins,
                // and a definition of another type says so.
                let (before, after) = (json_kind(&existing.info.ty, self), json_kind(&info.ty, self));
                if before != after && before != "any" && after != "any" {
                    report.warn(
                        &at,
                        format!(
                            "`allOf` parts give the property `{wire}` different types (also at {}); the last one is used",
                            existing.pointer
                        ),
                        Some("make the parts agree on the property's type"),
                    );
                }
                existing.info = info;
                existing.pointer = at.clone();
                if !docs.is_empty() {
                    existing.docs = docs;
                }
                continue;
            }
            fields.push(FieldDraft {
                pointer: at.clone(),
                wire: wire.clone(),
                rust: snake(wire),
                docs,
                info,
                required: false,
            });
        }
    }

    /// Whether a model is a string enum (usable as a scalar parameter). Known as soon
    /// as the model is named.
    pub(crate) fn is_string_enum(&self, model: &str) -> bool {
        let node = self.pointers.get(model).and_then(|p| self.tree.pointer(p));
        node.is_some_and(|n| needs_model(n) && (n.get("enum").is_some() || string_enum_branches(n).is_some()))
    }

    /// Whether a model is a union of scalars (strings, integers, numbers, booleans,
    /// string enums), usable as a parameter: [`crate::ir::Union::scalar`] says the same
    /// of the finished union. Known as soon as the model is named.
    pub(crate) fn is_scalar_union(&self, model: &str) -> bool {
        let Some(node) = self.pointers.get(model).and_then(|p| self.tree.pointer(p)) else { return false };
        if string_enum_branches(node).is_some() {
            return false;
        }
        let Some((_, branches)) = union_branches(node) else { return false };
        !branches.is_empty() && branches.iter().all(|b| self.is_scalar_schema(b, 0))
    }

    /// A string, integer, number or boolean schema (a string enum too), through `$ref`s
    /// and one-part `allOf`s.
    fn is_scalar_schema(&self, node: &Value, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            return self.tree.pointer(pointer).is_some_and(|n| self.is_scalar_schema(n, depth + 1));
        }
        if let Some(part) = single_all_of(node) {
            return self.is_scalar_schema(part, depth + 1);
        }
        node.get("properties").is_none()
            && union_branches(node).is_none()
            && matches!(schema_type(node), Some("string" | "integer" | "number" | "boolean"))
    }

    /// Whether a model is an object (a struct, or a union of objects), not an enum.
    /// Known as soon as the model is named.
    pub(crate) fn is_object_model(&self, model: &str) -> bool {
        let node = self.pointers.get(model).and_then(|p| self.tree.pointer(p));
        node.is_some_and(|n| needs_model(n) && n.get("enum").is_none() && string_enum_branches(n).is_none())
    }

    /// Subtypes of a base object that has a discriminator (the `allOf` inheritance
    /// pattern): from `discriminator.mapping`, else every component schema whose
    /// `allOf` references the base (tagged with its name). `None` when there are none.
    fn subtypes(&self, pointer: &str, node: &Value, report: &mut Reporter<'_>) -> Option<(String, Vec<Subtype>)> {
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
                let at = join(&join(&join(pointer, "discriminator"), "mapping"), value);
                let Some(target) = target.as_str().map(mapping_target) else { continue };
                match target.strip_prefix('#').filter(|t| self.tree.pointer(t).is_some()) {
                    Some(target) => add(value.clone(), target.to_string()),
                    None => report.warn(
                        &at,
                        format!("the discriminator value `{value}` maps to `{target}`, which the document does not have; left out of the union"),
                        Some("map it to a schema: `#/components/schemas/<name>`, or the schema's name"),
                    ),
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
            let stem = last_token(&target);
            let info = self.type_of(&target, node, &stem, report);
            if !matches!(info.ty, Ty::Model(_)) || self.is_string_enum(info.ty.model().unwrap_or_default()) {
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
            let rust = namer.claim(&pascal(&tags[0]), &target, report);
            variants.push(VariantDraft { pointer: target, rust, info, docs, tags });
        }
        let other = namer.claim_quiet("Other");
        DraftKind::Union { variants, tag: Some(tag), other }
    }

    /// `oneOf` / `anyOf`: one variant per branch. A discriminated union names its
    /// variants after their tag values (`Content::Text`); an untagged one after the
    /// branch's title or schema, without the union's own name (`Source::Web`).
    fn union(
        &mut self,
        name: &str,
        pointer: &str,
        node: &'t Value,
        key: &str,
        branches: &'t [Value],
        report: &mut Reporter<'_>,
    ) -> DraftKind {
        let mut tag = node.pointer("/discriminator/propertyName").and_then(Value::as_str).map(str::to_string);
        // A mapping value is a reference, or (OpenAPI 3.0) the name of a component schema.
        let mut mapping: Vec<(String, String)> = node
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), mapping_target(v.as_str()?)))).collect())
            .unwrap_or_default();
        if let Some(discriminator) = node.get("discriminator") {
            let at = join(pointer, "discriminator");
            crate::fates::check(Object::Discriminator, &at, discriminator, &[], false, report);
        }
        if let Some(property) = &tag {
            self.check_mapping(pointer, property, &mapping, branches, report);
            if let Some(kind) = self.non_string_tag(property, branches) {
                report.warn(
                    &join(pointer, "discriminator"),
                    format!(
                        "the discriminator `{property}` is a property of type `{kind}`: a tagged union sends and matches its tag as a string, so this one chooses its branch by shape instead (the branches keep `{property}` as a field)"
                    ),
                    Some("make the discriminator property a string (an enum of strings) to dispatch on it"),
                );
                tag = None;
                mapping.clear();
            }
        }
        if tag.is_none()
            && let Some(titled) = self.tagged_by_title(branches)
        {
            report.warn(
                pointer,
                "a union without a discriminator whose branches all have a title and a string `type`: tagged by guess, on `type` equal to each branch's title",
                Some("state it: `discriminator: {propertyName: type, mapping: {<title>: <$ref>}}`"),
            );
            tag = Some("type".to_string());
            mapping = titled;
        }
        let mut namer = Namer::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        self.depth += 1;
        for (i, branch) in branches.iter().enumerate() {
            let at = join(&join(pointer, key), &i.to_string());
            let reference = branch.get("$ref").and_then(Value::as_str);
            let title = branch.get("title").and_then(Value::as_str).filter(|t| !t.trim().is_empty());
            let hint = match (reference, title) {
                (Some(r), _) => last_token(r),
                (None, Some(t)) => t.to_string(),
                (None, None) => format!("{name}Variant{}", i + 1),
            };
            let info = self.type_of(&at, branch, &hint, report);
            let mut tags = Vec::new();
            if tag.is_some() {
                match reference {
                    Some(_) if !matches!(&info.ty, Ty::Model(m) if !self.is_string_enum(m)) => {
                        report.warn(
                            &at,
                            "this branch of a discriminated union is not an object, so it cannot hold the tag: left out (such values decode into the catch-all)",
                            Some("make the branch an object with the discriminator property"),
                        );
                        continue;
                    }
                    Some(r) => {
                        tags.extend(mapping.iter().filter(|(_, target)| target == r).map(|(k, _)| k.clone()));
                        if tags.is_empty() {
                            // OpenAPI's implicit value: the schema's name. With a mapping
                            // that names other branches, that is most likely a value the
                            // mapping forgot (an event added upstream, an overlay not
                            // updated): said, never silent.
                            if !mapping.is_empty() {
                                report.warn(
                                    &at,
                                    format!(
                                        "branch `{}` is reached by no value of the discriminator mapping: it is taken to be sent with `{}: {}` (its schema's name), so a value the mapping forgot decodes into the catch-all",
                                        last_token(r),
                                        tag.as_deref().unwrap_or_default(),
                                        last_token(r)
                                    ),
                                    Some("add the value this branch is sent with to `discriminator.mapping`"),
                                );
                            }
                            tags.push(last_token(r));
                        }
                    }
                    None => report.error(
                        &at,
                        "a branch of a discriminated union must be a `$ref`",
                        Some("move the branch into components/schemas and reference it"),
                    ),
                }
            }
            let wanted = match (&info.ty, reference.or(title)) {
                _ if !tags.is_empty() => pascal(&tags[0]),
                (_, Some(_)) => without_affix(&pascal(&hint), name),
                (Ty::String, _) => "String".to_string(),
                (Ty::Integer(_), _) => "Integer".to_string(),
                (Ty::Number, _) => "Number".to_string(),
                (Ty::Boolean, _) => "Boolean".to_string(),
                (Ty::List(_), _) => "Array".to_string(),
                (Ty::Map(_) | Ty::Object, _) => "Object".to_string(),
                _ => format!("Variant{}", i + 1),
            };
            let rust = namer.claim(&wanted, &at, report);
            let docs = branch
                .get("description")
                .or_else(|| {
                    reference.and_then(|r| r.strip_prefix('#')).and_then(|p| self.tree.pointer(p)?.get("description"))
                })
                .and_then(Value::as_str)
                .map(doc_lines)
                .unwrap_or_else(|| vec![format!("The `{}` branch.", crate::docs::code(&hint))]);
            variants.push(VariantDraft { pointer: at, rust, info, docs, tags });
        }
        self.depth -= 1;
        let other = "Other".to_string();
        DraftKind::Union { variants, tag, other }
    }

    /// For a union without discriminator: when every branch is a `$ref` to an object
    /// with its own title and a string `type` property (the convention of webhook
    /// events), the mapping from each title to its branch.
    fn tagged_by_title(&self, branches: &[Value]) -> Option<Vec<(String, String)>> {
        let mut mapping: Vec<(String, String)> = Vec::new();
        for branch in branches {
            let reference = branch.get("$ref")?.as_str()?;
            let node = self.tree.pointer(reference.strip_prefix('#')?)?;
            let title = node.get("title")?.as_str()?.trim();
            if title.is_empty() || mapping.iter().any(|(t, _)| t == title) || !self.declares_tag(node, "type", title, 0)
            {
                return None;
            }
            mapping.push((title.to_string(), reference.to_string()));
        }
        (mapping.len() >= 2).then_some(mapping)
    }

    /// Whether an object schema (or one of its `allOf` parts) declares a string
    /// property `name` that `value` can be (no `enum`, or one listing it).
    /// Warns about discriminator mapping values that reach no branch (a schema the
    /// document does not have, or one no branch references) and about branches whose
    /// tag property always holds another value than the mapping gives them.
    fn check_mapping(
        &self,
        pointer: &str,
        property: &str,
        mapping: &[(String, String)],
        branches: &[Value],
        report: &mut Reporter<'_>,
    ) {
        let refs: Vec<&str> = branches.iter().filter_map(|b| b.get("$ref").and_then(Value::as_str)).collect();
        for (value, target) in mapping {
            let at = join(&join(&join(pointer, "discriminator"), "mapping"), value);
            let exists = target.strip_prefix('#').is_some_and(|t| self.tree.pointer(t).is_some());
            if !exists {
                report.warn(
                    &at,
                    format!("the discriminator value `{value}` maps to `{target}`, which the document does not have; that value decodes into the catch-all"),
                    Some("map it to a branch: `#/components/schemas/<name>`, or the schema's name"),
                );
            } else if !refs.contains(&target.as_str()) {
                report.warn(
                    &at,
                    format!("the discriminator value `{value}` maps to `{target}`, which is no branch of this union; that value decodes into the catch-all"),
                    Some("add the schema as a branch (`$ref`), or map the value to a branch"),
                );
            }
        }
        for reference in refs {
            let Some(branch) = reference.strip_prefix('#').and_then(|t| self.tree.pointer(t)) else { continue };
            let Some(fixed) = self.tag_property(branch, property, 0).and_then(single_value) else { continue };
            for (value, _) in mapping.iter().filter(|(value, target)| target == reference && *value != fixed) {
                report.warn(
                    &join(&join(&join(pointer, "discriminator"), "mapping"), value),
                    format!("the discriminator value `{value}` maps to `{reference}`, whose `{property}` is always `{fixed}`: a value it sends cannot be `{value}`"),
                    Some("make the mapping and the branch's `const`/`enum` agree"),
                );
            }
        }
    }

    /// The JSON type of the discriminator property when the branches declare it other
    /// than a string (`integer`, `number`, `boolean`).
    fn non_string_tag(&self, property: &str, branches: &[Value]) -> Option<String> {
        branches.iter().find_map(|branch| {
            let resolved = crate::openapi::resolve(self.tree, "", branch).ok()?.1;
            let kind = self.tag_property(resolved, property, 0)?.get("type")?.as_str()?;
            (kind != "string").then(|| kind.to_string())
        })
    }

    /// The schema of a branch's property `name`, through `allOf` parts.
    fn tag_property(&self, node: &'t Value, name: &str, depth: usize) -> Option<&'t Value> {
        if depth > 8 {
            return None;
        }
        let resolved = |node: &'t Value| crate::openapi::resolve(self.tree, "", node).ok().map(|(_, n)| n);
        if let Some(property) = node.pointer(&join("/properties", name)).and_then(resolved) {
            return Some(property);
        }
        node.get("allOf")?.as_array()?.iter().find_map(|part| self.tag_property(resolved(part)?, name, depth + 1))
    }

    fn declares_tag(&self, node: &'t Value, name: &str, value: &str, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        let resolved = |node: &'t Value| crate::openapi::resolve(self.tree, "", node).ok().map(|(_, n)| n);
        if let Some(property) = node.pointer(&join("/properties", name)).and_then(resolved) {
            let enum_ok = property
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|e| e.iter().any(|v| v.as_str() == Some(value)));
            return property.get("type").and_then(Value::as_str) == Some("string") && enum_ok;
        }
        node.get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|part| resolved(part).is_some_and(|part| self.declares_tag(part, name, value, depth + 1)))
    }

    /// Takes the drafts out (for [`finish`](super::finish)).
    pub(crate) fn into_drafts(self) -> (BTreeMap<String, Draft>, Uses) {
        let uses = Uses {
            request_roots: self.request_roots,
            update_roots: self.update_roots,
            webhook_roots: self.webhook_roots,
            response_roots: self.response_roots,
        };
        (self.drafts, uses)
    }
}

/// The integer type of an integer schema: what its `format` names (`int8` … `uint64`;
/// none is `i64`), narrowed to the smallest type holding its bounds when it has both
/// (unsigned when the lower is not negative). An unknown format is typed `i64`, with a
/// warning.
fn integer_type(pointer: &str, node: &Value, c: &Constraints, report: &mut Reporter<'_>) -> IntTy {
    let format = node.get("format").and_then(Value::as_str);
    let by_format = match format {
        None | Some("int64") => IntTy::I64,
        Some("int8") => IntTy::I8,
        Some("int16") => IntTy::I16,
        Some("int32") => IntTy::I32,
        Some("uint8") => IntTy::U8,
        Some("uint16") => IntTy::U16,
        Some("uint32") => IntTy::U32,
        Some("uint64") => IntTy::U64,
        Some(other) => {
            report.warn(
                &join(pointer, "format"),
                format!("an integer `format: {other}` this generator does not know: typed as `i64` (values past its range fail to decode)"),
                Some("use int8, int16, int32, int64, uint8, uint16, uint32 or uint64"),
            );
            IntTy::I64
        }
    };
    let (Some(lo), Some(hi)) = (c.min_integer, c.max_integer) else { return by_format };
    let (format_lo, format_hi) = by_format.range();
    let (lo, hi) = (lo.max(format_lo), hi.min(format_hi));
    if lo > hi {
        return by_format;
    }
    let candidates: &[IntTy] = if lo >= 0 {
        &[IntTy::U8, IntTy::U16, IntTy::U32, IntTy::U64]
    } else {
        &[IntTy::I8, IntTy::I16, IntTy::I32, IntTy::I64]
    };
    candidates
        .iter()
        .copied()
        .find(|t| {
            let (min, max) = t.range();
            min <= lo && hi <= max
        })
        .unwrap_or(by_format)
}

/// The schema keywords the 3.1 lowering refuses (and reports, where a schema is used).
const REFUSED_31: &[&str] = &[
    "if",
    "then",
    "else",
    "prefixItems",
    "$dynamicRef",
    "$recursiveRef",
    "dependentSchemas",
    "patternProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// A discriminator mapping value as a reference: `#/...` as it is, a bare name (OpenAPI
/// 3.0 allows the name of a component schema) as `#/components/schemas/<name>`.
fn mapping_target(value: &str) -> String {
    if value.starts_with('#') || value.contains('/') {
        value.to_string()
    } else {
        format!("#{}", join("/components/schemas", value))
    }
}

/// The one value a property schema allows (`enum` with one member, a 3.1 `const`).
fn single_value(property: &Value) -> Option<&str> {
    match property.get("enum")?.as_array()?.as_slice() {
        [only] => only.as_str(),
        _ => None,
    }
}

/// The JSON kind of a type, as far as it decides contradictions between `allOf` parts
/// (a string and a string enum agree: a part may narrow a property to an enum).
fn json_kind(ty: &Ty, models: &Models<'_>) -> &'static str {
    match ty {
        Ty::String | Ty::File => "string",
        Ty::Integer(_) | Ty::Number => "number",
        Ty::Boolean => "boolean",
        Ty::Any => "any",
        Ty::Object | Ty::Map(_) => "object",
        Ty::List(_) => "array",
        Ty::Model(name) if models.is_string_enum(name) => "string",
        Ty::Model(_) => "model",
    }
}

/// A branch's name without the union's name repeated at its start or end:
/// `ContentText` in `Content` → `Text`, `WebSource` in `Source` → `Web`.
fn without_affix(branch: &str, union: &str) -> String {
    let starts_word = |rest: &str| rest.starts_with(|c: char| c.is_ascii_uppercase());
    if let Some(rest) = branch.strip_prefix(union).filter(|r| starts_word(r)) {
        return rest.to_string();
    }
    match branch.strip_suffix(union) {
        Some(rest) if starts_word(rest) => rest.to_string(),
        _ => branch.to_string(),
    }
}

/// `nullable`, `readOnly` and `writeOnly` of the schema at the place of use.
fn flags(node: &Value, mut info: TypeInfo) -> TypeInfo {
    info.nullable |= flag(node, "nullable");
    info.read_only |= flag(node, "readOnly");
    info.write_only |= flag(node, "writeOnly");
    info.deprecated |= flag(node, "deprecated");
    info
}

/// Checks the JSON types of the schema keywords this generator reads (OpenAPI 3.0:
/// `type` is one string, `required` a list of names, ...). Reports every mismatch.
/// In a 3.1 document (`lowered` into the 3.0 form), 3.1 forms are no longer the cause.
fn well_formed(pointer: &str, node: &Value, lowered: bool, report: &mut Reporter<'_>) -> bool {
    let mut ok = true;
    let mut fail = |key: &str, wanted: &str| {
        let (message, hint) = if lowered {
            (format!("`{key}` must be {wanted} here"), "fix the keyword's value")
        } else {
            (
                format!("`{key}` must be {wanted} in an OpenAPI 3.0 schema"),
                "fix the keyword's value (OpenAPI 3.1 forms such as `type: [string, \"null\"]` are not 3.0: declare `openapi: 3.1.0` to use them)",
            )
        };
        report.error(&join(pointer, key), message, Some(hint));
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

/// Values of a string enum with their descriptions.
type Described = Vec<(String, String)>;

/// A `oneOf`/`anyOf` whose every branch is an inline string `enum` (or `const`), each
/// with its own description (how schemars writes a documented Rust enum): one string
/// enum of all their values, and each value's description. `None` for any other union.
fn string_enum_branches(node: &Value) -> Option<(Vec<Value>, Described)> {
    let (_, branches) = union_branches(node)?;
    if branches.is_empty() {
        return None;
    }
    let (mut values, mut described) = (Vec::new(), Vec::new());
    for branch in branches {
        if branch.get("$ref").is_some() || schema_type(branch).is_some_and(|t| t != "string") {
            return None;
        }
        let listed: Vec<&Value> = match (branch.get("enum"), branch.get("const")) {
            (Some(Value::Array(list)), None) => list.iter().collect(),
            (None, Some(value)) => vec![value],
            _ => return None,
        };
        for value in listed {
            let text = value.as_str()?;
            if let Some(description) = branch.get("description").and_then(Value::as_str) {
                described.push((text.to_string(), description.to_string()));
            }
            values.push(value.clone());
        }
    }
    Some((values, described))
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
    schema_type(node) == Some("object")
        && node.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
}

fn constraints(node: &Value) -> Constraints {
    let u = |k: &str| node.get(k).and_then(Value::as_u64);
    let f = |k: &str| node.get(k).and_then(Value::as_f64);
    // An integer's bounds exactly: a JSON integer as it is, a fraction rounded inward,
    // an exclusive bound moved inward by one.
    let integer = schema_type(node) == Some("integer");
    let exact = |key: &str, exclusive: &str, up: bool| -> Option<i128> {
        if !integer {
            return None;
        }
        let value = node.get(key)?;
        let bound = match (value.as_i64(), value.as_u64(), value.as_f64()) {
            (Some(n), _, _) => i128::from(n),
            (_, Some(n), _) => i128::from(n),
            (_, _, Some(x)) if x.is_finite() => (if up { x.ceil() } else { x.floor() }).clamp(-1e38, 1e38) as i128,
            _ => return None,
        };
        let exact_fraction = value.as_f64().is_some_and(|x| x.fract() != 0.0);
        Some(match (flag(node, exclusive) && !exact_fraction, up) {
            (true, true) => bound + 1,
            (true, false) => bound - 1,
            (false, _) => bound,
        })
    };
    Constraints {
        min_integer: exact("minimum", "exclusiveMinimum", true),
        max_integer: exact("maximum", "exclusiveMaximum", false),
        min_length: u("minLength"),
        max_length: u("maxLength"),
        min_items: u("minItems"),
        max_items: u("maxItems"),
        minimum: f("minimum"),
        maximum: f("maximum"),
        exclusive_minimum: flag(node, "exclusiveMinimum"),
        exclusive_maximum: flag(node, "exclusiveMaximum"),
        pattern: node.get("pattern").and_then(Value::as_str).map(str::to_string),
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
                crate::docs::code(
                    &pointer.rsplit('/').next().unwrap_or_default().replace("~1", "/").replace("~0", "~")
                )
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The type of `schema` (with `components/schemas` holding `thing`, an object, and
    /// `color`, a string enum), and whether typing it queued an inline model.
    fn typed(schema: Value) -> (Ty, usize) {
        let tree = json!({"components": {"schemas": {
            "thing": {"type": "object", "properties": {"a": {"type": "string"}}},
            "color": {"type": "string", "enum": ["red"]},
            "alias": {"type": "integer", "minimum": 1},
        }}, "x": schema});
        let text = tree.to_string();
        let mut report = Reporter::new("spec.yaml", &text);
        let mut models = Models::new(&tree, &mut report);
        let node = tree.pointer("/x").unwrap();
        let info = models.type_of("/x", node, "Hint", &mut report);
        assert!(!report.has_errors(), "{:?}", report.into_failure());
        (info.ty, models.pending.len())
    }

    /// Inlined where used, or a model: table-driven.
    #[test]
    fn schemas_inline_or_become_models() {
        let model = |name: &str| Ty::Model(name.to_string());
        let list = |ty: Ty| Ty::List(Box::new(ty));
        let table = [
            (json!({"type": "string"}), Ty::String, 0),
            (json!({"type": "integer", "format": "int32"}), Ty::Integer(IntTy::I32), 0),
            (json!({"type": "number"}), Ty::Number, 0),
            (json!({"type": "boolean"}), Ty::Boolean, 0),
            (json!({}), Ty::Any, 0),
            (json!({"type": "object"}), Ty::Object, 0),
            (
                json!({"type": "object", "additionalProperties": {"type": "integer"}}),
                Ty::Map(Box::new(Ty::Integer(IntTy::I64))),
                0,
            ),
            (json!({"type": "array", "items": {"$ref": "#/components/schemas/thing"}}), list(model("Thing")), 1),
            (json!({"items": {"type": "string"}}), list(Ty::String), 0),
            (json!({"$ref": "#/components/schemas/alias"}), Ty::Integer(IntTy::I64), 0),
            (json!({"allOf": [{"$ref": "#/components/schemas/color"}], "description": "x"}), model("Color"), 1),
            (json!({"type": "object", "properties": {"b": {"type": "string"}}}), model("Hint"), 1),
            (json!({"type": "string", "enum": ["a", "b"]}), model("Hint"), 1),
            (json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}), model("Hint"), 1),
        ];
        for (schema, ty, queued) in table {
            assert_eq!(typed(schema.clone()), (ty, queued), "{schema}");
        }
    }

    #[test]
    fn flags_and_constraints_are_kept_where_used() {
        let tree = json!({"x": {"type": "string", "nullable": true, "readOnly": true, "deprecated": true,
                                "minLength": 1, "maxLength": 5, "pattern": "^a"}});
        let text = tree.to_string();
        let mut report = Reporter::new("spec.yaml", &text);
        let mut models = Models::new(&tree, &mut report);
        let info = models.type_of("/x", tree.pointer("/x").unwrap(), "Hint", &mut report);
        assert!(info.nullable && info.read_only && info.deprecated && !info.write_only);
        let c = &info.constraints;
        assert_eq!((c.min_length, c.max_length, c.pattern.as_deref()), (Some(1), Some(5), Some("^a")));
    }

    #[test]
    fn branch_names_drop_the_union_name() {
        assert_eq!(without_affix("ContentText", "Content"), "Text");
        assert_eq!(without_affix("WebSource", "Source"), "Web");
        assert_eq!(without_affix("Contented", "Content"), "Contented");
    }
}
