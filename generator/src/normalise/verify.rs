//! The last pass: every reference the IR makes by name resolves. Models are named by
//! `Ty::Model`, path pieces and list walks name parameters, handles name operations,
//! operations name their group, constructors their field. Passes before this one only
//! ever name what they made, so a dangling reference is a generator bug: reported as
//! one, with where it is, never left for render to skip.

use std::collections::BTreeSet;

use crate::diagnostics::{Reporter, join};
use crate::ir::{Api, Location, ModelKind, Operation, PathPart, Ty};

/// Reports every reference that does not resolve.
pub(crate) fn references(api: &Api, report: &mut Reporter<'_>) {
    let models: BTreeSet<&str> = api.models.iter().map(|m| m.name.as_str()).collect();
    let mut bug = |at: &str, what: String| {
        report.error(
            at,
            format!("generator bug: {what}"),
            Some("please report it with the spec; the crate would not build or would lose an item"),
        );
    };
    let mut ty = |at: &str, owner: &str, ty: &Ty| {
        for name in ty.models() {
            if !models.contains(name) {
                bug(at, format!("{owner} names the model `{name}`, which the API does not have"));
            }
        }
    };
    for model in &api.models {
        let owner = format!("model `{}`", model.name);
        match &model.kind {
            ModelKind::Struct(s) => {
                for f in &s.fields {
                    ty(&model.source, &owner, &f.ty);
                }
                for c in &s.constructors {
                    ty(&model.source, &owner, &Ty::Model(c.ty.clone()));
                }
            }
            ModelKind::Union(u) => {
                for v in &u.variants {
                    ty(&model.source, &owner, &v.ty);
                    if let Some(inner) = v.shape.as_ref().and_then(|s| s.union.as_ref()) {
                        ty(&model.source, &owner, &Ty::Model(inner.clone()));
                    }
                }
                for shared in &u.shared {
                    ty(&model.source, &owner, &shared.ty);
                }
            }
            ModelKind::StringEnum(_) => {}
        }
    }
    for op in &api.operations {
        let at = pointer(op);
        let owner = format!("operation `{}`", op.operation_id);
        for p in &op.params {
            ty(&at, &owner, &p.ty);
        }
        for t in op.body.iter().flat_map(|b| b.content.types()) {
            ty(&at, &owner, t);
        }
        for t in op.success.ty.iter().chain(&op.error).chain(op.responses.iter().filter_map(|r| r.ty.as_ref())) {
            ty(&at, &owner, t);
        }
        if let Some(p) = &op.pagination {
            ty(&at, &owner, &p.item);
        }
    }
    for webhook in &api.webhooks {
        ty("", &format!("webhook `{}`", webhook.name), &webhook.payload);
    }
    if let Some(error) = &api.default_error {
        ty("", "the API's usual error body", error);
    }
    for model in &api.models {
        if let ModelKind::Struct(s) = &model.kind {
            for c in &s.constructors {
                if !s.fields.iter().any(|f| f.rust_name == c.field) {
                    bug(
                        &model.source,
                        format!("constructor `{}` sets a field `{}` it does not have", c.method, c.field),
                    );
                }
            }
        }
    }
    for op in &api.operations {
        let at = pointer(op);
        let param = |name: &str, location: Option<Location>| {
            op.params.iter().any(|p| p.rust_name == name && location.is_none_or(|l| p.location == l))
        };
        for part in &op.path_parts {
            if let PathPart::Param(name) = part
                && !param(name, Some(Location::Path))
            {
                bug(&at, format!("the path names a parameter `{name}` the operation does not have"));
            }
        }
        if let Some(p) = &op.pagination
            && !param(&p.param, None)
        {
            bug(&at, format!("the list walk sets a parameter `{}` the operation does not have", p.param));
        }
        if !api.tags.iter().any(|t| t.name == op.group) {
            bug(&at, format!("the operation is listed under a group `{}` the API does not have", op.group));
        }
    }
    for scope in &api.scopes {
        for name in &scope.operations {
            match api.operations.iter().find(|o| &o.method_name == name) {
                None => {
                    bug("", format!("handle `{}` offers an operation `{name}` the API does not have", scope.handle))
                }
                Some(op)
                    if !op.params.iter().any(|p| p.rust_name == scope.param_rust && p.location == Location::Path) =>
                {
                    bug(
                        &pointer(op),
                        format!("handle `{}` binds `{}`, not a path parameter here", scope.handle, scope.param_rust),
                    )
                }
                Some(_) => {}
            }
        }
    }
}

/// The operation's pointer, `/paths/<path>/<method>`.
fn pointer(op: &Operation) -> String {
    join(&join("/paths", &op.path), &op.method.as_str().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference render would have to skip is a reported generator bug.
    #[test]
    fn dangling_references_are_generator_bugs() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: getA\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        '200': {description: ok}\n";
        let options = crate::Options::new("verify", "spec.yaml");
        let (mut api, _) = crate::intermediate(text, &options).expect("the spec is valid");
        let mut report = Reporter::new("spec.yaml", text);
        references(&api, &mut report);
        assert!(!report.has_errors(), "a normalised API resolves");
        api.operations[0].path_parts.push(PathPart::Param("gone".into()));
        api.operations[0].params[0].ty = Ty::Model("Missing".into());
        api.operations[0].group = "Nowhere".into();
        references(&api, &mut report);
        let failure = report.into_failure().to_string();
        for expected in ["parameter `gone`", "model `Missing`", "group `Nowhere`", "generator bug"] {
            assert!(failure.contains(expected), "{expected} in {failure}");
        }
    }
}
