//! Required features: axum
//!
//! A webhook receiver that answers every text a user sends with an echo, posted
//! back into the conversation with `PostMessage`.
//!
//! ```sh
//! SUNSHINE_SUBDOMAIN=mycompany SUNSHINE_KEY_ID=app_... SUNSHINE_SECRET=... \
//! SUNSHINE_APP_ID=65f0a1b2c3d4e5f607182930 SUNSHINE_WEBHOOK_SECRET=... \
//!     cargo run -p sunshine-conversations --example webhook_bot --features axum
//! ```
//!
//! It listens on `127.0.0.1:3000/webhooks` (`BOT_ADDRESS` changes that); point a
//! webhook subscribed to `conversation:message` at it, through a tunnel or proxy.
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
use sunshine_conversations::models::{
    Author, AuthorType, AuthorWebhookType, ConversationMessageEvent, MessagePost, TextMessage, WebhookPayload,
};
use sunshine_conversations::webhooks::{Deduplicator, Verifier, Webhook};
use sunshine_conversations::{Client, Server};

/// What the handler needs: the API client, the app, the webhook's verifier, and the
/// events already handled.
#[derive(Clone)]
struct Bot {
    api: Client,
    app_id: String,
    verifier: Verifier,
    handled: Deduplicator,
}

impl FromRef<Bot> for Verifier {
    fn from_ref(bot: &Bot) -> Verifier {
        bot.verifier.clone()
    }
}

/// The conversation and text of a user's text message, if the event is one.
fn user_text(event: &ConversationMessageEvent) -> Option<(String, String)> {
    let payload = event.payload.as_ref()?;
    let message = payload.message.as_ref()?;
    if message.author.as_ref()?.type_ != AuthorWebhookType::User {
        return None;
    }
    let text = message.content.as_ref()?.as_text()?.text.clone()?;
    let conversation = payload.conversation.as_ref()?.id.clone()?;
    Some((conversation, text))
}

/// Verified and decoded by the extractor (401, 413, 408 or 400 otherwise). Answers 200
/// once every event is handled, 503 when one could not be (the API delivers again).
async fn receive(State(bot): State<Bot>, Webhook(payload): Webhook<WebhookPayload>) -> StatusCode {
    let mut status = StatusCode::OK;
    for event in payload.events.into_iter().flatten() {
        let Some((conversation, text)) = event.as_conversation_message().and_then(user_text) else { continue };
        let Some(id) = event.id() else { continue };
        // Handled already, or being handled by a delivery of the same event right now.
        let Some(claim) = bot.handled.claim(id) else { continue };
        let reply = MessagePost::new(Author::new(AuthorType::Business), TextMessage::new().text(format!("You said: {text}")));
        match bot.api.post_message(&bot.app_id, &conversation, reply).send().await {
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let server = match std::env::var("SUNSHINE_BASE_URL") {
        Ok(url) => Server::Custom(url),
        Err(_) => Server::Zendesk { subdomain: var("SUNSHINE_SUBDOMAIN")? },
    };
    let api = Client::builder(server).basic_auth(var("SUNSHINE_KEY_ID")?, var("SUNSHINE_SECRET")?).build()?;
    let bot = Bot {
        api,
        app_id: var("SUNSHINE_APP_ID")?,
        // An empty secret is refused here, rather than accepting empty keys later.
        verifier: Verifier::new(var("SUNSHINE_WEBHOOK_SECRET")?)?,
        // The API retries a delivery for a while; a day of event ids is plenty.
        handled: Deduplicator::new(100_000).forget_after(Duration::from_secs(24 * 3600)),
    };
    let address = std::env::var("BOT_ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{address}/webhooks");
    let app = Router::new().route("/webhooks", post(receive)).with_state(bot);
    axum::serve(listener, app).await?;
    Ok(())
}
