{% include "preamble.rs" %}
//!
//! Configuration from environment variables: [`ClientBuilder::from_env`](crate::ClientBuilder::from_env)
//! (a builder, for every other setting too) and [`Client::from_env`](crate::Client::from_env).

impl crate::ClientBuilder {
    /// A builder configured from environment variables named `{{ v.prefix }}_...`, so
    /// every other builder setting (retries, timeouts, hooks) still applies:
    ///
    /// | Variables | Meaning |
    /// |---|---|
{% for (names, meaning) in v.rows %}    /// | {{ names }} | {{ meaning }} |
{% endfor %}    ///
{% if !v.credentials.is_empty() %}    /// The credentials are the first alternative of the table whose variables are all
    /// set. {% else %}    /// {% endif %}An unset, empty or blank variable counts as missing: the error,
    /// [`BuildError::MissingEnv`](crate::BuildError::MissingEnv), names the variables to
    /// set.
    pub fn from_env() -> Result<Self, crate::BuildError> {
        Self::from_env_in({{ v.prefix|lit }}, &|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env), reading variables named `<prefix>_...` instead
    /// (e.g. `MYAPP` for `MYAPP_BASE_URL`).
    pub fn from_env_with_prefix(prefix: &str) -> Result<Self, crate::BuildError> {
        Self::from_env_in(prefix, &|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env), with the variables read by `lookup` (given the
    /// full name, e.g. `{{ v.prefix }}_BASE_URL`) instead of the process environment:
    /// for tests of a program's startup, or settings kept elsewhere.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, crate::BuildError> {
        Self::from_env_in({{ v.prefix|lit }}, &lookup)
    }

    /// The builder from the variables named `<prefix>_...` that `lookup` reads.
    fn from_env_in(prefix: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, crate::BuildError> {
        let env = crate::runtime::env::Env::with(prefix, lookup);
        let server = match env.get("BASE_URL") {
            Some(url) => crate::Server::Custom(url),
            None => {% match v.server %}
{%- when EnvServer::Missing %}return Err(env.missing(&[&["BASE_URL"]]))
{%- when EnvServer::Plain(variant) %}crate::Server::{{ variant }}
{%- when EnvServer::Variables(variant, fields) %}crate::Server::{{ variant }} { {% for (field, var) in fields %}{{ field }}: env.require({{ var|lit }})?, {% endfor %}}
{%- endmatch %},
        };
{% if v.credentials.is_empty() %}        Ok(crate::Client::builder(server))
{% else %}        let builder = crate::Client::builder(server);
        let builder = {% for (names, method) in v.credentials %}{% if !loop.first %}} else {% endif %}if let Some(values) = env.all(&[{% for n in names %}{{ n|lit }}, {% endfor %}]) {
            builder.{{ method }}({% for n in names %}&values[{{ loop.index0 }}], {% endfor %})
{% endfor %}        } else {
            return Err(env.missing(&[{% for (names, _) in v.credentials %}&[{% for n in names %}{{ n|lit }}, {% endfor %}], {% endfor %}]));
        };
        Ok(builder)
{% endif %}    }
}

impl crate::Client {
    /// A client configured from environment variables named `{{ v.prefix }}_...`, with
    /// every other setting the builder's default: see
    /// [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) for the variables,
    /// and to change other settings.
    pub fn from_env() -> Result<Self, crate::BuildError> {
        crate::ClientBuilder::from_env()?.build()
    }

    /// [`from_env`](Self::from_env), reading variables named `<prefix>_...` instead
    /// (e.g. `MYAPP` for `MYAPP_BASE_URL`).
    pub fn from_env_with_prefix(prefix: &str) -> Result<Self, crate::BuildError> {
        crate::ClientBuilder::from_env_with_prefix(prefix)?.build()
    }

    /// [`from_env`](Self::from_env), with the variables read by `lookup` (given the
    /// full name, e.g. `{{ v.prefix }}_BASE_URL`) instead of the process environment:
    /// a program's startup can be tested without changing its environment.
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, crate::BuildError> {
        crate::ClientBuilder::from_env_with(lookup)?.build()
    }
}
