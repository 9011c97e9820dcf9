//! Unit tests of `runtime/auth.rs`.

use crate::runtime::auth::*;
use base64::Engine as _;
use base64::prelude::BASE64_URL_SAFE_NO_PAD;

/// Verified independently of the signer (`hmac-sha256`): RustCrypto's `hmac` + `sha2`,
/// and `base64` by hand.
#[test]
fn minted_jwt_verifies_with_the_secret() {
    use hmac::{Hmac, Mac};
    for wire in ["app", "account"] {
        let token = mint_jwt("app_123", &Secret::new("s3cret"), "scope", wire).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        let decode = |part: &str| BASE64_URL_SAFE_NO_PAD.decode(part).unwrap();
        let header: serde_json::Value = serde_json::from_slice(&decode(parts[0])).unwrap();
        assert_eq!(header, serde_json::json!({"typ": "JWT", "alg": "HS256", "kid": "app_123"}));
        let claims: serde_json::Value = serde_json::from_slice(&decode(parts[1])).unwrap();
        assert_eq!(claims, serde_json::json!({ "scope": wire }));
        let signing_input = format!("{}.{}", parts[0], parts[1]);
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(signing_input.as_bytes());
        assert!(mac.verify_slice(&decode(parts[2])).is_ok(), "signed with the secret");
        let mut wrong = Hmac::<sha2::Sha256>::new_from_slice(b"other").unwrap();
        wrong.update(signing_input.as_bytes());
        assert!(wrong.verify_slice(&decode(parts[2])).is_err());
    }
}

/// A key longer than SHA-256's 64-byte block is hashed first (RFC 2104): the other path
/// of HMAC's key schedule, checked the same independent way.
#[test]
fn minted_jwt_with_a_long_secret_verifies() {
    use hmac::{Hmac, Mac};
    let secret = "k".repeat(100);
    let token = mint_jwt("app_123", &Secret::new(secret.clone()), "scope", "app").unwrap();
    let (signing_input, signature) = token.rsplit_once('.').unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signing_input.as_bytes());
    assert!(mac.verify_slice(&BASE64_URL_SAFE_NO_PAD.decode(signature).unwrap()).is_ok());
}

#[test]
fn header_values() {
    let (name, basic) = Auth::basic("Aladdin", "open sesame").header_value().unwrap().unwrap();
    assert_eq!((name.as_str(), basic.to_str().unwrap()), ("authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
    assert!(basic.is_sensitive());
    let (_, bearer) = Auth::bearer("tok").header_value().unwrap().unwrap();
    assert_eq!(bearer, "Bearer tok");
    assert!(Auth::None.header_value().unwrap().is_none());
    let (name, key) = Auth::header("X-Api-Key", "k1").header_value().unwrap().unwrap();
    assert_eq!((name.as_str(), key.to_str().unwrap(), key.is_sensitive()), ("x-api-key", "k1", true));
    assert!(Auth::query("key", "k1").header_value().unwrap().is_none());
    assert!(Auth::header("bad name", "k1").header_value().is_err());
    let error = Auth::bearer("bad\ntoken").header_value().unwrap_err();
    assert!(!format!("{error} {error:?}").contains("bad"));
}

#[test]
fn debug_never_shows_secrets() {
    let auths = [
        Auth::basic("app_1", "basic-secret"),
        Auth::bearer("bearer-secret"),
        Auth::jwt("app_1", "jwt-secret", "scope", "app"),
        Auth::header("x-key", "header-secret"),
        Auth::query("key", "query-secret"),
    ];
    for auth in auths {
        let debug = format!("{auth:?} {auth:#?}");
        assert!(!debug.contains("secret\""), "{debug}");
        assert!(!debug.contains("-secret"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
}
