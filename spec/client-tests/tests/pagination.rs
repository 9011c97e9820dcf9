//! Every list stream walks the way its API pages, across three pages, on the generated
//! crate's own mock (`testing::MockApi`): `ListMessages` backwards from the newest page
//! (`page[before]` from `meta.beforeCursor`), `ListParticipants` and
//! `ListConversations` forwards (`page[after]` from `meta.afterCursor`). Each page is
//! expected exactly once (verified when the mock drops), the stream stops on
//! `hasMore: false`, and no request carries both cursors. (Cursors are 24 characters
//! long: the spec says so, and the client checks it.)

use futures_util::StreamExt;
use sunshine_conversations::models::{
    Conversation, ConversationListFilter, ConversationListResponse, Message, MessageListResponse, Meta, Participant,
    ParticipantListResponse,
};
use sunshine_conversations::testing::{self, MockApi};

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
    assert_eq!(ids, ["m5", "m6", "m3", "m4", "m1", "m2"], "newest page first, each page as the API orders it");

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
    let page = |ids: [&str; 1], meta: Meta| {
        ConversationListResponse::new()
            .conversations(ids.iter().map(|id| Conversation::new().id(*id)).collect::<Vec<_>>())
            .meta(meta)
    };
    mock.list_conversations()
        .query("page[after]", "0000000000000000000000x1")
        .times(1)
        .respond(&page(["k2"], meta(true, None, Some("0000000000000000000000x2"))))
        .await;
    // A broken server that keeps saying "more" with the same cursor.
    mock.list_conversations()
        .query("page[after]", "0000000000000000000000x2")
        .times(1)
        .respond(&page(["k3"], meta(true, None, Some("0000000000000000000000x2"))))
        .await;
    mock.list_conversations()
        .query("filter[userId]", "u_1")
        .times(1)
        .respond(&page(["k1"], meta(true, None, Some("0000000000000000000000x1"))))
        .await;

    let filter = ConversationListFilter::new().user_id("u_1");
    let client = mock.client();
    let stream = client.list_conversations(APP, filter).into_stream();
    let ids: Vec<String> = stream.map(|c| c.unwrap().id.unwrap()).collect().await;
    assert_eq!(ids, ["k1", "k2", "k3"], "the page that repeats its cursor is the last one fetched");
    let calls = mock.received::<testing::ListConversations>().await;
    assert_eq!(calls.len(), 3, "no page is requested twice");
    assert!(
        calls.iter().all(|c| query(c, "filter[userId]").as_deref() == Some("u_1")),
        "the filter stays on every page"
    );
}
