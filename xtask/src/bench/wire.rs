//! Bytes on the wire: the two list responses with and without gzip, and requests/s of
//! the generated client as shipped (gzip) vs on a `reqwest::Client` without gzip
//! (`bench-client wire`).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::Plan;
use super::runtime::without_port;

/// Head and body bytes of one response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Size {
    pub head: u64,
    pub body: u64,
}

/// One operation's response, uncompressed and gzip.
#[derive(Debug, Clone)]
pub(crate) struct Bytes {
    pub operation: String,
    pub identity: Size,
    pub gzip: Size,
}

/// One scenario: medians of the rounds.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub operation: String,
    pub concurrency: u64,
    pub gzip: f64,
    pub identity: f64,
    pub gzip_cpu: Option<f64>,
    pub identity_cpu: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Wire {
    pub bytes: Vec<Bytes>,
    pub rows: Vec<Row>,
    /// The ListMessages request of each client, port masked: (gzip, identity).
    pub heads: (String, String),
}

pub(crate) fn measure(client: &Path, plan: &Plan) -> Result<Wire, String> {
    let mut cmd = Command::new(client);
    cmd.args(["wire", "--seconds", &plan.seconds.to_string(), "--rounds", &plan.rounds.to_string()])
        .args(["--concurrency", &plan.concurrency.to_string()]);
    let text = super::output(&mut cmd, false)?;
    parse(&text)
}

fn parse(text: &str) -> Result<Wire, String> {
    let value: Value =
        serde_json::from_str(text.trim()).map_err(|e| format!("bad bench-client wire JSON: {e}\n{text}"))?;
    let size = |v: &Value| Size { head: v["head"].as_u64().unwrap_or(0), body: v["body"].as_u64().unwrap_or(0) };
    let bytes = value["bytes"]
        .as_object()
        .ok_or("bench-client wire JSON: no bytes")?
        .iter()
        .map(|(operation, v)| Bytes {
            operation: operation.clone(),
            identity: size(&v["identity"]),
            gzip: size(&v["gzip"]),
        })
        .collect();
    let rows = value["results"]
        .as_array()
        .ok_or("bench-client wire JSON: no results")?
        .iter()
        .map(|r| Row {
            operation: r["operation"].as_str().unwrap_or_default().to_owned(),
            concurrency: r["concurrency"].as_u64().unwrap_or(0),
            gzip: super::median(&super::numbers(&r["gzip_rounds"])),
            identity: super::median(&super::numbers(&r["identity_rounds"])),
            gzip_cpu: super::median_of(&r["gzip_cpu_us"]),
            identity_cpu: super::median_of(&r["identity_cpu_us"]),
        })
        .collect();
    let head = |key: &str| without_port(value["request_heads"][key].as_str().unwrap_or_default());
    Ok(Wire { bytes, rows, heads: (head("gzip"), head("identity")) })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_bench_client_output() {
        let text = r#"{"bytes":{"ListMessages":{"identity":{"head":80,"body":1000},"gzip":{"head":104,"body":100}}},
            "request_heads":{"gzip":"GET / HTTP/1.1\r\nhost: 127.0.0.1:4000\r\n\r\n","identity":"x"},
            "results":[{"operation":"ListMessages","concurrency":1,"gzip_rounds":[10,30,20],"identity_rounds":[5],
                        "gzip_cpu_us":[],"identity_cpu_us":[2.5]}]}"#;
        let wire = super::parse(text).unwrap();
        assert_eq!(wire.bytes[0].gzip, super::Size { head: 104, body: 100 });
        assert_eq!((wire.rows[0].gzip, wire.rows[0].identity), (20.0, 5.0));
        assert_eq!((wire.rows[0].gzip_cpu, wire.rows[0].identity_cpu), (None, Some(2.5)));
        assert!(wire.heads.0.contains("127.0.0.1:PORT"));
    }
}
