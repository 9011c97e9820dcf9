//! `bench-client wire`: bytes on the wire with and without gzip, and the generated
//! client as shipped (its `reqwest::Client` decodes gzip and sends
//! `Accept-Encoding: gzip`) vs the generated client on a `reqwest::Client` without gzip
//! (`ClientBuilder::configure_http(reqwest::ClientBuilder::no_gzip)`), on the two lists.

use std::hint::black_box;

use serde_json::{Value, json};

use crate::measure::{Settings, abba, throughput};
use crate::overhead::head_len;
use crate::server::{self, Canned};

/// `bench-client wire [--seconds S] [--rounds N] [--concurrency C]`.
pub fn run(args: &[String]) {
    let settings = Settings::parse(args);
    let (base, record) = server::start();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    runtime.block_on(async {
        let gzip = crate::generated_client(&base, true);
        let plain = crate::generated_client(&base, false);

        // What each one asks for, and that both decode the same values.
        let heads = record
            .capture(async {
                let a = crate::generated_messages(&gzip).await;
                let b = crate::generated_messages(&plain).await;
                assert_eq!(a, b, "ListMessages decodes differently with gzip");
                let a = crate::generated_list(&gzip).await;
                let b = crate::generated_list(&plain).await;
                assert_eq!(a, b, "ListConversations decodes differently with gzip");
            })
            .await;
        let heads: Vec<String> = heads.iter().map(|h| String::from_utf8_lossy(h).into_owned()).collect();
        let asks = |head: &str| head.to_ascii_lowercase().contains("\r\naccept-encoding: gzip");
        if heads.len() != 4 || !asks(&heads[0]) || asks(&heads[1]) {
            eprintln!("expected the default client to ask for gzip and the other not to:\n{}", heads.join("---\n"));
            std::process::exit(1);
        }

        let mut results = Vec::new();
        for (operation, concurrency) in [
            ("ListConversations", 1),
            ("ListMessages", 1),
            ("ListConversations", settings.concurrency),
            ("ListMessages", settings.concurrency),
        ] {
            let (gzip, plain) = (&gzip, &plain);
            let measured = abba(&settings, |without, duration| async move {
                let client = if without { plain } else { gzip };
                if operation == "ListMessages" {
                    throughput(duration, concurrency, || async move {
                        black_box(crate::generated_messages(client).await);
                    })
                    .await
                } else {
                    throughput(duration, concurrency, || async move {
                        black_box(crate::generated_list(client).await);
                    })
                    .await
                }
            })
            .await;
            results.push(json!({
                "operation": operation,
                "concurrency": concurrency,
                "gzip_rounds": measured["a_rounds"],
                "identity_rounds": measured["b_rounds"],
                "gzip_cpu_us": measured["a_cpu_us"],
                "identity_cpu_us": measured["b_cpu_us"],
            }));
        }
        let responses = server::Responses::new();
        println!(
            "{}",
            json!({
                "bytes": {
                    "ListConversations": bytes(&responses.list),
                    "ListMessages": bytes(&responses.messages),
                },
                "request_heads": { "gzip": heads[0], "identity": heads[1] },
                "results": results,
            })
        );
    });
}

/// Head and body bytes of a canned response, uncompressed and gzip.
fn bytes(canned: &Canned) -> Value {
    let split = |message: &[u8]| {
        let head = head_len(message);
        json!({ "head": head, "body": message.len() - head })
    };
    json!({ "identity": split(&canned.identity), "gzip": canned.gzip.as_deref().map(split) })
}
