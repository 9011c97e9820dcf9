//! `components/securitySchemes` → the schemes the client can authenticate with, and
//! the header a webhook's key comes in.
//!
//! Two things no standard keyword says are stated with vendor extensions of ours
//! (documented in the README), each with a fallback and a warning for specs without it:
//!
//! - `x-jwt` on an HTTP bearer scheme: the client mints the token itself, an HS256 JWT
//!   signed with an API key's secret (the key's id in the `kid` header) whose `scope`
//!   claim is one of `scopes`. Without it, a bearer scheme with `bearerFormat: JWT`
//!   whose security requirements list scopes is taken to be minted that way, with those
//!   scopes, with a warning.
//! - the webhook key: a webhook whose `security` names an `apiKey` scheme in a header
//!   is verified against that header. Without one, `X-API-Key` (Sunshine
//!   Conversations' header), with a warning.

use serde_json::Value;

use super::Namer;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{EnumVariant, JwtMinting, KeyLocation, SchemeKind, SecurityScheme};
use crate::names::pascal;

/// The header a webhook's key comes in when its spec names none.
pub(crate) const FALLBACK_WEBHOOK_KEY_HEADER: &str = "X-API-Key";

/// Every security scheme, in name order. `requirements` are every operation's
/// security requirements (scheme name and scopes), for the `x-jwt` fallback.
pub(crate) fn schemes(tree: &Value, report: &mut Reporter<'_>) -> Vec<SecurityScheme> {
    let Some(Value::Object(schemes)) = tree.pointer("/components/securitySchemes") else { return Vec::new() };
    let mut names: Vec<&String> = schemes.keys().collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let at = join("/components/securitySchemes", name);
        let Ok((at, node)) = crate::openapi::resolve(tree, &at, &schemes[name]) else {
            report.error(&at, "this security scheme's `$ref` cannot be followed", Some("fix the reference"));
            continue;
        };
        let text = |key: &str| node.get(key).and_then(Value::as_str);
        let docs = text("description").map(doc_lines).unwrap_or_default();
        let kind = match (text("type"), text("scheme").map(str::to_ascii_lowercase).as_deref()) {
            (Some("http"), Some("basic")) => SchemeKind::Basic,
            (Some("http"), Some("bearer")) => {
                let format = text("bearerFormat").map(str::to_string);
                let jwt = jwt(tree, name, &at, node, format.as_deref(), report);
                SchemeKind::Bearer { format, jwt }
            }
            (Some("apiKey"), _) => {
                let location = match text("in") {
                    Some("header") => KeyLocation::Header,
                    Some("query") => KeyLocation::Query,
                    Some("cookie") => KeyLocation::Cookie,
                    other => {
                        report.error(
                            &join(&at, "in"),
                            format!("an `apiKey` scheme goes `in` a header, query or cookie, not {other:?}"),
                            None,
                        );
                        continue;
                    }
                };
                let Some(key) = text("name").filter(|n| !n.is_empty() && is_token(n)) else {
                    report.error(
                        &join(&at, "name"),
                        "an `apiKey` scheme needs the `name` of its header, parameter or cookie",
                        Some("a header or parameter name: letters, digits and `-_.!#$%&'*+^`|~`"),
                    );
                    continue;
                };
                SchemeKind::ApiKey { location, name: key.to_string() }
            }
            (Some(kind), _) => SchemeKind::Other { kind: kind.to_string() },
            (None, _) => {
                report.error(&join(&at, "type"), "a security scheme needs a `type`", None);
                continue;
            }
        };
        out.push(SecurityScheme { name: name.clone(), docs, kind, methods: Vec::new() });
    }
    out
}

/// How a bearer scheme's JWT is minted: `x-jwt`, else the fallback (see the module).
fn jwt(
    tree: &Value,
    name: &str,
    at: &str,
    node: &Value,
    format: Option<&str>,
    report: &mut Reporter<'_>,
) -> Option<JwtMinting> {
    let minting = |claim: &str, scopes: Vec<String>| {
        let mut namer = Namer::default();
        let scopes = scopes
            .into_iter()
            .map(|wire| EnumVariant { rust_name: namer.claim_quiet(&pascal(&wire)), wire_name: wire })
            .collect();
        JwtMinting { claim: claim.to_string(), scopes }
    };
    if let Some(extension) = node.get("x-jwt") {
        let ext_at = join(at, "x-jwt");
        let algorithm = extension.get("algorithm").and_then(Value::as_str).unwrap_or("HS256");
        if algorithm != "HS256" {
            report.warn(
                &join(&ext_at, "algorithm"),
                format!("`x-jwt` ignored: the client signs HS256 tokens only, not {algorithm}"),
                Some("give tokens of another algorithm with `bearer_auth`"),
            );
            return None;
        }
        let claim = extension.get("scopeClaim").and_then(Value::as_str).unwrap_or("scope");
        let scopes: Option<Vec<String>> = extension
            .get("scopes")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).map(str::to_string).collect());
        return match scopes.filter(|s| !s.is_empty() && !claim.is_empty()) {
            Some(scopes) => Some(minting(claim, dedup(scopes))),
            None => {
                report.warn(
                    &ext_at,
                    "`x-jwt` ignored: `scopes` must list the scope claim's values",
                    Some("see the README's `x-jwt` section"),
                );
                None
            }
        };
    }
    if !format.is_some_and(|f| f.eq_ignore_ascii_case("jwt")) {
        return None;
    }
    let scopes = requirement_scopes(tree, name);
    if scopes.is_empty() {
        return None;
    }
    report.warn(
        at,
        format!(
            "a JWT bearer scheme without `x-jwt`: taken to be minted by the client (HS256, the key id as `kid`, a `scope` claim of {})",
            scopes.join(" or ")
        ),
        Some("state it with `x-jwt` (algorithm, scopeClaim, scopes), as the README shows"),
    );
    Some(minting("scope", scopes))
}

/// The scopes the document's and its operations' security requirements give `scheme`.
fn requirement_scopes(tree: &Value, scheme: &str) -> Vec<String> {
    let mut scopes = Vec::new();
    let mut take = |security: Option<&Value>| {
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            let listed = requirement.get(scheme).and_then(Value::as_array).into_iter().flatten();
            scopes.extend(listed.filter_map(Value::as_str).map(str::to_string));
        }
    };
    take(tree.get("security"));
    let (operations, _) = crate::openapi::operations(tree);
    for site in operations {
        take(site.op.get("security"));
    }
    dedup(scopes)
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in list {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The header a webhook's key comes in: the `apiKey` header scheme its `security`
/// names, else [`FALLBACK_WEBHOOK_KEY_HEADER`] (with a warning).
pub(crate) fn webhook_key_header(
    op: &Value,
    pointer: &str,
    schemes: &[SecurityScheme],
    report: &mut Reporter<'_>,
) -> String {
    let named: Vec<String> = op
        .get("security")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys().cloned())
        .collect();
    let header = schemes.iter().filter(|s| named.contains(&s.name)).find_map(|s| match &s.kind {
        SchemeKind::ApiKey { location: KeyLocation::Header, name } => Some(name.clone()),
        _ => None,
    });
    header.unwrap_or_else(|| {
        report.warn(
            pointer,
            format!("a webhook whose `security` names no `apiKey` header scheme: its key is taken to come in `{FALLBACK_WEBHOOK_KEY_HEADER}`"),
            Some("add a scheme `{type: apiKey, in: header, name: ...}` and name it in the webhook's `security`"),
        );
        FALLBACK_WEBHOOK_KEY_HEADER.to_string()
    })
}

/// A header or parameter name: RFC 9110 token characters.
fn is_token(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemes_of(tree: Value) -> (Vec<SecurityScheme>, usize) {
        let text = tree.to_string();
        let mut report = Reporter::new("spec.yaml", &text);
        let found = schemes(&tree, &mut report);
        (found, report.warnings().len())
    }

    #[test]
    fn schemes_by_kind() {
        let (found, warnings) = schemes_of(json!({"components": {"securitySchemes": {
            "basic": {"type": "http", "scheme": "Basic"},
            "token": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "oauth": {"type": "oauth2", "flows": {}}
        }}}));
        assert_eq!(warnings, 0);
        let kinds: Vec<(&str, &SchemeKind)> = found.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("basic", &SchemeKind::Basic),
                ("key", &SchemeKind::ApiKey { location: KeyLocation::Header, name: "X-Key".into() }),
                ("oauth", &SchemeKind::Other { kind: "oauth2".into() }),
                ("token", &SchemeKind::Bearer { format: None, jwt: None }),
            ]
        );
    }

    #[test]
    fn jwt_minting_from_the_extension_or_guessed_with_a_warning() {
        let stated = json!({"components": {"securitySchemes": {"jwt": {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "x-jwt": {"algorithm": "HS256", "scopeClaim": "scope", "scopes": ["app", "account"]}
        }}}});
        let (found, warnings) = schemes_of(stated);
        let SchemeKind::Bearer { jwt: Some(jwt), .. } = &found[0].kind else { panic!("{found:?}") };
        assert_eq!((jwt.claim.as_str(), jwt.scopes.len(), warnings), ("scope", 2, 0));
        assert_eq!(jwt.scopes[1], EnumVariant { rust_name: "Account".into(), wire_name: "account".into() });
        let guessed = json!({
            "security": [{"jwt": ["app", "account"]}],
            "components": {"securitySchemes": {"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}
        });
        let (found, warnings) = schemes_of(guessed);
        assert!(matches!(&found[0].kind, SchemeKind::Bearer { jwt: Some(_), .. }));
        assert_eq!(warnings, 1);
        let plain = json!({"components": {"securitySchemes": {"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}});
        assert!(matches!(&schemes_of(plain).0[0].kind, SchemeKind::Bearer { jwt: None, .. }), "no scopes: a token");
    }
}
