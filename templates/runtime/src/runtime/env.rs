//! Reading a client's settings from environment variables (`Client::from_env`, which
//! the generated code writes from the API's servers and security schemes).

use super::client::BuildError;

/// Reads a variable's value by its full name (`std::env::var`, or a test's map).
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The environment variables under one prefix: `get("SECRET")` reads `<PREFIX>_SECRET`.
pub struct Env<'a> {
    prefix: String,
    lookup: Lookup<'a>,
}

/// The process environment, for [`Env::new`].
fn process(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl<'a> Env<'a> {
    /// Variables named `<prefix>_<name>` (the prefix as given, e.g. `MYAPP`) of the
    /// process environment.
    pub fn new(prefix: &str) -> Env<'static> {
        Env { prefix: prefix.trim_end_matches('_').to_owned(), lookup: &process }
    }

    /// Variables named `<prefix>_<name>`, read by `lookup` (given the full name).
    pub fn with(prefix: &str, lookup: Lookup<'a>) -> Self {
        Self { prefix: prefix.trim_end_matches('_').to_owned(), lookup }
    }

    /// The full name of a variable.
    pub fn name(&self, name: &str) -> String {
        format!("{}_{name}", self.prefix)
    }

    /// A variable's value; unset, empty or blank is `None`.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(&self.name(name)).filter(|value| !value.trim().is_empty())
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
