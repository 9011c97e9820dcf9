//! Identical inline enums are one type: string enums declared inline (a property's
//! `enum`, not a schema of `components`) with the same values in the same order become
//! the model of the first by name (shortest, then alphabetical), e.g. `AuthorType` for
//! both `author.type` and `authorWebhook.type`. One vocabulary for one set of values,
//! and a new schema repeating an enum adds no copy. Enums in `components` are the
//! description's own names and stay as declared.

use std::collections::BTreeMap;

use crate::ir::{Api, BodyContent, ModelKind, Ty};

/// Merges identical inline string enums; the models that went are named in the
/// survivor's docs.
pub(crate) fn merge_identical(api: &mut Api) {
    let mut groups: BTreeMap<Vec<&str>, Vec<&str>> = BTreeMap::new();
    for model in &api.models {
        let ModelKind::StringEnum(e) = &model.kind else { continue };
        if is_component(&model.source) {
            continue;
        }
        let values: Vec<&str> = e.variants.iter().map(|v| v.wire_name.as_str()).collect();
        groups.entry(values).or_default().push(model.name.as_str());
    }
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for names in groups.values().filter(|names| names.len() > 1) {
        let Some(keep) = names.iter().min_by_key(|name| (name.len(), **name)) else { continue };
        for name in names.iter().filter(|name| *name != keep) {
            renames.insert(name.to_string(), keep.to_string());
        }
    }
    if renames.is_empty() {
        return;
    }
    let mut merged: BTreeMap<String, (Vec<String>, bool, bool)> = BTreeMap::new();
    for model in api.models.iter().filter(|m| renames.contains_key(&m.name)) {
        let entry = merged.entry(renames[&model.name].clone()).or_default();
        entry.0.push(model.source.clone());
        entry.1 |= model.in_request;
        entry.2 |= model.in_response;
    }
    api.models.retain(|m| !renames.contains_key(&m.name));
    for model in &mut api.models {
        if let Some((sources, request, response)) = merged.remove(&model.name) {
            model.in_request |= request;
            model.in_response |= response;
            model.docs.push(String::new());
            let list: Vec<String> = sources.iter().map(|s| format!("`#{}`", crate::docs::code(s))).collect();
            model
                .docs
                .push(format!("The same values are declared at {} too: this type serves them all.", list.join(", ")));
        }
    }
    rename(api, &renames);
}

/// A schema of `components/schemas` itself (not one nested in it).
fn is_component(source: &str) -> bool {
    source.strip_prefix("/components/schemas/").is_some_and(|rest| !rest.contains('/'))
}

/// Points every use of a merged model at the survivor.
fn rename(api: &mut Api, renames: &BTreeMap<String, String>) {
    let fix = |ty: &mut Ty| ty.rename_models(renames);
    for model in &mut api.models {
        match &mut model.kind {
            ModelKind::Struct(s) => {
                s.fields.iter_mut().for_each(|f| fix(&mut f.ty));
                for c in &mut s.constructors {
                    if let Some(to) = renames.get(&c.ty) {
                        c.ty = to.clone();
                    }
                }
            }
            ModelKind::Union(u) => {
                u.variants.iter_mut().for_each(|v| fix(&mut v.ty));
                u.shared.iter_mut().for_each(|c| fix(&mut c.ty));
            }
            ModelKind::StringEnum(_) => {}
        }
    }
    for op in &mut api.operations {
        op.params.iter_mut().for_each(|p| fix(&mut p.ty));
        if let Some(body) = &mut op.body {
            match &mut body.content {
                BodyContent::Json(ty) | BodyContent::Form(ty) => fix(ty),
                BodyContent::Raw { .. } => {}
                BodyContent::Multipart(parts) => parts.iter_mut().for_each(|p| fix(&mut p.ty)),
            }
        }
        op.responses.iter_mut().filter_map(|r| r.ty.as_mut()).for_each(fix);
        op.success.ty.iter_mut().for_each(fix);
        op.error.iter_mut().for_each(fix);
    }
    api.webhooks.iter_mut().for_each(|w| fix(&mut w.payload));
    api.default_error.iter_mut().for_each(fix);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_schemas_of_components_keep_their_own_enums() {
        assert!(is_component("/components/schemas/author"));
        assert!(!is_component("/components/schemas/author/properties/type"));
        assert!(!is_component("/paths/~1a/get/parameters/0/schema"));
    }
}
