//! [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue, USER_AGENT};

use super::auth::Auth;
use super::encode::Query;
use super::error::Error;
use super::hooks::Interceptor;
use super::pace::Pace;
use super::request::{Body, CallOptions, Request};
use super::response::Response;
use super::retry::RetryPolicy;

/// The API's base URL, e.g. `https://api.smooch.io`. Trailing `/` are
/// trimmed; operation paths (which start with `/`) are appended to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// A base URL; trailing `/` are trimmed.
    pub fn new(url: impl Into<String>) -> Self {
        let mut url = url.into();
        let trimmed = url.trim_end_matches('/').len();
        url.truncate(trimmed);
        Self(url)
    }

    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for BaseUrl {
    fn from(url: &str) -> Self {
        Self::new(url)
    }
}

impl From<String> for BaseUrl {
    fn from(url: String) -> Self {
        Self::new(url)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why [`ClientBuilder::build`] failed. Never contains a credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL without query or
    /// fragment.
    InvalidBaseUrl {
        /// The base URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A header value (the user agent, or the credential for
    /// `authorization`) contains characters not allowed in HTTP headers.
    InvalidHeader {
        /// The header's name.
        name: &'static str,
    },
    /// Signing the JWT failed.
    Jwt {
        /// The signing library's message.
        message: String,
    },
    /// The default HTTP client could not be created (e.g. TLS setup failed).
    HttpClient(reqwest::Error),
    /// No TLS crypto provider: the crate was built without its `rustls-aws-lc-rs` and
    /// `rustls-ring` features, the application installed no rustls process default
    /// (`rustls::crypto::CryptoProvider::install_default`), and no client was given
    /// with [`ClientBuilder::http_client`]. (reqwest would panic building a client.)
    NoCryptoProvider,
    /// `Client::from_env`: environment variables are missing (or empty); any one of
    /// the alternatives, each a list of variables set together, would do.
    MissingEnv {
        /// The alternatives, e.g. `[["APP_KEY_ID", "APP_SECRET"], ["APP_TOKEN"]]`.
        alternatives: Vec<Vec<String>>,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url:?}: {reason}"),
            Self::InvalidHeader { name } => {
                write!(f, "the {name} header value contains invalid characters")
            }
            Self::Jwt { message } => write!(f, "could not sign the JWT: {message}"),
            Self::HttpClient(error) => write!(f, "could not create the HTTP client: {error}"),
            Self::NoCryptoProvider => f.write_str(
                "no TLS crypto provider: enable the feature `rustls-aws-lc-rs` or `rustls-ring`, install a rustls \
                 process default (`CryptoProvider::install_default`) before building the client, or give your own \
                 client with `http_client`",
            ),
            Self::MissingEnv { alternatives } => {
                let each: Vec<String> = alternatives.iter().map(|names| names.join(" and ")).collect();
                write!(f, "set the environment variable(s) {}", each.join(", or "))
            }
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::HttpClient(error) => Some(error),
            _ => None,
        }
    }
}

/// The `Accept` header of most operations, first in the client's base headers.
pub(crate) const DEFAULT_ACCEPT: &str = "application/json";

/// The default limit on a response body: 8 MiB. The API's largest responses are
/// pages of 100 messages, a few megabytes at most; anything far larger is a broken or
/// hostile server, and reading it would only cost memory.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 << 20;

/// Changes to the `reqwest::ClientBuilder` the client starts from.
type ConfigureHttp = Arc<dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync>;

/// Configures and builds a [`Client`]; start with [`Client::builder`].
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: BaseUrl,
    http_client: Option<reqwest::Client>,
    configure_http: Option<ConfigureHttp>,
    timeout: Duration,
    user_agent: String,
    auth: Auth,
    retry_policy: RetryPolicy,
    pace: Option<Pace>,
    max_response_bytes: u64,
    interceptors: Vec<Arc<dyn Interceptor>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("http_client", &self.http_client.is_some())
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("auth", &self.auth)
            .field("retry_policy", &self.retry_policy)
            .field("pace", &self.pace)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("interceptors", &self.interceptors.len())
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// An HTTP client to send requests with, instead of the one the builder makes.
    ///
    /// Prefer [`configure_http`](Self::configure_http), which keeps the builder's
    /// settings: this client's own redirect policy applies (the builder's follows no
    /// redirect itself, so that documented redirects reach the caller). Its TLS is its
    /// own: with this crate's `rustls-aws-lc-rs` feature reqwest has a provider by
    /// itself; with `rustls-ring` alone, build it after [`Client::builder`] or
    /// [`install_crypto_provider`] ran (reqwest reads rustls' process default); without
    /// a provider feature, install a process default or give reqwest a rustls
    /// configuration of your own (`reqwest::ClientBuilder::tls_backend_preconfigured`).
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Changes the `reqwest::ClientBuilder` the client is built from: proxies, root
    /// certificates, connection pool settings. Redirects stay with this crate.
    pub fn configure_http(
        mut self,
        configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        self.configure_http = Some(Arc::new(configure));
        self
    }

    /// Largest response body read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`], 8 MiB). A longer body ends the call with
    /// [`Error::TooLarge`](super::Error::TooLarge) as soon as it is seen. The limit
    /// counts decoded bytes (a gzip body is bounded by what it unpacks to). It covers
    /// the body only: the response head is bounded by hyper (100 header fields, about
    /// 400 KiB), beyond which the call ends in [`Error::Transport`](super::Error::Transport).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Adds an [`Interceptor`], run around every attempt after those added before.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Timeout of each attempt, from connecting until the response body is
    /// read (default 30 s). Exceeding it gives [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default: this crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How requests are authenticated (default [`Auth::None`]).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// When failed calls are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry_policy: RetryPolicy) -> Self {
        self.retry_policy = retry_policy;
        self
    }

    /// Paces requests: each attempt (a retry too) waits for its turn under `pace`
    /// before it is sent (default: no pace, requests go as soon as they are made).
    /// Every clone of the client shares the pace, and so does every client built from
    /// this builder or a clone of it. See [`Pace`].
    pub fn pace(mut self, pace: Pace) -> Self {
        self.pace = Some(pace);
        self
    }

    /// Checks the settings, mints the JWT if any, and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.0;
        let invalid = |reason: &str| BuildError::InvalidBaseUrl { url: base_url.clone(), reason: reason.to_owned() };
        let parsed = reqwest::Url::parse(&base_url).map_err(|error| invalid(&error.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            let mut redacted = parsed.clone();
            // Both only fail for URLs that cannot have credentials at all.
            let _ = redacted.set_username("");
            let _ = redacted.set_password(None);
            return Err(BuildError::InvalidBaseUrl {
                url: redacted.to_string(),
                reason: "credentials in the URL are not supported: use the builder's auth methods".to_owned(),
            });
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("a base URL cannot have a query or fragment"));
        }
        if base_url.contains(['{', '}']) {
            return Err(invalid("the URL template has unfilled variables"));
        }
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| BuildError::InvalidHeader { name: "user-agent" })?;
        // Room for the headers reqwest and the call add, so the per-request copy never grows.
        let mut base_headers = HeaderMap::with_capacity(6);
        base_headers.insert(ACCEPT, HeaderValue::from_static(DEFAULT_ACCEPT));
        base_headers.insert(USER_AGENT, user_agent);
        let auth_header = self.auth.header_value()?;
        if let Some((name, value)) = &auth_header {
            base_headers.insert(name.clone(), value.clone());
        }
        let (http, http_timeout) = match self.http_client {
            Some(http) => (http, None),
            None => {
                if !crypto_provider_ready() {
                    return Err(BuildError::NoCryptoProvider);
                }
                let builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                let builder = match &self.configure_http {
                    Some(configure) => configure(builder).redirect(reqwest::redirect::Policy::none()),
                    None => builder,
                };
                // The timeout as the client's own: reqwest applies it to each request
                // exactly as a per-request one, without storing one in every request.
                let http = builder.timeout(self.timeout).build().map_err(BuildError::HttpClient)?;
                (http, Some(self.timeout))
            }
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                timeout: self.timeout,
                http_timeout,
                base_headers,
                auth_kind: self.auth.kind(),
                auth_header: auth_header.map(|(name, _)| name),
                query_key: self.auth.query_pair().map(|(name, value)| (name.to_owned(), value.clone())),
                retry_policy: self.retry_policy,
                pace: self.pace,
                max_response_bytes: self.max_response_bytes,
                interceptors: self.interceptors,
            }),
        })
    }
}

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) timeout: Duration,
    /// The timeout `http` applies to every request by itself (set when this crate
    /// built it): requests whose timeout is this one need no timeout of their own.
    pub(crate) http_timeout: Option<Duration>,
    /// `Accept: application/json` (replaced for operations that accept more),
    /// `User-Agent` and `Authorization` (marked sensitive: never logged or stored in
    /// errors), the start of every request's headers, in this order.
    pub(crate) base_headers: HeaderMap,
    pub(crate) auth_kind: &'static str,
    /// The header `base_headers` carries the credentials in, if any (a call with its
    /// own credentials drops it).
    pub(crate) auth_header: Option<reqwest::header::HeaderName>,
    /// A key sent as a query parameter with every request (`Auth::Query`).
    pub(crate) query_key: Option<(String, super::auth::Secret)>,
    pub(crate) retry_policy: RetryPolicy,
    /// Waited on before each attempt, when set.
    pub(crate) pace: Option<Pace>,
    pub(crate) max_response_bytes: u64,
    pub(crate) interceptors: Vec<Arc<dyn Interceptor>>,
}

/// Installs the crypto provider this crate's features choose as rustls' process
/// default, unless the application installed one already (then it does nothing):
/// aws-lc-rs with the feature `rustls-aws-lc-rs` (X25519MLKEM768 preferred; it wins
/// when both features are on), else *ring* with `rustls-ring`, else nothing.
///
/// [`Client::builder`] calls this only when *ring* is the provider: reqwest reads
/// rustls' process default, and panics when it finds none and has no provider of its
/// own. With `rustls-aws-lc-rs` reqwest has one (aws-lc-rs, as reqwest's own default
/// TLS), so the builder leaves the process default to the application. Call this
/// yourself when other code of yours needs a process default, or before building a
/// `reqwest::Client` for [`ClientBuilder::http_client`] ahead of [`Client::builder`].
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none()
        && let Some(provider) = features_provider()
    {
        // Fails only when another thread installed one first: fine either way.
        let _ = provider.install_default();
    }
}

/// The provider of the crate's features: aws-lc-rs (it wins over *ring*).
#[cfg(feature = "rustls-aws-lc-rs")]
pub(crate) fn features_provider() -> Option<rustls::crypto::CryptoProvider> {
    Some(rustls::crypto::aws_lc_rs::default_provider())
}

/// The provider of the crate's features: *ring*.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
#[allow(
    deprecated,
    reason = "rustls 0.23.48 deprecates *ring* (no post-quantum key exchange); `rustls-ring` asks for it"
)]
pub(crate) fn features_provider() -> Option<rustls::crypto::CryptoProvider> {
    Some(rustls::crypto::ring::default_provider())
}

/// No provider feature: the application's process default, or its own client.
#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
pub(crate) fn features_provider() -> Option<rustls::crypto::CryptoProvider> {
    None
}

/// Whether reqwest can build a client: a process default is installed, or a provider
/// feature is on (with `rustls-aws-lc-rs` reqwest brings aws-lc-rs itself; with
/// `rustls-ring`, [`Client::builder`] installed *ring* unless one was there).
fn crypto_provider_ready() -> bool {
    cfg!(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring"))
        || rustls::crypto::CryptoProvider::get_default().is_some()
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth_kind)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of the API at `base_url`.
    pub fn builder(base_url: impl Into<BaseUrl>) -> ClientBuilder {
        // reqwest has aws-lc-rs of its own with `rustls-aws-lc-rs`; *ring* it must be given.
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
        install_crypto_provider();
        ClientBuilder {
            base_url: base_url.into(),
            http_client: None,
            timeout: Duration::from_secs(30),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            auth: Auth::None,
            retry_policy: RetryPolicy::default(),
            pace: None,
            configure_http: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            interceptors: Vec::new(),
        }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends any request, keeping the client's auth, retries and error
    /// decoding: an escape hatch for endpoints the generated methods lack.
    ///
    /// `path_and_query` is relative to the base URL and must already be
    /// percent-encoded, e.g. `/v2/apps/app_1/users?page[size]=10`. The body,
    /// if any, is sent as JSON. The response body is returned as JSON (`null`
    /// when empty); error bodies decode as every operation's, the crate's
    /// [`ErrorBody`](crate::ErrorBody) (the text is kept when they do not).
    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<&serde_json::Value>,
        options: CallOptions,
    ) -> Result<Response<serde_json::Value>, Error> {
        let path =
            if path_and_query.starts_with('/') { path_and_query.to_owned() } else { format!("/{path_and_query}") };
        let body = match body {
            Some(body) => Body::json(body)?,
            None => Body::Empty,
        };
        let request = Request {
            method,
            operation_id: "send_raw",
            path_template: "(raw)",
            accept: "application/json",
            redirects: false,
            empty_ok: true,
            path,
            query: Query::new(),
            body,
            options,
        };
        self.execute_json(request).await
    }
}
