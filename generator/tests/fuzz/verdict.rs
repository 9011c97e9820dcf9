//! What an answer is about: the dedup key of a panic (its place in the generator), the
//! contract of an `Err` (diagnostics, an error among them, non-empty text), "generator
//! bug" render errors, and the kind of a rejection for `FUZZ_STATS`.

use crate::run::PanicRecord;

/// The first frames of the generator's own source in a backtrace.
pub(crate) fn generator_frames(backtrace: &str, max: usize) -> Vec<String> {
    let lines: Vec<&str> = backtrace.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if let Some(at) = t.strip_prefix("at ")
            && at.contains("generator/src/")
        {
            let symbol = lines.get(i.wrapping_sub(1)).map(|s| s.trim()).unwrap_or_default();
            let symbol = symbol.split_once(": ").map_or(symbol, |(_, s)| s);
            let file = at.rsplit_once("generator/src/").map_or(at, |(_, f)| f);
            out.push(format!("generator/src/{file} ({symbol})"));
            if out.len() >= max {
                break;
            }
        }
    }
    out
}

/// The dedup key of a panic: its location when in the generator, else the first
/// generator frame of the backtrace, else the location.
pub(crate) fn panic_key(record: &PanicRecord) -> String {
    if record.location.contains("generator/src/") {
        let loc = record.location.rsplit_once("generator/src/").map_or(record.location.as_str(), |(_, f)| f);
        return format!("generator/src/{loc}");
    }
    match generator_frames(&record.backtrace, 1).first() {
        Some(frame) => format!("{} via {}", record.location, frame),
        None => record.location.clone(),
    }
}

/// Contract of an `Err`: at least one diagnostic, an error among them, non-empty text.
pub(crate) fn contract_problem(failure: &generator::Failure) -> Option<String> {
    if failure.diagnostics.is_empty() {
        return Some("Err(Failure) without diagnostics".into());
    }
    if failure.to_string().trim().is_empty() {
        return Some("Err(Failure) whose Display is empty".into());
    }
    if !failure.diagnostics.iter().any(|d| d.severity == generator::Severity::Error) {
        return Some("Err(Failure) with warnings only, no error".into());
    }
    if let Some(d) = failure.diagnostics.iter().find(|d| d.message.trim().is_empty()) {
        return Some(format!("a diagnostic with an empty message at {:?}", d.pointer));
    }
    None
}

/// What a rejection is about, for `FUZZ_STATS=1`: the first error's message without
/// quoted details.
pub(crate) fn rejection_kind(failure: &generator::Failure) -> String {
    let Some(d) = failure.diagnostics.iter().find(|d| d.severity == generator::Severity::Error) else {
        return "(no error)".into();
    };
    let mut out = String::new();
    let mut quoted = false;
    for c in d.message.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                out.push_str(if quoted { "`…" } else { "`" });
            }
            _ if quoted => {}
            _ => out.push(c),
        }
    }
    out.chars().take(70).collect()
}

/// A "generator bug" render error (the templates produced invalid Rust): key and text.
pub(crate) fn render_bug(failure: &generator::Failure) -> Option<(String, String)> {
    let d = failure
        .diagnostics
        .iter()
        .find(|d| d.message.contains("generator bug") || d.message.starts_with("template for"))?;
    let first = d.message.lines().next().unwrap_or_default();
    let key = match first.strip_prefix("generator bug: ") {
        // `{path}:{line}:{col}: {error}`: keep the error and the kind of file.
        Some(rest) => {
            let mut parts = rest.splitn(4, ':');
            let path = parts.next().unwrap_or_default();
            let _line = parts.next();
            let _col = parts.next();
            let error = parts.next().unwrap_or_default().trim();
            let kind = path.rsplit_once('/').map_or(path, |(dir, _)| dir);
            format!("{kind}/*: {error}")
        }
        None => first.to_string(),
    };
    Some((key, d.message.clone()))
}
