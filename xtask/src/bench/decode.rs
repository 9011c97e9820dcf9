//! Union decoding: a 100-message ListMessages body decoded into the generated
//! `models::MessageListResponse` vs a hand-written serde type whose `content` is a
//! plain `#[serde(tag = "type")]` enum over the same generated branch types
//! (`bench-client decode`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::Plan;

#[derive(Debug, Clone)]
pub(crate) struct Decode {
    pub body_bytes: u64,
    pub messages: u64,
    /// Messages by content type, e.g. `text: 50`.
    pub kinds: Vec<(String, u64)>,
    pub iterations: u64,
    /// Median µs per decode.
    pub generated_us: f64,
    pub hand_us: f64,
}

pub(crate) fn measure(client: &Path, plan: &Plan) -> Result<Decode, String> {
    let mut cmd = Command::new(client);
    cmd.args(["decode", "--iterations", &plan.decode_iterations.to_string()]);
    parse(&super::output(&mut cmd, false)?)
}

fn parse(text: &str) -> Result<Decode, String> {
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("bad bench-client decode JSON: {e}\n{text}"))?;
    let number = |key: &str| value[key].as_f64().ok_or_else(|| format!("bench-client decode JSON: no {key}"));
    let kinds = value["kinds"]
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
        .unwrap_or_default();
    Ok(Decode {
        body_bytes: number("body_bytes")? as u64,
        messages: number("messages")? as u64,
        kinds,
        iterations: number("iterations")? as u64,
        generated_us: number("generated_us")?,
        hand_us: number("hand_us")?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_bench_client_output() {
        let text = r#"{"body_bytes":70750,"generated_us":120.5,"hand_us":100.0,"iterations":50,
                       "kinds":{"carousel":20,"text":50},"messages":100}"#;
        let decode = super::parse(text).unwrap();
        assert_eq!((decode.body_bytes, decode.messages, decode.iterations), (70750, 100, 50));
        assert_eq!(decode.kinds, [("carousel".to_owned(), 20), ("text".to_owned(), 50)]);
        assert_eq!((decode.generated_us, decode.hand_us), (120.5, 100.0));
        assert!(super::parse("{}").is_err());
    }
}
