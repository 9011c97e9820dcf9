//! Cursor pagination of list operations, resolved once the models are finished (it
//! reads their fields and how each holds its value).
//!
//! A spec states it with our vendor extension on the operation (documented in the
//! README), because no schema says which way a cursor walks:
//!
//! ```yaml
//! x-pagination:
//!   direction: backward            # forward | backward
//!   cursorParameter: page[before]  # the query parameter (member) carrying the cursor
//!   nextCursor: meta.beforeCursor  # where the 2xx body gives the next cursor
//!   hasMore: meta.hasMore          # optional: the boolean "more pages exist"
//!   items: messages                # the 2xx body's member holding the page's items
//! ```
//!
//! Specs without it get the Sunshine Conversations convention when an operation fits
//! it (`page[after]`, `meta.hasMore`, `meta.afterCursor`), with a warning, because a
//! list that pages backwards would then stop after its newest page.

use serde_json::Value;

use crate::diagnostics::{Reporter, join};
use crate::ir::{Api, Direction, Location, ModelKind, Operation, Pagination, Presence, Step, Struct, Ty};

/// What an operation's pagination needs from the spec, kept until models are finished.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    /// The operation's pointer.
    pub pointer: String,
    /// Its `x-pagination`, if any.
    pub extension: Option<Value>,
}

/// What the extension (or the guess) says.
#[derive(Debug, Clone, PartialEq)]
struct Spec {
    direction: Direction,
    /// Parameter wire name and, for a deepObject, its member.
    param: String,
    member: Option<String>,
    next: Vec<String>,
    has_more: Option<Vec<String>>,
    items: String,
}

/// Sets the pagination of every operation that has one.
pub(crate) fn resolve(api: &mut Api, pending: &[Pending], report: &mut Reporter<'_>) {
    let mut found = Vec::new();
    for (op, pending) in api.operations.iter().zip(pending) {
        found.push(pagination(op, pending, api, report));
    }
    for (op, pagination) in api.operations.iter_mut().zip(found) {
        op.pagination = pagination;
    }
}

fn pagination(op: &Operation, pending: &Pending, api: &Api, report: &mut Reporter<'_>) -> Option<Pagination> {
    if let Some(extension) = &pending.extension {
        let built = parse(extension).and_then(|spec| build(&spec, op, api));
        return match built {
            Ok(pagination) => Some(pagination),
            Err(why) => {
                report.warn(
                    &join(&pending.pointer, "x-pagination"),
                    format!("`x-pagination` ignored: {why}; the operation gets no stream"),
                    Some("see the README's `x-pagination` section for the expected form"),
                );
                None
            }
        };
    }
    let spec = guess(op, api)?;
    let pagination = build(&spec, op, api).ok()?;
    report.warn(
        &pending.pointer,
        "pagination guessed (follows `page[after]` from `meta.afterCursor` while `meta.hasMore`); a list that pages backwards would stop after its newest page",
        Some("state it with `x-pagination` (direction, cursorParameter, nextCursor, hasMore, items)"),
    );
    Some(pagination)
}

fn parse(extension: &Value) -> Result<Spec, String> {
    let text = |key: &str| -> Result<&str, String> {
        extension
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("`{key}` must be a non-empty string"))
    };
    let direction = match text("direction")? {
        "forward" => Direction::Forward,
        "backward" => Direction::Backward,
        other => return Err(format!("`direction` is `{other}`, not `forward` or `backward`")),
    };
    let cursor = text("cursorParameter")?;
    let (param, member) = match cursor.split_once('[') {
        Some((name, rest)) => match rest.strip_suffix(']') {
            Some(member) if !member.contains(['[', ']']) && !member.is_empty() => {
                (name.to_string(), Some(member.to_string()))
            }
            _ => return Err(format!("`cursorParameter` `{cursor}` is not `name` or `name[member]`")),
        },
        None => (cursor.to_string(), None),
    };
    let path = |key: &str| text(key).map(|p| p.split('.').map(str::to_string).collect::<Vec<_>>());
    let has_more = match extension.get("hasMore") {
        None => None,
        Some(_) => Some(path("hasMore")?),
    };
    Ok(Spec { direction, param, member, next: path("nextCursor")?, has_more, items: text("items")?.to_string() })
}

/// The struct a type is, directly.
fn strukt<'a>(api: &'a Api, ty: &Ty) -> Option<&'a Struct> {
    match &api.model(ty.model()?)?.kind {
        ModelKind::Struct(s) => Some(s),
        _ => None,
    }
}

fn step(strukt: &Struct, wire: &str) -> Option<(Step, Ty)> {
    let field = strukt.fields.iter().find(|f| f.wire_name == wire)?;
    Some((Step::of(field), field.ty.clone()))
}

/// The Sunshine Conversations convention, when the operation fits it.
fn guess(op: &Operation, api: &Api) -> Option<Spec> {
    let page = op.params.iter().find(|p| p.location == Location::DeepObject && p.wire_name == "page")?;
    step(strukt(api, &page.ty)?, "after").filter(|(_, ty)| *ty == Ty::String)?;
    let response = strukt(api, op.success.ty.as_ref()?)?;
    let items = response.fields.iter().find(|f| matches!(&f.ty, Ty::List(inner) if inner.model().is_some()))?;
    let (_, meta) = step(response, "meta")?;
    let meta = strukt(api, &meta)?;
    step(meta, "hasMore")?;
    step(meta, "afterCursor")?;
    Some(Spec {
        direction: Direction::Forward,
        param: "page".into(),
        member: Some("after".into()),
        next: vec!["meta".into(), "afterCursor".into()],
        has_more: Some(vec!["meta".into(), "hasMore".into()]),
        items: items.wire_name.clone(),
    })
}

fn build(spec: &Spec, op: &Operation, api: &Api) -> Result<Pagination, String> {
    let response = op
        .success
        .ty
        .as_ref()
        .and_then(|ty| strukt(api, ty))
        .ok_or("the 2xx response is not a JSON object with properties")?;
    let param = op
        .params
        .iter()
        .find(|p| p.wire_name == spec.param && matches!(p.location, Location::Query | Location::DeepObject))
        .ok_or_else(|| format!("no query parameter `{}`", spec.param))?;
    let (member, clears) = match (&spec.member, param.location) {
        (Some(member), Location::DeepObject) => {
            let page = strukt(api, &param.ty).ok_or("the cursor parameter is not an object with properties")?;
            let (cursor, ty) = step(page, member)
                .filter(|(_, ty)| *ty == Ty::String)
                .ok_or_else(|| format!("`{}` has no string member `{member}`", spec.param))?;
            if !param.required && page.fields.iter().any(|f| f.presence == Presence::Required) {
                return Err(format!("`{}` is optional but has required members", spec.param));
            }
            debug_assert_eq!(ty, Ty::String);
            // A cursor in one direction replaces one in the other.
            let clears = page
                .fields
                .iter()
                .filter(|f| {
                    f.wire_name != *member
                        && ["after", "before"].contains(&f.wire_name.as_str())
                        && f.presence != Presence::Required
                })
                .map(Step::of)
                .collect();
            (Some(cursor), clears)
        }
        (None, Location::Query) if param.ty == Ty::String => (None, Vec::new()),
        _ => return Err(format!("`{}` is not a string query parameter or an object with the member", spec.param)),
    };
    let (items, items_ty) =
        step(response, &spec.items).ok_or_else(|| format!("the response has no `{}`", spec.items))?;
    let Ty::List(item) = items_ty else { return Err(format!("`{}` is not an array", spec.items)) };
    let next_cursor = chain(&spec.next, response, api, &Ty::String)?;
    let has_more = spec.has_more.as_ref().map(|path| chain(path, response, api, &Ty::Boolean)).transpose()?;
    Ok(Pagination {
        direction: spec.direction,
        param: param.rust_name.clone(),
        member,
        clears,
        cursor_wire: match &spec.member {
            Some(member) => format!("{}[{member}]", spec.param),
            None => spec.param.clone(),
        },
        next_cursor,
        has_more,
        items,
        item: *item,
    })
}

/// The fields along `path` from the response; the last must have type `last`.
fn chain(path: &[String], response: &Struct, api: &Api, last: &Ty) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut at = response;
    for (i, wire) in path.iter().enumerate() {
        let shown = || path[..=i].join(".");
        let (field, ty) = step(at, wire).ok_or_else(|| format!("`{}` is not in the response", shown()))?;
        steps.push(field);
        if i + 1 == path.len() {
            if &ty != last {
                let kind = if *last == Ty::Boolean { "boolean" } else { "string" };
                return Err(format!("`{}` is not a {kind}", path.join(".")));
            }
        } else {
            at = strukt(api, &ty).ok_or_else(|| format!("`{}` is not an object", shown()))?;
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_extension() {
        let spec = parse(&json!({
            "direction": "backward", "cursorParameter": "page[before]", "nextCursor": "meta.beforeCursor",
            "hasMore": "meta.hasMore", "items": "messages"
        }))
        .unwrap();
        assert_eq!(spec.direction, Direction::Backward);
        assert_eq!((spec.param.as_str(), spec.member.as_deref()), ("page", Some("before")));
        assert_eq!(spec.next, ["meta", "beforeCursor"]);
        let plain =
            parse(&json!({"direction": "forward", "cursorParameter": "cursor", "nextCursor": "next", "items": "data"}))
                .unwrap();
        assert_eq!((plain.member, plain.has_more), (None, None));
        for bad in [
            json!({"direction": "sideways", "cursorParameter": "c", "nextCursor": "n", "items": "i"}),
            json!({"direction": "forward", "cursorParameter": "page[a][b]", "nextCursor": "n", "items": "i"}),
            json!({"direction": "forward", "cursorParameter": "c", "nextCursor": 3, "items": "i"}),
            json!("forward"),
        ] {
            assert!(parse(&bad).is_err(), "{bad}");
        }
    }
}
