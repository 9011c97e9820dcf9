//! syn + prettyplease, with a blank line between items and between methods. A
//! `macro_rules!` is printed as its template wrote it: prettyplease flows a macro's
//! body as one paragraph of tokens, where one arm per line reads (and diffs) better.

/// Parses and pretty-prints one Rust file. An error names the file and the line.
pub(super) fn rust(path: &str, source: &str) -> Result<String, String> {
    let file = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        let line = source.lines().nth(at.line.saturating_sub(1)).unwrap_or_default();
        format!("generator bug: {path}:{}:{}: {e}\n  | {}", at.line, at.column + 1, line.trim())
    })?;
    let mut out =
        prettyplease::unparse(&syn::File { shebang: None, frontmatter: None, attrs: file.attrs, items: Vec::new() });
    // Consecutive `use` and `mod` items stay together; everything else is separated.
    let kind = |item: &syn::Item| match item {
        syn::Item::Use(_) => 1,
        syn::Item::Mod(_) => 2,
        _ => 0,
    };
    let mut previous = 0;
    for item in file.items {
        let current = kind(&item);
        if !out.is_empty() && (current == 0 || current != previous) {
            out.push('\n');
        }
        if let syn::Item::Macro(m) = &item
            && m.mac.path.is_ident("macro_rules")
        {
            out.push_str(&verbatim(source, &item));
            previous = current;
            continue;
        }
        let one = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: vec![item] };
        out.push_str(&space_members(&prettyplease::unparse(&one)));
        previous = current;
    }
    Ok(out)
}

/// The source text of `item` (its attributes and doc comments included), by its span,
/// each line with trailing spaces trimmed.
fn verbatim(source: &str, item: &syn::Item) -> String {
    use syn::spanned::Spanned;
    let (start, end) = (item.span().start(), item.span().end());
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate().take(end.line).skip(start.line.saturating_sub(1)) {
        let chars: Vec<char> = line.chars().collect();
        let from = if index + 1 == start.line { start.column } else { 0 };
        let to = if index + 1 == end.line { end.column.min(chars.len()) } else { chars.len() };
        out.push_str(chars[from.min(to)..to].iter().collect::<String>().trim_end());
        out.push('\n');
    }
    out
}

/// prettyplease puts nothing between the methods of an impl or the variants of a
/// documented enum; a blank line before each documented member reads better.
fn space_members(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous = "";
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let starts_member = indent > 0
            && (trimmed.starts_with("///")
                || trimmed.starts_with("#[")
                || trimmed.starts_with("pub fn ")
                || trimmed.starts_with("fn ")
                || trimmed.starts_with("pub async fn "));
        let prev_trimmed = previous.trim_start();
        let prev_indent = previous.len() - prev_trimmed.len();
        let after_member = (prev_trimmed == "}" && prev_indent == indent)
            || (prev_trimmed.ends_with(',') && prev_indent == indent && !prev_trimmed.starts_with("///"));
        if starts_member && after_member {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
