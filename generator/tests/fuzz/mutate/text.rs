//! Byte- and line-level mutations of a spec's text: truncation, flipped bytes, lines
//! duplicated, deleted, re-indented or swapped, YAML/JSON syntax inserted, anchors and
//! aliases.

use crate::rng::Rng;

/// Applies one text mutation to `text` and logs it.
pub(crate) fn mutate_text(rng: &mut Rng, text: &str, log: &mut Vec<String>) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match rng.below(8) {
        0 => truncate(rng, text, log),
        1 => flip_bytes(rng, text, log),
        2 => duplicate_lines(rng, &lines, log),
        3 => delete_line(rng, text, &lines, log),
        4 => indent_line(rng, text, &lines, log),
        5 => swap_lines(rng, text, &lines, log),
        6 => insert_syntax(rng, text, log),
        _ => anchor_and_alias(rng, text, &lines, log),
    }
}

/// A random line index (0 when there are no lines).
fn line_at(rng: &mut Rng, lines: &[&str]) -> usize {
    rng.below(lines.len().max(1))
}

fn truncate(rng: &mut Rng, text: &str, log: &mut Vec<String>) -> String {
    let cut = rng.below(text.len() + 1);
    log.push(format!("truncate at byte {cut}"));
    String::from_utf8_lossy(&text.as_bytes()[..cut]).into_owned()
}

fn flip_bytes(rng: &mut Rng, text: &str, log: &mut Vec<String>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let n = rng.small(1, 8);
    for _ in 0..n {
        if bytes.is_empty() {
            break;
        }
        let i = rng.below(bytes.len());
        bytes[i] = match rng.below(4) {
            0 => bytes[i] ^ (1 << rng.below(8)),
            1 => *rng.pick(b"{}[]:-'\"#&*!|>%@`, \t\n\\?"),
            2 => rng.below(256) as u8,
            _ => bytes[i].wrapping_add(1),
        };
    }
    log.push(format!("flip {n} bytes"));
    String::from_utf8_lossy(&bytes).into_owned()
}

fn duplicate_lines(rng: &mut Rng, lines: &[&str], log: &mut Vec<String>) -> String {
    let i = line_at(rng, lines);
    let n = rng.small(1, 5).min(lines.len().saturating_sub(i));
    log.push(format!("duplicate lines {}..{}", i + 1, i + n + 1));
    let mut out: Vec<&str> = lines[..i + n].to_vec();
    out.extend_from_slice(&lines[i..]);
    out.concat()
}

fn delete_line(rng: &mut Rng, text: &str, lines: &[&str], log: &mut Vec<String>) -> String {
    if lines.is_empty() {
        return text.to_string();
    }
    let i = line_at(rng, lines);
    log.push(format!("delete line {}", i + 1));
    let mut out = lines.to_vec();
    out.remove(i);
    out.concat()
}

fn indent_line(rng: &mut Rng, text: &str, lines: &[&str], log: &mut Vec<String>) -> String {
    if lines.is_empty() {
        return text.to_string();
    }
    let i = line_at(rng, lines);
    let n = rng.small(1, 4);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let line = out[i].clone();
    out[i] = match rng.below(3) {
        0 => format!("{}{line}", " ".repeat(n)),
        1 => line.strip_prefix(&" ".repeat(n)).map_or(line.clone(), str::to_string),
        _ => format!("\t{line}"),
    };
    log.push(format!("indent line {}", i + 1));
    out.concat()
}

fn swap_lines(rng: &mut Rng, text: &str, lines: &[&str], log: &mut Vec<String>) -> String {
    if lines.len() < 2 {
        return text.to_string();
    }
    let (a, b) = (line_at(rng, lines), line_at(rng, lines));
    let mut out = lines.to_vec();
    out.swap(a, b);
    log.push(format!("swap lines {} and {}", a + 1, b + 1));
    out.concat()
}

/// YAML and JSON syntax to insert at a random byte.
const SYNTAX: &[&str] = &[
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "&a ",
    "*a",
    "!!binary ",
    "<<: *a\n",
    "? ",
    "|\n",
    ">-\n",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "\t",
    "'",
    "\"",
    "#",
    "\\u0000",
    "\u{feff}",
    "~",
    "!!str ",
    "!tag ",
    ": {",
    "\r",
];

fn insert_syntax(rng: &mut Rng, text: &str, log: &mut Vec<String>) -> String {
    let insert = *rng.pick(SYNTAX);
    let mut i = rng.below(text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    log.push(format!("insert {insert:?} at byte {i}"));
    format!("{}{insert}{}", &text[..i], &text[i..])
}

/// Anchors and aliases: the same subtree under two keys.
fn anchor_and_alias(rng: &mut Rng, text: &str, lines: &[&str], log: &mut Vec<String>) -> String {
    let i = line_at(rng, lines);
    let Some(line) = lines.get(i) else { return text.to_string() };
    let trimmed = line.trim_end();
    if !trimmed.ends_with(':') {
        return text.to_string();
    }
    let indent = line.len() - line.trim_start().len();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[i] = format!("{trimmed} &anchor\n");
    out.insert(i + 1, String::new());
    let key = trimmed.trim_start().trim_end_matches(':');
    out.push(format!("{}{key}_alias: *anchor\n", " ".repeat(indent)));
    log.push(format!("anchor line {} and alias it", i + 1));
    out.concat()
}
