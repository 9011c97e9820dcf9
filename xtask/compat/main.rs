//! A program written against the client generated from upstream 17.11.0, built
//! unchanged against the one generated from 17.12.1 by `cargo xtask ci-upstream`
//! (xtask/src/upstream/compat.rs): 17.12.1 only adds things, so it must compile.
//!
//! It touches everything 17.12.1 changes, the way a user would: it calls the ten user
//! operations that gain an optional `brandId` query parameter (required arguments and
//! some optional setters, up to `.send().await`), builds and reads the three schemas
//! that gain an optional `brandId` property (`author`, `userCreateBody`, and
//! `userTruncated` through `User`), and matches on enums and structs from the crate.
//!
//! It is only type-checked in CI. Run, it sends every request to an unreachable
//! `http://127.0.0.1:9` without retries and prints how each one failed.

use std::time::Duration;

use sunshine_conversations::models::{
    self, Author, AuthorType, ClientCreate, ClientCreateConfirmation, ClientCreateConfirmationType,
    ClientCreateTarget, ClientStatus, DeviceStatus, MatchCriteria, MatchCriteriaWhatsapp, Page, Profile,
    User, UserCreateBody, UserListFilter, UserUpdateBody,
};
use sunshine_conversations::{Client, Error, Nullable, Response, RetryPolicy};

const APP: &str = "5d8cff3cd55b040010928b5b";
const USER: &str = "your-own-id";

/// Describes a failed call (every call fails: nothing listens on port 9).
fn describe<E: std::fmt::Debug>(error: &Error<E>) -> String {
    match error {
        Error::InvalidRequest(invalid) => format!("invalid request: {invalid}"),
        Error::Transport(_) => "transport error (expected: nothing listens there)".to_string(),
        Error::Timeout { elapsed } => format!("timed out after {elapsed:?}"),
        Error::Api(api) => format!("API error {}: {:?}", api.status(), api.typed()),
        _ => format!("other error: {error:?}"),
    }
}

/// Prints what happened to one call.
fn report<T, E: std::fmt::Debug>(operation: &str, result: &Result<Response<T>, Error<E>>) {
    match result {
        Ok(response) => println!("{operation}: unexpectedly answered {}", response.status()),
        Err(error) => println!("{operation}: {}", describe(error)),
    }
}

fn describe_user(user: &User) -> String {
    // Struct patterns with `..`: new fields (17.12.1's `brandId`) do not break them.
    let User { id, external_id, profile, identities, .. } = user;
    let name = match profile {
        Some(Profile { given_name: Nullable::Value(given), .. }) => given.as_str(),
        Some(_) | None => "(no name)",
    };
    format!(
        "user {} (external {}) {name}, {} identities",
        id.as_deref().unwrap_or("?"),
        external_id.as_deref().unwrap_or("-"),
        identities.as_ref().map_or(0, Vec::len)
    )
}

fn describe_author(author: &Author) -> String {
    let kind = match &author.type_ {
        AuthorType::User => "user",
        AuthorType::Business => "business",
        other => other.as_str(),
    };
    let Author { user_id, user_external_id, display_name, avatar_url, .. } = author;
    let avatar = avatar_url.as_deref().unwrap_or("(none)");
    format!(
        "{kind} author {} / {} named {} with avatar {avatar}",
        user_id.as_deref().unwrap_or("-"),
        user_external_id.as_deref().unwrap_or("-"),
        display_name.as_deref().unwrap_or("-")
    )
}

fn client_status(status: Option<&ClientStatus>) -> &'static str {
    match status {
        Some(ClientStatus::Active) => "active",
        Some(ClientStatus::Pending) => "pending",
        Some(ClientStatus::Inactive | ClientStatus::Blocked) => "inactive or blocked",
        Some(_) => "a status this program does not know",
        None => "unknown",
    }
}

fn device_status(status: Option<&DeviceStatus>) -> &'static str {
    match status {
        Some(DeviceStatus::Active) => "active",
        Some(DeviceStatus::Inactive) => "inactive",
        Some(_) | None => "unknown",
    }
}

/// The three schemas 17.12.1 extends, built with `new` and setters and read back.
fn schemas() {
    let author = Author::new(AuthorType::User)
        .user_external_id(USER)
        .display_name("Steve")
        .avatar_url("https://example.com/steve.png");
    println!("{}", describe_author(&author));
    let business = Author::new(AuthorType::Business);
    println!("{}", describe_author(&business));

    let create = UserCreateBody::new()
        .external_id(USER)
        .signed_up_at("2020-05-21T15:53:30.197Z")
        .to_be_retained(true)
        .profile(Profile::new().given_name("Steve").surname("Tester").email("steve@example.com").locale("en-US"));
    let UserCreateBody { external_id, to_be_retained, metadata, .. } = &create;
    println!("create {external_id:?}, retained {to_be_retained:?}, metadata set: {}", metadata.is_some());

    let mut metadata = serde_json::Map::new();
    metadata.insert("lang".into(), "en".into());
    let user = User::new()
        .id("7494535bff5cef41a15be74d")
        .external_id(USER)
        .profile(Profile::new().given_name("Steve"))
        .metadata(metadata);
    println!("{}", describe_user(&user));
    println!("zendesk id {:?}, authenticated {:?}", user.zendesk_id, user.authenticated);
}

/// The ten operations 17.12.1 gives an optional `brandId`, each up to `.send().await`.
async fn operations(client: &Client) {
    let result = client
        .list_users(APP, UserListFilter::new("steve@example.com"))
        .timeout(Duration::from_secs(1))
        .send()
        .await;
    report("ListUsers", &result);
    if let Ok(response) = &result {
        for user in response.body().users.iter().flatten() {
            println!("  {}", describe_user(user));
        }
    }

    let result = client.get_user(APP, USER).send().await;
    report("GetUser", &result);
    if let Ok(Some(user)) = result.map(|r| r.into_body().user) {
        println!("  {}", describe_user(&user));
    }

    let body = UserUpdateBody::new().to_be_retained(false).profile(Profile::new().clear_email()).clear_metadata();
    let result: Result<Response<models::UserResponse>, Error<models::ErrorResponse>> =
        client.update_user(APP, USER, body).timeout(Duration::from_secs(1)).send().await;
    report("UpdateUser", &result);

    let result = client.delete_user(APP, USER).send().await;
    report("DeleteUser", &result);

    let result = client.delete_user_personal_information(APP, USER).send().await;
    report("DeleteUserPersonalInformation", &result);

    let page = Page::new().size(10).after("5e1606762556d93e9c176f69");
    let result = client.list_clients(APP, USER).page(page).send().await;
    report("ListClients", &result);
    if let Ok(response) = &result {
        for item in response.body().clients.iter().flatten() {
            let models::Client { id, status, .. } = item;
            println!("  client {id:?} is {}", client_status(status.as_ref()));
        }
    }
    // The paginated stream of the same operation, built (not polled).
    let _stream = client.list_clients(APP, USER).page(Page::new().size(100)).into_stream();

    // The discriminator (`type: whatsapp`) is implied by the branch type.
    let whatsapp = MatchCriteriaWhatsapp::new("5e1606762556d93e9c176f69", "+15145555555").primary(true);
    let confirmation = ClientCreateConfirmation::new(ClientCreateConfirmationType::Immediate);
    let body = ClientCreate::new(whatsapp, confirmation, ClientCreateTarget::new("c7f6e6d6c3a637261bd9656f"));
    let described = match &body.match_criteria {
        MatchCriteria::Whatsapp(criteria) => format!("WhatsApp {}", criteria.phone_number),
        MatchCriteria::Mailgun(_) => "Mailgun".to_string(),
        _ => "another channel".to_string(),
    };
    println!("CreateClient matches {described}");
    let result = client.create_client(APP, USER, body).send().await;
    report("CreateClient", &result);

    let result = client.remove_client(APP, USER, "5c9e2ab7bd6a7e3c7c0a1f5e").send().await;
    report("RemoveClient", &result);

    let result = client.list_devices(APP, USER).send().await;
    report("ListDevices", &result);

    let result = client.get_device(APP, USER, "5c9e2ab7bd6a7e3c7c0a1f5f").timeout(Duration::from_secs(1)).send().await;
    report("GetDevice", &result);
    if let Ok(response) = result {
        let (status, _headers, body) = response.into_parts();
        let device = body.device.unwrap_or_default();
        println!("  {status}: device {:?} is {}", device.id, device_status(device.status.as_ref()));
    }
}

fn main() {
    schemas();
    let client = Client::builder("http://127.0.0.1:9")
        .basic_auth("app_5d8cff3cd55b040010928b5c", "secret")
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(2))
        .build()
        .expect("a valid client configuration");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(operations(&client));
}
