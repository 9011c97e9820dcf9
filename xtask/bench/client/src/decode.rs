//! `bench-client decode`: decoding the ListMessages body (100 messages mixing text,
//! image, carousel and file contents) into the generated `models::MessageListResponse`
//! vs a hand-written serde type of the same shape whose `content` is a plain
//! `#[serde(tag = "type")]` enum over the same generated branch types. The hand-written
//! one errors on a known tag that does not decode and forgets the JSON of an unknown
//! one; the generated `Content` keeps both in `Content::Other`.

use std::hint::black_box;
use std::time::Instant;

use serde::Deserialize;
use serde_json::json;
use sunshine_conversations::models;

use crate::bodies;

/// `models::MessageListResponse`, hand-written.
#[derive(Debug, Deserialize)]
struct HandMessageListResponse {
    #[serde(default)]
    messages: Option<Vec<HandMessage>>,
    #[serde(default)]
    meta: Option<models::Meta>,
    #[serde(default)]
    links: Option<models::Links>,
}

/// `models::Message`, hand-written, with [`HandContent`].
#[derive(Debug, Deserialize)]
struct HandMessage {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    received: Option<String>,
    #[serde(default)]
    author: Option<models::Author>,
    #[serde(default)]
    activity: Option<models::ActivityMessage>,
    #[serde(default)]
    content: Option<HandContent>,
    #[serde(default)]
    source: Option<models::Source>,
    #[serde(rename = "quotedMessage", default)]
    quoted_message: Option<Box<models::QuotedMessage>>,
    #[serde(default)]
    metadata: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    deleted: Option<bool>,
    #[serde(default)]
    references: Option<Vec<models::Reference>>,
}

/// `models::Content`, hand-written: serde's internally tagged enum.
#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
enum HandContent {
    #[serde(rename = "text")]
    Text(models::TextMessage),
    #[serde(rename = "carousel")]
    Carousel(models::CarouselMessage),
    #[serde(rename = "file")]
    File(models::FileMessage),
    #[serde(rename = "form")]
    Form(models::FormMessage),
    #[serde(rename = "formResponse")]
    FormResponse(models::FormResponseMessage),
    #[serde(rename = "image")]
    Image(models::ImageMessage),
    #[serde(rename = "list")]
    List(models::ListMessage),
    #[serde(rename = "location")]
    Location(models::LocationMessage),
    #[serde(rename = "template")]
    Template(models::TemplateMessage),
    #[serde(other)]
    Other,
}

impl PartialEq<models::Content> for HandContent {
    fn eq(&self, other: &models::Content) -> bool {
        use models::Content as C;
        match (self, other) {
            (HandContent::Text(a), C::Text(b)) => a == &**b,
            (HandContent::Carousel(a), C::Carousel(b)) => a == &**b,
            (HandContent::File(a), C::File(b)) => a == &**b,
            (HandContent::Form(a), C::Form(b)) => a == &**b,
            (HandContent::FormResponse(a), C::FormResponse(b)) => a == &**b,
            (HandContent::Image(a), C::Image(b)) => a == &**b,
            (HandContent::List(a), C::List(b)) => a == &**b,
            (HandContent::Location(a), C::Location(b)) => a == &**b,
            (HandContent::Template(a), C::Template(b)) => a == &**b,
            (HandContent::Other, C::Other(_)) => true,
            _ => false,
        }
    }
}

/// Whether both decoded the same values.
fn same(hand: &HandMessageListResponse, generated: &models::MessageListResponse) -> bool {
    let (Some(hand_messages), Some(messages)) = (&hand.messages, &generated.messages) else { return false };
    hand.meta == generated.meta
        && hand.links == generated.links
        && hand_messages.len() == messages.len()
        && hand_messages.iter().zip(messages).all(|(a, b)| {
            a.id == b.id
                && a.received == b.received
                && a.author == b.author
                && a.activity == b.activity
                && a.source == b.source
                && a.quoted_message == b.quoted_message
                && a.metadata == b.metadata
                && a.deleted == b.deleted
                && a.references == b.references
                && match (&a.content, &b.content) {
                    (Some(a), Some(b)) => a == b,
                    (None, None) => true,
                    _ => false,
                }
        })
}

/// `bench-client decode [--iterations N]`.
pub fn run(args: &[String]) {
    let mut iterations = 2000usize;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--iterations" => iterations = value.parse().expect("--iterations: a count"),
            other => panic!("unknown argument {other}"),
        }
    }
    let body = bodies::list_messages();
    let bytes = body.as_bytes();
    let generated: models::MessageListResponse = serde_json::from_slice(bytes).expect("generated decode");
    let hand: HandMessageListResponse = serde_json::from_slice(bytes).expect("hand-written decode");
    assert!(same(&hand, &generated), "the generated and the hand-written types decode differently");
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for message in generated.messages.as_deref().unwrap_or_default() {
        let tag = message.content.as_ref().and_then(models::Content::tag).unwrap_or("none");
        assert!(!matches!(message.content, Some(models::Content::Other(_))), "a {tag} message did not decode");
        *kinds.entry(tag).or_default() += 1;
    }

    let time = |generated: bool| {
        let start = Instant::now();
        if generated {
            black_box(serde_json::from_slice::<models::MessageListResponse>(black_box(bytes)).expect("decode"));
        } else {
            black_box(serde_json::from_slice::<HandMessageListResponse>(black_box(bytes)).expect("decode"));
        }
        start.elapsed().as_secs_f64() * 1e6
    };
    // Warm-up, then alternating (ABBA) single decodes.
    for _ in 0..iterations.div_ceil(10) {
        time(true);
        time(false);
    }
    let (mut generated_us, mut hand_us) = (Vec::with_capacity(iterations), Vec::with_capacity(iterations));
    for i in 0..iterations {
        if i % 2 == 0 {
            generated_us.push(time(true));
            hand_us.push(time(false));
        } else {
            hand_us.push(time(false));
            generated_us.push(time(true));
        }
    }
    println!(
        "{}",
        json!({
            "body_bytes": bytes.len(),
            "messages": bodies::MESSAGES_SIZE,
            "kinds": kinds,
            "iterations": iterations,
            "generated_us": median(&mut generated_us),
            "hand_us": median(&mut hand_us),
        })
    );
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}
