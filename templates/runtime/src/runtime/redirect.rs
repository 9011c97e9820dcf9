//! Which redirects the client follows by itself (a pure decision, table-tested).
//!
//! An operation that documents a 3xx gets it back (see `execute`). For the others:
//! - only same-origin redirects are followed (`http` → `https` on the same host too),
//!   so credentials never travel to another host;
//! - `307`/`308` repeat the request as it was; `301`/`302`/`303` are followed for
//!   `GET`/`HEAD` only (a `POST` is never silently turned into a `GET`);
//! - at most [`MAX_HOPS`] hops, and never the same URL twice.
//!
//! Everything else ends the call with [`Error::Redirect`](super::Error::Redirect).

use reqwest::{Method, StatusCode, Url};

/// Redirects followed within one attempt.
pub(crate) const MAX_HOPS: usize = 10;

/// What to do with a 3xx response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Next {
    /// Send the same request to this URL.
    Follow(Url),
    /// Stop, for this reason.
    Stop(&'static str),
}

/// The decision for a `status` response to `method` at `from`, given its `Location`
/// and the URLs visited so far in this attempt.
pub(crate) fn next(status: StatusCode, method: &Method, from: &Url, location: Option<&str>, visited: &[Url]) -> Next {
    let same_request = matches!(status.as_u16(), 307 | 308);
    let as_get = matches!(status.as_u16(), 301..=303);
    if !same_request && !as_get {
        return Next::Stop("this 3xx status is not a redirect to follow");
    }
    if as_get && *method != Method::GET && *method != Method::HEAD {
        return Next::Stop("a request with a body is not re-sent as GET after a 301/302/303");
    }
    let Some(target) = location.and_then(|l| from.join(l).ok()) else {
        return Next::Stop("the redirect has no usable Location");
    };
    if !same_origin(from, &target) {
        return Next::Stop("a redirect to another origin is not followed (credentials stay with the API's host)");
    }
    if visited.len() >= MAX_HOPS || visited.contains(&target) || target == *from {
        return Next::Stop("redirect loop, or too many redirects");
    }
    Next::Follow(target)
}

/// Same scheme, host and port; or an upgrade from `http` to `https` on the same host
/// (default ports).
fn same_origin(a: &Url, b: &Url) -> bool {
    let same_host = a.host_str() == b.host_str();
    let exact = a.scheme() == b.scheme() && a.port_or_known_default() == b.port_or_known_default();
    let upgrade = a.scheme() == "http" && b.scheme() == "https" && a.port().is_none() && b.port().is_none();
    same_host && (exact || upgrade)
}
