//! Read, change, send back: the body of an update (`PUT`/`PATCH`) gets a conversion
//! from what a `GET` of the same path returns (the model itself, or the one model a
//! wrapper holds: `{conversation: Conversation}`), when every member of the body is a
//! member of it with the same wire name, type and a presence it can take:
//! `ConversationUpdateBody::from(&conversation)`. A general rule over operations and
//! models, not a list of names.

use crate::ir::{Api, BodyContent, Carry, Conversion, Method, ModelKind, Presence, Struct, Ty};

/// Sets the conversions of every update body.
pub(crate) fn find(api: &mut Api) {
    let mut found: Vec<(String, Conversion)> = Vec::new();
    for update in api.operations.iter().filter(|o| matches!(o.method, Method::Put | Method::Patch)) {
        let Some(BodyContent::Json(Ty::Model(body))) = update.body.as_ref().map(|b| &b.content) else { continue };
        let read = api.operations.iter().find(|o| o.method == Method::Get && o.path == update.path);
        let Some(Ty::Model(returned)) = read.and_then(|o| o.success.ty.as_ref()) else { continue };
        let (Some(target), Some(source)) = (structure(api, body), resource(api, returned)) else { continue };
        // The body is what the GET returns: `Clone` is the conversion.
        if source.0 == *body {
            continue;
        }
        if let Some(conversion) = conversion(target, &source.0, source.1)
            && !found.iter().any(|(b, c)| b == body && c.from == conversion.from)
        {
            found.push((body.clone(), conversion));
        }
    }
    for (body, conversion) in found {
        if let Some(ModelKind::Struct(s)) = api.models.iter_mut().find(|m| m.name == body).map(|m| &mut m.kind) {
            s.conversions.push(conversion);
        }
    }
}

fn structure<'a>(api: &'a Api, name: &str) -> Option<&'a Struct> {
    match &api.model(name)?.kind {
        ModelKind::Struct(s) if !s.fields.is_empty() && s.tag.is_none() => Some(s),
        _ => None,
    }
}

/// The resource a `GET` returns: the model itself, or the one model its body holds.
fn resource<'a>(api: &'a Api, returned: &'a str) -> Option<(String, &'a Struct)> {
    let outer = structure(api, returned)?;
    let held: Vec<&str> = outer.fields.iter().filter_map(|f| f.ty.model()).collect();
    match held.as_slice() {
        [one] if outer.fields.len() == 1 => Some((one.to_string(), structure(api, one)?)),
        _ => Some((returned.to_string(), outer)),
    }
}

/// The conversion from `source` into `target`, when every field of `target` can take
/// its value from a field of `source`.
fn conversion(target: &Struct, name: &str, source: &Struct) -> Option<Conversion> {
    let fields = target
        .fields
        .iter()
        .map(|t| {
            let s = source.fields.iter().find(|s| s.wire_name == t.wire_name)?;
            let same_type = s.ty == t.ty && s.indirect == t.indirect;
            let takes = matches!(
                (s.presence, t.presence),
                (Presence::Required, _)
                    | (Presence::Optional, Presence::Optional | Presence::TriState)
                    | (Presence::TriState, Presence::TriState)
            );
            (same_type && takes).then(|| Carry {
                target: t.rust_name.clone(),
                source: s.rust_name.clone(),
                presence: (s.presence, t.presence),
            })
        })
        .collect::<Option<Vec<Carry>>>()?;
    Some(Conversion { from: name.to_string(), fields })
}
