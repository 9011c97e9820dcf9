//! Walking an OpenAPI document held as a JSON tree: the one place that knows its
//! layout. Used by `normalise` and by the xtask tools (`spec-compare`, the examples
//! round trip), so they agree on what an operation, a reference or a JSON body is.

use serde_json::Value;

use crate::limits::MAX_DEPTH;

/// The HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`].
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `pointer` + `/` + the escaped `token`.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// The unescaped tokens of a pointer (`""` has none).
pub fn tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(unescape_token)
}

/// The last token of a pointer, unescaped (e.g. a component's name).
pub fn last_token(pointer: &str) -> String {
    pointer.rsplit('/').next().map(unescape_token).unwrap_or_default()
}

/// Whether a media type carries JSON: `application/json`, any `+json`, with parameters.
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// Why a `$ref` could not be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// `$ref` is not a string.
    NotString,
    /// A reference into another document.
    External(String),
    /// A local reference to nothing.
    Dangling(String),
    /// The chain comes back to a node it has passed.
    Circular,
    /// More than [`MAX_DEPTH`] hops without a cycle.
    TooLong,
}

impl RefError {
    /// What went wrong and what to do about it.
    pub fn message(&self) -> (String, &'static str) {
        match self {
            Self::NotString => {
                ("`$ref` is not a string".into(), "write the reference as a string such as '#/components/schemas/x'")
            }
            Self::External(target) => (
                format!("external reference `{target}` is not supported"),
                "bundle the document into one file first (e.g. `redocly bundle`)",
            ),
            Self::Dangling(target) => (format!("`$ref: {target}` points at nothing"), "fix the reference"),
            Self::Circular => ("`$ref` chain is circular".into(), "make the reference point at a schema"),
            Self::TooLong => {
                (format!("`$ref` chain is longer than {MAX_DEPTH} hops"), "point the reference at its final target")
            }
        }
    }
}

/// Follows local `$ref`s from `node` (found at `pointer`) to a node without one:
/// returns its pointer and the node. The error's pointer is where the chain broke.
pub fn resolve<'t>(tree: &'t Value, pointer: &str, node: &'t Value) -> Result<(String, &'t Value), (String, RefError)> {
    let mut pointer = pointer.to_string();
    let mut node = node;
    let mut passed: Vec<String> = Vec::new();
    loop {
        let Some(target) = node.get("$ref") else { return Ok((pointer, node)) };
        let Some(target) = target.as_str() else { return Err((pointer, RefError::NotString)) };
        let Some(local) = target.strip_prefix('#') else {
            return Err((pointer, RefError::External(target.to_string())));
        };
        if passed.iter().any(|p| p == local) || local == pointer {
            return Err((pointer, RefError::Circular));
        }
        if passed.len() >= MAX_DEPTH {
            return Err((pointer, RefError::TooLong));
        }
        let Some(next) = tree.pointer(local) else { return Err((pointer, RefError::Dangling(target.to_string()))) };
        passed.push(std::mem::replace(&mut pointer, local.to_string()));
        node = next;
    }
}

/// The examples of a request body's or response's JSON content (following `$ref`s
/// into `components`): its `example` (named `example`), else each of its `examples`
/// with its name, in document order. Examples that cannot be followed are skipped.
pub fn json_examples<'t>(tree: &'t Value, holder: &'t Value) -> Vec<(String, &'t Value)> {
    let resolve = |node: &'t Value| resolve(tree, "", node).ok().map(|(_, n)| n);
    let Some(holder) = resolve(holder) else { return Vec::new() };
    let media = holder.get("content").and_then(Value::as_object).and_then(|c| c.iter().find(|(k, _)| is_json(k)));
    let Some((_, media)) = media else { return Vec::new() };
    if let Some(example) = media.get("example") {
        return vec![("example".to_string(), example)];
    }
    let named = media.get("examples").and_then(Value::as_object).into_iter().flatten();
    named.filter_map(|(name, node)| Some((name.clone(), resolve(node)?.get("value")?))).collect()
}

/// One operation of a path item, of `paths` or of the webhooks.
#[derive(Debug, Clone)]
pub struct OperationRef<'t> {
    /// The path template (`/v2/apps/{appId}`), or the webhook's name.
    pub path: &'t str,
    /// Lower-case HTTP method.
    pub method: &'static str,
    /// Pointer of the operation object.
    pub pointer: String,
    /// The (resolved) path item and its pointer.
    pub item: &'t Value,
    /// Pointer of the resolved path item.
    pub item_pointer: String,
    /// The operation object.
    pub op: &'t Value,
}

/// Every operation under `paths`, in document order. Path items behind a broken
/// `$ref` are returned as errors.
pub fn operations(tree: &Value) -> (Vec<OperationRef<'_>>, Vec<(String, RefError)>) {
    operations_of(tree, tree.get("paths"), "/paths")
}

/// Every webhook operation, in document order: OpenAPI 3.1 `webhooks` and the 3.0
/// extension `x-webhooks` (same shape: a map of names to path items).
pub fn webhooks(tree: &Value) -> (Vec<OperationRef<'_>>, Vec<(String, RefError)>) {
    let mut found = (Vec::new(), Vec::new());
    for key in ["webhooks", "x-webhooks"] {
        let (ops, errors) = operations_of(tree, tree.get(key), &join("", key));
        found.0.extend(ops);
        found.1.extend(errors);
    }
    found
}

fn operations_of<'t>(
    tree: &'t Value,
    items: Option<&'t Value>,
    at: &str,
) -> (Vec<OperationRef<'t>>, Vec<(String, RefError)>) {
    let mut ops = Vec::new();
    let mut errors = Vec::new();
    let Some(items) = items.and_then(Value::as_object) else { return (ops, errors) };
    for (path, item) in items {
        if path.starts_with("x-") && !path.starts_with("x-/") {
            continue;
        }
        let item_pointer = join(at, path);
        let (item_pointer, item) = match resolve(tree, &item_pointer, item) {
            Ok(found) => found,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        for method in METHODS {
            if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                ops.push(OperationRef {
                    path,
                    method,
                    pointer: join(&item_pointer, method),
                    item,
                    item_pointer: item_pointer.clone(),
                    op,
                });
            }
        }
    }
    (ops, errors)
}

/// The tags of an operation.
pub fn tags(op: &Value) -> Vec<&str> {
    op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_round_trip() {
        assert_eq!(join("/paths", "/v2/apps/{id}"), "/paths/~1v2~1apps~1{id}");
        assert_eq!(tokens("/a/~1b~0c").collect::<Vec<_>>(), ["a", "/b~c"]);
        assert_eq!(last_token("/components/schemas/a~1b"), "a/b");
    }

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("application/problem+json; charset=utf-8"));
        assert!(is_json("Application/JSON"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/jsonx"));
    }

    #[test]
    fn long_chains_resolve_and_cycles_do_not() {
        let mut schemas = serde_json::Map::new();
        for i in 0..40 {
            schemas.insert(format!("r{i}"), json!({"$ref": format!("#/s/r{}", i + 1)}));
        }
        schemas.insert("r40".into(), json!({"type": "string"}));
        schemas.insert("a".into(), json!({"$ref": "#/s/b"}));
        schemas.insert("b".into(), json!({"$ref": "#/s/a"}));
        schemas.insert("self".into(), json!({"$ref": "#/s/self"}));
        schemas.insert("ext".into(), json!({"$ref": "other.yaml#/x"}));
        let tree = json!({ "s": schemas });
        let (at, node) = resolve(&tree, "/s/r0", &tree["s"]["r0"]).unwrap();
        assert_eq!((at.as_str(), node), ("/s/r40", &json!({"type": "string"})));
        assert_eq!(resolve(&tree, "/s/a", &tree["s"]["a"]).unwrap_err().1, RefError::Circular);
        assert_eq!(resolve(&tree, "/s/self", &tree["s"]["self"]).unwrap_err().1, RefError::Circular);
        assert!(matches!(resolve(&tree, "/s/ext", &tree["s"]["ext"]).unwrap_err().1, RefError::External(_)));
        let mut long = serde_json::Map::new();
        for i in 0..=MAX_DEPTH + 1 {
            long.insert(format!("r{i}"), json!({"$ref": format!("#/s/r{}", i + 1)}));
        }
        let tree = json!({ "s": long });
        assert_eq!(resolve(&tree, "/s/r0", &tree["s"]["r0"]).unwrap_err().1, RefError::TooLong);
    }

    #[test]
    fn operations_and_webhooks_in_document_order() {
        let tree = json!({
            "paths": {"/b": {"get": {}, "post": {}, "parameters": []}, "/a": {"$ref": "#/x-items/a"}, "/broken": {"$ref": "#/nope"}},
            "x-items": {"a": {"delete": {}}},
            "x-webhooks": {"hook": {"post": {"operationId": "Hook"}}},
            "webhooks": {"other": {"post": {}}}
        });
        let (ops, errors) = operations(&tree);
        let seen: Vec<(&str, &str)> = ops.iter().map(|o| (o.path, o.method)).collect();
        assert_eq!(seen, [("/b", "get"), ("/b", "post"), ("/a", "delete")]);
        assert_eq!(ops[2].item_pointer, "/x-items/a");
        assert_eq!(errors.len(), 1);
        let (hooks, _) = webhooks(&tree);
        let seen: Vec<(&str, &str)> = hooks.iter().map(|o| (o.path, o.pointer.as_str())).collect();
        assert_eq!(seen, [("other", "/webhooks/other/post"), ("hook", "/x-webhooks/hook/post")]);
    }
}
