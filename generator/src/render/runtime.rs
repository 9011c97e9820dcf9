//! The hand-written runtime, copied verbatim into `src/runtime/` of every crate.

/// (file name, contents), in file-name order.
pub(super) const FILES: &[(&str, &str)] = &[
    ("auth.rs", include_str!("../../../templates/runtime/auth.rs")),
    ("base64.rs", include_str!("../../../templates/runtime/base64.rs")),
    ("client.rs", include_str!("../../../templates/runtime/client.rs")),
    ("encode.rs", include_str!("../../../templates/runtime/encode.rs")),
    ("error.rs", include_str!("../../../templates/runtime/error.rs")),
    ("execute.rs", include_str!("../../../templates/runtime/execute.rs")),
    ("json.rs", include_str!("../../../templates/runtime/json.rs")),
    ("mod.rs", include_str!("../../../templates/runtime/mod.rs")),
    ("nullable.rs", include_str!("../../../templates/runtime/nullable.rs")),
    ("paginate.rs", include_str!("../../../templates/runtime/paginate.rs")),
    ("request.rs", include_str!("../../../templates/runtime/request.rs")),
    ("response.rs", include_str!("../../../templates/runtime/response.rs")),
    ("retry.rs", include_str!("../../../templates/runtime/retry.rs")),
    ("validate.rs", include_str!("../../../templates/runtime/validate.rs")),
];
