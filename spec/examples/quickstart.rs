//! Creates, lists, updates and deletes a conversation, printing each result.
//!
//! ```sh
//! SUNSHINE_CONVERSATIONS_SUBDOMAIN=mycompany \
//! SUNSHINE_CONVERSATIONS_KEY_ID=app_... SUNSHINE_CONVERSATIONS_SECRET=... \
//! BOT_APP_ID=65f0a1b2c3d4e5f607182930 BOT_USER_ID=3f1b2c4d5e6f708192a3b4c5 \
//!     cargo run -p sunshine-conversations --example quickstart
//! ```
//!
//! `SUNSHINE_CONVERSATIONS_BASE_URL` (e.g. a Prism mock server,
//! `http://127.0.0.1:4010`) replaces `SUNSHINE_CONVERSATIONS_SUBDOMAIN` (see
//! `Client::from_env`). The secret is never printed.

use std::process::ExitCode;

use futures_util::StreamExt;
use sunshine_conversations::models::{
    ConversationCreateBody, ConversationListFilter, ConversationUpdateBody, ParticipantSubSchema,
    ParticipantWithUserId,
};
use sunshine_conversations::{Client, Error};

struct Settings {
    client: Client,
    app_id: String,
    user_id: String,
}

/// Reads the settings, or names what is missing.
fn settings() -> Result<Settings, String> {
    let client = Client::from_env().map_err(|error| error.to_string())?;
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.trim().is_empty());
    match (var("BOT_APP_ID"), var("BOT_USER_ID")) {
        (Some(app_id), Some(user_id)) => Ok(Settings { client, app_id, user_id }),
        _ => Err("set BOT_APP_ID and BOT_USER_ID".to_string()),
    }
}

async fn run(settings: Settings) -> Result<(), Error> {
    let Settings { client, app_id, user_id } = settings;
    println!("client: {client:?}");

    let participant = ParticipantSubSchema::from(ParticipantWithUserId::new().user_id(&user_id));
    let body = ConversationCreateBody::personal()
        .participants(vec![participant])
        .display_name("Quick start")
        .description("Created by the quickstart example.");
    let created = client.create_conversation(&app_id, body).send().await?;
    let conversation = created.conversation.clone().unwrap_or_default();
    let id = conversation.id.clone().unwrap_or_default();
    println!(
        "created  [{}] id={id} type={} displayName={:?}",
        created.status(),
        conversation.type_.map(|t| t.to_string()).unwrap_or_default(),
        conversation.display_name
    );

    let filter = ConversationListFilter::new().user_id(&user_id);
    let mut conversations = client.list_conversations(&app_id, filter).into_stream();
    let mut listed = 0;
    while let Some(conversation) = conversations.next().await {
        let conversation = match conversation {
            Ok(conversation) => conversation,
            // The server's pages made no progress (a mock repeating one example page
            // does that): what came before is all there is.
            Err(Error::Pagination(stop)) => {
                println!("listed   (stopped: {stop})");
                break;
            }
            Err(error) => return Err(error),
        };
        listed += 1;
        println!(
            "listed   id={} type={} displayName={:?}",
            conversation.id.unwrap_or_default(),
            conversation.type_.map(|t| t.to_string()).unwrap_or_default(),
            conversation.display_name
        );
        if listed == 50 {
            println!("listed   (stopping after 50)");
            break;
        }
    }

    let update = ConversationUpdateBody::new().display_name("Quick start (renamed)").clear_description();
    let updated = client.update_conversation(&app_id, &id, update).send().await?;
    let conversation = updated.conversation.clone().unwrap_or_default();
    println!(
        "updated  [{}] displayName={:?} description={:?}",
        updated.status(),
        conversation.display_name,
        conversation.description
    );

    let deleted = client.delete_conversation(&app_id, &id).send().await?;
    println!("deleted  [{}]", deleted.status());
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let settings = match settings() {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("{message}\n\nsee the top of examples/quickstart.rs for how to run this example");
            return ExitCode::from(2);
        }
    };
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Api(error)) => {
            eprintln!("the API answered {}:", error.status());
            for e in error.typed().and_then(|body| body.errors.as_deref()).unwrap_or_default() {
                eprintln!("  {}: {}", e.code.as_deref().unwrap_or("?"), e.title.as_deref().unwrap_or(""));
            }
            if let Some(raw) = error.raw() {
                eprintln!("  {raw}");
            }
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
