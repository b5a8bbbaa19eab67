//! Random bearer tokens (sessions, later invites and API tokens) and their stored form.
//! Only a keyed hash is stored, so a database dump alone yields no usable token.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::settings::Secret;

/// 256 random bits, URL-safe.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps instead of the token: SHA-256 over the server secret and the token.
pub fn token_hash(secret: &Secret, token: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.expose().as_bytes());
    h.update([0u8]);
    h.update(token.as_bytes());
    hex::encode(h.finalize())
}

/// A random salt for a derived token (stored; useless without the server secret).
pub fn new_salt() -> String {
    let bytes: [u8; 16] = rand::random();
    hex::encode(bytes)
}

/// The token for `salt`: recomputable by the server (to put it in an email or copy the link later),
/// never stored. 256 bits, URL-safe.
pub fn derive_token(secret: &Secret, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.expose().as_bytes());
    h.update([1u8]);
    h.update(salt.as_bytes());
    URL_SAFE_NO_PAD.encode(h.finalize())
}

/// What the database keeps of a new derived token: `(salt, token hash)`.
pub fn new_derived(secret: &Secret) -> (String, String) {
    let salt = new_salt();
    let hash = token_hash(secret, &derive_token(secret, &salt));
    (salt, hash)
}

/// A six-digit confirmation code for `salt`, derived like `derive_token`.
pub fn derive_code(secret: &Secret, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.expose().as_bytes());
    h.update([2u8]);
    h.update(salt.as_bytes());
    let d = h.finalize();
    let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
    format!("{n:06}")
}

/// The signing secret of a webhook with `salt`: shown to the admin, who verifies deliveries with it;
/// recomputed by the server for every delivery, never stored (like `derive_token`, its own domain).
pub fn derive_webhook_secret(secret: &Secret, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(secret.expose().as_bytes());
    h.update([3u8]);
    h.update(salt.as_bytes());
    format!("whsec_{}", URL_SAFE_NO_PAD.encode(h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_different_every_time() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 bytes in unpadded base64");
    }

    #[test]
    fn a_derived_token_needs_the_secret_and_differs_from_its_stored_hash() {
        let salt = new_salt();
        let a = Secret::new("a".repeat(32));
        let t = derive_token(&a, &salt);
        assert_eq!(t, derive_token(&a, &salt), "recomputable");
        assert_ne!(t, derive_token(&Secret::new("b".repeat(32)), &salt));
        assert_ne!(token_hash(&a, &t), t);
        assert_eq!(t.len(), 43);
    }

    #[test]
    fn confirmation_codes_are_six_digits_and_need_the_secret() {
        let salt = new_salt();
        let a = Secret::new("a".repeat(32));
        let code = derive_code(&a, &salt);
        assert_eq!(code.len(), 6);
        assert!(code.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(code, derive_code(&a, &salt));
    }

    #[test]
    fn a_webhook_secret_needs_the_server_secret_and_is_not_the_invite_token_of_its_salt() {
        let salt = new_salt();
        let a = Secret::new("a".repeat(32));
        let s = derive_webhook_secret(&a, &salt);
        assert_eq!(s, derive_webhook_secret(&a, &salt), "recomputable");
        assert_ne!(
            s,
            derive_webhook_secret(&Secret::new("b".repeat(32)), &salt)
        );
        assert!(s.starts_with("whsec_"));
        assert!(!s.contains(&derive_token(&a, &salt)));
    }

    #[test]
    fn the_stored_hash_depends_on_the_server_secret() {
        let t = new_token();
        let h1 = token_hash(&Secret::new("a".repeat(32)), &t);
        let h2 = token_hash(&Secret::new("b".repeat(32)), &t);
        assert_ne!(h1, h2);
        assert!(!h1.contains(&t));
    }
}
