//! [`Auth`]: how the client authenticates, set once on the builder.

use std::fmt;

use base64::Engine as _;
use base64::prelude::{BASE64_STANDARD, BASE64_URL_SAFE_NO_PAD};
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
        Self::Basic { key_id: key_id.into(), secret: Secret::new(secret) }
    }

    /// A ready-made bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }

    /// A JWT minted from an API key, with the given scope.
    pub fn jwt(key_id: impl Into<String>, secret: impl Into<String>, scope: JwtScope) -> Self {
        Self::Jwt { key_id: key_id.into(), secret: Secret::new(secret), scope }
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
                format!("Basic {}", BASE64_STANDARD.encode(pair.as_bytes()))
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose()),
            Self::Jwt { key_id, secret, scope } => format!("Bearer {}", mint_jwt(key_id, secret, *scope)?),
        };
        let mut value =
            HeaderValue::from_str(&text).map_err(|_| BuildError::InvalidHeader { name: "authorization" })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// The JOSE header of a minted JWT.
#[derive(Serialize)]
struct JwtHeader<'a> {
    typ: &'static str,
    alg: &'static str,
    kid: &'a str,
}

/// An HS256 JWT (RFC 7519) with header `{"typ":"JWT","alg":"HS256","kid":key_id}`
/// and claims `{"scope":...}`, signed with HMAC-SHA256 from *ring* (already the TLS
/// provider, so signing adds no dependency).
pub(crate) fn mint_jwt(key_id: &str, secret: &Secret, scope: JwtScope) -> Result<String, BuildError> {
    let failed = |error: serde_json::Error| BuildError::Jwt { message: error.to_string() };
    let header = serde_json::to_vec(&JwtHeader { typ: "JWT", alg: "HS256", kid: key_id }).map_err(failed)?;
    let claims = serde_json::to_vec(&Claims { scope }).map_err(failed)?;
    let signing_input = format!("{}.{}", BASE64_URL_SAFE_NO_PAD.encode(header), BASE64_URL_SAFE_NO_PAD.encode(claims));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose().as_bytes());
    let signature = ring::hmac::sign(&key, signing_input.as_bytes());
    Ok(format!("{signing_input}.{}", BASE64_URL_SAFE_NO_PAD.encode(signature.as_ref())))
}
