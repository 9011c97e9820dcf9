//! Errors and warnings about the input spec: what is wrong, where, and what to do.

use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    /// The input was repaired or something was skipped; the output is still correct.
    Warning,
    /// No output can be produced.
    Error,
}

/// One finding about the input, located by file, JSON pointer and (when known) line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The spec file, as named by the caller.
    pub file: String,
    /// JSON pointer into the document (RFC 6901), `""` for the whole document.
    pub pointer: String,
    /// 1-based line in the file, when it could be located.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, " at {pointer}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every error found before giving up, plus the warnings collected so far.
#[derive(Debug, Clone)]
pub struct Failure {
    /// All findings, errors and warnings, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// Collects findings for one spec file.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    file: &'a str,
    text: &'a str,
    pub(crate) found: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text, found: Vec::new() }
    }

    fn push(&mut self, severity: Severity, pointer: &str, message: String, hint: Option<&str>) {
        self.found.push(Diagnostic {
            severity,
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            line: locate(self.text, pointer),
            message,
            hint: hint.map(str::to_string),
        });
    }

    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>, hint: Option<&str>) {
        self.push(Severity::Warning, pointer, message.into(), hint);
    }

    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>, hint: Option<&str>) {
        self.push(Severity::Error, pointer, message.into(), hint);
    }

    pub(crate) fn error_at_line(&mut self, line: Option<usize>, message: String, hint: &str) {
        self.found.push(Diagnostic {
            severity: Severity::Error,
            file: self.file.to_string(),
            pointer: String::new(),
            line,
            message,
            hint: Some(hint.to_string()),
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.found.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        self.found.iter().filter(|d| d.severity == Severity::Warning).cloned().collect()
    }

    pub(crate) fn into_failure(self) -> Failure {
        Failure { diagnostics: self.found }
    }
}

/// Escapes one reference token of a JSON pointer.
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a token.
pub(crate) fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}

/// Finds the line of a JSON pointer in YAML or JSON text, by following its keys
/// through the indentation. Best effort: `None` when a step cannot be found
/// (flow style, anchors, array indices in flow sequences).
pub(crate) fn locate(text: &str, pointer: &str) -> Option<usize> {
    if pointer.is_empty() {
        return None;
    }
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0usize;
    let mut min_indent: Option<usize> = None;
    let mut found = None;
    for token in &tokens {
        let mut hit = None;
        if let Ok(index) = token.parse::<usize>() {
            // The n-th "- " item below the current key.
            let mut seen = 0usize;
            for (i, line) in lines.iter().enumerate().skip(start) {
                let indent = line.len() - line.trim_start().len();
                if let Some(m) = min_indent
                    && !line.trim().is_empty() && indent < m && i > start {
                        break;
                    }
                if line.trim_start().starts_with("- ") || line.trim() == "-" {
                    if seen == index {
                        hit = Some((i, indent + 2));
                        break;
                    }
                    seen += 1;
                }
            }
        } else {
            let candidates = [
                format!("{token}:"),
                format!("'{token}':"),
                format!("\"{token}\":"),
                format!("- {token}:"),
            ];
            for (i, line) in lines.iter().enumerate().skip(start) {
                let indent = line.len() - line.trim_start().len();
                if let Some(m) = min_indent
                    && !line.trim().is_empty() && indent < m && i > start {
                        break;
                    }
                let trimmed = line.trim_start();
                if candidates.iter().any(|c| trimmed.starts_with(c.as_str())) {
                    hit = Some((i, indent + 1));
                    break;
                }
            }
        }
        let (line, indent) = hit?;
        found = Some(line + 1);
        start = line + 1;
        min_indent = Some(indent);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_keys_and_items() {
        let text = "a:\n  b:\n    - x: 1\n    - y: 2\n  c: 3\nd:\n  c: 4\n";
        assert_eq!(locate(text, "/a/c"), Some(5));
        assert_eq!(locate(text, "/d/c"), Some(7));
        assert_eq!(locate(text, "/a/b/1"), Some(4));
        assert_eq!(locate(text, "/a/zzz"), None);
    }

    #[test]
    fn locates_escaped_tokens() {
        let text = "paths:\n  /v2/apps:\n    get:\n      x: 1\n";
        assert_eq!(locate(text, "/paths/~1v2~1apps/get"), Some(3));
    }
}
