//! Hostile names and text put into the document: members renamed or copied under
//! keyword-, Unicode- and quote-laden names, names given as values (operationId,
//! parameter names, discriminator), odd strings in descriptions, titles, versions, urls.

use serde_json::Value;

use super::hostile::{weird_name, weird_text};
use crate::rng::Rng;
use crate::tree::{get_mut, last_key, pick_path, show};

/// Keyword-, unicode- and quote-laden names: a member renamed, or copied beside the others.
pub(crate) fn rename_member(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, |_, v| v.as_object().is_some_and(|m| !m.is_empty()))?;
    let name = weird_name(rng);
    let node = get_mut(root, &p)?.as_object_mut()?;
    if rng.one_in(3) {
        // A new member beside the others (a property, a schema, a path, ...).
        let keys: Vec<String> = node.keys().cloned().collect();
        let like = node[rng.pick(&keys).as_str()].clone();
        node.insert(name.clone(), like);
        return Some(format!("{}: copy a member as {name:?}", show(&p)));
    }
    let keys: Vec<String> = node.keys().cloned().collect();
    let old = rng.pick(&keys).clone();
    let v = node.remove(&old)?;
    node.insert(name.clone(), v);
    Some(format!("{}: rename {old:?} to {name:?}", show(&p)))
}

/// Names given as values: operationId, parameter names, discriminator.
pub(crate) fn name_value(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let key = *rng.pick(&["operationId", "name", "propertyName", "title"]);
    let p = pick_path(rng, root, false, |_, v| v.get(key).is_some())?;
    let name = weird_name(rng);
    get_mut(root, &p)?.as_object_mut()?.insert(key.into(), Value::String(name.clone()));
    Some(format!("{}: {key} = {name:?}", show(&p)))
}

/// Weird strings in descriptions, titles, summaries, versions, urls, examples.
pub(crate) fn weird_string(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let p = pick_path(rng, root, false, |p, v| {
        v.is_string() || (v.is_object() && last_key(p).is_some_and(|k| k == "info" || k == "variables"))
    })?;
    let text = weird_text(rng);
    let d = format!("{}: text {text:?}", show(&p));
    match get_mut(root, &p)? {
        Value::Object(m) => {
            let key = *rng.pick(&["description", "title", "summary", "version", "url", "default"]);
            m.insert(key.into(), Value::String(text));
        }
        slot => *slot = Value::String(text),
    }
    Some(d)
}
