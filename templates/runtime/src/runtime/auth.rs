//! [`Auth`]: how the client authenticates, set once on the builder.

use std::fmt;

use base64::Engine as _;
use base64::prelude::{BASE64_STANDARD, BASE64_URL_SAFE_NO_PAD};
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use serde::Serialize;

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

/// How requests are authenticated. The generated crate adds a builder method per
/// security scheme its API describes (`ClientBuilder::basic_auth`, ...); this is what
/// they set.
///
/// `Debug` shows the kind and the key id, never a secret.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP Basic with an API key id and its secret:
    /// `Authorization: Basic base64(key_id:secret)`.
    Basic {
        /// The key id.
        key_id: String,
        /// The key secret.
        secret: Secret,
    },
    /// A ready-made bearer token: `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// A JWT signed (HS256) with an API key's secret, minted once when the client is
    /// built and sent as `Authorization: Bearer <jwt>`: header
    /// `{"typ":"JWT","alg":"HS256","kid":key_id}`, claims `{claim: scope}`.
    Jwt {
        /// The key id, sent as the JWT header's `kid`.
        key_id: String,
        /// The key secret, the HMAC key.
        secret: Secret,
        /// The claim naming the scope, e.g. `scope`.
        claim: String,
        /// Its value, e.g. `app`.
        scope: String,
    },
    /// A key in a header (or a `Cookie` header), sent with every request.
    Header {
        /// The header's name.
        name: String,
        /// Its value.
        value: Secret,
    },
    /// A key in a query parameter, sent with every request.
    Query {
        /// The parameter's name.
        name: String,
        /// Its value.
        value: Secret,
    },
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

    /// A JWT minted from an API key, with `claim` set to `scope`.
    pub fn jwt(
        key_id: impl Into<String>,
        secret: impl Into<String>,
        claim: impl Into<String>,
        scope: impl Into<String>,
    ) -> Self {
        Self::Jwt { key_id: key_id.into(), secret: Secret::new(secret), claim: claim.into(), scope: scope.into() }
    }

    /// A key sent in the header `name`.
    pub fn header(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::Header { name: name.into(), value: Secret::new(value) }
    }

    /// A key sent in the query parameter `name`.
    pub fn query(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::Query { name: name.into(), value: Secret::new(value) }
    }

    /// `none`, `basic`, `bearer`, `jwt`, `header` or `query`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Basic { .. } => "basic",
            Self::Bearer(_) => "bearer",
            Self::Jwt { .. } => "jwt",
            Self::Header { .. } => "header",
            Self::Query { .. } => "query",
        }
    }

    /// The header to send (marked sensitive), minting the JWT for [`Auth::Jwt`].
    pub(crate) fn header_value(&self) -> Result<Option<(HeaderName, HeaderValue)>, BuildError> {
        let (name, text) = match self {
            Self::None | Self::Query { .. } => return Ok(None),
            Self::Basic { key_id, secret } => {
                let pair = format!("{key_id}:{}", secret.expose());
                (AUTHORIZATION, format!("Basic {}", BASE64_STANDARD.encode(pair.as_bytes())))
            }
            Self::Bearer(token) => (AUTHORIZATION, format!("Bearer {}", token.expose())),
            Self::Jwt { key_id, secret, claim, scope } => {
                (AUTHORIZATION, format!("Bearer {}", mint_jwt(key_id, secret, claim, scope)?))
            }
            Self::Header { name, value } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| BuildError::InvalidHeader { name: "the key header's name" })?;
                (name, value.expose().to_owned())
            }
        };
        let mut value =
            HeaderValue::from_str(&text).map_err(|_| BuildError::InvalidHeader { name: "authorization" })?;
        value.set_sensitive(true);
        Ok(Some((name, value)))
    }

    /// The query parameter to send, for [`Auth::Query`].
    pub(crate) fn query_pair(&self) -> Option<(&str, &Secret)> {
        match self {
            Self::Query { name, value } => Some((name, value)),
            _ => None,
        }
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
/// and claims `{claim: scope}`, signed with HMAC-SHA256 from `hmac-sha256` (one small
/// file without dependencies), so signing is the same whichever TLS provider the
/// crate's features choose, or none.
pub(crate) fn mint_jwt(key_id: &str, secret: &Secret, claim: &str, scope: &str) -> Result<String, BuildError> {
    let failed = |error: serde_json::Error| BuildError::Jwt { message: error.to_string() };
    let header = serde_json::to_vec(&JwtHeader { typ: "JWT", alg: "HS256", kid: key_id }).map_err(failed)?;
    let mut claims = serde_json::Map::new();
    claims.insert(claim.to_owned(), serde_json::Value::String(scope.to_owned()));
    let claims = serde_json::to_vec(&claims).map_err(failed)?;
    let signing_input = format!("{}.{}", BASE64_URL_SAFE_NO_PAD.encode(header), BASE64_URL_SAFE_NO_PAD.encode(claims));
    let signature = hmac_sha256::HMAC::mac(signing_input.as_bytes(), secret.expose().as_bytes());
    Ok(format!("{signing_input}.{}", BASE64_URL_SAFE_NO_PAD.encode(signature)))
}
