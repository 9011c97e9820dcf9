{% include "preamble.rs" %}
//!
//! Configuration from environment variables: [`Client::from_env`](crate::Client::from_env).

impl crate::Client {
    /// A client configured from environment variables named `{{ v.prefix }}_...`:
    ///
    /// | Variables | Meaning |
    /// |---|---|
{% for (names, meaning) in v.rows %}    /// | {{ names }} | {{ meaning }} |
{% endfor %}    ///
{% if !v.credentials.is_empty() %}    /// The credentials are the first alternative of the table whose variables are all
    /// set. {% else %}    /// {% endif %}An unset, empty or blank variable counts as missing: the error,
    /// [`BuildError::MissingEnv`](crate::BuildError::MissingEnv), names the variables to
    /// set. Everything else is the builder's default; for more, use
    /// [`Client::builder`](crate::Client::builder).
    pub fn from_env() -> Result<Self, crate::BuildError> {
        Self::from_env_with_prefix({{ v.prefix|lit }})
    }

    /// [`from_env`](Self::from_env), reading variables named `<prefix>_...` instead
    /// (e.g. `MYAPP` for `MYAPP_BASE_URL`).
    pub fn from_env_with_prefix(prefix: &str) -> Result<Self, crate::BuildError> {
        let env = crate::runtime::env::Env::new(prefix);
        let server = match env.get("BASE_URL") {
            Some(url) => crate::Server::Custom(url),
            None => {% match v.server %}
{%- when EnvServer::Missing %}return Err(env.missing(&[&["BASE_URL"]]))
{%- when EnvServer::Plain(variant) %}crate::Server::{{ variant }}
{%- when EnvServer::Variables(variant, fields) %}crate::Server::{{ variant }} { {% for (field, var) in fields %}{{ field }}: env.require({{ var|lit }})?, {% endfor %}}
{%- endmatch %},
        };
{% if v.credentials.is_empty() %}        Self::builder(server).build()
{% else %}        let builder = Self::builder(server);
        let builder = {% for (names, method) in v.credentials %}{% if !loop.first %}} else {% endif %}if let Some(values) = env.all(&[{% for n in names %}{{ n|lit }}, {% endfor %}]) {
            builder.{{ method }}({% for n in names %}&values[{{ loop.index0 }}], {% endfor %})
{% endfor %}        } else {
            return Err(env.missing(&[{% for (names, _) in v.credentials %}&[{% for n in names %}{{ n|lit }}, {% endfor %}], {% endfor %}]));
        };
        builder.build()
{% endif %}    }
}
