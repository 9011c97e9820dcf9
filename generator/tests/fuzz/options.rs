//! The generator options of an input: the fuzz defaults, or those recorded in a first
//! line `# fuzz-options: {json}` (written when they are not the defaults; seeds may carry
//! one too).

use serde_json::{Value, json};

pub(crate) fn default_options() -> generator::Options {
    generator::Options { standalone: false, ..generator::Options::new("fuzz-client", "fuzz.yaml") }
}

pub(crate) const OPTIONS_PREFIX: &str = "# fuzz-options: ";

/// Options recorded in a first line `# fuzz-options: {json}`, else the defaults.
pub(crate) fn options_of(text: &str) -> generator::Options {
    let mut options = default_options();
    let Some(json) = text.lines().next().and_then(|l| l.strip_prefix(OPTIONS_PREFIX)) else { return options };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else { return options };
    if let Some(p) = map.get("package").and_then(Value::as_str) {
        options.package = p.into();
    }
    if let Some(p) = map.get("spec_file").and_then(Value::as_str) {
        options.spec_file = p.into();
    }
    if let Some(Value::Array(tags)) = map.get("tags") {
        options.tags = tags.iter().filter_map(Value::as_str).map(str::to_string).collect();
    }
    if let Some(b) = map.get("standalone").and_then(Value::as_bool) {
        options.standalone = b;
    }
    if let Some(g) = map.get("guide").and_then(Value::as_str) {
        options.guide = Some(g.into());
    }
    options
}

/// The `# fuzz-options:` line for `options`, or `None` for the defaults.
pub(crate) fn options_line(options: &generator::Options) -> Option<String> {
    let d = default_options();
    if options.package == d.package
        && options.spec_file == d.spec_file
        && options.tags.is_empty()
        && !options.standalone
        && options.guide.is_none()
    {
        return None;
    }
    let json = json!({
        "package": options.package,
        "spec_file": options.spec_file,
        "tags": options.tags,
        "standalone": options.standalone,
        "guide": options.guide,
    });
    Some(format!("{OPTIONS_PREFIX}{json}\n"))
}
