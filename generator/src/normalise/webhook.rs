//! Webhooks (OpenAPI 3.1 `webhooks`, the 3.0 extension `x-webhooks`): each becomes a
//! decoding function for its payload; the models its payload reaches are built like
//! those of operations.

use serde_json::Value;

use super::Namer;
use super::operation::selected;
use super::schema::Models;
use crate::diagnostics::{Reporter, join};
use crate::docs::doc_lines;
use crate::ir::{Method, SecurityScheme, Webhook, WebhookExample};
use crate::names::{pascal, snake};
use crate::openapi::{self, is_json};
use crate::options::Options;

/// Every selected webhook with a JSON body, sorted by function name.
pub(crate) fn webhooks<'t>(
    tree: &'t Value,
    options: &Options,
    schemes: &[SecurityScheme],
    models: &mut Models<'t>,
    report: &mut Reporter<'_>,
) -> Vec<Webhook> {
    let (found, broken) = openapi::webhooks(tree);
    for (at, error) in broken {
        let (message, hint) = error.message();
        report.error(&at, message, Some(hint));
    }
    let mut functions = Namer::with_reserved(crate::vocabulary::WEBHOOK_NAMES);
    let mut out = Vec::new();
    let mut pointers = Vec::new();
    for site in found.iter().filter(|s| selected(options, s.op)) {
        let operation_id = site.op.get("operationId").and_then(Value::as_str).filter(|s| !s.trim().is_empty());
        let operation_id = operation_id.unwrap_or(site.path).to_string();
        let body_at = join(&site.pointer, "requestBody");
        let Some(body) = site.op.get("requestBody") else {
            report.warn(
                &site.pointer,
                "a webhook without a request body; left out",
                Some("describe the payload as its requestBody"),
            );
            continue;
        };
        let Some((body_at, body)) = models.resolve(&body_at, body, report) else { continue };
        let content = body.get("content").and_then(Value::as_object);
        let Some((media, node)) = content.into_iter().flatten().find(|(k, _)| is_json(k)) else {
            report.warn(
                &body_at,
                "a webhook whose payload is not JSON; left out",
                Some("only JSON payloads are decoded"),
            );
            continue;
        };
        let Some(schema) = node.get("schema") else { continue };
        let schema_at = join(&join(&join(&body_at, "content"), media), "schema");
        let info = models.type_of(&schema_at, schema, &format!("{}Payload", pascal(&operation_id)), report);
        models.mark_webhook(&info.ty);
        let mut docs = Vec::new();
        for key in ["summary", "description"] {
            if let Some(text) = site.op.get(key).and_then(Value::as_str) {
                if !docs.is_empty() {
                    docs.push(String::new());
                }
                docs.extend(doc_lines(text));
            }
        }
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!(
            "Webhook `{}`: the API sends it as a `{}` request (operation `{}`).",
            crate::docs::code(site.path),
            site.method.to_uppercase(),
            crate::docs::code(&operation_id)
        ));
        let function =
            functions.claim(&format!("parse_{}", snake(&operation_id)), &join(&site.pointer, "operationId"), report);
        let key_header = super::security::webhook_key_header(site.op, &site.pointer, schemes, report);
        let examples = openapi::json_examples(tree, body)
            .into_iter()
            .filter_map(|(name, value)| {
                let json = serde_json::to_string(value).ok()?;
                Some(WebhookExample { function: String::new(), function_with: String::new(), name, json })
            })
            .collect();
        pointers.push(site.pointer.clone());
        out.push(Webhook {
            name: site.path.to_string(),
            function,
            method: Method::from_key(site.method).unwrap_or(Method::Post),
            docs,
            payload: info.ty,
            key_header,
            own_header: None,
            operation_id,
            examples,
        });
    }
    // The only webhook of a spec is simply `parse`.
    if let [only] = out.as_mut_slice() {
        only.function = "parse".to_string();
    }
    name_examples(&mut out);
    let mut sorted: Vec<(Webhook, String)> = out.into_iter().zip(pointers).collect();
    sorted.sort_by(|a, b| a.0.function.cmp(&b.0.function));
    own_headers(&mut sorted, report);
    sorted.into_iter().map(|(webhook, _)| webhook).collect()
}

/// The header the crate's `API_KEY_HEADER` names: the first webhook's, else
/// Sunshine Conversations' `X-API-Key`.
pub(crate) fn crate_key_header(webhooks: &[Webhook]) -> String {
    webhooks.first().map_or(super::security::FALLBACK_WEBHOOK_KEY_HEADER, |w| w.key_header.as_str()).to_string()
}

/// Gives each webhook whose key comes in another header than the first webhook's its
/// own constant and `Verifier` constructor, with a warning: one `Verifier::new` would
/// check the wrong header for it.
fn own_headers(webhooks: &mut [(Webhook, String)], report: &mut Reporter<'_>) {
    let Some(common) = webhooks.first().map(|(w, _)| w.key_header.clone()) else { return };
    let functions: Vec<String> = webhooks.iter().map(|(w, _)| w.function.clone()).collect();
    let taken: Vec<&str> =
        crate::vocabulary::WEBHOOK_NAMES.iter().copied().chain(functions.iter().map(String::as_str)).collect();
    let mut constants = Namer::with_reserved(&taken);
    let mut constructors = Namer::with_reserved(crate::vocabulary::VERIFIER_METHODS);
    for (webhook, pointer) in webhooks.iter_mut().skip(1) {
        if webhook.key_header.eq_ignore_ascii_case(&common) {
            continue;
        }
        let stem = webhook.function.trim_start_matches("parse_").to_string();
        let constant = constants.claim_quiet(&format!("{}_KEY_HEADER", stem.to_ascii_uppercase()));
        let constructor = constructors.claim_quiet(&format!("for_{stem}"));
        report.warn(
            pointer,
            format!(
                "this webhook's key comes in `{}`, not in `{common}` as the first webhook's: verify its deliveries with `Verifier::{constructor}` (checking `{constant}`), not `Verifier::new`",
                webhook.key_header
            ),
            Some("name one `apiKey` header scheme in every webhook's `security` if they share one header"),
        );
        webhook.own_header = Some(crate::ir::OwnHeader { constant, constructor });
    }
}

/// Names the fixture functions of the examples, unique in `testing::events` (with
/// their `_with` variants): the example's name, prefixed by the webhook's function
/// when a spec has several webhooks.
fn name_examples(webhooks: &mut [Webhook]) {
    let several = webhooks.len() > 1;
    let mut names = Namer::with_reserved(&["events"]);
    for webhook in webhooks {
        let prefix =
            if several { format!("{}_", webhook.function.trim_start_matches("parse_")) } else { String::new() };
        for example in &mut webhook.examples {
            let stem = format!("{prefix}{}", snake(&example.name).trim_end_matches('_'));
            let stem = if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) {
                format!("example_{stem}")
            } else {
                stem
            };
            let mut n = 1;
            let mut candidate = stem.clone();
            // Both names free (`type` is no identifier: `type_`, and `type_with`).
            while names.try_claim(&snake(&candidate)).is_none()
                || names.try_claim(&format!("{candidate}_with")).is_none()
            {
                n += 1;
                candidate = format!("{stem}_{n}");
            }
            example.function = snake(&candidate);
            example.function_with = format!("{candidate}_with");
        }
    }
}
