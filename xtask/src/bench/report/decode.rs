//! The union-decoding section.

use std::fmt::Write;

use super::{group, met};
use crate::bench::decode::Decode;

/// The target: generated at most this many times the hand-written decode.
const DECODE_TARGET: f64 = 1.3;

pub(super) fn section(out: &mut String, decode: &Decode) {
    let _ = writeln!(out, "## Union decoding: ListMessages\n");
    let kinds = decode.kinds.iter().map(|(kind, n)| format!("{n} {kind}")).collect::<Vec<_>>().join(", ");
    let _ = writeln!(
        out,
        "`serde_json::from_slice` of the ListMessages body the bench server sends ({} B, {} messages: {kinds}; \
         authors, sources, reply and link actions, carousel items) into the generated \
         `models::MessageListResponse` vs a hand-written serde type of the same shape whose `content` is a \
         plain `#[serde(tag = \"type\")]` enum over the same generated branch types (`TextMessage`, \
         `ImageMessage`, `CarouselMessage`, `FileMessage`, …, `#[serde(other)]` for the rest); both decode the \
         same values (checked first). Release build (xtask/bench/client, `bench-client decode`); {} decodes \
         of each after a warm-up, alternating; median time per decode. The generated `Content` does more: a \
         known tag whose value does not decode, and an unknown tag, keep their JSON in `Content::Other` (the \
         hand-written enum fails on the first and forgets the second).\n",
        group(decode.body_bytes as f64),
        decode.messages,
        decode.iterations
    );
    let ratio = if decode.hand_us > 0.0 { decode.generated_us / decode.hand_us } else { 0.0 };
    let _ = writeln!(out, "| decoder | median per response | per message | generated / hand-written | target |");
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    let per_message = |us: f64| us / decode.messages.max(1) as f64;
    let _ = writeln!(
        out,
        "| generated `models::MessageListResponse` | {:.0} µs | {:.2} µs | {ratio:.2}× | ≤ {DECODE_TARGET}×: {} |",
        decode.generated_us,
        per_message(decode.generated_us),
        met(ratio <= DECODE_TARGET)
    );
    let _ = writeln!(
        out,
        "| hand-written `#[serde(tag = \"type\")]` | {:.0} µs | {:.2} µs | — | — |\n",
        decode.hand_us,
        per_message(decode.hand_us)
    );
}
