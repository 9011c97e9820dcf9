//! The red-team-downloads fixture: a success body that is not JSON comes back as it
//! was sent, text or bytes, never read and dropped. Copied into the fixture's crate by
//! `cargo xtask test`.

use fixture_red_team_downloads::testing::MockApi;

#[tokio::test]
async fn a_text_body_is_returned_as_text_and_bytes_as_bytes() {
    let mock = MockApi::start().await;
    mock.export_csv().respond(&"id,name\n1,a\n".to_string()).await;
    let bytes = vec![0_u8, 159, 146, 150, 255];
    mock.download_file().respond(&bytes).await;
    let client = mock.client();
    let csv = client.export_csv("e1").send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv");
    assert_eq!(csv.into_body(), "id,name\n1,a\n");
    let file = client.download_file("f1").send().await.unwrap();
    assert_eq!(file.into_body().as_ref(), bytes.as_slice());
}
