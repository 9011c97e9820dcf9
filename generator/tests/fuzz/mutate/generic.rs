//! Generic structural mutations, blind to what a node means: delete a node, replace it
//! with a random value, duplicate it elsewhere, swap two nodes.

use serde_json::Value;

use super::hostile::weird_name;
use super::values::random_value;
use crate::rng::Rng;
use crate::tree::{get, get_mut, is_prefix, last_key, pick_path, remove, set, show};

pub(crate) fn delete(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, |_, _| true)?;
    remove(root, &p).then(|| format!("delete {}", show(&p)))
}

pub(crate) fn replace(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, |_, _| true)?;
    let v = random_value(rng, comps, 0);
    let d = format!("replace {} with {}", show(&p), v);
    set(root, &p, v).then_some(d)
}

/// A copy of a node into an object (under its own or a hostile name) or an array.
pub(crate) fn duplicate(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let from = pick_path(rng, root, false, |_, _| true)?;
    let to = pick_path(rng, root, true, |_, v| v.is_object() || v.is_array())?;
    let value = get(root, &from)?.clone();
    let key =
        if rng.one_in(2) { last_key(&from).map_or_else(|| weird_name(rng), str::to_string) } else { weird_name(rng) };
    let at = rng.below(8);
    match get_mut(root, &to)? {
        Value::Object(m) => {
            m.insert(key.clone(), value);
        }
        Value::Array(a) => {
            let i = at.min(a.len());
            a.insert(i, value);
        }
        _ => return None,
    }
    Some(format!("duplicate {} into {} as {key:?}", show(&from), show(&to)))
}

/// Two nodes, neither inside the other, trade places.
pub(crate) fn swap(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let a = pick_path(rng, root, false, |_, _| true)?;
    let b = pick_path(rng, root, false, |_, _| true)?;
    if is_prefix(&a, &b) || is_prefix(&b, &a) {
        return None;
    }
    let va = get(root, &a)?.clone();
    let vb = get(root, &b)?.clone();
    set(root, &a, vb);
    set(root, &b, va);
    Some(format!("swap {} and {}", show(&a), show(&b)))
}
