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

/// Finds the line of a JSON pointer in block-style YAML (or pretty JSON) text by
/// following its keys through the indentation: a child key sits at the indentation of
/// the first line of its parent's block. Best effort: `None` when a step cannot be
/// found (flow style, anchors, quoting the scan does not know).
pub(crate) fn locate(text: &str, pointer: &str) -> Option<usize> {
    if pointer.is_empty() {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let indent = |i: usize| lines[i].len() - lines[i].trim_start().len();
    let meaningful = |i: usize| !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with('#');
    // The current node's children: candidate lines and the text to match on each.
    // Initially the document root.
    let mut scope: Vec<(usize, usize)> = Vec::new(); // (line, column where the key starts)
    let child_block = |from: usize, min_indent: Option<usize>| -> Vec<(usize, usize)> {
        let Some(first) = (from..lines.len()).find(|&i| meaningful(i)) else { return Vec::new() };
        let level = indent(first);
        if min_indent.is_some_and(|m| level <= m) {
            return Vec::new();
        }
        (first..lines.len())
            .take_while(|&i| !meaningful(i) || indent(i) >= level)
            .filter(|&i| meaningful(i) && indent(i) == level)
            .map(|i| (i, level))
            .collect()
    };
    scope.extend(child_block(0, None));
    let mut found = None;
    for token in pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")) {
        // A number is an index only where the node is a list (`"200":` is a key).
        let in_list = scope.first().is_some_and(|&(i, c)| lines[i][c..].starts_with('-'));
        let index = token.parse::<usize>().ok().filter(|_| in_list);
        let (line, column) = if let Some(index) = index {
            let items: Vec<(usize, usize)> =
                scope.iter().copied().filter(|&(i, c)| lines[i][c..].starts_with('-')).collect();
            let (line, column) = *items.get(index)?;
            // The item's first key is on its own line, after "- ".
            let rest = &lines[line][column + 1..];
            (line, column + 1 + (rest.len() - rest.trim_start().len()))
        } else {
            let keys = [format!("{token}:"), format!("'{token}':"), format!("\"{token}\":")];
            *scope.iter().find(|&&(i, c)| {
                let text = lines[i][c..].trim_start_matches("- ");
                keys.iter().any(|k| text.starts_with(k.as_str()))
            })?
        };
        found = Some(line + 1);
        // Children: keys on the same line after "- " (list items), then the block below.
        let mut next = Vec::new();
        if index.is_some() {
            next.push((line, column));
            next.extend(child_block(line + 1, Some(column.saturating_sub(1))).into_iter().filter(|&(_, c)| c == column));
        } else {
            next.extend(child_block(line + 1, Some(indent(line))));
        }
        scope = next;
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
    fn locates_keys_inside_list_items_and_skips_deeper_namesakes() {
        let text = "params:\n  - name: a\n    in: path\n  - name: b\n    in: query\nschemas:\n  holder:\n    nested: 1\n  nested:\n    type: array\n";
        assert_eq!(locate(text, "/params/1/in"), Some(5));
        assert_eq!(locate(text, "/params/0/name"), Some(2));
        assert_eq!(locate(text, "/schemas/nested"), Some(9));
        assert_eq!(locate(text, "/schemas/nested/type"), Some(10));
        let text = "responses:\n  \"200\":\n    description: ok\n";
        assert_eq!(locate(text, "/responses/200/description"), Some(3));
    }

    #[test]
    fn locates_escaped_tokens() {
        let text = "paths:\n  /v2/apps:\n    get:\n      x: 1\n";
        assert_eq!(locate(text, "/paths/~1v2~1apps/get"), Some(3));
    }
}
