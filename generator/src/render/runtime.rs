//! The runtime crate (`templates/runtime/`): its `src/runtime/` files, copied verbatim
//! into every generated crate, and the dependencies and features of its manifest,
//! which become the generated crate's.

include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));

/// The runtime crate's manifest.
const MANIFEST: &str = include_str!("../../../templates/runtime/Cargo.toml");

/// One `name = value` line of a TOML table, the value as inline TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub name: String,
    pub value: String,
}

/// The `[dependencies]` and `[features]` of the runtime crate, in name order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Requirements {
    pub dependencies: Vec<Entry>,
    pub features: Vec<Entry>,
}

/// Reads the runtime crate's manifest. It is part of the generator's source, so a
/// malformed one is a generator bug (caught by this module's tests).
pub(super) fn requirements() -> Result<Requirements, String> {
    let manifest: toml::Table =
        toml::from_str(MANIFEST).map_err(|e| format!("generator bug: the runtime crate's Cargo.toml: {e}"))?;
    let table = |name: &str| -> Vec<Entry> {
        manifest
            .get(name)
            .and_then(toml::Value::as_table)
            .map(|t| t.iter().map(|(k, v)| Entry { name: k.clone(), value: inline(v) }).collect())
            .unwrap_or_default()
    };
    Ok(Requirements { dependencies: table("dependencies"), features: table("features") })
}

/// A TOML value on one line (tables inline).
fn inline(value: &toml::Value) -> String {
    match value {
        toml::Value::Table(table) => {
            // `version` first, as people write it.
            let mut members: Vec<(&String, &toml::Value)> = table.iter().collect();
            members.sort_by_key(|(k, _)| (k.as_str() != "version", k.as_str()));
            let members: Vec<String> = members.iter().map(|(k, v)| format!("{k} = {}", inline(v))).collect();
            format!("{{ {} }}", members.join(", "))
        }
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::String(text) => super::toml::string(text),
        toml::Value::Boolean(flag) => flag.to_string(),
        toml::Value::Integer(number) => number.to_string(),
        toml::Value::Float(number) => number.to_string(),
        toml::Value::Datetime(datetime) => super::toml::string(&datetime.to_string()),
    }
}

#[cfg(test)]
mod tests {
    /// Every `.rs` file of the runtime's `src/runtime/` is copied, and nothing else.
    #[test]
    fn copies_every_runtime_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates/runtime/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = super::FILES.iter().map(|(n, _)| *n).collect();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn reads_the_runtime_manifest() {
        let requirements = super::requirements().unwrap();
        let reqwest = requirements.dependencies.iter().find(|d| d.name == "reqwest").unwrap();
        assert_eq!(
            reqwest.value,
            r#"{ version = "0.13", default-features = false, features = ["rustls-no-provider", "gzip"] }"#
        );
        let testing = requirements.features.iter().find(|f| f.name == "testing").unwrap();
        assert_eq!(testing.value, r#"["dep:wiremock"]"#);
    }
}
