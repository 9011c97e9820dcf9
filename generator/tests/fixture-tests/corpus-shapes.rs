//! The corpus-shapes fixture: shapes met in other people's documents compile and
//! work. Copied into the fixture's crate by `cargo xtask test`.

use fixture_corpus_shapes::models::{GetWorkflowWorkflowId, NameOrId, Note, NoteUpdate, SortMode};
use fixture_corpus_shapes::testing::MockApi;

#[test]
fn a_body_that_is_also_a_response_converts_without_its_unknown_members() {
    let note = Note::default().text("hello").author("ann");
    let update = NoteUpdate::from(&note);
    assert_eq!(update.text.as_deref(), Some("hello"));
    assert!(update.extra.is_empty());
}

#[tokio::test]
async fn documented_string_variants_are_one_enum_sent_as_a_query_value() {
    let mock = MockApi::start().await;
    mock.list_labels().query("sort_by", "name_descending").respond(&vec!["bug".to_string()]).await;
    let client = mock.client();
    let labels = client.repo("r1").list_labels().sort_by(SortMode::NameDescending).send().await.unwrap();
    assert_eq!(*labels, ["bug"]);
    // The integer-typed `repoId` operation stays on the client.
    let _ = client.list_secrets(7_i64);
}

#[tokio::test]
async fn a_union_of_scalars_is_a_parameter_sent_as_its_text() {
    let mock = MockApi::start().await;
    mock.get_workflow().query("parent", "p 1").respond_with_status(204, &()).await;
    let client = mock.client();
    client
        .get_workflow(NameOrId::Name("web-app".into()), GetWorkflowWorkflowId::from(42_i64))
        .parent(NameOrId::Id("p 1".into()))
        .send()
        .await
        .unwrap();
    let calls = mock.calls().await;
    assert_eq!(calls[0].path, "/projects/web-app/workflows/42");
    assert_eq!(NameOrId::Id("5f1b".into()).to_string(), "5f1b");
}
