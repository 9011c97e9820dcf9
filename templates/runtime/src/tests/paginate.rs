//! Unit tests of `runtime/paginate.rs`.

use crate::runtime::error::Error;
use crate::runtime::paginate::*;
use futures_util::StreamExt;
use std::cell::RefCell;

type Page = Result<(Vec<u32>, Option<String>), Error<()>>;

fn page(items: &[u32], next: Option<&str>) -> Page {
    Ok((items.to_vec(), next.map(str::to_owned)))
}

#[tokio::test]
async fn yields_all_pages_in_order_lazily() {
    let calls = RefCell::new(Vec::new());
    let fetch = |request: &'static str, cursor: Option<String>| {
        calls.borrow_mut().push((request, cursor.clone()));
        let result = match cursor.as_deref() {
            None => page(&[1, 2], Some("c1")),
            Some("c1") => page(&[], Some("c2")),
            Some("c2") => page(&[3, 4, 5], None),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        async move { result }
    };
    let stream = cursor_stream("list", fetch);
    let mut stream = std::pin::pin!(stream);
    assert!(calls.borrow().is_empty(), "nothing is fetched before polling");
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(calls.borrow().len(), 1);
    let rest: Vec<u32> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest, [2, 3, 4, 5]);
    assert_eq!(*calls.borrow(), [("list", None), ("list", Some("c1".to_owned())), ("list", Some("c2".to_owned()))]);
}

#[tokio::test]
async fn stops_after_the_first_error() {
    let fetch = |_: (), cursor: Option<String>| async move {
        match cursor.as_deref() {
            None => page(&[1], Some("c1")),
            _ => Err(Error::Timeout { elapsed: std::time::Duration::from_millis(5) }),
        }
    };
    let items: Vec<_> = cursor_stream((), fetch).collect().await;
    assert_eq!(items.len(), 2);
    assert_eq!(*items[0].as_ref().unwrap(), 1);
    assert!(matches!(items[1], Err(Error::Timeout { .. })));
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream() {
    let fetch = |_: (), _cursor: Option<String>| async { page(&[7], Some("same")) };
    let items: Vec<_> = cursor_stream((), fetch).collect().await;
    assert_eq!(items.len(), 2, "first page and the page fetched with `same`");
}
