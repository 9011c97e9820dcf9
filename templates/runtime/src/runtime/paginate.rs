//! Cursor pagination as a `Stream` of items.

use std::collections::VecDeque;

use futures_core::Stream;

use super::error::Error;

struct State<R, T, F> {
    request: R,
    fetch: F,
    buffer: VecDeque<T>,
    /// `Some(cursor)` while there is a next page; the first page has `None`.
    next: Option<Option<String>>,
}

/// A stream of every item of a cursor-paginated list.
///
/// `fetch(request, cursor)` fetches one page (the first with `cursor =
/// None`) and returns its items and the next cursor (`None` on the last
/// page). Pages are fetched lazily, one at a time, as the stream is polled;
/// items come in order; the stream ends after yielding the first error. A
/// page whose next cursor equals the cursor that fetched it ends the stream
/// too, so a misbehaving server cannot cause an endless loop.
pub fn cursor_stream<'a, R, T, E, F, Fut>(request: R, fetch: F) -> impl Stream<Item = Result<T, Error<E>>> + 'a
where
    R: Clone + 'a,
    T: 'a,
    E: 'a,
    F: Fn(R, Option<String>) -> Fut + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>> + 'a,
{
    let state = State { request, fetch, buffer: VecDeque::new(), next: Some(None) };
    // Fused: polling again after the end yields `None` instead of panicking.
    let stream = futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            let cursor = state.next.take()?;
            match (state.fetch)(state.request.clone(), cursor.clone()).await {
                Ok((items, next)) => {
                    state.buffer = items.into();
                    state.next = match next {
                        Some(next) if Some(&next) != cursor.as_ref() => Some(Some(next)),
                        _ => None,
                    };
                }
                // `state.next` is already `None`: the stream ends after this.
                Err(error) => return Some((Err(error), state)),
            }
        }
    });
    futures_util::StreamExt::fuse(stream)
}
