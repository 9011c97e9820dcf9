//! A business bot's round through one conversation: creates it for a user, posts a
//! text and a carousel, reads the history back newest page first, shows a typing
//! indicator, hands the conversation to the next switchboard integration, and
//! deletes its own text message.
//!
//! ```sh
//! SUNSHINE_CONVERSATIONS_SUBDOMAIN=mycompany \
//! SUNSHINE_CONVERSATIONS_KEY_ID=app_... SUNSHINE_CONVERSATIONS_SECRET=... \
//! BOT_APP_ID=65f0a1b2c3d4e5f607182930 BOT_USER_ID=3f1b2c4d5e6f708192a3b4c5 \
//!     cargo run -p sunshine-conversations --example bot
//! ```
//!
//! `SUNSHINE_CONVERSATIONS_BASE_URL` (e.g. a Prism mock server,
//! `http://127.0.0.1:4010`) replaces `SUNSHINE_CONVERSATIONS_SUBDOMAIN` (see
//! `Client::from_env`); `BOT_HISTORY_LIMIT` (default 200) bounds how many messages it
//! reads back. The secret is never printed.

use std::process::ExitCode;

use futures_util::StreamExt;
use sunshine_conversations::models::{
    ActivityPost, Author, CarouselMessage, ConversationCreateBody, Item, Link, MessagePost, Page, ParticipantSubSchema,
    ParticipantWithUserId, PassControlBody, Postback, TextMessage,
};
use sunshine_conversations::{AppClient, Client, Error};

/// The app's handle and the user to talk to, from the environment.
fn setup() -> Result<(AppClient, String, usize), String> {
    let client = Client::from_env().map_err(|error| error.to_string())?;
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let (app_id, user_id) = (var("BOT_APP_ID")?, var("BOT_USER_ID")?);
    let limit = match std::env::var("BOT_HISTORY_LIMIT") {
        Ok(text) => text.parse().map_err(|_| format!("BOT_HISTORY_LIMIT is not a number: {text:?}"))?,
        Err(_) => 200,
    };
    Ok((client.app(app_id), user_id, limit))
}

/// The business, as the author of the bot's messages and activities.
fn business() -> Author {
    Author::business().display_name("Order bot")
}

/// One round; every operation fails with the one `Error` type, so `?` carries them all.
async fn run(app: &AppClient, user_id: &str, limit: usize) -> Result<(), Error> {
    // 1. A conversation with the user in it.
    let user = ParticipantSubSchema::from(ParticipantWithUserId::new().user_id(user_id));
    let body = ConversationCreateBody::personal().participants(vec![user]).display_name("Orders");
    let created = app.create_conversation(body).send().await?.into_body();
    let conversation_id = created.conversation.and_then(|c| c.id).unwrap_or_default();
    println!("conversation {conversation_id}");

    // 2. A text, then a carousel with a link and a postback per card.
    let text = TextMessage::new().text("Hi! Here are today's offers.");
    let posted = app.post_message(&conversation_id, MessagePost::new(business(), text)).send().await?;
    let text_id = posted.body().messages.iter().flatten().find_map(|m| m.id.clone()).unwrap_or_default();
    println!("posted text {text_id}");
    let card = |title: &str, sku: &str| {
        let link = Link::new(format!("https://shop.example.com/{sku}"), "Details");
        let buy = Postback::new("Buy", format!("BUY_{sku}"));
        Item::new(title, vec![link.into(), buy.into()]).description(format!("Article {sku}"))
    };
    let carousel = CarouselMessage::new(vec![card("Red kettle", "KT-1"), card("Blue mug", "MG-7")]);
    let posted = app.post_message(&conversation_id, MessagePost::new(business(), carousel)).send().await?;
    println!("posted carousel ({} message(s) back)", posted.body().messages.as_ref().map_or(0, Vec::len));

    // 3. The last `limit` messages, newest first (ListMessages pages backwards).
    let mut history = app.list_messages(&conversation_id).page(Page::new().size(50)).into_stream().take(limit);
    let mut read = 0;
    while let Some(message) = history.next().await {
        let message = match message {
            Ok(message) => message,
            // The server's pages made no progress (a mock repeating one example page
            // does that): what came before is all there is.
            Err(Error::Pagination(stop)) => {
                println!("  (stopped: {stop})");
                break;
            }
            Err(error) => return Err(error),
        };
        read += 1;
        let author = message.author.as_ref().map(|a| a.type_.to_string());
        let content = message.content.as_ref().map(|c| format!("{c:?}")).unwrap_or_default();
        println!("  {} {:<8} {}", message.received.unwrap_or_default(), author.unwrap_or_default(), shorten(&content));
    }
    println!("read {read} message(s)");

    // 4. A typing indicator, as the business.
    let sent = app.post_activity(&conversation_id, ActivityPost::typing_start(business())).send().await?;
    println!("typing: {}", sent.status());

    // 5. Hand the conversation to the next switchboard integration.
    let passed = app.pass_control(&conversation_id, PassControlBody::new("next")).send().await?;
    println!("control passed: {}", passed.status());

    // 6. Take back the text message.
    if !text_id.is_empty() {
        let deleted = app.delete_message(&conversation_id, &text_id).send().await?;
        println!("deleted {text_id}: {}", deleted.status());
    }
    Ok(())
}

/// At most 60 characters of `text`, for one line per message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (app, user_id, limit) = match setup() {
        Ok(setup) => setup,
        Err(message) => {
            eprintln!("{message}\n\nsee the top of examples/bot.rs for how to run this example");
            return ExitCode::from(2);
        }
    };
    match run(&app, &user_id, limit).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            // The API's own error codes.
            for e in error.typed().and_then(|body| body.errors.as_deref()).unwrap_or_default() {
                eprintln!("  {}: {}", e.code.as_deref().unwrap_or("?"), e.title.as_deref().unwrap_or(""));
            }
            ExitCode::FAILURE
        }
    }
}
