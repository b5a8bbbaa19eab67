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
    fn the_stored_hash_depends_on_the_server_secret() {
        let t = new_token();
        let h1 = token_hash(&Secret::new("a".repeat(32)), &t);
        let h2 = token_hash(&Secret::new("b".repeat(32)), &t);
        assert_ne!(h1, h2);
        assert!(!h1.contains(&t));
    }
}
