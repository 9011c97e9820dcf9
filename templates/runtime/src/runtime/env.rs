//! Reading a client's settings from environment variables (`Client::from_env`, which
//! the generated code writes from the API's servers and security schemes).

use super::client::BuildError;

/// The environment variables under one prefix: `get("SECRET")` reads `<PREFIX>_SECRET`.
pub struct Env {
    prefix: String,
}

impl Env {
    /// Variables named `<prefix>_<name>` (the prefix as given, e.g. `MYAPP`).
    pub fn new(prefix: &str) -> Self {
        Self { prefix: prefix.trim_end_matches('_').to_owned() }
    }

    /// The full name of a variable.
    pub fn name(&self, name: &str) -> String {
        format!("{}_{name}", self.prefix)
    }

    /// A variable's value; unset, empty or blank is `None`.
    pub fn get(&self, name: &str) -> Option<String> {
        std::env::var(self.name(name)).ok().filter(|value| !value.trim().is_empty())
    }

    /// The values of `names` if every one is set, else `None`.
    pub fn all(&self, names: &[&str]) -> Option<Vec<String>> {
        names.iter().map(|name| self.get(name)).collect()
    }

    /// A variable that must be set.
    pub fn require(&self, name: &str) -> Result<String, BuildError> {
        self.get(name).ok_or_else(|| self.missing(&[&[name]]))
    }

    /// The error naming the alternatives (each a list of variables set together).
    pub fn missing(&self, alternatives: &[&[&str]]) -> BuildError {
        let alternatives =
            alternatives.iter().map(|names| names.iter().map(|name| self.name(name)).collect()).collect();
        BuildError::MissingEnv { alternatives }
    }
}
