//! [`Auth`]: how the client authenticates, set once on the builder.

use std::fmt;

use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};

use super::client::BuildError;

/// A credential. Its `Debug` prints `[redacted]`, so it never reaches logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How requests are authenticated.
///
/// `Debug` shows the kind and the key id, never a secret.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// HTTP Basic with an API key id and its secret:
    /// `Authorization: Basic base64(key_id:secret)`.
    Basic {
        /// The key id (e.g. `app_...` or `act_...`).
        key_id: String,
        /// The key secret.
        secret: Secret,
    },
    /// A ready-made bearer token: `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// A JWT signed (HS256) with an API key, minted once when the client is
    /// built and sent as `Authorization: Bearer <jwt>`.
    Jwt {
        /// The key id, sent as the JWT header's `kid`.
        key_id: String,
        /// The key secret, the HMAC key.
        secret: Secret,
        /// The `scope` claim.
        scope: JwtScope,
    },
}

/// The `scope` claim of a minted JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JwtScope {
    /// `"app"`: access to one app, with an app-scoped key.
    App,
    /// `"account"`: access to the whole account, with an account-scoped key.
    Account,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    scope: JwtScope,
}

impl Auth {
    /// HTTP Basic auth with an API key.
    pub fn basic(key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::Basic {
            key_id: key_id.into(),
            secret: Secret::new(secret),
        }
    }

    /// A ready-made bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }

    /// A JWT minted from an API key, with the given scope.
    pub fn jwt(key_id: impl Into<String>, secret: impl Into<String>, scope: JwtScope) -> Self {
        Self::Jwt {
            key_id: key_id.into(),
            secret: Secret::new(secret),
            scope,
        }
    }

    /// `none`, `basic`, `bearer` or `jwt`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Basic { .. } => "basic",
            Self::Bearer(_) => "bearer",
            Self::Jwt { .. } => "jwt",
        }
    }

    /// The `Authorization` header value (marked sensitive), minting the JWT
    /// for [`Auth::Jwt`].
    pub(crate) fn header_value(&self) -> Result<Option<HeaderValue>, BuildError> {
        let text = match self {
            Self::None => return Ok(None),
            Self::Basic { key_id, secret } => {
                let pair = format!("{key_id}:{}", secret.expose());
                format!("Basic {}", super::base64::encode(pair.as_bytes()))
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose()),
            Self::Jwt {
                key_id,
                secret,
                scope,
            } => format!("Bearer {}", mint_jwt(key_id, secret, *scope)?),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| BuildError::InvalidHeader {
            name: "authorization",
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// An HS256 JWT with header `{"typ":"JWT","alg":"HS256","kid":key_id}` and
/// claims `{"scope":...}`.
fn mint_jwt(key_id: &str, secret: &Secret, scope: JwtScope) -> Result<String, BuildError> {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(key_id.to_owned());
    let key = jsonwebtoken::EncodingKey::from_secret(secret.expose().as_bytes());
    jsonwebtoken::encode(&header, &Claims { scope }, &key).map_err(|error| BuildError::Jwt {
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_jwt_decodes_with_the_secret() {
        for (scope, wire) in [(JwtScope::App, "app"), (JwtScope::Account, "account")] {
            let token = mint_jwt("app_123", &Secret::new("s3cret"), scope).unwrap();
            let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
            validation.required_spec_claims.clear();
            validation.validate_exp = false;
            let data = jsonwebtoken::decode::<serde_json::Value>(
                &token,
                &jsonwebtoken::DecodingKey::from_secret(b"s3cret"),
                &validation,
            )
            .unwrap();
            assert_eq!(data.header.kid.as_deref(), Some("app_123"));
            assert_eq!(data.header.alg, jsonwebtoken::Algorithm::HS256);
            assert_eq!(data.header.typ.as_deref(), Some("JWT"));
            assert_eq!(data.claims, serde_json::json!({ "scope": wire }));

            let wrong = jsonwebtoken::decode::<serde_json::Value>(
                &token,
                &jsonwebtoken::DecodingKey::from_secret(b"other"),
                &validation,
            );
            assert!(wrong.is_err());
        }
    }

    #[test]
    fn header_values() {
        let basic = Auth::basic("Aladdin", "open sesame")
            .header_value()
            .unwrap()
            .unwrap();
        assert_eq!(basic, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(basic.is_sensitive());
        let bearer = Auth::bearer("tok").header_value().unwrap().unwrap();
        assert_eq!(bearer, "Bearer tok");
        assert!(Auth::None.header_value().unwrap().is_none());
        let error = Auth::bearer("bad\ntoken").header_value().unwrap_err();
        assert!(!format!("{error} {error:?}").contains("bad"));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let auths = [
            Auth::basic("app_1", "basic-secret"),
            Auth::bearer("bearer-secret"),
            Auth::jwt("app_1", "jwt-secret", JwtScope::App),
        ];
        for auth in auths {
            let debug = format!("{auth:?} {auth:#?}");
            assert!(!debug.contains("secret\""), "{debug}");
            assert!(!debug.contains("-secret"), "{debug}");
            assert!(debug.contains("[redacted]"), "{debug}");
        }
    }
}
