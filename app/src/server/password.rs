//! Password hashing: argon2id (m=19 MiB, t=2, p=1) off the async threads, a few at a time.

use std::sync::Arc;

use argon2::{
    Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version,
    password_hash::phc::PasswordHash,
};
use tokio::sync::Semaphore;

use crate::{domain::password::Password, error::AppError};

/// What one new hash costs. A server configured from the environment always uses
/// [`HashCost::Standard`]: `Settings::from_env` has no way to choose another, and `App::state`
/// refuses any other in production mode. Verifying reads the cost from the stored hash itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashCost {
    /// argon2id with m=19 MiB, t=2, p=1 (OWASP's first recommendation): about 50 ms of one core.
    #[default]
    Standard,
    /// argon2id with m=8 KiB, t=1: microseconds. For the integration tests, which sign in a few
    /// hundred times; a stolen hash of this cost falls to any laptop, so never for real accounts.
    InsecureForTests,
}

impl HashCost {
    fn argon2(self) -> Argon2<'static> {
        match self {
            HashCost::Standard => Argon2::default(),
            HashCost::InsecureForTests => Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(Params::MIN_M_COST, 1, 1, None).expect("valid argon2 parameters"),
            ),
        }
    }
}

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    cost: HashCost,
    /// Verified when the account does not exist, so a miss costs as long as a hit.
    dummy_hash: Arc<str>,
}

impl Hasher {
    /// `concurrency`: how many hashes may run at once (each holds 19 MiB and one core).
    pub fn new(concurrency: usize, cost: HashCost) -> Hasher {
        let dummy =
            hash_blocking(cost, "dummy password for unknown accounts").expect("argon2 works");
        Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            cost,
            dummy_hash: dummy.into(),
        }
    }

    pub async fn hash(&self, password: &Password) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let pw = password.expose().to_string();
        let cost = self.cost;
        tokio::task::spawn_blocking(move || hash_blocking(cost, &pw))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)
    }

    /// True only when `stored` exists and matches. With no stored hash a dummy hash is verified anyway.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let known = stored.is_some();
        let hash = stored
            .map(str::to_string)
            .unwrap_or_else(|| self.dummy_hash.to_string());
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&pw, &hash))
            .await
            .map_err(AppError::internal)?;
        Ok(known && ok)
    }
}

fn hash_blocking(cost: HashCost, password: &str) -> Result<String, String> {
    cost.argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("argon2: {e}"))
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let hasher = Hasher::new(1, HashCost::Standard);
        let pw = Password::parse("correct horse battery").unwrap();
        let hash = hasher.hash(&pw).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            hasher
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_even_with_the_dummy_password() {
        let hasher = Hasher::new(1, HashCost::Standard);
        assert!(
            !hasher
                .verify("dummy password for unknown accounts", None)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn the_tests_cheap_hash_is_still_argon2id_and_verifies_only_its_password() {
        let hasher = Hasher::new(1, HashCost::InsecureForTests);
        let pw = Password::parse("correct horse battery").unwrap();
        let hash = hasher.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{hash}");
        assert!(
            hasher
                .verify("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
    }
}
