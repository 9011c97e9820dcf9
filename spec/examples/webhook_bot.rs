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
//! once is not handled twice, and a delivery of an event that another delivery is
//! handling right now is answered 503 too (that handling may still fail). The memory of
//! handled events is bounded.
//!
//! Connections are served with a deadline for each request head (`HEAD_TIMEOUT`), and
//! the extractor reads each body within `Verifier::body_timeout`: a client that opens
//! connections and trickles bytes into them cannot hold them.

use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::routing::post;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use sunshine_conversations::models::{Author, AuthorType, Event, MessagePost, TextMessage, WebhookPayload};
use sunshine_conversations::webhooks::{ClaimOutcome, Deduplicator, Verifier, Webhook};
use sunshine_conversations::{AppClient, Client};
use tokio::net::TcpListener;

/// How long a connection may take to send a request's head (request line and headers),
/// from when the server starts waiting for it: the API sends a head at once, so 10 s is
/// plenty; after it, the connection is closed.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

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
/// once every event is handled, 503 when one is not yet (the API delivers again).
async fn receive(State(bot): State<Bot>, Webhook(payload): Webhook<WebhookPayload>) -> StatusCode {
    let mut status = StatusCode::OK;
    for event in payload.events.iter().flatten() {
        let (Some((conversation, text)), Some(id)) = (user_text(event), event.id()) else { continue };
        let claim = match bot.handled.claim(id) {
            ClaimOutcome::Claimed(claim) => claim,
            // Handled by an earlier delivery: acknowledged, not handled twice.
            ClaimOutcome::HandledAlready => continue,
            // Another delivery of it is being handled right now and may still fail:
            // 503 makes the API deliver it again later (a 200 would end its retries).
            ClaimOutcome::BeingHandled => {
                status = StatusCode::SERVICE_UNAVAILABLE;
                continue;
            }
        };
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

/// Serves `router` on `listener` over HTTP/1.1, each connection with a deadline for
/// every request head ([`HEAD_TIMEOUT`]; `axum::serve` sets none, so a client sending
/// heads a byte at a time could keep any number of connections open).
async fn serve(listener: TcpListener, router: Router) {
    loop {
        let tcp = match listener.accept().await {
            Ok((tcp, _)) => tcp,
            // Out of file descriptors, say: wait for connections to close.
            Err(error) => {
                eprintln!("accept: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(HEAD_TIMEOUT);
            // A connection that fails (its head too slow, a reset) only ends itself.
            let _ = http.serve_connection(TokioIo::new(tcp), service).await;
        });
    }
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
    let listener = TcpListener::bind(&address).await?;
    println!("listening on http://{}/webhooks", listener.local_addr()?);
    serve(listener, router(bot)).await;
    Ok(())
}
