//! Required features: axum
//!
//! A webhook receiver that answers every text a user sends with an echo, posted
//! back into the conversation with `PostMessage`.
//!
//! ```sh
//! SUNSHINE_CONVERSATIONS_SUBDOMAIN=mycompany SUNSHINE_CONVERSATIONS_KEY_ID=app_... \
//! SUNSHINE_CONVERSATIONS_SECRET=... BOT_APP_ID=65f0a1b2c3d4e5f607182930 BOT_WEBHOOK_SECRET=... \
//!     cargo run -p sunshine-conversations --example webhook_bot --features axum
//! ```
//!
//! It listens on `127.0.0.1:3000/webhooks` (`BOT_ADDRESS` changes that); point a
//! webhook subscribed to `conversation:message` at it, through a tunnel or proxy.
//! `SUNSHINE_CONVERSATIONS_BASE_URL` replaces the subdomain (see `Client::from_env`).
//!
//! Each event is handled, then acknowledged: the reply is posted before the delivery
//! is answered. If a reply fails, the delivery is answered 503, so the API sends it
//! again, and the event (whose claim was released) is handled again; an event handled
//! once is not handled twice. The memory of handled events is bounded.

use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use sunshine_conversations::models::{Author, AuthorType, Event, MessagePost, TextMessage, WebhookPayload};
use sunshine_conversations::webhooks::{Deduplicator, Verifier, Webhook};
use sunshine_conversations::{AppClient, Client};

/// What the handler needs: the app's client, the webhook's verifier, and the events
/// already handled.
#[derive(Clone)]
struct Bot {
    app: AppClient,
    verifier: Verifier,
    handled: Deduplicator,
}

impl FromRef<Bot> for Verifier {
    fn from_ref(bot: &Bot) -> Verifier {
        bot.verifier.clone()
    }
}

/// The conversation and text of a user's text message, if the event is one.
fn user_text(event: &Event) -> Option<(&str, &str)> {
    let message = event.as_conversation_message()?.payload.as_ref()?.message.as_ref()?;
    if message.author.as_ref()?.type_ != AuthorType::User {
        return None;
    }
    let text = message.content.as_ref()?.text()?;
    Some((event.conversation()?.id.as_deref()?, text))
}

/// Verified and decoded by the extractor (401, 413, 408 or 400 otherwise). Answers 200
/// once every event is handled, 503 when one could not be (the API delivers again).
async fn receive(State(bot): State<Bot>, Webhook(payload): Webhook<WebhookPayload>) -> StatusCode {
    let mut status = StatusCode::OK;
    for event in payload.events.iter().flatten() {
        let (Some((conversation, text)), Some(id)) = (user_text(event), event.id()) else { continue };
        // Handled already, or being handled by a delivery of the same event right now.
        let Some(claim) = bot.handled.claim(id) else { continue };
        let reply = MessagePost::new(Author::business(), TextMessage::new().text(format!("You said: {text}")));
        match bot.app.post_message(conversation, reply).send().await {
            Ok(sent) => {
                claim.done();
                println!("answered in {conversation} ({})", sent.status());
            }
            // The claim is dropped, not done: the event is handled again when the API
            // delivers it again.
            Err(error) => {
                eprintln!("could not answer in {conversation}: {error}");
                status = StatusCode::SERVICE_UNAVAILABLE;
            }
        }
    }
    status
}

/// The receiver's routes.
fn router(bot: Bot) -> Router {
    Router::new().route("/webhooks", post(receive)).with_state(bot)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let bot = Bot {
        app: Client::from_env()?.app(var("BOT_APP_ID")?),
        // An empty secret is refused here, rather than accepting empty keys later.
        verifier: Verifier::new(var("BOT_WEBHOOK_SECRET")?)?,
        // The API retries a delivery for a while; a day of event ids is plenty.
        handled: Deduplicator::new(100_000).forget_after(Duration::from_secs(24 * 3600)),
    };
    let address = std::env::var("BOT_ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    axum::serve(listener, router(bot)).await?;
    Ok(())
}
