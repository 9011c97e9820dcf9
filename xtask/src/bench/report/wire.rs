//! The bytes-on-the-wire (gzip) section.

use std::fmt::Write;

use super::{group, micros};
use crate::bench::Plan;
use crate::bench::wire::Wire;

pub(super) fn section(out: &mut String, plan: &Plan, wire: &Wire) {
    let _ = writeln!(out, "## Bytes on the wire: gzip\n");
    let _ = writeln!(
        out,
        "The bench server sends ListConversations (100 conversations) and ListMessages (100 messages: text, \
         image, carousel and file contents) gzip-compressed (flate2, default level, compressed once at startup) \
         when the request's `Accept-Encoding` lists gzip, uncompressed otherwise; bytes are those of the canned \
         responses as written to the socket (head: status line and headers). Requests/s: the generated client \
         as shipped (its `reqwest::Client` has gzip, so it sends `Accept-Encoding: gzip` and decodes) vs the \
         generated client built with `configure_http(reqwest::ClientBuilder::no_gzip)`; same runtime, rounds \
         and CPU measure as the table above ({} round(s) of {} s, ABBA, medians). Both decode the same values \
         (checked first). On loopback, bytes cost almost nothing and decompression is pure CPU: over a real \
         network the smaller responses are what gzip is for.\n",
        plan.rounds, plan.seconds
    );
    let _ = writeln!(out, "| operation | uncompressed (head + body) | gzip (head + body) | gzip / uncompressed |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for bytes in &wire.bytes {
        let (identity, gzip) = (bytes.identity.head + bytes.identity.body, bytes.gzip.head + bytes.gzip.body);
        let _ = writeln!(
            out,
            "| {} | {} B ({} + {}) | {} B ({} + {}) | {:.1} % |",
            bytes.operation,
            group(identity as f64),
            bytes.identity.head,
            group(bytes.identity.body as f64),
            group(gzip as f64),
            bytes.gzip.head,
            group(bytes.gzip.body as f64),
            100.0 * gzip as f64 / identity.max(1) as f64
        );
    }
    let _ = writeln!(
        out,
        "\n| operation | in flight | gzip req/s | no gzip req/s | gzip / no gzip | CPU µs/request gzip | CPU µs/request no gzip |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for row in &wire.rows {
        let ratio = if row.identity > 0.0 { row.gzip / row.identity } else { 0.0 };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {ratio:.2} | {} | {} |",
            row.operation,
            row.concurrency,
            group(row.gzip),
            group(row.identity),
            micros(row.gzip_cpu),
            micros(row.identity_cpu)
        );
    }
    let _ = writeln!(out, "\nWhat each sent for ListMessages (the default client asks for gzip, checked):\n");
    for head in [&wire.heads.0, &wire.heads.1] {
        let _ = writeln!(out, "```http\n{}```\n", head.replace("\r\n", "\n"));
    }
}
