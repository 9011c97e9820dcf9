//! Unit tests of `runtime/paginate.rs`: a scripted list behind a fake request builder.

use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::runtime::error::{Error, PaginationError};
use crate::runtime::paginate::{DEFAULT_MAX_PAGES, Direction, Fetch, Items, MAX_EMPTY_PAGES, Pages, Paginated};
use crate::runtime::response::Response;

/// One page as the fake server sends it: items and the next cursor.
type Page = (Vec<u32>, Option<String>);

/// The fake server: the page for a cursor.
type Script = Arc<dyn Fn(Option<&str>) -> Result<Page, Error<()>> + Send + Sync>;

/// A list request whose pages come from `script(cursor)`; every cursor asked is logged.
#[derive(Clone)]
struct List<const BACKWARD: bool> {
    cursor: Option<String>,
    script: Script,
    log: Arc<Mutex<Vec<Option<String>>>>,
}

impl<const BACKWARD: bool> List<BACKWARD> {
    fn new(script: impl Fn(Option<&str>) -> Result<Page, Error<()>> + Send + Sync + 'static) -> Self {
        Self { cursor: None, script: Arc::new(script), log: Arc::default() }
    }

    fn requests(&self) -> Vec<Option<String>> {
        self.log.lock().unwrap().clone()
    }
}

impl<const BACKWARD: bool> Paginated<'static> for List<BACKWARD> {
    type Body = Page;
    type Item = u32;
    type Error = ();
    const DIRECTION: Direction = if BACKWARD { Direction::Backward } else { Direction::Forward };

    fn set_cursor(&mut self, cursor: String) {
        self.cursor = Some(cursor);
    }

    fn next_cursor(page: &Page) -> Option<String> {
        page.1.clone()
    }

    fn items(page: &Page) -> &[u32] {
        &page.0
    }

    fn into_items(page: Page) -> Vec<u32> {
        page.0
    }

    fn fetch(self) -> Fetch<'static, Page, ()> {
        self.log.lock().unwrap().push(self.cursor.clone());
        let result = (self.script)(self.cursor.as_deref());
        Box::pin(async move { result.map(|page| Response::new(StatusCode::OK, HeaderMap::new(), page)) })
    }
}

fn page(items: &[u32], next: Option<&str>) -> Result<Page, Error<()>> {
    Ok((items.to_vec(), next.map(str::to_owned)))
}

/// Every result of the item stream: items, then the error that ended it, if any.
async fn walk<const B: bool>(list: &List<B>) -> (Vec<u32>, Option<Error<()>>) {
    let mut items = Vec::new();
    let mut stream = Items::new(list.clone());
    while let Some(next) = stream.next().await {
        match next {
            Ok(item) => items.push(item),
            Err(error) => {
                assert!(stream.next().await.is_none(), "the stream ends after an error");
                return (items, Some(error));
            }
        }
    }
    (items, None)
}

fn stopped(error: Option<Error<()>>) -> PaginationError {
    match error {
        Some(Error::Pagination(stop)) => stop,
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

#[tokio::test]
async fn yields_every_page_in_order_lazily() {
    let list = List::<false>::new(|cursor| match cursor {
        None => page(&[1, 2], Some("c1")),
        Some("c1") => page(&[], Some("c2")),
        Some("c2") => page(&[3, 4, 5], None),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let mut stream = Items::new(list.clone());
    assert!(list.requests().is_empty(), "nothing is fetched before polling");
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(list.requests().len(), 1);
    let rest: Vec<u32> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest, [2, 3, 4, 5]);
    assert_eq!(list.requests(), [None, Some("c1".to_owned()), Some("c2".to_owned())]);
}

#[tokio::test]
async fn a_backward_list_comes_newest_first_across_pages() {
    // Six messages, newest page first, each page oldest first (as ListMessages sends them).
    let list = List::<true>::new(|cursor| match cursor {
        None => page(&[5, 6], Some("before-5")),
        Some("before-5") => page(&[3, 4], Some("before-3")),
        Some("before-3") => page(&[1, 2], None),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let (items, error) = walk(&list).await;
    assert_eq!(items, [6, 5, 4, 3, 2, 1]);
    assert!(error.is_none(), "{error:?}");
    let bodies: Vec<Vec<u32>> = Pages::new(list).map(|page| page.unwrap().into_body().0).collect().await;
    assert_eq!(bodies, [vec![5, 6], vec![3, 4], vec![1, 2]], "pages are as sent");
}

#[tokio::test]
async fn cycles_of_cursors_end_with_an_error() {
    // A → B → A: the third page repeats the first page's cursor.
    let two = List::<false>::new(|cursor| match cursor {
        None => page(&[1], Some("A")),
        Some("A") => page(&[2], Some("B")),
        Some("B") => page(&[3], Some("A")),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let (items, error) = walk(&two).await;
    assert_eq!(items, [1, 2, 3], "the page that repeats a cursor is new: yielded, then the error");
    assert_eq!(stopped(error), PaginationError::RepeatedCursor { page: 3 });
    assert_eq!(two.requests().len(), 3);
    // A → B → C → A.
    let three = List::<false>::new(|cursor| match cursor {
        None => page(&[1], Some("A")),
        Some("A") => page(&[2], Some("B")),
        Some("B") => page(&[3], Some("C")),
        Some("C") => page(&[4], Some("A")),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let (items, error) = walk(&three).await;
    assert_eq!(items, [1, 2, 3, 4]);
    assert_eq!(stopped(error), PaginationError::RepeatedCursor { page: 4 });
}

#[tokio::test]
async fn endless_empty_pages_end_with_an_error() {
    let list = List::<false>::new(|cursor| {
        let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
        page(&[], Some(&(n + 1).to_string()))
    });
    let (items, error) = walk(&list).await;
    assert!(items.is_empty());
    assert_eq!(stopped(error), PaginationError::EmptyPages { count: MAX_EMPTY_PAGES });
    assert_eq!(list.requests().len(), MAX_EMPTY_PAGES as usize, "one request per empty page, then the error");
}

#[tokio::test]
async fn fresh_cursors_over_the_same_items_end_with_an_error() {
    let list = List::<false>::new(|cursor| {
        let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
        page(&[7, 8], Some(&(n + 1).to_string()))
    });
    let (items, error) = walk(&list).await;
    assert_eq!(items, [7, 8]);
    assert_eq!(stopped(error), PaginationError::RepeatedPage { page: 2 });
}

#[tokio::test]
async fn one_empty_page_in_a_list_is_fine() {
    let list = List::<false>::new(|cursor| match cursor {
        None => page(&[1], Some("a")),
        Some("a") => page(&[], Some("b")),
        Some("b") => page(&[], Some("c")),
        Some("c") => page(&[2], None),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let (items, error) = walk(&list).await;
    assert_eq!(items, [1, 2]);
    assert!(error.is_none(), "{error:?}");
}

#[tokio::test]
async fn stops_after_the_first_error() {
    let list = List::<false>::new(|cursor| match cursor {
        None => page(&[1], Some("c1")),
        _ => Err(Error::Timeout { elapsed: std::time::Duration::from_millis(5) }),
    });
    let (items, error) = walk(&list).await;
    assert_eq!(items, [1]);
    assert!(matches!(error, Some(Error::Timeout { .. })), "{error:?}");
}

#[tokio::test]
async fn a_page_limit_ends_the_walk_quietly() {
    let list = List::<false>::new(|cursor| {
        let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
        page(&[n], Some(&(n + 1).to_string()))
    });
    let items: Vec<u32> = Items::new(list.clone()).max_pages(3).map(Result::unwrap).collect().await;
    assert_eq!(items, [0, 1, 2]);
    assert_eq!(list.requests().len(), 3);
    let pages = Pages::new(list).max_pages(0).count().await;
    assert_eq!(pages, 0);
}

/// A list that always has one more fresh page: page `n` holds item `n` and points at
/// page `n + 1`.
fn endless() -> List<false> {
    List::<false>::new(|cursor| {
        let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
        page(&[n], Some(&(n + 1).to_string()))
    })
}

#[tokio::test]
async fn a_walk_is_bounded_by_default() {
    let list = endless();
    let (items, error) = walk(&list).await;
    assert_eq!(items.len(), DEFAULT_MAX_PAGES as usize, "every page up to the bound is yielded");
    assert_eq!(items.last(), Some(&(DEFAULT_MAX_PAGES - 1)));
    assert_eq!(stopped(error), PaginationError::TooManyPages { pages: DEFAULT_MAX_PAGES });
    assert_eq!(list.requests().len(), DEFAULT_MAX_PAGES as usize, "no request past the bound");
    // A list of exactly that many pages ends quietly: the bound only bites when more follow.
    let exact = List::<false>::new(|cursor| {
        let n: u32 = cursor.map_or(0, |c| c.parse().unwrap());
        page(&[n], (n + 1 < DEFAULT_MAX_PAGES).then(|| (n + 1).to_string()).as_deref())
    });
    let (items, error) = walk(&exact).await;
    assert_eq!((items.len(), error.is_none()), (DEFAULT_MAX_PAGES as usize, true), "{error:?}");
}

#[tokio::test]
async fn the_default_bound_can_be_changed_or_lifted() {
    // `max_pages` sets another bound, past the default too, and ends quietly there.
    let more = DEFAULT_MAX_PAGES + 5;
    let list = endless();
    let items: Vec<u32> = Items::new(list.clone()).max_pages(more).map(Result::unwrap).collect().await;
    assert_eq!(items.len(), more as usize);
    // Lifted: the walk goes on past the default for as long as it is polled.
    let list = endless();
    let pages: Vec<_> = Pages::new(list.clone()).without_page_limit().take(more as usize).collect().await;
    assert!(pages.iter().all(Result::is_ok));
    assert_eq!(list.requests().len(), more as usize);
    let items: Vec<u32> =
        Items::new(endless()).without_page_limit().take(more as usize).map(Result::unwrap).collect().await;
    assert_eq!(items.last(), Some(&(more - 1)));
}

#[test]
fn streams_are_unpin_and_send() {
    fn unpin_send<T: Unpin + Send>() {}
    unpin_send::<Items<'static, String, ()>>();
    unpin_send::<Pages<'static, Vec<String>, ()>>();
}

/// A list of three pages (`a` → `b` → end) whose second page fails until `healed`.
fn flaky(healed: Arc<Mutex<bool>>) -> List<false> {
    List::new(move |cursor| match cursor {
        None => page(&[1, 2], Some("b")),
        Some("b") if *healed.lock().unwrap() => page(&[3, 4], Some("c")),
        Some("b") => Err(Error::Timeout { elapsed: std::time::Duration::from_millis(5) }),
        Some("c") => page(&[5], None),
        Some(other) => panic!("unexpected cursor {other}"),
    })
}

#[tokio::test]
async fn a_walk_that_failed_resumes_at_the_page_that_failed() {
    let healed = Arc::new(Mutex::new(false));
    let list = flaky(healed.clone());
    let mut stream = Items::new(list.clone());
    let mut items = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(item)) => items.push(item),
            Some(Err(error)) => break error,
            None => panic!("the second page fails"),
        }
    };
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(items, [1, 2], "every item before the error was yielded");
    assert_eq!(stream.resume_cursor(), Some("b"), "the cursor of the page that failed");
    let cursor = stream.resume_cursor().map(str::to_owned).unwrap();

    *healed.lock().unwrap() = true;
    let resumed = Items::new(list.clone()).starting_at(cursor);
    assert_eq!(resumed.collect_all().await.unwrap(), [3, 4, 5], "on from the failed page, nothing read twice");
    assert_eq!(list.requests(), [None, Some("b".into()), Some("b".into()), Some("c".into())]);
}

#[tokio::test]
async fn a_walk_that_failed_on_its_first_page_resumes_from_the_beginning() {
    let list = List::<false>::new(|_| Err(Error::Timeout { elapsed: std::time::Duration::from_millis(5) }));
    let mut stream = Pages::new(list);
    assert!(matches!(stream.next().await, Some(Err(Error::Timeout { .. }))));
    assert_eq!(stream.resume_cursor(), None);
}

#[tokio::test]
async fn a_walk_cut_by_max_pages_goes_on_in_chunks() {
    let list = flaky(Arc::new(Mutex::new(true)));
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    let mut walks = 0;
    loop {
        walks += 1;
        let mut stream = Items::new(list.clone()).max_pages(1);
        if let Some(cursor) = cursor.take() {
            stream = stream.starting_at(cursor);
        }
        while let Some(item) = stream.next().await {
            all.push(item.unwrap());
        }
        match stream.resume_cursor() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(all, [1, 2, 3, 4, 5]);
    assert_eq!(walks, 3, "one page a walk; the last walk's list has no more pages");
}

#[tokio::test]
async fn a_backward_walk_resumes_with_its_own_cursor() {
    let list = List::<true>::new(|cursor| match cursor {
        None => page(&[5, 6], Some("older")),
        Some("older") => page(&[3, 4], None),
        Some(other) => panic!("unexpected cursor {other}"),
    });
    let mut stream = Items::new(list.clone()).max_pages(1);
    let mut newest = Vec::new();
    while let Some(item) = stream.next().await {
        newest.push(item.unwrap());
    }
    let rest = Items::new(list).starting_at(stream.resume_cursor().unwrap()).collect_all().await.unwrap();
    assert_eq!((newest, rest), (vec![6, 5], vec![4, 3]));
}

#[tokio::test]
async fn collect_all_returns_every_item_or_the_first_error() {
    let list = flaky(Arc::new(Mutex::new(true)));
    assert_eq!(Items::new(list).collect_all().await.unwrap(), [1, 2, 3, 4, 5]);
    let failing = flaky(Arc::new(Mutex::new(false)));
    assert!(matches!(Items::new(failing).collect_all().await, Err(Error::Timeout { .. })));
}
