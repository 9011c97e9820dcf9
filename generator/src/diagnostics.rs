//! Errors and warnings about the input spec: what is wrong, where, and what to do.

use std::fmt;

use crate::limits::MAX_DIAGNOSTICS;

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

/// Collects findings for one spec file. Lines are looked up once, at the end, in an
/// index of the text built in one pass; findings past [`MAX_DIAGNOSTICS`] are counted,
/// not kept.
#[derive(Debug)]
pub(crate) struct Reporter<'a> {
    file: &'a str,
    text: &'a str,
    found: Vec<Diagnostic>,
    /// (error?, file, pointer, message) of every finding kept: the same finding twice
    /// (a schema read at each of its uses) is said once.
    seen: std::collections::BTreeSet<(bool, String, String, String)>,
    errors: usize,
    dropped: usize,
    /// While one operation is normalised ([`Reporter::begin_operation`]): what makes it
    /// inexpressible, for `normalise::operation` to decide on (left out or refused).
    operation: Option<Vec<Diagnostic>>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text, found: Vec::new(), seen: Default::default(), errors: 0, dropped: 0, operation: None }
    }

    fn push(&mut self, severity: Severity, pointer: &str, line: Option<usize>, message: String, hint: Option<&str>) {
        self.keep(Diagnostic {
            severity,
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            line,
            message,
            hint: hint.map(str::to_string),
        });
    }

    fn keep(&mut self, d: Diagnostic) {
        let key = (d.severity == Severity::Error, d.file.clone(), d.pointer.clone(), d.message.clone());
        if !self.seen.insert(key) {
            return;
        }
        if d.severity == Severity::Error {
            self.errors += 1;
        }
        if self.found.len() >= MAX_DIAGNOSTICS {
            self.dropped += 1;
            return;
        }
        self.found.push(d);
    }

    pub(crate) fn warn(&mut self, pointer: &str, message: impl Into<String>, hint: Option<&str>) {
        self.push(Severity::Warning, pointer, None, message.into(), hint);
    }

    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>, hint: Option<&str>) {
        self.push(Severity::Error, pointer, None, message.into(), hint);
    }

    /// Something one operation uses that the generator cannot express (a parameter's
    /// location or style, a body's media type): while an operation is normalised it is
    /// collected for [`Reporter::end_operation`]; anywhere else it is an error.
    pub(crate) fn unsupported(&mut self, pointer: &str, message: impl Into<String>, hint: Option<&str>) {
        let d = Diagnostic {
            severity: Severity::Error,
            file: self.file.to_string(),
            pointer: pointer.to_string(),
            line: None,
            message: message.into(),
            hint: hint.map(str::to_string),
        };
        match &mut self.operation {
            Some(found) => found.push(d),
            None => self.keep(d),
        }
    }

    /// Starts collecting [`Reporter::unsupported`] findings for one operation.
    pub(crate) fn begin_operation(&mut self) {
        self.operation = Some(Vec::new());
    }

    /// The [`Reporter::unsupported`] findings since [`Reporter::begin_operation`], in
    /// the order found; stops collecting.
    pub(crate) fn end_operation(&mut self) -> Vec<Diagnostic> {
        self.operation.take().unwrap_or_default()
    }

    /// Whether the operation being normalised already has an unsupported finding.
    pub(crate) fn collected_unsupported(&self) -> bool {
        self.operation.as_ref().is_some_and(|found| !found.is_empty())
    }

    /// Keeps a finding made elsewhere (one [`Reporter::end_operation`] returned, as an
    /// error or a warning).
    pub(crate) fn report(&mut self, d: Diagnostic) {
        self.keep(d);
    }

    pub(crate) fn error_at_line(&mut self, line: Option<usize>, message: String, hint: &str) {
        self.push(Severity::Error, "", line, message, Some(hint));
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Takes over the findings about another file (an overlay), lines filled in from
    /// that file's text.
    pub(crate) fn absorb(&mut self, other: Reporter<'_>) {
        for d in other.finish() {
            self.keep(d);
        }
    }

    /// Every finding, with lines filled in and a last one counting those not kept.
    fn finish(&self) -> Vec<Diagnostic> {
        let mut found = self.found.clone();
        // Findings taken over from another file (`absorb`) already have their lines.
        let unlocated = |d: &Diagnostic| d.line.is_none() && !d.pointer.is_empty() && d.file == self.file;
        if found.iter().any(unlocated) {
            let index = LineIndex::new(self.text);
            for d in found.iter_mut().filter(|d| unlocated(d)) {
                d.line = index.line(&d.pointer);
            }
        }
        if self.dropped > 0 {
            found.push(Diagnostic {
                severity: if self.errors > 0 { Severity::Error } else { Severity::Warning },
                file: self.file.to_string(),
                pointer: String::new(),
                line: None,
                message: format!("{} more findings not shown (at most {MAX_DIAGNOSTICS} are listed)", self.dropped),
                hint: Some("fix the findings above and run again".to_string()),
            });
        }
        found
    }

    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        self.finish().into_iter().filter(|d| d.severity == Severity::Warning).collect()
    }

    pub(crate) fn into_failure(self) -> Failure {
        Failure { diagnostics: self.finish() }
    }
}

pub(crate) use crate::openapi::join;

/// The line of every key of a block-style YAML (or pretty JSON) text, by JSON pointer,
/// found by following the indentation in one pass over the lines, with a stack of the
/// open mappings and sequences. Best effort: keys in flow collections, anchors or
/// unusual quoting are not indexed (their findings have no line).
struct LineIndex {
    lines: std::collections::HashMap<String, usize>,
}

/// An open mapping or sequence while indexing.
struct Frame {
    /// Column of its keys or dashes.
    indent: usize,
    seq: bool,
    pointer: String,
    next_item: usize,
    /// Pointer of its last key or item: the parent of a deeper block.
    last: Option<String>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut index = std::collections::HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let trimmed = raw.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut column = raw.len() - trimmed.len();
            let mut rest = trimmed;
            loop {
                let item = rest == "-" || rest.starts_with("- ");
                // Deeper blocks end here; so does a sequence written at its parent key's
                // column when the next key comes.
                while stack.last().is_some_and(|f| f.indent > column || (f.indent == column && f.seq && !item)) {
                    stack.pop();
                }
                if stack.last().is_none_or(|f| f.indent < column || f.seq != item) {
                    let parent = stack.last().and_then(|f| f.last.clone()).unwrap_or_default();
                    stack.push(Frame { indent: column, seq: item, pointer: parent, next_item: 0, last: None });
                }
                let Some(frame) = stack.last_mut() else { break };
                if item {
                    let at = join(&frame.pointer, &frame.next_item.to_string());
                    frame.next_item += 1;
                    index.entry(at.clone()).or_insert(n + 1);
                    frame.last = Some(at);
                    // The rest of the line is the item's content, one column further in.
                    let after = &rest[1..];
                    column += 1 + (after.len() - after.trim_start().len());
                    rest = after.trim_start();
                    if rest.is_empty() {
                        break;
                    }
                    continue;
                }
                if let Some(key) = key_of(rest) {
                    let at = join(&frame.pointer, &key);
                    index.entry(at.clone()).or_insert(n + 1);
                    frame.last = Some(at);
                }
                break;
            }
        }
        Self { lines: index }
    }

    fn line(&self, pointer: &str) -> Option<usize> {
        self.lines.get(pointer).copied()
    }
}

/// The key of a `key: value` line: plain, single- or double-quoted.
fn key_of(text: &str) -> Option<String> {
    let text = text.trim_end();
    for quote in ['\'', '"'] {
        if let Some(rest) = text.strip_prefix(quote) {
            let end = rest.find(quote)?;
            return rest[end + 1..].trim_start().starts_with(':').then(|| rest[..end].to_string());
        }
    }
    let end = text.find(": ").or_else(|| text.ends_with(':').then(|| text.len() - 1))?;
    Some(text[..end].trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(text: &str, pointer: &str) -> Option<usize> {
        LineIndex::new(text).line(pointer)
    }

    #[test]
    fn indexes_a_deep_text_without_recursion() {
        let mut text = String::new();
        for depth in 0..20_000 {
            text.push_str(&" ".repeat(depth));
            text.push_str("k:\n");
        }
        assert_eq!(locate(&text, "/k/k/k"), Some(3));
    }

    #[test]
    fn keeps_at_most_the_limit_and_counts_the_rest() {
        let mut report = Reporter::new("x.yaml", "a: 1\n");
        for i in 0..MAX_DIAGNOSTICS + 7 {
            report.warn("/a", format!("w{i}"), None);
        }
        let warnings = report.warnings();
        assert_eq!(warnings.len(), MAX_DIAGNOSTICS + 1);
        assert_eq!(warnings[0].line, Some(1));
        assert!(warnings.last().unwrap().message.starts_with("7 more findings"));
    }

    #[test]
    fn the_same_finding_twice_is_said_once() {
        let mut report = Reporter::new("x.yaml", "a: 1\n");
        for _ in 0..3 {
            report.warn("/a", "w", None);
            report.error("/a", "e", None);
        }
        report.warn("/b", "w", None);
        let failure = report.into_failure();
        assert_eq!(failure.diagnostics.len(), 3, "{failure}");
    }

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
