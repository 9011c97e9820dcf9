//! `servers` → the variants of the generated `Server` enum.

use serde_json::Value;

use super::Namer;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::fates::Object;
use crate::ir::{Server, ServerVariable, UrlPart};
use crate::names::{pascal, snake};

/// One variant per server URL, named after its host (`api.eu-1.smooch.io` → `SmoochEu1`).
pub(crate) fn servers(tree: &Value, report: &mut Reporter<'_>) -> Vec<Server> {
    let mut namer = Namer::with_reserved(crate::vocabulary::SERVER_VARIANTS);
    let mut out = Vec::new();
    let list = tree.get("servers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for (i, server) in list.iter().enumerate() {
        let pointer = join("/servers", &i.to_string());
        crate::fates::check(Object::Server, &pointer, server, &[], false, report);
        for (name, variable) in server.get("variables").and_then(Value::as_object).into_iter().flatten() {
            let at = join(&join(&pointer, "variables"), name);
            crate::fates::check(Object::ServerVariable, &at, variable, &[], false, report);
        }
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            report.error(&pointer, "a server needs a `url`", None);
            continue;
        };
        if !url.starts_with("http://") && !url.starts_with("https://") {
            report.warn(
                &pointer,
                format!("server URL `{url}` is not absolute; skipped"),
                Some("use an absolute http(s) URL"),
            );
            continue;
        }
        if url.contains(['?', '#']) {
            report.warn(
                &join(&pointer, "url"),
                format!("server URL `{url}` has a query or fragment, which a base URL cannot have (operation paths are appended to it); skipped"),
                Some("move the query into the operations' parameters"),
            );
            continue;
        }
        let mut parts: Vec<UrlPart> = Vec::new();
        let mut variables: Vec<ServerVariable> = Vec::new();
        // Field names of this variant: unique after casing (`{a-b}` and `{a_b}`).
        let mut fields = Namer::default();
        let mut rest = url;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            if open > 0 {
                parts.push(UrlPart::Literal(rest[..open].to_string()));
            }
            let wire = &rest[open + 1..open + close];
            let variable = match variables.iter().find(|v| v.wire_name == wire) {
                Some(known) => known.clone(),
                None => {
                    let docs = server
                        .get("variables")
                        .and_then(|v| v.get(wire))
                        .and_then(|v| v.get("description"))
                        .and_then(Value::as_str)
                        .map(doc_lines)
                        .unwrap_or_else(|| vec![format!("Value of `{{{}}}` in the URL.", crate::docs::code(wire))]);
                    let rust = fields.claim(&snake(wire), &pointer, report);
                    let variable = ServerVariable {
                        rust_name: rust,
                        wire_name: wire.to_string(),
                        env: super::auth::env_name(wire),
                        docs,
                    };
                    variables.push(variable.clone());
                    variable
                }
            };
            parts.push(UrlPart::Variable(variable));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(UrlPart::Literal(rest.to_string()));
        }
        let variant = namer.claim(&variant_name(url), &pointer, report);
        let mut docs = server.get("description").and_then(Value::as_str).map(doc_lines).unwrap_or_default();
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!("`{}`", crate::docs::code(url)));
        out.push(Server { variant, docs, url: url.to_string(), parts });
    }
    out
}

/// Host labels without variables, `api`/`www` and the top-level domain, most
/// significant first: `{subdomain}.zendesk.com/sc` → `Zendesk`.
fn variant_name(url: &str) -> String {
    let host = url.split("://").nth(1).unwrap_or(url).split('/').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let mut words: Vec<&str> = labels[..labels.len().saturating_sub(1)]
        .iter()
        .copied()
        .filter(|l| !l.contains('{') && *l != "api" && *l != "www")
        .collect();
    words.reverse();
    let name = pascal(&words.join(" "));
    if name == "NEmpty" { "Default".to_string() } else { name }
}

#[cfg(test)]
mod tests {
    use super::variant_name;

    #[test]
    fn names_from_hosts() {
        assert_eq!(variant_name("https://{subdomain}.zendesk.com/sc"), "Zendesk");
        assert_eq!(variant_name("https://api.smooch.io"), "Smooch");
        assert_eq!(variant_name("https://api.eu-1.smooch.io"), "SmoochEu1");
        assert_eq!(variant_name("http://localhost"), "Default");
    }
}
