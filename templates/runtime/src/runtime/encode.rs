//! Percent-encoding of path segments, query strings and form bodies.
//!
//! The final URL string is built here and handed to `reqwest` as is: the
//! `url` crate keeps existing `%XX` escapes and literal `[` `]` in the query,
//! so nothing is encoded twice or reordered (see the tests).

use std::fmt::Display;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::error::ValidationError;

/// Everything but RFC 3986 unreserved characters (`ALPHA DIGIT - . _ ~`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Like [`COMPONENT`], but keeps `[` and `]` literal (query keys such as
/// `filter[userId]`).
const QUERY_KEY: &AsciiSet = &COMPONENT.remove(b'[').remove(b']');

/// What an HTML form leaves as it is in `application/x-www-form-urlencoded` (the WHATWG
/// URL standard's set): `A-Z a-z 0-9 * - . _`; a space becomes `+`, the rest `%XX`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// An object as an `application/x-www-form-urlencoded` body (see
/// [`Body::form`](super::request::Body::form)): pairs as [`Query::push_deep_object`]
/// flattens a member, names and values encoded as HTML forms encode them.
pub(crate) fn form(value: &serde_json::Value) -> Result<String, ValidationError> {
    let serde_json::Value::Object(members) = value else {
        return Err(ValidationError::new("body", "must be an object to be sent as a form"));
    };
    let mut pairs = Query::new();
    let mut sorted: Vec<_> = members.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (name, member) in sorted {
        pairs.push_flattened(name.clone(), member);
    }
    let mut out = String::with_capacity(pairs.encoded_len_hint());
    for (i, (name, value)) in pairs.0.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_form(&mut out, name);
        out.push('=');
        push_form(&mut out, value);
    }
    Ok(out)
}

fn push_form(out: &mut String, text: &str) {
    for piece in utf8_percent_encode(text, FORM) {
        // The encoder writes a space as `%20`; a form writes `+`.
        if piece == "%20" { out.push('+') } else { out.push_str(piece) }
    }
}

/// RFC 3986 unreserved characters, by byte.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        i += 1;
    }
    table
};

/// Appends `text` percent-encoded with `set`. Text made of RFC 3986 unreserved
/// characters only (the usual identifiers), which neither set here encodes, is appended
/// as it is, without going through the encoder.
fn push_encoded(out: &mut String, text: &str, set: &'static AsciiSet) {
    if text.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        out.push_str(text);
    } else {
        out.extend(utf8_percent_encode(text, set));
    }
}

/// `text` percent-encoded as [`Query`] encodes a value.
pub(crate) fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_encoded(&mut out, text, COMPONENT);
    out
}

/// A URL path under construction: spec literals and encoded parameters.
#[derive(Debug, Clone, Default)]
pub struct UrlPath(String);

impl UrlPath {
    /// An empty path (with room for a typical one, so it is allocated once).
    pub fn new() -> Self {
        Self(String::with_capacity(96))
    }

    /// Appends a literal part of the path template, e.g. `/v2/apps/`.
    pub fn literal(&mut self, s: &'static str) {
        self.0.push_str(s);
    }

    /// Appends `value` as exactly one path segment: everything but unreserved
    /// characters is percent-encoded (`/` → `%2F`, `?` → `%3F`, ...).
    ///
    /// `""`, `"."` and `".."` are rejected, since URL parsers normalise such
    /// segments away and the request would reach another resource. `name` is
    /// the error path.
    pub fn param(&mut self, name: &str, value: &str) -> Result<(), ValidationError> {
        if matches!(value, "" | "." | "..") {
            return Err(ValidationError::new(
                name,
                format!("a path segment cannot be empty, '.' or '..', got {value:?}"),
            ));
        }
        push_encoded(&mut self.0, value, COMPONENT);
        Ok(())
    }

    /// The encoded path.
    pub fn finish(self) -> String {
        self.0
    }
}

/// Query parameters in order, not yet encoded.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// No parameters.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &str, value: impl Display) {
        self.0.push((name.to_owned(), value.to_string()));
    }

    /// Adds `name=a&name=b&...` (style `form`, `explode: true`).
    pub fn push_each<T: Display>(&mut self, name: &str, values: &[T]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// Adds `value` in `deepObject` style: `name[key]=value` for each member,
    /// `name[a][b]=...` for nested objects, `name[key]` repeated for arrays.
    /// Null members are skipped; strings are sent raw, numbers and booleans
    /// as JSON text. Members are sorted by key. A `required` parameter with no
    /// member set is an error: the server would see no parameter at all.
    pub fn push_deep_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        required: bool,
    ) -> Result<(), ValidationError> {
        let value = serde_json::to_value(value)
            .map_err(|error| ValidationError::new(name, format!("cannot be serialized: {error}")))?;
        let before = self.0.len();
        self.push_flattened(name.to_owned(), &value);
        if required && self.0.len() == before {
            return Err(ValidationError::new(name, "is required: set at least one of its members"));
        }
        Ok(())
    }

    fn push_flattened(&mut self, key: String, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => {}
            Value::Bool(b) => self.0.push((key, b.to_string())),
            Value::Number(n) => self.0.push((key, n.to_string())),
            Value::String(s) => self.0.push((key, s.clone())),
            Value::Array(items) => {
                for item in items {
                    self.push_flattened(key.clone(), item);
                }
            }
            Value::Object(members) => {
                // Sorted by key: the same query whether or not serde_json keeps
                // insertion order (its `preserve_order` feature may be on).
                let mut sorted: Vec<_> = members.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(b.0));
                for (member, value) in sorted {
                    self.push_flattened(format!("{key}[{member}]"), value);
                }
            }
        }
    }

    /// `true` when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `k=v` pairs joined by `&`, in insertion order. Keys keep `[` `]`
    /// literal; everything else but unreserved characters is percent-encoded
    /// (space → `%20`, never `+`).
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.encoded_len_hint());
        self.encode_into(&mut out);
        out
    }

    /// [`encode`](Self::encode), appended to `out`.
    pub(crate) fn encode_into(&self, out: &mut String) {
        for (i, (key, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            push_encoded(out, key, QUERY_KEY);
            out.push('=');
            push_encoded(out, value, COMPONENT);
        }
    }

    /// The encoded length when nothing needs escaping, `?` included: a capacity.
    pub(crate) fn encoded_len_hint(&self) -> usize {
        self.0.iter().map(|(key, value)| key.len() + value.len() + 2).sum()
    }
}
