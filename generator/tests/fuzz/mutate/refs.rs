//! Reference mutations: `$ref`s to random, nonexistent, self and parent pointers, cycles
//! (schemas, section entries, path items), long acyclic chains, and renamed components
//! (with or without their references following).

use serde_json::{Value, json};

use super::hostile::weird_name;
use super::values::random_ref;
use crate::rng::Rng;
use crate::tree::{Seg, escape, get_mut, is_schemaish, pick_path, ref_to, rewrite_refs, set, show};

/// `$ref`s to random, nonexistent, self and parent pointers, alone or beside siblings.
pub(crate) fn set_ref(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, |p, v| v.is_object() && (is_schemaish(p, v) || rng_free_ok(p)))?;
    let r = random_ref(rng, comps, Some(&p));
    let d = format!("{}: $ref = {r}", show(&p));
    if rng.one_in(2) {
        set(root, &p, json!({"$ref": r}));
        Some(format!("{d} (alone)"))
    } else {
        get_mut(root, &p)?.as_object_mut()?.insert("$ref".into(), r);
        Some(format!("{d} (beside siblings)"))
    }
}

/// Objects anywhere may get a `$ref` when not schema-like too (path items, responses, ...).
fn rng_free_ok(path: &[Seg]) -> bool {
    path.iter().any(|s| matches!(s, Seg::Key(k) if k == "paths" || k == "components"))
}

/// A long acyclic `$ref` chain through every kind of link, hung off a schema.
pub(crate) fn ref_chain(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, is_schemaish)?;
    let length = rng.small(2, 200);
    let prefix = format!("Chain{}", rng.below(1000));
    let schemas = root.get_mut("components")?.as_object_mut()?.entry("schemas").or_insert_with(|| json!({}));
    let schemas = schemas.as_object_mut()?;
    for i in 0..length {
        let next = json!({"$ref": format!("#/components/schemas/{prefix}_{}", i + 1)});
        let link = match (i + rng.below(5)) % 5 {
            0 => json!({"type": "object", "properties": {"next": next}}),
            1 => json!({"type": "array", "items": next}),
            2 => json!({"allOf": [next]}),
            3 => json!({"oneOf": [next, {"type": "string"}]}),
            _ => json!({"type": "object", "additionalProperties": next}),
        };
        schemas.insert(format!("{prefix}_{i}"), link);
    }
    schemas.insert(format!("{prefix}_{length}"), json!({"type": "string"}));
    set(root, &p, json!({"$ref": format!("#/components/schemas/{prefix}_0")}));
    Some(format!("{}: $ref chain of {length} ({prefix})", show(&p)))
}

/// Rename a component, sometimes following the references.
pub(crate) fn rename_component(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    if comps.is_empty() {
        return None;
    }
    let old = rng.pick(comps).clone();
    let (section_ref, name) = old.rsplit_once('/')?;
    let new_name = weird_name(rng);
    let section = section_ref.strip_prefix("#/components/")?.replace("~1", "/").replace("~0", "~");
    let name = name.replace("~1", "/").replace("~0", "~");
    let entries = root.get_mut("components")?.get_mut(&section)?.as_object_mut()?;
    let v = entries.remove(&name)?;
    entries.insert(new_name.clone(), v);
    let follow = rng.one_in(2);
    if follow {
        let new_ref = format!("{section_ref}/{}", escape(&new_name));
        rewrite_refs(root, &old, &new_ref);
    }
    Some(format!("rename component {old} to {new_name:?}{}", if follow { " (refs follow)" } else { "" }))
}

/// Self- and mutually-referencing schemas, parameters, responses and path items.
pub(crate) fn make_cycle(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let schemas: Vec<&String> = comps.iter().filter(|c| c.starts_with("#/components/schemas/")).collect();
    if rng.one_in(5) {
        return cycle_outside_schemas(rng, root, comps);
    }
    let a = if schemas.is_empty() || rng.one_in(6) {
        format!("#/components/schemas/{}", escape(&weird_name(rng)))
    } else {
        (*rng.pick(&schemas)).clone()
    };
    let b = if schemas.is_empty() { a.clone() } else { (*rng.pick(&schemas)).clone() };
    let me = json!({"$ref": a});
    let shape = rng.below(10);
    let value = match shape {
        0 => me.clone(),
        1 => json!({"type": "array", "items": me}),
        2 => json!({"allOf": [me]}),
        3 => json!({"allOf": [me, me]}),
        4 => json!({"type": "object", "additionalProperties": me}),
        5 => json!({"oneOf": [me]}),
        6 => json!({"allOf": [{"$ref": b}], "nullable": true}),
        7 => json!({"$ref": b}),
        8 => json!({"anyOf": [{"type": "array", "items": me}, {"type": "string"}]}),
        _ => json!({"type": "object", "properties": {"next": me, "list": {"type": "array", "items": me}}}),
    };
    let name = a.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
    let schemas_node = root
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas_node.as_object_mut()?.insert(name, value.clone());
    if shape == 7 && a != b {
        // The other direction too: a two-schema `$ref` loop.
        let other = b.strip_prefix("#/components/schemas/")?.replace("~1", "/").replace("~0", "~");
        schemas_node.as_object_mut()?.insert(other, json!({"$ref": a}));
    }
    // Make sure something uses it.
    if rng.one_in(2)
        && let Some(p) =
            pick_path(rng, root, false, |p, v| is_schemaish(p, v) && !p.starts_with(&[Seg::Key("components".into())]))
    {
        set(root, &p, json!({"$ref": a}));
    }
    Some(format!("cycle shape {shape}: {a} = {value}"))
}

/// Cycles outside schemas: a section entry or a path item pointing at itself or a sibling.
fn cycle_outside_schemas(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, |p, v| {
        v.is_object()
            && (p.len() == 2 && p[0] == Seg::Key("paths".into())
                || p.len() == 3 && p[0] == Seg::Key("components".into()))
    })?;
    let target = if comps.is_empty() || rng.one_in(2) { ref_to(&p) } else { rng.pick(comps).clone() };
    set(root, &p, json!({"$ref": target}));
    Some(format!("{}: $ref cycle to {target}", show(&p)))
}
