//! What an API error says, in words: for every model API errors decode into, where its
//! messages are (a list of objects, or the body itself) and which members hold a
//! message's code and text, by their wire names. `Display` of an API error then prints
//! `404 Not Found: conversation_not_found: Conversation not found`.

use std::collections::BTreeSet;

use crate::ir::{Api, ErrorText, ModelKind, Step, Struct, Ty};

/// Member names read as a message's code, in order of preference.
pub(crate) const CODES: [&str; 3] = ["code", "type", "error"];
/// Member names read as a message's text, in order of preference.
pub(crate) const TEXTS: [&str; 5] = ["title", "message", "detail", "description", "error_description"];

/// Sets `error_text` on every model an error body is or holds in a list.
pub(crate) fn find(api: &mut Api) {
    let mut bodies: BTreeSet<String> = BTreeSet::new();
    let errors = api.operations.iter().filter_map(|o| o.error.as_ref()).chain(&api.default_error);
    for ty in errors {
        match ty {
            Ty::Model(name) => bodies.extend([name.clone()]),
            Ty::List(item) => bodies.extend(item.model().map(str::to_string)),
            _ => {}
        }
    }
    let texts: Vec<(String, ErrorText)> =
        bodies.iter().filter_map(|name| Some((name.clone(), text_of(api, api.model(name)?)))).collect();
    for (name, text) in texts {
        if let Some(model) = api.models.iter_mut().find(|m| m.name == name) {
            model.error_text = Some(text);
        }
    }
}

/// The messages of one error model: the objects of its list of objects that have a
/// code or text (`errors` first), else itself.
fn text_of(api: &Api, model: &crate::ir::Model) -> ErrorText {
    let none = ErrorText { list: None, code: None, text: None };
    let ModelKind::Struct(s) = &model.kind else { return none };
    let mut lists: Vec<(&crate::ir::Field, &Struct)> = s
        .fields
        .iter()
        .filter_map(|f| match &f.ty {
            Ty::List(item) => match &api.model(item.model()?)?.kind {
                ModelKind::Struct(item) if member(item, &CODES).is_some() || member(item, &TEXTS).is_some() => {
                    Some((f, item))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    lists.sort_by_key(|(f, _)| ["errors", "error"].iter().position(|n| *n == f.wire_name).unwrap_or(2));
    match lists.first() {
        Some((field, item)) => {
            ErrorText { list: Some(Step::of(field)), code: member(item, &CODES), text: member(item, &TEXTS) }
        }
        None => ErrorText { list: None, code: member(s, &CODES), text: member(s, &TEXTS) },
    }
}

/// The first string field of `s` named one of `names`, in their order.
fn member(s: &Struct, names: &[&str]) -> Option<Step> {
    names.iter().find_map(|name| s.fields.iter().find(|f| f.wire_name == *name && f.ty == Ty::String).map(Step::of))
}
