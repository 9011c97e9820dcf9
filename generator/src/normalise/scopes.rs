//! Scoped handles: operations whose paths start alike up to their first path
//! parameter (`/v2/apps/{appId}/...`) are also offered on a handle with that parameter
//! bound (`client.app(app_id)`), decided from the path structure alone.

use std::collections::BTreeMap;

use crate::ir::{Location, Operation, PathPart, Scope, Ty};
use crate::names::{Namer, pascal, snake};

/// The fewest operations a prefix must start for it to get a handle.
const MIN_OPERATIONS: usize = 2;

/// One handle per path prefix ending in a parameter that at least
/// [`MIN_OPERATIONS`] operations start with, named after the parameter (`appId` →
/// `app`, `AppClient`); a prefix whose names are taken gets none.
pub(crate) fn scopes(operations: &[Operation]) -> Vec<Scope> {
    let mut groups: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for op in operations {
        let Some((prefix, rust_name)) = first_param(op) else { continue };
        // The handle holds the value as a string: an operation that takes it as another
        // type (an integer id in one path, a string in another) stays on the client only.
        let Some(wire) = op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.rust_name == rust_name && p.ty == Ty::String)
            .map(|p| &p.wire_name)
        else {
            continue;
        };
        groups.entry((prefix, wire.clone(), rust_name)).or_default().push(op.method_name.clone());
    }
    let own: Vec<&str> = operations.iter().map(|o| o.method_name.as_str()).collect();
    let mut methods = Namer::with_reserved(&[crate::vocabulary::CLIENT_METHODS, &own].concat());
    let mut handles = Namer::with_reserved(crate::vocabulary::ROOT_NAMES);
    let mut out = Vec::new();
    for ((prefix, param, param_rust), ops) in groups {
        if ops.len() < MIN_OPERATIONS {
            continue;
        }
        let stem = snake(strip_id(&param));
        if stem.is_empty() {
            continue;
        }
        let Some(method) = methods.try_claim(&stem) else { continue };
        let Some(handle) = handles.try_claim(&format!("{}Client", pascal(&stem))) else { continue };
        out.push(Scope { method, handle, param, param_rust, prefix, operations: ops });
    }
    out
}

/// The path up to and including its first parameter, and that parameter's Rust name.
fn first_param(op: &Operation) -> Option<(String, String)> {
    let mut prefix = String::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => prefix.push_str(text),
            PathPart::Param(name) => {
                let wire = op.params.iter().find(|p| &p.rust_name == name).map_or(name.as_str(), |p| &p.wire_name);
                prefix.push('{');
                prefix.push_str(wire);
                prefix.push('}');
                return Some((prefix, name.clone()));
            }
        }
    }
    None
}

/// `appId` → `app`, `app_id` → `app`, `id` → `id`.
fn strip_id(param: &str) -> &str {
    for suffix in ["Id", "_id", "ID", "-id"] {
        if let Some(stem) = param.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            return stem;
        }
    }
    param
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_named_after_the_parameter() {
        assert_eq!(strip_id("appId"), "app");
        assert_eq!(strip_id("user_id"), "user");
        assert_eq!(strip_id("id"), "id");
        assert_eq!(strip_id("slug"), "slug");
    }
}
