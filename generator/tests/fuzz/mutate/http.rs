//! Mutations of the HTTP surface: path templates with unbalanced braces, parameters
//! (location, style, explode, schema, content), media types and response codes, servers
//! (URL templates, variables, duplicates).

use serde_json::{Map, Value, json};

use super::hostile::{weird_name, weird_text};
use super::values::{random_enum, random_scalar, random_schema};
use crate::rng::Rng;
use crate::tree::{get_mut, is_parameter, last_key, pick_path, show};

/// Path templates a path may be renamed to.
const BROKEN_PATHS: &[&str] = &[
    "/a/{",
    "/a/}",
    "/{}",
    "/{{id}}",
    "/a/{id",
    "/a/id}/{",
    "{",
    "}",
    "",
    "no-slash",
    "/a/{ключ}",
    "/x/{type}/{type}",
    "/{a}{b}",
    "/{a/b}",
    "/}{",
    "/{ }",
    "/{\"}",
    "/{é}",
];

/// Path templates with unbalanced braces.
pub(crate) fn rename_path(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let paths = root.get_mut("paths")?.as_object_mut()?;
    let keys: Vec<String> = paths.keys().cloned().collect();
    if keys.is_empty() {
        return None;
    }
    let old = rng.pick(&keys).clone();
    let new = match rng.below(6) {
        0 => rng.pick(BROKEN_PATHS).to_string(),
        1 => format!("{old}/{{{}}}", weird_name(rng)),
        _ => unbalance(rng, &old),
    };
    let v = paths.remove(&old)?;
    paths.insert(new.clone(), v);
    Some(format!("path {old:?} -> {new:?}"))
}

/// `path` with a brace inserted and/or a character dropped at a random place.
fn unbalance(rng: &mut Rng, path: &str) -> String {
    let chars: Vec<char> = path.chars().collect();
    let i = rng.below(chars.len() + 1);
    let mut out: String = chars[..i].iter().collect();
    match rng.below(3) {
        0 => out.push('{'),
        1 => out.push('}'),
        _ => {}
    }
    let skip = usize::from(rng.one_in(2) && i < chars.len());
    out.extend(&chars[i + skip..]);
    out
}

const LOCATIONS: &[&str] = &["path", "query", "header", "cookie", "body", "formData", "", "QUERY"];

const STYLES: &[&str] = &["simple", "form", "deepObject", "matrix", "label", "spaceDelimited", "pipeDelimited", "x"];

/// Parameters: location, style, explode, schema, content.
pub(crate) fn mutate_parameter(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let p = pick_path(rng, root, false, is_parameter)?;
    let schema = random_schema(rng, comps, 1);
    let node = get_mut(root, &p)?.as_object_mut()?;
    let d = match rng.below(7) {
        0 => {
            let v = rng.pick(LOCATIONS);
            node.insert("in".into(), json!(v));
            format!("in = {v}")
        }
        1 => {
            let v = rng.pick(STYLES);
            node.insert("style".into(), json!(v));
            format!("style = {v}")
        }
        2 => {
            let v = rng.one_in(2);
            node.insert("explode".into(), json!(v));
            format!("explode = {v}")
        }
        3 => {
            node.insert("schema".into(), schema);
            "random schema".into()
        }
        4 => {
            let s = node.remove("schema").unwrap_or(json!({}));
            node.insert("content".into(), json!({"application/json": {"schema": s}}));
            "schema -> content".into()
        }
        5 => {
            node.remove("name");
            "no name".into()
        }
        _ => {
            node.insert("allowReserved".into(), json!(true));
            node.insert("allowEmptyValue".into(), json!(true));
            "allowReserved/allowEmptyValue".into()
        }
    };
    Some(format!("{}: {d}", show(&p)))
}

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
    "+json",
    "json",
    "",
    "text/plain",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "*/*",
    "application/xml",
    "APPLICATION/JSON",
    "application/json;",
    ";",
];

const STATUS_CODES: &[&str] =
    &["2XX", "default", "200", "299", "2", "20", "2a", "", "1XX", "abc", "-1", "200 ", "204", "3XX", "5XX", "2ключ"];

/// Media types and response codes: a key of a `content` or `responses` map renamed or copied.
pub(crate) fn rename_media_type_or_status(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let which = rng.one_in(2);
    let p = if which {
        pick_path(rng, root, false, |p, v| last_key(p) == Some("content") && v.is_object())?
    } else {
        pick_path(rng, root, false, |p, v| last_key(p) == Some("responses") && v.is_object())?
    };
    let node = get_mut(root, &p)?.as_object_mut()?;
    let keys: Vec<String> = node.keys().cloned().collect();
    if keys.is_empty() {
        return None;
    }
    let old = rng.pick(&keys).clone();
    let new = if which { rng.pick(MEDIA_TYPES).to_string() } else { rng.pick(STATUS_CODES).to_string() };
    let v = if rng.one_in(3) { node.get(&old)?.clone() } else { node.remove(&old)? };
    node.insert(new.clone(), v);
    Some(format!("{}: {old:?} -> {new:?}", show(&p)))
}

/// Server URLs: templates, broken braces, odd schemes and hosts.
const SERVER_URLS: &[&str] = &[
    "https://{a}.x.com/{b}",
    "https://{",
    "https://}",
    "https://{}{}",
    "https://\"q\".com",
    "https://x.com/\\",
    "https://ключ.рф",
    "http://{a}{a}",
    "https://a.b.c.d.e",
    "https://x.com/{a}/{A}",
    "https://{type}.com",
    "https://{self}.com/{ключ}",
    "https://.",
    "https://",
    "ftp://x",
    "/relative",
    "https://x.com/{{x}}",
    "https://{a}.com/{a-b}/{a_b}",
    "https://x.com/a b",
    "https://x.com/#{x}",
    "https://{1}.com",
    "https://{ }.com",
    "https://x.com/}{",
    "http://[::1]:8080/{v}",
];

/// Servers: URL templates, variables, duplicates.
pub(crate) fn add_server(rng: &mut Rng, root: &mut Value, comps: &[String]) -> Option<String> {
    let url = match rng.below(4) {
        0 => format!("https://{}.example.com/{}", weird_name(rng), weird_text(rng)),
        1 => format!("https://{{{}}}.example.com", weird_name(rng)),
        _ => rng.pick(SERVER_URLS).to_string(),
    };
    let variables = server_variables(rng, comps, &url);
    let server = json!({"url": url, "description": weird_text(rng), "variables": variables});
    let servers = root.as_object_mut()?.entry("servers").or_insert_with(|| json!([]));
    if !servers.is_array() {
        *servers = json!([]);
    }
    let list = servers.as_array_mut()?;
    if rng.one_in(3) && !list.is_empty() {
        let copy = list[rng.below(list.len())].clone();
        list.push(copy);
    }
    list.push(server.clone());
    Some(format!("add server {server}"))
}

/// Up to two random variables, plus the first one `url` names (with a default).
fn server_variables(rng: &mut Rng, comps: &[String], url: &str) -> Map<String, Value> {
    let mut variables = Map::new();
    for _ in 0..rng.below(3) {
        let mut var = Map::new();
        if !rng.one_in(4) {
            var.insert(
                "default".into(),
                if rng.one_in(4) { random_scalar(rng, comps) } else { json!(weird_name(rng)) },
            );
        }
        if rng.one_in(2) {
            var.insert("enum".into(), random_enum(rng));
        }
        if rng.one_in(2) {
            var.insert("description".into(), json!(weird_text(rng)));
        }
        variables.insert(weird_name(rng), Value::Object(var));
    }
    if let Some(start) = url.find('{') {
        let name = url[start + 1..].split('}').next().unwrap_or_default().to_string();
        variables.insert(name, json!({"default": "x"}));
    }
    variables
}
