//! Spec prose → rustdoc lines that build with `-D warnings`.
//!
//! Descriptions are CommonMark written for a web page: bare URLs, `filter[userId]`
//! (an intra-doc link to rustdoc), untagged code fences (doctests to rustdoc),
//! indented blocks (doctests too), stray `<tags>`. Each is neutralised here, in prose
//! only; code spans and fences keep their text.

/// Converts a description into doc lines (without the `///`).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_list = false;
    let text: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push("```".to_string());
            } else {
                let lang = trimmed.trim_start_matches('`').trim();
                let lang = if lang.is_empty() || lang == "rust" { "text" } else { lang };
                out.push(format!("```{lang}"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        // Indentation is dropped (four spaces would make an indented code block, a
        // doctest), except that a line continuing a list item is indented by two so
        // it stays inside the item (rustdoc and clippy reject lazy continuations).
        let item = is_list_item(trimmed);
        if trimmed.is_empty() {
            in_list = false;
            out.push(String::new());
        } else if in_list && !item {
            out.push(format!("  {}", prose(trimmed)));
        } else {
            in_list = item;
            out.push(prose(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`.
fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// A name or value for a doc line inside a code span: one line, no backticks.
pub(crate) fn code(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else if c == '`' { '\'' } else { c }).collect()
}

/// A short text (a title) as one line of escaped prose.
pub(crate) fn inline(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    prose(one_line.trim())
}

/// Escapes one line of prose outside backtick code spans.
fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&escape_text(part));
        }
    }
    out
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A markdown link [label](target): keep web links, flatten the rest to text.
        if rest.starts_with('[')
            && let Some((label, target, len)) = markdown_link(rest) {
                if target.starts_with("http://") || target.starts_with("https://") {
                    out.push('[');
                    out.push_str(&escape_plain(label));
                    out.push_str("](");
                    out.push_str(target);
                    out.push(')');
                } else {
                    out.push_str(&escape_plain(label));
                }
                rest = &rest[len..];
                continue;
            }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ')' || c == '>' || c == '"')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push_str(&escape_plain(&c.to_string()));
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Parses `[label](target)` at the start of `text`: (label, target, byte length).
fn markdown_link(text: &str) -> Option<(&str, &str, usize)> {
    let close = text.find("](")?;
    let label = &text[1..close];
    if label.contains('[') || label.contains(']') {
        return None;
    }
    let after = &text[close + 2..];
    let end = after.find(')')?;
    let target = &after[..end];
    if target.contains(char::is_whitespace) {
        return None;
    }
    Some((label, target, close + 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_continuations_stay_in_their_item() {
        let lines = doc_lines("Steps:\n- first\n    `https://x/{id}`\n- second\nlazy\n\nAfter.");
        assert_eq!(lines, vec!["Steps:", "- first", "  `https://x/{id}`", "- second", "  lazy", "", "After."]);
    }

    #[test]
    fn inline_texts_stay_on_one_line() {
        assert_eq!(code("a\nb`c\r"), "a b'c ");
        assert_eq!(inline(" My [API]\r\n v2 "), "My \\[API\\]   v2");
    }

    #[test]
    fn neutralises_rustdoc_hazards() {
        let lines = doc_lines(
            "Use filter[userId] or `page[after]`.\nSee https://example.com/x.\n    indented\n```\ncode [x]\n```\nA [link](#section/a) and [web](https://x.io). <br>",
        );
        assert_eq!(
            lines,
            vec![
                "Use filter\\[userId\\] or `page[after]`.",
                "See <https://example.com/x>.",
                "indented",
                "```text",
                "code [x]",
                "```",
                "A link and [web](https://x.io). &lt;br&gt;",
            ]
        );
    }
}
