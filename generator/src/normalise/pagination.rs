//! Cursor pagination of list operations.
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

use super::schema::Models;
use super::types::{FieldView, Ty};
use crate::diagnostics::{Reporter, join};
use crate::ir::{Direction, Location, Pagination, Param};
use crate::openapi::OperationRef;

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

/// The pagination of an operation, if it has one.
pub(crate) fn pagination(
    site: &OperationRef<'_>,
    params: &[Param],
    response: Option<&str>,
    models: &Models<'_>,
    report: &mut Reporter<'_>,
) -> Option<Pagination> {
    let at = join(&site.pointer, "x-pagination");
    if let Some(extension) = site.op.get("x-pagination") {
        let built = parse(extension).and_then(|spec| build(&spec, params, response, models));
        return match built {
            Ok(pagination) => Some(pagination),
            Err(why) => {
                report.warn(
                    &at,
                    format!("`x-pagination` ignored: {why}; the operation gets no stream"),
                    Some("see the README's `x-pagination` section for the expected form"),
                );
                None
            }
        };
    }
    let spec = guess(params, response, models)?;
    let pagination = build(&spec, params, response, models).ok()?;
    report.warn(
        &site.pointer,
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

/// The Sunshine Conversations convention, when the operation fits it.
fn guess(params: &[Param], response: Option<&str>, models: &Models<'_>) -> Option<Spec> {
    let page = params.iter().find(|p| p.location == Location::DeepObject && p.wire_name == "page")?;
    models.field(page.model.as_deref()?, "after").filter(|f| f.ty == Ty::String)?;
    let fields = models.fields(response?)?;
    let items = fields.iter().find(|f| matches!(&f.ty, Ty::Vec(inner) if matches!(**inner, Ty::Model(_))))?;
    let meta = fields.iter().find(|f| f.wire == "meta")?.ty.direct_model()?.to_string();
    models.field(&meta, "hasMore")?;
    models.field(&meta, "afterCursor")?;
    Some(Spec {
        direction: Direction::Forward,
        param: "page".into(),
        member: Some("after".into()),
        next: vec!["meta".into(), "afterCursor".into()],
        has_more: Some(vec!["meta".into(), "hasMore".into()]),
        items: items.wire.clone(),
    })
}

fn build(spec: &Spec, params: &[Param], response: Option<&str>, models: &Models<'_>) -> Result<Pagination, String> {
    let response = response.ok_or("the 2xx response is not a JSON object with properties")?;
    let param = params
        .iter()
        .find(|p| p.wire_name == spec.param && matches!(p.location, Location::Query | Location::DeepObject))
        .ok_or_else(|| format!("no query parameter `{}`", spec.param))?;
    let field = &param.rust_name;
    let set_cursor = match (&spec.member, param.location) {
        (Some(member), Location::DeepObject) => {
            let model = param.model.as_deref().ok_or("the cursor parameter is not an object")?;
            let fields = models.fields(model).ok_or("the cursor parameter is not an object with properties")?;
            let cursor = fields
                .iter()
                .find(|f| &f.wire == member)
                .filter(|f| f.ty == Ty::String)
                .ok_or_else(|| format!("`{}` has no string member `{member}`", spec.param))?;
            let page = if param.required {
                format!("let page = &mut request.{field};")
            } else if fields.iter().all(|f| !f.required) {
                format!("let page = request.{field}.get_or_insert_with(Default::default);")
            } else {
                return Err(format!("`{}` is optional but has required members", spec.param));
            };
            let mut statements = format!("{page} page.{} = {};", cursor.rust, cursor.wrap("cursor"));
            // A cursor in one direction replaces one in the other.
            for other in fields
                .iter()
                .filter(|f| f.wire != *member && ["after", "before"].contains(&f.wire.as_str()) && !f.required)
            {
                statements.push_str(&format!(" page.{} = {};", other.rust, other.empty()));
            }
            statements
        }
        (None, Location::Query) if param.is_string && !param.is_list => {
            if param.required {
                format!("request.{field} = cursor;")
            } else {
                format!("request.{field} = Some(cursor);")
            }
        }
        _ => return Err(format!("`{}` is not a string query parameter or an object with the member", spec.param)),
    };
    let fields = models.fields(response).ok_or("the 2xx response is not an object with properties")?;
    let items =
        fields.iter().find(|f| f.wire == spec.items).ok_or_else(|| format!("the response has no `{}`", spec.items))?;
    let Ty::Vec(item) = &items.ty else { return Err(format!("`{}` is not an array", spec.items)) };
    let (items_expr, items_ref) = if items.required {
        (format!("page.{}", items.rust), format!("&page.{}", items.rust))
    } else {
        (
            format!("page.{}.unwrap_or_default()", items.rust),
            format!("page.{}.as_deref().unwrap_or_default()", items.rust),
        )
    };
    let next = chain(&spec.next, response, models, &Ty::String)?;
    let next_cursor = match &spec.has_more {
        Some(path) => format!(
            "if {}.copied() == Some(true) {{ {next}.cloned() }} else {{ None }}",
            chain(path, response, models, &Ty::Boolean)?
        ),
        None => format!("{next}.cloned()"),
    };
    Ok(Pagination {
        direction: spec.direction,
        cursor_param: match &spec.member {
            Some(member) => format!("{}[{member}]", spec.param),
            None => spec.param.clone(),
        },
        next_cursor_field: spec.next.join("."),
        item_ty: item.render("models::"),
        set_cursor,
        items: items_expr,
        items_ref,
        next_cursor,
    })
}

/// An `Option<&T>` expression following member names from `page`; the last member
/// must have type `last`.
fn chain(path: &[String], response: &str, models: &Models<'_>, last: &Ty) -> Result<String, String> {
    let mut expr = "Some(&page)".to_string();
    let mut model = response.to_string();
    for (i, wire) in path.iter().enumerate() {
        let field: FieldView =
            models.field(&model, wire).ok_or_else(|| format!("`{}` is not in the response", path[..=i].join(".")))?;
        expr = if field.required {
            format!("{expr}.map(|v| &v.{})", field.rust)
        } else if field.tristate {
            format!("{expr}.and_then(|v| v.{}.as_value())", field.rust)
        } else {
            format!("{expr}.and_then(|v| v.{}.as_ref())", field.rust)
        };
        if i + 1 == path.len() {
            if &field.ty != last {
                return Err(format!(
                    "`{}` is not a {}",
                    path.join("."),
                    if *last == Ty::Boolean { "boolean" } else { "string" }
                ));
            }
        } else {
            model = field
                .ty
                .direct_model()
                .ok_or_else(|| format!("`{}` is not an object", path[..=i].join(".")))?
                .to_string();
        }
    }
    Ok(expr)
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
