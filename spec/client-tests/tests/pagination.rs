//! Every list stream walks the way its API pages, across three pages, on the generated
//! crate's own mock (`testing::MockApi`, on 127.0.0.1): `ListMessages` backwards from
//! the newest page (`page[before]` from `meta.beforeCursor`; items newest first),
//! `ListParticipants` and `ListConversations` forwards (`page[after]` from
//! `meta.afterCursor`). Each page is expected exactly once (verified when the mock
//! drops), the stream stops on `hasMore: false`, and no request carries both cursors.
//! (Cursors are 24 characters long: the spec says so, and the client checks it.)
//!
//! A server whose pages make no progress ends every stream with `Error::Pagination`:
//! cursors in a 2-cycle or a 3-cycle, endless empty pages, fresh cursors over the same
//! items; and so does one that always has one more fresh page, at `DEFAULT_MAX_PAGES`.

use futures_util::StreamExt;
use sunshine_conversations::models::{
    Conversation, ConversationListFilter, ConversationListResponse, Message, MessageListResponse, Meta, Participant,
    ParticipantListResponse,
};
use sunshine_conversations::testing::{self, MockApi};
use sunshine_conversations::{DEFAULT_MAX_PAGES, Error, MAX_EMPTY_PAGES, PaginationError};

const APP: &str = "app_1";
const CONVERSATION: &str = "c_1";

fn meta(has_more: bool, before: Option<&str>, after: Option<&str>) -> Meta {
    let mut meta = Meta::new().has_more(has_more);
    if let Some(before) = before {
        meta = meta.before_cursor(before);
    }
    if let Some(after) = after {
        meta = meta.after_cursor(after);
    }
    meta
}

/// The query as received, by name.
fn query<O: testing::Operation>(call: &testing::Received<O>, name: &str) -> Option<String> {
    call.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

#[tokio::test]
async fn list_messages_pages_backwards_from_the_newest() {
    let mock = MockApi::start().await;
    let page = |ids: [&str; 2], meta: Meta| {
        MessageListResponse::new().messages(ids.iter().map(|id| Message::new().id(*id)).collect::<Vec<_>>()).meta(meta)
    };
    // Older pages first: each is matched by its cursor; the newest page by the absence
    // of one (mounted last, so the others take precedence).
    mock.list_messages()
        .query("page[before]", "0000000000000000000000c2")
        .times(1)
        .respond(&page(["m3", "m4"], meta(true, Some("0000000000000000000000c1"), Some("0000000000000000000000c4"))))
        .await;
    mock.list_messages()
        .query("page[before]", "0000000000000000000000c1")
        .times(1)
        .respond(&page(["m1", "m2"], meta(false, Some("0000000000000000000000c0"), Some("0000000000000000000000c3"))))
        .await;
    mock.list_messages()
        .times(1)
        .respond(&page(["m5", "m6"], meta(true, Some("0000000000000000000000c2"), None)))
        .await;

    let client = mock.client();
    let stream = client.list_messages(APP, CONVERSATION).into_stream();
    let ids: Vec<String> = stream.map(|m| m.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["m6", "m5", "m4", "m3", "m2", "m1"], "six messages over three pages, newest first");

    let calls = mock.received::<testing::ListMessages>().await;
    let cursors: Vec<(Option<String>, Option<String>)> =
        calls.iter().map(|c| (query(c, "page[before]"), query(c, "page[after]"))).collect();
    assert_eq!(
        cursors,
        [
            (None, None),
            (Some("0000000000000000000000c2".into()), None),
            (Some("0000000000000000000000c1".into()), None)
        ]
    );
    assert!(calls.iter().all(|c| c.path_params == [APP, CONVERSATION]));
}

#[tokio::test]
async fn list_participants_pages_forwards() {
    let mock = MockApi::start().await;
    let page = |ids: [&str; 2], meta: Meta| {
        ParticipantListResponse::new()
            .participants(ids.iter().map(|id| Participant::new().id(*id)).collect::<Vec<_>>())
            .meta(meta)
    };
    mock.list_participants()
        .query("page[after]", "0000000000000000000000a1")
        .times(1)
        .respond(&page(["p3", "p4"], meta(true, None, Some("0000000000000000000000a2"))))
        .await;
    mock.list_participants()
        .query("page[after]", "0000000000000000000000a2")
        .times(1)
        .respond(&page(["p5", "p6"], meta(false, None, Some("0000000000000000000000a3"))))
        .await;
    mock.list_participants()
        .times(1)
        .respond(&page(["p1", "p2"], meta(true, Some("0000000000000000000000b0"), Some("0000000000000000000000a1"))))
        .await;

    let client = mock.client();
    let stream = client.list_participants(APP, CONVERSATION).into_stream();
    let ids: Vec<String> = stream.map(|p| p.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5", "p6"]);
    let calls = mock.received::<testing::ListParticipants>().await;
    let after: Vec<Option<String>> = calls.iter().map(|c| query(c, "page[after]")).collect();
    assert_eq!(after, [None, Some("0000000000000000000000a1".into()), Some("0000000000000000000000a2".into())]);
    assert!(calls.iter().all(|c| query(c, "page[before]").is_none()), "one direction at a time");
}

#[tokio::test]
async fn list_conversations_pages_forwards_and_a_repeated_cursor_ends_the_stream() {
    let mock = MockApi::start().await;
    mock.list_conversations()
        .query("page[after]", cursor(1))
        .times(1)
        .respond(&conversations(&["k2"], true, Some(2)))
        .await;
    // A broken server that keeps saying "more" with the same cursor.
    mock.list_conversations()
        .query("page[after]", cursor(2))
        .times(1)
        .respond(&conversations(&["k3"], true, Some(2)))
        .await;
    mock.list_conversations()
        .query("filter[userId]", "u_1")
        .times(1)
        .respond(&conversations(&["k1"], true, Some(1)))
        .await;

    let (ids, error) = walk(&mock).await;
    assert_eq!(ids, ["k1", "k2", "k3"], "the page that repeats a cursor is new: yielded, then the error");
    assert_eq!(error, Some(PaginationError::RepeatedCursor { page: 3 }));
    let calls = mock.received::<testing::ListConversations>().await;
    assert_eq!(calls.len(), 3, "no page is requested twice");
    assert!(
        calls.iter().all(|c| query(c, "filter[userId]").as_deref() == Some("u_1")),
        "the filter stays on every page"
    );
}

/// A 24-character cursor.
fn cursor(n: u32) -> String {
    format!("{n:024}")
}

/// A page of conversations `ids`, saying whether more follow, with `cursor(next)`.
fn conversations(ids: &[&str], has_more: bool, next: Option<u32>) -> ConversationListResponse {
    let next = next.map(cursor);
    ConversationListResponse::new()
        .conversations(ids.iter().map(|id| Conversation::new().id(*id)).collect::<Vec<_>>())
        .meta(meta(has_more, None, next.as_deref()))
}

/// The `ListConversations` stream of `u_1` on `mock`: its items, and the pagination
/// error that ended it (any other error fails the test).
async fn walk(mock: &MockApi) -> (Vec<String>, Option<PaginationError>) {
    let client = mock.client();
    let mut stream = client.list_conversations(APP, ConversationListFilter::new().user_id("u_1")).into_stream();
    let mut ids = Vec::new();
    while let Some(next) = stream.next().await {
        match next {
            Ok(conversation) => ids.push(conversation.id.unwrap()),
            Err(Error::Pagination(stop)) => {
                assert!(stream.next().await.is_none(), "the stream ends after its error");
                return (ids, Some(stop));
            }
            Err(other) => panic!("{other}"),
        }
    }
    (ids, None)
}

/// Serves `conversations(.., next)` for the first page and for each cursor `from`.
async fn script(mock: &MockApi, first: (&[&str], u32), pages: &[(u32, &[&str], u32)]) {
    for (from, ids, next) in pages {
        mock.list_conversations()
            .query("page[after]", cursor(*from))
            .respond(&conversations(ids, true, Some(*next)))
            .await;
    }
    // Mounted last: requests with a cursor match the expectations above first.
    mock.list_conversations().respond(&conversations(first.0, true, Some(first.1))).await;
}

#[tokio::test]
async fn cursors_in_a_two_cycle_end_the_stream() {
    let mock = MockApi::start().await;
    script(&mock, (&["k1"], 1), &[(1, &["k2"], 2), (2, &["k3"], 1)]).await;
    let (ids, error) = walk(&mock).await;
    assert_eq!(ids, ["k1", "k2", "k3"]);
    assert_eq!(error, Some(PaginationError::RepeatedCursor { page: 3 }));
    assert_eq!(mock.received::<testing::ListConversations>().await.len(), 3);
}

#[tokio::test]
async fn cursors_in_a_three_cycle_end_the_stream() {
    let mock = MockApi::start().await;
    script(&mock, (&["k1"], 1), &[(1, &["k2"], 2), (2, &["k3"], 3), (3, &["k4"], 1)]).await;
    let (ids, error) = walk(&mock).await;
    assert_eq!(ids, ["k1", "k2", "k3", "k4"]);
    assert_eq!(error, Some(PaginationError::RepeatedCursor { page: 4 }));
    assert_eq!(mock.received::<testing::ListConversations>().await.len(), 4);
}

#[tokio::test]
async fn endless_empty_pages_with_fresh_cursors_end_the_stream() {
    let mock = MockApi::start().await;
    let pages: Vec<(u32, &[&str], u32)> = (1..50).map(|n| (n, &[][..], n + 1)).collect();
    script(&mock, (&[], 1), &pages).await;
    let (ids, error) = walk(&mock).await;
    assert!(ids.is_empty());
    assert_eq!(error, Some(PaginationError::EmptyPages { count: MAX_EMPTY_PAGES }));
    assert_eq!(mock.received::<testing::ListConversations>().await.len(), MAX_EMPTY_PAGES as usize);
}

#[tokio::test]
async fn fresh_cursors_over_the_same_items_end_the_stream() {
    let mock = MockApi::start().await;
    let pages: Vec<(u32, &[&str], u32)> = (1..50).map(|n| (n, &["k1", "k2"][..], n + 1)).collect();
    script(&mock, (&["k1", "k2"], 1), &pages).await;
    let (ids, error) = walk(&mock).await;
    assert_eq!(ids, ["k1", "k2"], "the repeated page is not yielded");
    assert_eq!(error, Some(PaginationError::RepeatedPage { page: 2 }));
    assert_eq!(mock.received::<testing::ListConversations>().await.len(), 2);
}

#[tokio::test]
async fn pages_and_a_page_limit() {
    let mock = MockApi::start().await;
    let pages: Vec<(u32, &[&str], u32)> = vec![(1, &["k2"], 2), (2, &["k3"], 3), (3, &["k4"], 4)];
    script(&mock, (&["k1"], 1), &pages).await;
    let client = mock.client();
    let filter = || ConversationListFilter::new().user_id("u_1");
    let pages: Vec<_> = client.list_conversations(APP, filter()).into_pages().max_pages(2).collect().await;
    let bodies: Vec<ConversationListResponse> = pages.into_iter().map(|p| p.unwrap().into_body()).collect();
    assert_eq!(bodies, [conversations(&["k1"], true, Some(1)), conversations(&["k2"], true, Some(2))]);
    let items = client.list_conversations(APP, filter()).into_stream().max_pages(3).count().await;
    assert_eq!(items, 3);
    assert_eq!(mock.received::<testing::ListConversations>().await.len(), 5, "two pages, then three");
}

/// A server that always has one more fresh page (a new cursor, a new item, `hasMore`):
/// no cycle, no repeat, no empty page. The stream still ends, after
/// `DEFAULT_MAX_PAGES` pages, with `Error::Pagination(TooManyPages)`; `max_pages` sets
/// another bound (quietly).
#[tokio::test]
async fn a_server_that_always_has_one_more_page_is_cut_at_the_default_bound() {
    use sunshine_conversations::testing::wiremock::{self, Mock, ResponseTemplate};

    struct OneMore;
    impl wiremock::Respond for OneMore {
        fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
            let after = request.url.query_pairs().find(|(name, _)| name == "page[after]");
            let n: u32 = after.map_or(0, |(_, cursor)| cursor.parse().unwrap());
            ResponseTemplate::new(200).set_body_json(conversations(&[&format!("k{n}")], true, Some(n + 1)))
        }
    }
    let mock = MockApi::start().await;
    Mock::given(wiremock::matchers::method("GET")).respond_with(OneMore).mount(mock.server()).await;

    let (ids, error) = walk(&mock).await;
    assert_eq!(error, Some(PaginationError::TooManyPages { pages: DEFAULT_MAX_PAGES }));
    assert_eq!(ids.len(), DEFAULT_MAX_PAGES as usize, "every page up to the bound is yielded");
    assert_eq!(ids.last().map(String::as_str), Some(format!("k{}", DEFAULT_MAX_PAGES - 1).as_str()));
    let requests = mock.server().received_requests().await.unwrap().len();
    assert_eq!(requests, DEFAULT_MAX_PAGES as usize, "no request past the bound");

    // Another bound: the walk stops there, quietly. (Lifting the bound, and a bound past
    // the default, are in the runtime's own tests, without 10,000 more requests.)
    let client = mock.client();
    let filter = ConversationListFilter::new().user_id("u_1");
    let items = client.list_conversations(APP, filter).into_stream().max_pages(5).count().await;
    assert_eq!(items, 5);
}
