//! Query credentials out of what errors, hooks and logs show.
//!
//! An API key sent as a query parameter ([`Auth::Query`](super::Auth::Query), or a
//! call's own credentials) is part of the request's URL, and reqwest's errors carry that
//! URL into their `Display` and `Debug` (`error sending request for url (…?api_key=…)`).
//! Every error of a call, and every URL or `Location` this crate shows, goes through
//! [`QuerySecrets`] first: a query parameter named like a key, or whose value is a key,
//! keeps its name and shows `[redacted]` as its value (`?api_key=[redacted]`), so the URL
//! stays useful; a key's value anywhere else in the text (a path a server redirected to,
//! say) is replaced too.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;
use reqwest::Url;

use super::client::Client;
use super::request::Request;

/// What a redacted value shows.
pub(crate) const REDACTED: &str = "[redacted]";

/// A key's value this long or longer is also replaced wherever it appears, not only as a
/// query value (shorter ones would match ordinary text; they are still redacted as
/// query values, by name or value).
const MIN_SEARCHED_LEN: usize = 8;

/// The query credentials of one call: the client's key and the call's own (either or
/// both may be absent), as (parameter name, value).
#[derive(Clone, Copy, Default)]
pub(crate) struct QuerySecrets<'a> {
    keys: [Option<(&'a str, &'a str)>; 2],
}

impl<'a> QuerySecrets<'a> {
    /// The query credentials `request` may be sent with by `client`.
    pub(crate) fn of(client: &'a Client, request: &'a Request) -> Self {
        let own = client.inner.query_key.as_ref().map(|(name, value)| (name.as_str(), value.expose()));
        let call = request.options.auth_override().and_then(|auth| match &auth.resolved {
            Ok((_, Some((name, value)))) => Some((name.as_str(), value.expose())),
            _ => None,
        });
        Self::from_keys([own, call])
    }

    /// The query credentials given as (parameter name, value).
    pub(crate) fn from_keys(keys: [Option<(&'a str, &'a str)>; 2]) -> Self {
        Self { keys }
    }

    fn keys(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.keys.iter().flatten().copied()
    }

    /// Whether there is nothing to redact (no query credentials).
    pub(crate) fn is_empty(&self) -> bool {
        self.keys.iter().all(Option::is_none)
    }

    /// `error` with its URL redacted (without the URL when the redacted text is not a
    /// URL any more).
    pub(crate) fn error(&self, mut error: reqwest::Error) -> reqwest::Error {
        if self.is_empty() {
            return error;
        }
        let Some(url) = error.url_mut() else { return error };
        match self.url(url) {
            Some(redacted) => {
                *url = redacted;
                error
            }
            None => error.without_url(),
        }
    }

    /// `url` redacted, `None` when the redacted text does not parse as a URL any more.
    pub(crate) fn url(&self, url: &Url) -> Option<Url> {
        match self.text(url.as_str()) {
            Cow::Borrowed(_) => Some(url.clone()),
            Cow::Owned(text) => Url::parse(&text).ok(),
        }
    }

    /// A URL or a `Location` (absolute or relative) with the query credentials
    /// redacted: a query parameter named like a key or whose value is one shows
    /// `name=[redacted]`; a long key's value anywhere else becomes `[redacted]`.
    pub(crate) fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = Cow::Borrowed(text);
        if let Some(start) = text.find('?') {
            let end = text[start..].find('#').map_or(text.len(), |i| start + i);
            let query = &text[start + 1..end];
            let mut changed = false;
            let pairs: Vec<Cow<'_, str>> = query
                .split('&')
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    let decode =
                        |part: &str| percent_decode_str(&part.replace('+', " ")).decode_utf8_lossy().into_owned();
                    let (name_text, value_text) = (decode(name), decode(value));
                    let secret = self
                        .keys()
                        .any(|(key, secret)| name_text == key || (!secret.is_empty() && value_text == secret));
                    if secret && value != REDACTED {
                        changed = true;
                        Cow::Owned(format!("{name}={REDACTED}"))
                    } else {
                        Cow::Borrowed(pair)
                    }
                })
                .collect();
            if changed {
                out = Cow::Owned(format!("{}?{}{}", &text[..start], pairs.join("&"), &text[end..]));
            }
        }
        for (_, secret) in self.keys() {
            if secret.len() < MIN_SEARCHED_LEN {
                continue;
            }
            let encoded = super::encode::query_value(secret);
            for form in [secret, encoded.as_str()] {
                if out.contains(form) {
                    out = Cow::Owned(out.replace(form, REDACTED));
                }
            }
        }
        out
    }
}
