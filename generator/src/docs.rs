//! Spec prose → rustdoc lines: inert, readable, and building with `-D warnings`.
//!
//! Descriptions are CommonMark with some HTML, written for a web page, and untrusted:
//! - every fenced block (any info string, backtick or tilde fence) becomes a `text`
//!   block, so rustdoc never runs a spec's code as a doctest; indentation that would
//!   make an indented code block is dropped;
//! - common HTML becomes Markdown (`<a href>` links, `<strong>`/`<em>`, `<br>`,
//!   `<code>`, paragraphs and lists, `<aside>` notes as quoted paragraphs); every other
//!   `<` is escaped, so no raw tag from the spec reaches the HTML of `cargo doc`;
//! - code spans are kept only when closed; `[x]` (an intra-doc link to rustdoc) and
//!   non-web link targets are escaped or flattened, bare URLs become autolinks;
//! - control, bidirectional and invisible characters are removed.

/// Characters dropped from spec text: bidirectional controls (rejected by the
/// `text_direction_codepoint_in_comment` lint), zero-width and other invisible format
/// characters. Line and paragraph separators become newlines.
fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\t' => Some(c),
            '\u{2028}' | '\u{2029}' => Some('\n'),
            '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}' => None,
            c if c.is_control() => None,
            // Private-use characters are this module's markers.
            '\u{E000}'..='\u{F8FF}' => Some('\u{FFFD}'),
            c => Some(c),
        })
        .collect::<String>()
        // Tabs become spaces (clippy's `tabs_in_doc_comments`).
        .replace('\t', "    ")
}

/// Converts a description into doc lines (without the `///`).
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let text = clean(text);
    let mut out = Vec::new();
    let mut prose_chunk = String::new();
    let mut lines = text.trim().lines().peekable();
    while let Some(line) = lines.next() {
        let Some((fence_char, fence_len)) = fence(line) else {
            prose_chunk.push_str(line);
            prose_chunk.push('\n');
            continue;
        };
        prose(&std::mem::take(&mut prose_chunk), &mut out);
        let mut body = Vec::new();
        for inner in lines.by_ref() {
            if closes(inner, fence_char, fence_len) {
                break;
            }
            body.push(inner.trim_end().to_string());
        }
        // A fence longer than any backtick run inside, so nothing inside can close it.
        let longest = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
        let ticks = "`".repeat(longest.max(2) + 1);
        out.push(format!("{ticks}text"));
        out.extend(body);
        out.push(ticks);
    }
    prose(&prose_chunk, &mut out);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// A fence opening: at least three backticks or tildes (info string ignored).
fn fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start();
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run = trimmed.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string cannot contain backticks (else it is a code span).
    let rest = &trimmed[run..];
    (run >= 3 && !(c == '`' && rest.contains('`'))).then_some((c, run))
}

fn closes(line: &str, c: char, len: usize) -> bool {
    let trimmed = line.trim();
    let run = trimmed.chars().take_while(|x| *x == c).count();
    run >= len && trimmed.len() == run * c.len_utf8()
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

// Markers for Markdown this module produces itself, placed before escaping and
// replaced after it (private-use characters, removed from the input by `clean`).
const LINK_OPEN: char = '\u{E000}';
const LINK_CLOSE: char = '\u{E001}';
const BREAK: char = '\u{E002}';
const QUOTE_OPEN: char = '\u{E003}';
const QUOTE_CLOSE: char = '\u{E004}';
const CODE: char = '\u{E005}';

/// Prose (no fences): HTML → Markdown, then line by line escaping.
fn prose(chunk: &str, out: &mut Vec<String>) {
    if chunk.trim().is_empty() {
        if !chunk.is_empty() && out.last().is_some_and(|l| !l.is_empty()) {
            out.push(String::new());
        }
        return;
    }
    let converted = html_to_markdown(chunk);
    let mut in_list = false;
    // Where the current list item's text starts (`- x`: 2, `*   x`: 4, `10. x`: 4).
    let mut item_column = 2;
    let mut quote: Option<String> = None;
    let mut lines: Vec<String> = Vec::new();
    for raw in converted.lines() {
        let mut line = raw.trim().to_string();
        let mut prefix = String::new();
        if let Some(rest) = line.strip_prefix(QUOTE_OPEN) {
            let (label, rest) = rest.split_once(QUOTE_OPEN).unwrap_or(("Note", rest));
            quote = Some(format!("**{label}:** "));
            line = rest.trim().to_string();
        }
        let closing = line.contains(QUOTE_CLOSE);
        line = line.replace(QUOTE_CLOSE, "").trim().to_string();
        if let Some(label) = &mut quote {
            prefix = format!("> {}", std::mem::take(label));
        }
        if closing {
            quote = None;
        }
        if line.is_empty() && prefix.is_empty() {
            in_list = false;
            lines.push(String::new());
            continue;
        }
        // Indentation is dropped (four spaces would make an indented code block, a
        // doctest), except that a line continuing a list item is indented by two so
        // it stays inside the item (rustdoc and clippy reject lazy continuations).
        let item = is_list_item(&line);
        if in_list && !item && line.starts_with('|') {
            // A table row after a list starts a new block, after a blank line (else
            // it would be a lazy continuation of the item).
            lines.push(String::new());
            in_list = false;
        }
        let escaped = escape_line(&line);
        let text = if in_list && !item && prefix.is_empty() {
            format!("{}{escaped}", " ".repeat(item_column))
        } else {
            in_list = item;
            if item {
                item_column = content_column(&line);
            }
            escaped
        };
        let text = format!("{prefix}{text}").trim_end().to_string();
        if text == ">" {
            lines.push(String::new());
        } else {
            lines.push(text);
        }
    }
    // A hard line break only between two lines of one paragraph.
    for i in 0..lines.len() {
        let next_is_text = lines.get(i + 1).is_some_and(|l| !l.is_empty());
        let line = &mut lines[i];
        if line.ends_with(BREAK) && next_is_text {
            line.pop();
            line.push('\\');
        }
        *line = line.replace(BREAK, "").trim_end().to_string();
    }
    // Collapse runs of blank lines.
    for line in lines {
        if line.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(line);
    }
}

/// The column a list item's text starts at: after its marker and the spaces that follow
/// (one, when five or more follow: CommonMark reads those as code in the item).
fn content_column(item: &str) -> usize {
    let marker =
        if item.starts_with(['-', '*', '+']) { 1 } else { item.chars().take_while(char::is_ascii_digit).count() + 1 };
    let spaces = item[marker.min(item.len())..].chars().take_while(|c| *c == ' ').count();
    marker + if spaces >= 5 { 1 } else { spaces.max(1) }
}

/// `- x`, `* x`, `+ x`, `1. x`, `1) x`.
fn is_list_item(line: &str) -> bool {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// Rewrites the HTML tags worth keeping as Markdown (with markers), outside code
/// spans; everything else is left for escaping.
fn html_to_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut link_open = false;
    while let Some(i) = rest.find(['<', '`']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('`') {
            // A code span: copied as is up to its closing run; an unclosed run is text.
            let run = rest.chars().take_while(|c| *c == '`').count();
            match find_closing_run(&rest[run..], run) {
                Some(end) => {
                    let inner = &rest[run..run + end];
                    out.push(CODE);
                    out.push_str(&inner.replace('`', "'"));
                    out.push(CODE);
                    rest = &rest[run + end + run..];
                }
                None => {
                    out.push_str(&rest[..run]);
                    rest = &rest[run..];
                }
            }
            continue;
        }
        let Some((tag, len)) = parse_tag(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        rest = &rest[len..];
        match (tag.name.as_str(), tag.closing) {
            ("a", false) => match tag.href.filter(|h| h.starts_with("https://") || h.starts_with("http://")) {
                Some(href) if !link_open => {
                    out.push(LINK_OPEN);
                    link_open = true;
                    // The target rides after the label; stored now, written at `</a>`.
                    out.push_str(&format!("{LINK_CLOSE}{}{LINK_CLOSE}", url_safe(&href)));
                }
                _ => {}
            },
            ("a", true) => {
                if link_open {
                    out.push(LINK_CLOSE);
                    link_open = false;
                }
            }
            ("strong" | "b", _) => out.push_str("**"),
            ("em" | "i", _) => out.push('*'),
            ("br", _) => {
                out.push(BREAK);
                out.push('\n');
            }
            ("p" | "ul" | "ol" | "div", _) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("li", true) => {}
            ("aside", false) => {
                let label = match tag.class.as_deref() {
                    Some(c) if c.contains("warning") => "Warning",
                    Some(c) if c.contains("success") => "Tip",
                    _ => "Note",
                };
                out.push_str(&format!("\n\n{QUOTE_OPEN}{label}{QUOTE_OPEN}"));
            }
            ("aside", true) => out.push_str(&format!("{QUOTE_CLOSE}\n\n")),
            ("code", false) => {
                // The element's text as a code span (markup inside dropped).
                let end = rest.find("</code>").unwrap_or(rest.len());
                let inner = strip_tags(&rest[..end]);
                out.push(CODE);
                out.push_str(&code(&inner).replace('`', "'"));
                out.push(CODE);
                rest = &rest[(end + "</code>".len()).min(rest.len())..];
            }
            _ => {
                // Unknown tag: left as text, escaped later.
                let original = &text[text.len() - rest.len() - len..text.len() - rest.len()];
                out.push_str(original);
            }
        }
    }
    out.push_str(rest);
    if link_open {
        out.push(LINK_CLOSE);
    }
    resolve_links(&out)
}

/// Moves each link target (stored right after `LINK_OPEN`) behind its label.
fn resolve_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(LINK_OPEN) {
        out.push_str(&rest[..i]);
        rest = &rest[i + LINK_OPEN.len_utf8()..];
        // LINK_CLOSE url LINK_CLOSE label LINK_CLOSE
        let mut parts = rest.splitn(4, LINK_CLOSE);
        let (_, url, label) = (parts.next(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let after = parts.next();
        match after {
            Some(after) => {
                out.push(LINK_OPEN);
                out.push_str(label);
                out.push(LINK_CLOSE);
                out.push_str(url);
                out.push(LINK_CLOSE);
                rest = after;
            }
            None => {
                out.push_str(label);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL as it can sit inside `(...)` or `<...>`: visible ASCII without delimiters,
/// everything else percent-encoded.
fn url_safe(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() && !b"<>()[]`\"'\\{}|^".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    class: Option<String>,
}

/// `<name attr="v" ...>` or `</name>` at the start of `text` (within 1000 bytes):
/// the tag and its length.
fn parse_tag(text: &str) -> Option<(Tag, usize)> {
    let window = &text[..text.len().min(1000)];
    let end = window.find('>')?;
    let inner = &window[1..end];
    if inner.contains('<') || inner.contains('\n') && inner.len() > 200 {
        return None;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let inner = inner.trim_end_matches('/').trim();
    let name_len = inner.chars().take_while(|c| c.is_ascii_alphanumeric()).count();
    if name_len == 0 || !inner.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = inner[..name_len].to_ascii_lowercase();
    let attrs = &inner[name_len..];
    if !attrs.is_empty() && !attrs.starts_with(char::is_whitespace) {
        return None;
    }
    let attr = |key: &str| -> Option<String> {
        let lower = attrs.to_ascii_lowercase();
        let at = lower.find(&format!("{key}="))? + key.len() + 1;
        let value = &attrs[at..];
        let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &value[1..];
        Some(value[..value.find(quote)?].to_string())
    };
    let tag = Tag { href: attr("href"), class: attr("class"), name, closing };
    Some((tag, end + 1))
}

fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The length of the text before the first backtick run of exactly `run`, if any.
fn find_closing_run(text: &str, run: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else {
            i += 1;
        }
    }
    None
}

/// One line: code spans (marked `CODE`) kept, the rest escaped; markers resolved.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split(CODE).enumerate() {
        if i % 2 == 1 {
            out.push('`');
            out.push_str(part);
            out.push('`');
        } else {
            out.push_str(&escape_text(part));
        }
    }
    // Markers of a link split across lines are dropped (its text stays).
    out.replace([LINK_OPEN, LINK_CLOSE], "")
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        // Our own link (from HTML): label escaped, target already safe.
        if c == LINK_OPEN
            && let Some(close) = rest.find(LINK_CLOSE)
        {
            let label = &rest[c.len_utf8()..close];
            let after = &rest[close + LINK_CLOSE.len_utf8()..];
            let end = after.find(LINK_CLOSE).unwrap_or(after.len());
            out.push('[');
            out.push_str(&escape_plain(label));
            out.push_str("](");
            out.push_str(&after[..end]);
            out.push(')');
            rest = after.get(end + LINK_CLOSE.len_utf8()..).unwrap_or_default();
            continue;
        }
        // A markdown link [label](target): keep web links, flatten the rest to text.
        if c == '['
            && let Some((label, target, len)) = markdown_link(rest)
        {
            if target.starts_with("http://") || target.starts_with("https://") {
                out.push('[');
                out.push_str(&escape_plain(label));
                out.push_str("](");
                out.push_str(&url_safe(target));
                out.push(')');
            } else {
                out.push_str(&escape_plain(label));
            }
            rest = &rest[len..];
            continue;
        }
        let autolink = rest.strip_prefix('<').filter(|r| r.starts_with("http://") || r.starts_with("https://"));
        let url_start =
            autolink.or_else(|| (rest.starts_with("http://") || rest.starts_with("https://")).then_some(rest));
        if let Some(url_text) = url_start {
            let end = url_text
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '<' | '`' | '\'' | ']' | '['))
                .unwrap_or(url_text.len());
            let url = url_text[..end].trim_end_matches(['.', ',', ';', ':']);
            if url.len() > "http://".len() {
                out.push('<');
                out.push_str(&url_safe(url));
                out.push('>');
                let consumed = rest.len() - url_text.len() + url.len();
                rest = &rest[consumed..];
                if autolink.is_some() && rest.starts_with('>') {
                    rest = &rest[1..];
                }
                continue;
            }
        }
        escape_char(c, &mut out);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn escape_char(c: char, out: &mut String) {
    match c {
        '[' => out.push_str("\\["),
        ']' => out.push_str("\\]"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '`' => out.push_str("\\`"),
        _ => out.push(c),
    }
}

fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        escape_char(c, &mut out);
    }
    out
}

/// Parses `[label](target)` at the start of `text`: (label, target, byte length).
/// Bounded: the label ends at the first bracket, the target at the first `)` or space
/// within 2 KiB, so a text full of brackets is scanned in linear time.
fn markdown_link(text: &str) -> Option<(&str, &str, usize)> {
    let close = text[1..].find(['[', ']', '\n'])? + 1;
    if text.as_bytes()[close] != b']' || !text[close..].starts_with("](") {
        return None;
    }
    let label = &text[1..close];
    let after = &text[close + 2..];
    let window = &after[..after.len().min(2048)];
    let end = window.find(|c: char| c == ')' || c.is_whitespace() || c == '(' || c == '[')?;
    if !window[end..].starts_with(')') {
        return None;
    }
    let target = &after[..end];
    Some((label, target, close + 2 + end + 1))
}

/// A name or value for a doc line inside a code span: one line, no backticks, no
/// invisible characters.
pub(crate) fn code(text: &str) -> String {
    clean(text)
        .chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if c == '`' {
                '\''
            } else {
                c
            }
        })
        .collect()
}

/// A short text (a title) as one line of escaped prose.
pub(crate) fn inline(text: &str) -> String {
    let mut lines = Vec::new();
    prose(&clean(text).split_whitespace().collect::<Vec<_>>().join(" "), &mut lines);
    lines.join(" ").trim().to_string()
}

/// A short text as one plain line (for `Cargo.toml`): no control or invisible
/// characters, no Markdown escaping.
pub(crate) fn plain(text: &str) -> String {
    let one_line: String = clean(text).chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    one_line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Our own hand-written guide: kept as written, minus control and invisible characters.
pub(crate) fn guide_lines(text: &str) -> Vec<String> {
    text.trim_end().lines().map(|l| clean(l).replace('\t', "    ")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_continuations_stay_in_their_item() {
        let lines = doc_lines("Steps:\n- first\n    `https://x/{id}`\n- second\nlazy\n\nAfter.");
        assert_eq!(lines, vec!["Steps:", "- first", "  `https://x/{id}`", "- second", "  lazy", "", "After."]);
        // A wider marker: the continuation lines up with the item's text (clippy's
        // doc_lazy_continuation wants that column).
        let lines = doc_lines("**Note**:\n*   one\n  more\n10. ten\nmore\n-      far");
        assert_eq!(lines, vec!["**Note**:", "*   one", "    more", "10. ten", "    more", "-      far"]);
    }

    #[test]
    fn a_table_row_after_a_list_starts_a_block() {
        let lines = doc_lines("| a | b |\n| - | - |\n| x | y:\\\n1. one \\\n2. two |\n| z\t| w |");
        assert_eq!(lines, vec!["| a | b |", "| - | - |", "| x | y:\\", "1. one \\", "2. two |", "", "| z    | w |"]);
    }

    #[test]
    fn inline_texts_stay_on_one_line() {
        assert_eq!(code("a\nb`c\r"), "a b'c");
        assert_eq!(inline(" My [API]\r\n v2 "), "My \\[API\\] v2");
        assert_eq!(plain("Soft\u{ad}hyphen \u{202e}rtl\n x"), "Softhyphen rtl x");
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
                "A link and [web](https://x.io).",
            ]
        );
    }

    #[test]
    fn every_fence_is_inert_text() {
        for fence in [
            "```",
            "```rust",
            "```edition2021",
            "```should_panic",
            "```rust,",
            "~~~",
            "~~~rust",
            "````",
            "```compile_fail",
        ] {
            let closing =
                if fence.starts_with('~') { "~~~" } else { &fence[..fence.chars().take_while(|c| *c == '`').count()] };
            let lines = doc_lines(&format!("Intro.\n{fence}\nstd::process::exit(1);\n{closing}\nAfter."));
            assert_eq!(lines[1..4], ["```text", "std::process::exit(1);", "```"], "{fence}: {lines:?}");
        }
        // A fence inside is longer than ours would be: ours grows.
        let lines = doc_lines("~~~\n```rust\nfn main() {}\n```\n~~~");
        assert_eq!(lines, vec!["````text", "```rust", "fn main() {}", "```", "````"]);
        // Unclosed.
        assert_eq!(doc_lines("```\nopen"), vec!["```text", "open", "```"]);
    }

    #[test]
    fn no_raw_tag_survives() {
        for hostile in [
            "`unmatched <script>alert(1)</script>",
            "text ` <img src=x onerror=alert(1)>",
            "<iframe src=\"https://evil\"></iframe>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"https://x\" onclick=\"evil()\">ok</a><script>",
            "<<script>script>",
        ] {
            let text = doc_lines(hostile).join("\n");
            let outside_code: String = text.split('`').step_by(2).collect();
            assert!(
                !outside_code.contains('<')
                    || outside_code.matches('<').count() == outside_code.matches("<https://").count(),
                "{hostile} → {text}"
            );
            assert!(
                !text.contains("<script") && !text.contains("<img") && !text.contains("<iframe"),
                "{hostile} → {text}"
            );
        }
    }

    #[test]
    fn html_becomes_markdown() {
        let lines = doc_lines(
            "See the <a href=\"https://docs.example.com/guide\">Switchboard <strong>guide</strong></a>.<br>Next line.\n<aside class=\"notice\">Only for <code>sdkGroup</code> conversations.</aside>\n<ul><li>one</li><li>two</li></ul>",
        );
        assert_eq!(
            lines,
            vec![
                "See the [Switchboard **guide**](https://docs.example.com/guide).\\",
                "Next line.",
                "",
                "> **Note:** Only for `sdkGroup` conversations.",
                "",
                "- one",
                "- two",
            ]
        );
    }

    #[test]
    fn brackets_and_links_in_linear_time() {
        let text = "[".repeat(200_000) + &"[a](b".repeat(20_000);
        let lines = doc_lines(&text);
        assert!(lines[0].starts_with("\\[\\["));
    }
}
