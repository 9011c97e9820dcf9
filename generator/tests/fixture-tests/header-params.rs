//! The header-params fixture: header parameters are typed setters (a required one an
//! argument) sent as request headers; a value no header can carry fails the call before
//! anything is sent; the parameter replaces a per-call header of its name. Copied into
//! the fixture's crate by `cargo xtask test`.

use fixture_header_params::models::ListThingsXRegion;
use fixture_header_params::testing::{ListThings, MockApi};
use fixture_header_params::{CallOptions, Error};

#[tokio::test]
async fn header_parameters_are_sent_as_headers() {
    let mock = MockApi::start().await;
    mock.list_things().respond(&Vec::new()).await;
    let client = mock.client();
    client.list_things("req-1").send().await.unwrap();
    let options = CallOptions::new().header("x-request-id".parse().unwrap(), "from-options".parse().unwrap());
    client
        .list_things("req 2")
        .x_page_size(10)
        .x_dry_run(true)
        .x_region(ListThingsXRegion::Eu)
        .with_options(options)
        .send()
        .await
        .unwrap();
    let calls = mock.received::<ListThings>().await;
    assert_eq!(calls.len(), 2);
    let plain = &calls[0].headers;
    assert_eq!(plain["x-request-id"], "req-1");
    assert!(plain.get("x-page-size").is_none() && plain.get("x-dry-run").is_none() && plain.get("x-region").is_none());
    let set = &calls[1].headers;
    assert_eq!(set.get_all("x-request-id").iter().collect::<Vec<_>>(), ["req 2"], "the parameter replaces");
    assert_eq!(set["x-page-size"], "10");
    assert_eq!(set["x-dry-run"], "true");
    assert_eq!(set["x-region"], "eu");
}

#[tokio::test]
async fn a_value_no_header_can_carry_is_refused_before_sending() {
    let mock = MockApi::start().await;
    let client = mock.client();
    let error = client.list_things("a\r\nx-injected: 1").send().await.unwrap_err();
    match error {
        Error::InvalidRequest(e) => assert_eq!(e.path, "X-Request-Id"),
        other => panic!("{other:?}"),
    }
    let error = client.list_things("r").x_page_size(0).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(mock.received::<ListThings>().await.is_empty());
}
