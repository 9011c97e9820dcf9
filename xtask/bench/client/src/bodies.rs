//! The canned response bodies: GetConversation, ListConversations (100 conversations)
//! and ListMessages (100 messages mixing text, image, carousel and file contents, with
//! the fields the spec's message schema documents).

use serde_json::{Value, json};

/// How many conversations the ListConversations body carries.
pub const LIST_SIZE: usize = 100;
/// How many messages the ListMessages body carries.
pub const MESSAGES_SIZE: usize = 100;

/// One conversation as the API returns it.
pub fn conversation(i: usize) -> Value {
    json!({
        "id": format!("{:024x}", 0x5f2b_3c4d_5e6f_7081_92a3_b4c5_u128 + i as u128),
        "type": "personal",
        "metadata": { "lang": "en-ca", "tier": "gold", "order": i },
        "activeSwitchboardIntegration": {
            "id": "5ef21b86e933b7355c11c604",
            "name": "zd-agentWorkspace",
            "integrationId": "5ef21b86e933b7355c11c605",
            "integrationType": "zd:agentWorkspace"
        },
        "isDefault": i == 0,
        "displayName": format!("Conversation {i}"),
        "description": "A conversation between a customer and the support team.",
        "iconUrl": "https://www.gravatar.com/image.jpg",
        "businessLastRead": "2025-06-01T12:00:00.000Z",
        "lastUpdatedAt": "2025-06-02T08:30:00.000Z",
        "createdAt": "2025-05-30T17:45:12.345Z"
    })
}

/// The GetConversation response body.
pub fn get_conversation() -> String {
    json!({ "conversation": conversation(0) }).to_string()
}

/// The ListConversations response body.
pub fn list_conversations() -> String {
    json!({
        "conversations": (0..LIST_SIZE).map(conversation).collect::<Vec<_>>(),
        "meta": {
            "hasMore": true,
            "afterCursor": "5f2b3c4d5e6f708192a3b528",
            "beforeCursor": "5f2b3c4d5e6f708192a3b4c5"
        },
        "links": {
            "next": "https://api.smooch.io/v2/apps/app_bench/conversations?filter[userId]=user_bench&page[after]=5f2b3c4d5e6f708192a3b528"
        }
    })
    .to_string()
}

/// The content kinds of [`message`], by `i % 20`: 10 text (every other one with reply
/// buttons), 3 image, 4 carousel, 3 file.
pub fn content_kind(i: usize) -> &'static str {
    match i % 20 {
        0..=9 => "text",
        10..=12 => "image",
        13..=16 => "carousel",
        _ => "file",
    }
}

fn content(i: usize) -> Value {
    match content_kind(i) {
        "text" if i.is_multiple_of(2) => json!({
            "type": "text",
            "text": format!("Message {i}: has my order shipped yet? It was due on Monday."),
            "actions": [
                { "type": "reply", "text": "Yes", "payload": "ANSWER_YES", "iconUrl": "https://cdn.example.com/icons/yes.png" },
                { "type": "reply", "text": "No", "payload": "ANSWER_NO" },
                { "type": "link", "text": "Track it", "uri": "https://shop.example.com/track/1042" }
            ]
        }),
        "text" => json!({
            "type": "text",
            "text": format!("Message {i}: thanks, the parcel is on its way and should arrive tomorrow."),
        }),
        "image" => json!({
            "type": "image",
            "mediaUrl": format!("https://cdn.example.com/uploads/photo-{i}.jpg"),
            "mediaType": "image/jpeg",
            "mediaSize": 184320 + i,
            "altText": "A photo of the damaged parcel",
            "text": "This is how it arrived."
        }),
        "carousel" => json!({
            "type": "carousel",
            "text": "Pick a replacement:",
            "items": (0..3).map(|n| json!({
                "title": format!("Planter {n}"),
                "description": "Glazed ceramic, 20 cm, with a drainage hole.",
                "mediaUrl": format!("https://cdn.example.com/products/planter-{n}.png"),
                "mediaType": "image/png",
                "altText": format!("Planter {n}"),
                "actions": [
                    { "type": "postback", "text": "Choose", "payload": format!("CHOOSE_{n}") },
                    { "type": "link", "text": "Details", "uri": format!("https://shop.example.com/p/{n}") }
                ]
            })).collect::<Vec<_>>()
        }),
        _ => json!({
            "type": "file",
            "mediaUrl": format!("https://cdn.example.com/uploads/invoice-{i}.pdf"),
            "mediaType": "application/pdf",
            "mediaSize": 48213 + i,
            "altText": "Invoice",
            "text": "Here is the invoice."
        }),
    }
}

/// One message as the API returns it: from the user (even `i`) or the business.
pub fn message(i: usize) -> Value {
    let author = if i.is_multiple_of(2) {
        json!({
            "type": "user",
            "userId": "3f1b2c4d5e6f708192a3b4c5",
            "displayName": "Jo Miller",
            "avatarUrl": "https://cdn.example.com/avatars/jo.png"
        })
    } else {
        json!({
            "type": "business",
            "subtypes": ["AI"],
            "displayName": "Greenleaf assistant",
            "avatarUrl": "https://cdn.example.com/avatars/assistant.png"
        })
    };
    let mut message = json!({
        "id": format!("{:024x}", 0x6601_a2b3_c4d5_e6f7_0819_2a3b_u128 + i as u128),
        "received": format!("2024-03-04T08:{:02}:{:02}.512Z", i / 60, i % 60),
        "author": author,
        "content": content(i),
        "source": {
            "type": if i.is_multiple_of(2) { "web" } else { "api:conversations" },
            "integrationId": "5e4af71a81966cfff3ef6550",
            "originalMessageId": format!("ext-{i}")
        }
    });
    if i.is_multiple_of(5) {
        message["metadata"] = json!({ "orderId": "1042", "lang": "en" });
    }
    message
}

/// The ListMessages response body.
pub fn list_messages() -> String {
    json!({
        "messages": (0..MESSAGES_SIZE).map(message).collect::<Vec<_>>(),
        "meta": { "hasMore": true, "beforeCursor": "6601a2b3c4d5e6f708192a3b" },
        "links": {
            "prev": "https://api.smooch.io/v2/apps/app_bench/conversations/5f2b3c4d5e6f708192a3b4c5/messages?page[before]=6601a2b3c4d5e6f708192a3b"
        }
    })
    .to_string()
}
