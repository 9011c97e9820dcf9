//! The methods setting each security scheme's credentials (on `ClientBuilder` and
//! `CallOptions`) and the environment variables `Client::from_env` reads for them:
//! public names, decided here once, so render prints them and api-diff reports them
//! as users see them.

use super::Namer;
use crate::ir::{Api, AuthKind, AuthMethod, SchemeKind};
use crate::names::snake;

/// Sets every scheme's methods. Schemes no operation accepts (e.g. one only webhooks
/// use) get none.
pub(crate) fn methods(api: &mut Api) {
    let taken = [crate::vocabulary::BUILDER_METHODS, crate::vocabulary::CALL_OPTIONS_METHODS].concat();
    let mut names = Namer::with_reserved(&taken);
    let mut variables: Vec<Vec<String>> = Vec::new();
    let used: Vec<bool> = api
        .security
        .iter()
        .map(|s| api.operations.iter().any(|o| o.security.iter().flatten().any(|r| r.scheme == s.name)))
        .collect();
    for (scheme, used) in api.security.iter_mut().zip(used) {
        if !used {
            continue;
        }
        let stem = snake(&scheme.name);
        let stem = stem.strip_suffix("_auth").unwrap_or(&stem).to_string();
        let mut method = |kind: AuthKind, wanted: &str| {
            let name = names.claim_quiet(wanted);
            let env: Vec<String> = match kind {
                AuthKind::Basic => vec!["KEY_ID".into(), "SECRET".into()],
                AuthKind::Bearer => vec!["TOKEN".into()],
                AuthKind::ApiKey => vec![env_name(name.trim_end_matches("_auth"))],
                // A minted JWT also needs its scope.
                AuthKind::Jwt => Vec::new(),
            };
            // The first method taking a set of variables reads them.
            let env = if env.is_empty() || variables.contains(&env) {
                Vec::new()
            } else {
                variables.push(env.clone());
                env
            };
            AuthMethod { name, kind, env }
        };
        let own = format!("{stem}_auth");
        scheme.methods = match &scheme.kind {
            SchemeKind::Basic => vec![method(AuthKind::Basic, &own)],
            SchemeKind::Bearer { jwt, .. } => {
                let mut list = vec![method(AuthKind::Bearer, &own)];
                if jwt.is_some() {
                    list.push(method(AuthKind::Jwt, "jwt_auth"));
                }
                list
            }
            SchemeKind::ApiKey { .. } => vec![method(AuthKind::ApiKey, &own)],
            SchemeKind::Other { .. } => Vec::new(),
        };
    }
}

/// An environment variable's name for a wire name: `subdomain` → `SUBDOMAIN`.
pub(crate) fn env_name(wire: &str) -> String {
    snake(wire).trim_end_matches('_').to_uppercase()
}
