//! Cursor pagination: a list operation's pages ([`Pages`]) and items ([`Items`]) as
//! streams that always end.
//!
//! A server, broken or hostile, can send cursors that go round in a cycle, pages that
//! repeat under fresh cursors, or empty pages that always say more follow. A walk ends
//! with [`Error::Pagination`] after the first page whose next cursor it has seen before
//! (any earlier one, not only the last; that page is yielded first), at the first
//! non-empty page whose items equal an earlier page's (not yielded), and after
//! [`MAX_EMPTY_PAGES`] empty pages in a row that say more follow. A server that always
//! has one more fresh page cannot keep a walk going either: after [`DEFAULT_MAX_PAGES`]
//! pages it ends with [`PaginationError::TooManyPages`] (`max_pages(n)` stops it quietly
//! after `n` pages instead, `without_page_limit()` lifts the cap). Every poll that
//! fetches a page either yields or moves the walk forward, so `take(n)` and timeouts
//! work.
//!
//! A walk that stopped (on an error, or at `max_pages`) says where to go on from:
//! [`Pages::resume_cursor`], and a new walk of the same request starts there with
//! [`Pages::starting_at`] (the same on [`Items`]).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::{DefaultHasher, Hasher};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use serde::Serialize;

use super::error::{Error, PaginationError};
use super::response::Response;

/// Empty pages in a row that say more follow, before a walk gives up: a list may have
/// an empty page (items deleted while walking), not a run of them.
pub const MAX_EMPTY_PAGES: u32 = 3;

/// Pages one walk reads by default: after this many, if the server says more follow, the
/// walk ends with [`PaginationError::TooManyPages`]. Sunshine Conversations pages hold at
/// most 100 items (25 by default), so this is a million items at the largest page size
/// and 250,000 at the default, beyond any conversation's history or user's list of
/// conversations; a server that always has one more fresh page is cut after 10,000
/// requests (seconds on loopback, minutes over the internet), and the walk's memory of
/// cursors and pages (two 8-byte hashes per page) stays under half a megabyte.
/// [`Pages::max_pages`] and [`Items::max_pages`] set another bound;
/// [`Pages::without_page_limit`] lifts it.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// How many pages a walk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    /// [`DEFAULT_MAX_PAGES`], then [`PaginationError::TooManyPages`] if more follow.
    Default,
    /// At most this many, then the walk ends quietly (`max_pages`).
    Quiet(u32),
    /// No bound on the count (`without_page_limit`).
    None,
}

/// Which way a list's cursor walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Oldest first: the cursor points after the page's last item.
    Forward,
    /// Newest page first, each page in chronological order: the cursor points before
    /// the page's first item. [`Items`] reverses each page, so items come newest first.
    Backward,
}

/// The future of one page.
pub type Fetch<'a, B, E> = Pin<Box<dyn Future<Output = Result<Response<B>, Error<E>>> + Send + 'a>>;

/// A list operation's request builder, as the walk drives it (implemented by the
/// generated builders of paginated operations).
pub trait Paginated<'a>: Clone + Send + 'a {
    /// The decoded page.
    type Body: Send + 'a;
    /// One item of a page.
    type Item: Serialize + Send + 'a;
    /// The operation's error body.
    type Error: Send + 'a;
    /// Which way the cursor walks.
    const DIRECTION: Direction;

    /// Points the request at the page after (or before) `cursor`.
    fn set_cursor(&mut self, cursor: String);
    /// The cursor of the next page, when there is one.
    fn next_cursor(page: &Self::Body) -> Option<String>;
    /// The page's items.
    fn items(page: &Self::Body) -> &[Self::Item];
    /// The page's items, owned.
    fn into_items(page: Self::Body) -> Vec<Self::Item>;
    /// Sends the request.
    fn fetch(self) -> Fetch<'a, Self::Body, Self::Error>;
}

/// What one fetch learned.
struct Fetched<B> {
    response: Response<B>,
    next: Option<String>,
    items: usize,
    fingerprint: u64,
}

type FetchPage<'a, B, E> = Pin<Box<dyn Future<Output = Result<Fetched<B>, Error<E>>> + Send + 'a>>;
type StartFetch<'a, B, E> = Box<dyn Fn(Option<String>) -> FetchPage<'a, B, E> + Send + 'a>;

/// Every page of a list, fetched lazily one at a time as the stream is polled: the
/// decoded response of each (status, headers, body). Ends after the last page, after
/// the first error, and as the module explains for pages that make no progress.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, B, E> {
    start: StartFetch<'a, B, E>,
    in_flight: Option<FetchPage<'a, B, E>>,
    /// `Some(cursor)` while there is a page to fetch (`None` for the first).
    next: Option<Option<String>>,
    /// Where a new walk would go on from: the cursor of the page being fetched (or
    /// that failed), else the next cursor of the last page read.
    resume: Option<String>,
    cursors: HashSet<u64>,
    fingerprints: HashSet<u64>,
    pages: u32,
    empty_in_a_row: u32,
    limit: Limit,
    /// The error to end with, after yielding the page that ran into it.
    stop: Option<PaginationError>,
}

impl<'a, B, E> Pages<'a, B, E> {
    /// The walk of `request`'s pages, from the page it points at.
    pub fn new<P: Paginated<'a, Body = B, Error = E>>(request: P) -> Self
    where
        B: Send + 'a,
        E: Send + 'a,
    {
        walk(request, |body| body)
    }

    /// Stops after `pages` pages (without an error): a bound on how much of a long
    /// list one walk reads, instead of [`DEFAULT_MAX_PAGES`].
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.limit = Limit::Quiet(pages);
        self
    }

    /// Starts the walk at `cursor` instead of the page the request points at: the
    /// [`resume_cursor`](Self::resume_cursor) of an earlier walk of the same request,
    /// to go on where it stopped.
    pub fn starting_at(mut self, cursor: impl Into<String>) -> Self {
        let cursor = cursor.into();
        self.resume = Some(cursor.clone());
        self.next = Some(Some(cursor));
        self
    }

    /// Where a new walk of the same request goes on from where this one is
    /// ([`starting_at`](Self::starting_at)): after an error, the cursor of the page
    /// that failed (fetched again); after `max_pages` or [`DEFAULT_MAX_PAGES`], the
    /// cursor of the page after the last one read. `None` when the walk has read no
    /// page yet or failed on its first (start again from the beginning), and when the
    /// list has no more pages. After [`Error::Pagination`] the server's cursors made
    /// no progress: going on meets the same pages again.
    pub fn resume_cursor(&self) -> Option<&str> {
        self.resume.as_deref()
    }

    /// Reads as many pages as the list has, however many: no [`DEFAULT_MAX_PAGES`].
    /// Cycles, repeated pages and runs of empty pages still end the walk, but a server
    /// that always has one more fresh page then keeps it going for as long as it is
    /// polled (and its memory of cursors grows by 16 bytes a page).
    pub fn without_page_limit(mut self) -> Self {
        self.limit = Limit::None;
        self
    }

    /// Takes a fetched page: the walk's next cursor, or the error that ends it. A page
    /// whose next cursor was seen before is still new (yielded, then the error); a page
    /// that repeats an earlier one's items is not.
    fn advance(&mut self, fetched: &Fetched<B>) -> Result<(), PaginationError> {
        self.pages = self.pages.saturating_add(1);
        let page = self.pages;
        let Some(next) = &fetched.next else { return Ok(()) };
        if !self.cursors.insert(hash(next.as_bytes())) {
            self.stop = Some(PaginationError::RepeatedCursor { page });
            return Ok(());
        }
        if fetched.items == 0 {
            self.empty_in_a_row += 1;
            if self.empty_in_a_row >= MAX_EMPTY_PAGES {
                return Err(PaginationError::EmptyPages { count: self.empty_in_a_row });
            }
        } else {
            self.empty_in_a_row = 0;
            if !self.fingerprints.insert(fetched.fingerprint) {
                return Err(PaginationError::RepeatedPage { page });
            }
        }
        if self.stop.is_some() {
            return Ok(());
        }
        match self.limit {
            Limit::Quiet(max) if page >= max => {}
            Limit::Default if page >= DEFAULT_MAX_PAGES => {
                self.stop = Some(PaginationError::TooManyPages { pages: page });
            }
            _ => self.next = Some(Some(next.clone())),
        }
        Ok(())
    }
}

impl<B, E> Stream for Pages<'_, B, E> {
    type Item = Result<Response<B>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(stop) = this.stop.take() {
            return Poll::Ready(Some(Err(Error::Pagination(stop))));
        }
        if this.in_flight.is_none() {
            if this.limit == Limit::Quiet(0) {
                return Poll::Ready(None);
            }
            let Some(cursor) = this.next.take() else { return Poll::Ready(None) };
            this.resume.clone_from(&cursor);
            this.in_flight = Some((this.start)(cursor));
        }
        let Some(fetch) = this.in_flight.as_mut() else { return Poll::Ready(None) };
        let result = ready!(fetch.as_mut().poll(cx));
        this.in_flight = None;
        // On an error, `next` is already `None`: the stream ends after it.
        Poll::Ready(Some(match result {
            Ok(fetched) => {
                this.resume.clone_from(&fetched.next);
                match this.advance(&fetched) {
                    Ok(()) => Ok(fetched.response),
                    Err(stop) => {
                        this.next = None;
                        Err(Error::Pagination(stop))
                    }
                }
            }
            Err(error) => Err(error),
        }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let more = self.in_flight.is_some() || self.next.is_some() || self.stop.is_some();
        (usize::from(more), if more { None } else { Some(0) })
    }
}

impl<B, E> fmt::Debug for Pages<'_, B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.pages)
            .field("done", &self.next.is_none())
            .field("resume_cursor", &self.resume)
            .finish_non_exhaustive()
    }
}

/// The walk of `request`'s pages, each body turned into a `B` by `wrap`.
fn walk<'a, P: Paginated<'a>, B: Send + 'a>(request: P, wrap: fn(P::Body) -> B) -> Pages<'a, B, P::Error> {
    let start: StartFetch<'a, B, P::Error> = Box::new(move |cursor| {
        let mut request = request.clone();
        if let Some(cursor) = cursor {
            request.set_cursor(cursor);
        }
        Box::pin(async move {
            let response = request.fetch().await?;
            let items = P::items(response.body());
            let (next, count, fingerprint) = (P::next_cursor(response.body()), items.len(), fingerprint(items));
            Ok(Fetched { response: response.map(wrap), next, items: count, fingerprint })
        })
    });
    Pages {
        start,
        in_flight: None,
        next: Some(None),
        resume: None,
        cursors: HashSet::new(),
        fingerprints: HashSet::new(),
        pages: 0,
        empty_in_a_row: 0,
        limit: Limit::Default,
        stop: None,
    }
}

/// Every item of a list, across pages fetched lazily one at a time (see [`Pages`]).
/// Items come in the list's order; a list that pages backwards (newest page first)
/// comes newest first. Ends after the last item, after the first error, and as
/// [`Pages`] does for pages that make no progress.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'a, T, E> {
    pages: Pages<'a, Vec<T>, E>,
    buffer: VecDeque<T>,
}

impl<'a, T: Send + 'a, E: Send + 'a> Items<'a, T, E> {
    /// Every item of `request`'s list.
    pub fn new<P: Paginated<'a, Item = T, Error = E>>(request: P) -> Self {
        let pages = walk(request, |body| {
            let mut items = P::into_items(body);
            if P::DIRECTION == Direction::Backward {
                items.reverse();
            }
            items
        });
        Self { pages, buffer: VecDeque::new() }
    }

    /// Stops after the items of `pages` pages (without an error), instead of
    /// [`DEFAULT_MAX_PAGES`].
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.pages = self.pages.max_pages(pages);
        self
    }

    /// Reads every page the list has, however many: see [`Pages::without_page_limit`].
    pub fn without_page_limit(mut self) -> Self {
        self.pages = self.pages.without_page_limit();
        self
    }

    /// Starts at `cursor` instead of the page the request points at: see
    /// [`Pages::starting_at`].
    pub fn starting_at(mut self, cursor: impl Into<String>) -> Self {
        self.pages = self.pages.starting_at(cursor);
        self
    }

    /// Where a new walk of the same request goes on from: see
    /// [`Pages::resume_cursor`]. When the stream stopped on an error, every item before
    /// it was yielded and this is the cursor of the page that failed. While items of a
    /// page are still to be read (the stream was left mid-page), it points after them.
    pub fn resume_cursor(&self) -> Option<&str> {
        self.pages.resume_cursor()
    }

    /// Every item, in order, or the first error (the items read before it are
    /// dropped: to keep them and go on from where the error struck, poll the stream
    /// and read [`resume_cursor`](Self::resume_cursor)). Bounded like the stream, by
    /// [`DEFAULT_MAX_PAGES`] unless set otherwise.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.push(item?);
        }
        Ok(all)
    }
}

// Items are never pinned: they are moved out of the buffer.
impl<T, E> Unpin for Items<'_, T, E> {}

impl<T, E> Stream for Items<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.buffer = page.into_body().into(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<T, E> fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.buffer.len()).finish()
    }
}

/// A hash of a page's items as JSON (pages are told apart by it, not kept).
fn fingerprint<T: Serialize>(items: &[T]) -> u64 {
    struct Hashing(DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(DefaultHasher::new());
    // Items that do not serialize (none of the generated ones) all hash alike.
    let _ = serde_json::to_writer(&mut hashing, items);
    hashing.0.finish()
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}
