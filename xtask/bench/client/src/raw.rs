//! Hand-written client code: what one would write with reqwest directly, sending the
//! same bytes as the generated client and decoding into the same model types.

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use sunshine_conversations::models;

use crate::{APP_ID, CONVERSATION_ID, KEY_ID, PAGE_SIZE, SECRET, UA, USER_ID};

/// The raw reqwest client.
pub struct Raw {
    http: reqwest::Client,
    base: String,
    user_agent: HeaderValue,
    authorization: HeaderValue,
}

impl Raw {
    /// A client of the server at `base`, on `http`.
    pub fn new(base: &str, http: reqwest::Client) -> Self {
        let pair = format!("{KEY_ID}:{SECRET}");
        let mut authorization = HeaderValue::from_str(&format!("Basic {}", base64(pair.as_bytes()))).unwrap();
        authorization.set_sensitive(true);
        Self { http, base: base.to_owned(), user_agent: HeaderValue::from_static(UA), authorization }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, url: String) -> T {
        let response = self
            .http
            .get(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect("raw request");
        let bytes = response.bytes().await.expect("raw body");
        serde_json::from_slice(&bytes).expect("raw decode")
    }

    /// GetConversation.
    pub async fn get_conversation(&self) -> models::ConversationResponse {
        self.get(format!("{}/v2/apps/{APP_ID}/conversations/{CONVERSATION_ID}", self.base)).await
    }

    /// ListConversations, one page of 100.
    pub async fn list_conversations(&self) -> models::ConversationListResponse {
        self.get(format!(
            "{}/v2/apps/{APP_ID}/conversations?filter[userId]={USER_ID}&page[size]={PAGE_SIZE}",
            self.base
        ))
        .await
    }
}

/// Standard base64 with padding (the raw side's own, as hand-written code would use a crate).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc_4648() {
        for (input, output) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(input.as_bytes()), output);
        }
    }
}
