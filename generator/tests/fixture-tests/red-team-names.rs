//! The red-team-names fixture: names the crate's own code uses are not taken, webhooks
//! with their own key header get their own verifier, server variables in the path stay
//! a path. Copied into the fixture's crate by `cargo xtask test`.

use fixture_red_team_names::webhooks::{self, Verifier};
use fixture_red_team_names::{Client, Server};

#[test]
fn an_operation_named_from_env_does_not_take_the_clients_from_env() {
    // Both exist: the operation got another name.
    let _ = Client::from_env;
    let _ = Client::from_env2;
}

#[test]
fn numbered_names_do_not_take_another_operations_name() {
    let _ = Client::get_foo;
    let _ = Client::get_foo2;
    let _ = Client::get_foo3;
}

#[test]
fn each_webhook_is_verified_in_its_own_header() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-refunds-key", "s3cret".parse().unwrap());
    let refunds = Verifier::for_refunds("s3cret").unwrap();
    assert!(refunds.verify(&headers).is_ok());
    // The crate-wide verifier checks the first webhook's header.
    assert!(Verifier::new("s3cret").unwrap().verify(&headers).is_err());
    assert_eq!(webhooks::API_KEY_HEADER, "x-orders-key");
    assert_eq!(webhooks::REFUNDS_KEY_HEADER, "x-refunds-key");
}

#[test]
fn a_server_variable_in_the_path_stays_a_path() {
    let server = Server::Example { region: "eu".into(), base_path: "api/v2".into() };
    assert_eq!(server.url(), "https://eu.example.com/api/v2");
}
