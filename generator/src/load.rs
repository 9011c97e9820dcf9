//! Stage 1: spec text (YAML or JSON) → JSON tree (an OpenAPI 3.1 document lowered into
//! the 3.0 form, [`crate::lower31`]) → repaired tree → typed `openapiv3` document.
//!
//! The text is untrusted: it is size-checked, its YAML flow nesting is bounded before
//! the YAML parser sees it, and the tree is built under a node budget, so aliases
//! cannot expand a small file into a huge document.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::Reporter;
use crate::limits::{MAX_FLOW_NESTING, MAX_SPEC_BYTES, max_nodes};
use crate::{lower31, repair};

/// Lowers (3.1), repairs and types a spec tree from [`parse`] (with the overlays
/// applied: `crate::overlay`). Errors are reported, never panicked on.
pub(crate) fn load(mut tree: Value, report: &mut Reporter<'_>) -> Option<(openapiv3::OpenAPI, Value)> {
    if !tree.is_object() {
        report.error("", "the document is not a mapping", Some("an OpenAPI document starts with `openapi: 3.0.x`"));
        return None;
    }
    let version = match tree.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => "3.0",
        Some(v) if v == "3.1" || v.starts_with("3.1.") => {
            // Rewritten into the 3.0 form; the checks below then hold for both.
            lower31::lower(&mut tree, report);
            if report.has_errors() {
                return None;
            }
            "3.1"
        }
        Some(v) => {
            report.error(
                "/openapi",
                format!("OpenAPI version {v} is not supported"),
                Some("this generator reads OpenAPI 3.0.x and 3.1.x documents"),
            );
            return None;
        }
        None => {
            report.error("", "missing `openapi` version field", Some("add `openapi: 3.0.3` at the top"));
            return None;
        }
    };
    repair::repair(&mut tree, report);
    if !parameters_are_typed(&tree, report) {
        return None;
    }
    // openapiv3 checks the document's structure (paths, operations, parameters,
    // responses). Schemas are left out of that check: openapiv3's untagged schema
    // enums take time exponential in the depth of an invalid schema (found by the
    // fuzz test), and `normalise` checks every schema it uses itself.
    let typed = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(without_schemas(&tree));
    match typed {
        Ok(doc) => Some((doc, tree)),
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            report.error(
                &pointer,
                format!("not a valid OpenAPI {version} construct: {}", err.inner()),
                Some(if version == "3.0" {
                    "compare this node with the OpenAPI 3.0 specification"
                } else {
                    "compare this node with the OpenAPI 3.1 specification"
                }),
            );
            None
        }
    }
}

/// Text → JSON tree, within the limits of [`crate::limits`] (specs and overlays alike).
pub(crate) fn parse(text: &str, report: &mut Reporter<'_>) -> Option<Value> {
    if text.len() > MAX_SPEC_BYTES {
        report.error(
            "",
            format!("the spec is {} bytes; at most {MAX_SPEC_BYTES} are accepted", text.len()),
            Some("split the document, or generate from a subset of it"),
        );
        return None;
    }
    let budget = Budget { left: Cell::new(max_nodes(text.len())) };
    if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
        // JSON: serde_json parses in linear time and bounds nesting itself.
        let mut de = serde_json::Deserializer::from_str(text);
        return match (NodeSeed(&budget)).deserialize(&mut de).and_then(|tree| de.end().map(|()| tree)) {
            Ok(tree) => Some(tree),
            Err(err) => {
                report.error_at_line(
                    Some(err.line()),
                    format!("the file is not valid JSON: {err}"),
                    "fix the syntax at that line",
                );
                None
            }
        };
    }
    if let Some((depth, line)) = flow_nesting(text) {
        report.error_at_line(
            Some(line),
            format!("YAML flow collections (`[`, `{{`) nest {depth} deep here; at most {MAX_FLOW_NESTING} levels are accepted"),
            "write deeply nested values in block style, one level per indented line",
        );
        return None;
    }
    match serde_yaml::Deserializer::from_str(text).next().map(|de| NodeSeed(&budget).deserialize(de)) {
        Some(Ok(tree)) => Some(tree),
        Some(Err(err)) => {
            let line = err.location().map(|l| l.line());
            let (message, hint) = if budget.left.get() == 0 {
                (
                    format!("the document expands to more than {} values (YAML aliases?)", max_nodes(text.len())),
                    "write the repeated parts once and reference them with `$ref` instead of YAML aliases",
                )
            } else {
                (format!("the file is not valid YAML or JSON: {err}"), "fix the syntax at that line")
            };
            report.error_at_line(line, message, hint);
            None
        }
        None => {
            report.error("", "the file is empty", Some("an OpenAPI document starts with `openapi: 3.0.x`"));
            None
        }
    }
}

/// The nodes still allowed.
struct Budget {
    left: Cell<usize>,
}

impl Budget {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get() {
            0 => Err(E::custom("the document has too many values")),
            n => {
                self.left.set(n - 1);
                Ok(())
            }
        }
    }
}

/// Deserializes any value into a JSON tree, spending one unit of budget per node.
struct NodeSeed<'b>(&'b Budget);

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NodeSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.spend()?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(NodeSeed(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.spend()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(NodeSeed(self.0))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A mapping key as text (YAML allows `200:` and `true:` keys; OpenAPI means strings).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// The depth and 1-based line of the first YAML flow collection nested deeper than
/// [`MAX_FLOW_NESTING`], if any. A conservative scan: quoted scalars, comments and
/// block scalars are skipped, and a `[` or `{` opens a collection only where YAML
/// allows one to start (line start, after `:`, `-`, `?`, `,` or another opener), so
/// brackets inside prose (`filter[userId]`) do not count.
fn flow_nesting(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut block_scalar: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut previous = '\n';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                match c {
                    '\\' if q == '"' => {
                        chars.next();
                    }
                    _ if c == q => {
                        if q == '\'' && chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            quote = None;
                            previous = c;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if c.is_whitespace() {
                continue;
            }
            let at_start = matches!(previous, '\n' | ':' | '-' | '?' | ',' | '[' | '{');
            match c {
                '#' => break,
                '"' | '\'' if at_start => quote = Some(c),
                '[' | '{' if at_start => {
                    depth += 1;
                    if depth > MAX_FLOW_NESTING {
                        return Some((depth, n + 1));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                '|' | '>' if depth == 0 && matches!(previous, ':' | '-' | '?') => {
                    // Content lines are indented past the key (after any "- " markers).
                    let key = line.trim_start_matches([' ', '-']);
                    block_scalar = Some(line.len() - key.len());
                    break;
                }
                _ => {}
            }
            previous = c;
        }
    }
    None
}

/// Converts serde_path_to_error's path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        let token = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => key.clone(),
            Segment::Unknown => break,
        };
        pointer = crate::diagnostics::join(&pointer, &token);
    }
    pointer
}

/// A copy of the tree with every schema replaced by `{}`.
fn without_schemas(tree: &Value) -> Value {
    fn strip(node: &Value, in_schemas_map: bool) -> Value {
        match node {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, value)| {
                        let value = if in_schemas_map || key == "schema" {
                            Value::Object(serde_json::Map::new())
                        } else {
                            strip(value, key == "schemas" && value.is_object())
                        };
                        (key.clone(), value)
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|item| strip(item, false)).collect()),
            other => other.clone(),
        }
    }
    strip(tree, false)
}

/// Every parameter states its type with `schema` or `content`: reported here, at the
/// parameter, in words (the structural check below would only say that no variant of
/// an enum matched, at `/paths`).
fn parameters_are_typed(tree: &Value, report: &mut Reporter<'_>) -> bool {
    let mut lists: Vec<(String, &Value)> = Vec::new();
    let (operations, _) = crate::openapi::operations(tree);
    for site in &operations {
        for (owner, node) in [(&site.item_pointer, site.item), (&site.pointer, site.op)] {
            if let Some(list) = node.get("parameters") {
                lists.push((crate::diagnostics::join(owner, "parameters"), list));
            }
        }
    }
    let listed = lists.iter().flat_map(|(at, list)| {
        list.as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(move |(i, p)| (crate::diagnostics::join(at, &i.to_string()), p))
    });
    let components = tree.pointer("/components/parameters").and_then(Value::as_object).into_iter().flatten();
    let components = components.map(|(name, p)| (crate::diagnostics::join("/components/parameters", name), p));
    let mut ok = true;
    let mut seen = std::collections::BTreeSet::new();
    for (at, parameter) in listed.chain(components) {
        let untyped = parameter.is_object()
            && parameter.get("$ref").is_none()
            && parameter.get("schema").is_none()
            && parameter.get("content").is_none();
        if untyped && seen.insert(at.clone()) {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            report.error(
                &at,
                format!("parameter `{name}` has neither `schema` nor `content`: its type is not said"),
                Some("add a `schema`, e.g. `schema: {type: string}`"),
            );
            ok = false;
        }
    }
    ok
}
