//! `bench-client run`: the generated client vs raw reqwest, GetConversation and
//! ListConversations, sequentially and with requests in flight. Both use a
//! `reqwest::Client` without gzip, so the lists come uncompressed and the comparison
//! is the clients' own work (gzip has its own section: `bench-client wire`).

use std::hint::black_box;

use serde_json::json;

use crate::measure::{Settings, abba, throughput};
use crate::raw::Raw;
use crate::{bodies, server};

/// `bench-client run [--seconds S] [--rounds N] [--concurrency C] [--only OPERATION]`.
pub fn run(args: &[String]) {
    let settings = Settings::parse(args);
    let (base, record) = server::start();
    // The clients share one thread (a current-thread runtime); the server has the other core.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
    runtime.block_on(async {
        let generated = crate::generated_client(&base, false);
        let raw = Raw::new(&base, crate::raw_http());

        // Same bytes on the wire, same decoded values.
        let heads = record
            .capture(async {
                let a = crate::generated_get(&generated).await;
                let b = raw.get_conversation().await;
                assert_eq!(a, b, "GetConversation decodes differently");
                let a = crate::generated_list(&generated).await;
                let b = raw.list_conversations().await;
                assert_eq!(a, b, "ListConversations decodes differently");
                assert_eq!(a.conversations.as_ref().map(Vec::len), Some(bodies::LIST_SIZE));
            })
            .await;
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let identical = heads.len() == 4 && heads[0] == heads[1] && heads[2] == heads[3];
        if !identical {
            eprintln!("the generated client and the raw code send different requests:");
            for head in &heads {
                eprintln!("---\n{}", text(head));
            }
            std::process::exit(1);
        }

        let mut results = Vec::new();
        for (operation, concurrency) in [
            ("GetConversation", 1),
            ("ListConversations", 1),
            ("GetConversation", settings.concurrency),
            ("ListConversations", settings.concurrency),
        ] {
            if !settings.wants(operation) {
                continue;
            }
            let generated = &generated;
            let raw = &raw;
            let measured = abba(&settings, |is_raw, duration| async move {
                match (operation, is_raw) {
                    ("GetConversation", false) => {
                        throughput(duration, concurrency, || async move {
                            black_box(crate::generated_get(generated).await);
                        })
                        .await
                    }
                    ("GetConversation", true) => {
                        throughput(duration, concurrency, || async move {
                            black_box(raw.get_conversation().await);
                        })
                        .await
                    }
                    (_, false) => {
                        throughput(duration, concurrency, || async move {
                            black_box(crate::generated_list(generated).await);
                        })
                        .await
                    }
                    (_, true) => {
                        throughput(duration, concurrency, || async move {
                            black_box(raw.list_conversations().await);
                        })
                        .await
                    }
                }
            })
            .await;
            results.push(json!({
                "operation": operation,
                "concurrency": concurrency,
                "generated_rounds": measured["a_rounds"],
                "raw_rounds": measured["b_rounds"],
                "generated_cpu_us": measured["a_cpu_us"],
                "raw_cpu_us": measured["b_cpu_us"],
            }));
        }
        let responses = server::Responses::new();
        let body = |canned: &server::Canned| canned.identity.len() - head_len(&canned.identity);
        println!(
            "{}",
            json!({
                "identical_requests": identical,
                "request_heads": { "GetConversation": text(&heads[0]), "ListConversations": text(&heads[2]) },
                "body_bytes": { "GetConversation": body(&responses.get), "ListConversations": body(&responses.list) },
                "future_bytes": crate::future_sizes(&generated, &raw),
                "results": results,
            })
        );
    });
}

/// Length of an HTTP message's head, the blank line included.
pub fn head_len(message: &[u8]) -> usize {
    message.windows(4).position(|w| w == b"\r\n\r\n").map_or(message.len(), |i| i + 4)
}
