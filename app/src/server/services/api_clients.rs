//! API clients (Settings → API → "Register a new OAuth application"), the client-credentials grant
//! of `/oauth/token`, and who a bearer token speaks for. Secrets and tokens are 256-bit random
//! strings stored as keyed hashes only, so a database dump yields neither.

use crate::domain::{AcademyId, ApiClientId};
use crate::{
    domain::api_client::{TOKEN_TTL_SECS, parse_callback_uri, parse_name},
    error::AppError,
    model::{ApiClientView, ApiSettings, NewApiClient},
    server::{
        auth::SessionUser,
        db::{Tx, now_ms},
        repo::{
            self,
            api_clients::{ClientRow, NewClient},
        },
        state::AppState,
        tokens,
    },
    validate::Fields,
};

/// The academy and client a valid bearer token speaks for.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub academy_id: AcademyId,
    /// The client's row id (not its public client id).
    pub client: ApiClientId,
    pub name: String,
    /// The academy's plan (which learner roles it offers).
    pub plan: crate::domain::role::Plan,
}

fn not_found() -> AppError {
    AppError::NotFound("This application no longer exists.".into())
}

fn view(row: ClientRow) -> ApiClientView {
    let by = crate::model::full_name(
        row.creator_first.as_deref().unwrap_or_default(),
        row.creator_last.as_deref().unwrap_or_default(),
    );
    ApiClientView {
        id: row.id,
        name: row.name,
        client_id: row.client_id,
        callback_uri: row.callback_uri,
        created_by: if by.is_empty() { "—".into() } else { by },
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}

/// Only the Owner and Administrators manage API clients.
fn require_manager(actor: &SessionUser) -> Result<(), AppError> {
    if actor.user.role.is_staff() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only the academy's Owner and Administrators manage API applications.".into(),
        ))
    }
}

pub async fn list(state: &AppState, actor: &SessionUser) -> Result<ApiSettings, AppError> {
    require_manager(actor)?;
    Ok(ApiSettings {
        base_url: state.settings.base_url.clone(),
        per_second: state.settings.api_limit.per_second,
        burst: state.settings.api_limit.burst,
        clients: repo::api_clients::list(&state.db.pool, actor.academy_id)
            .await?
            .into_iter()
            .map(view)
            .collect(),
    })
}

pub async fn register(
    state: &AppState,
    actor: &SessionUser,
    name: &str,
    callback_uri: &str,
) -> Result<NewApiClient, AppError> {
    require_manager(actor)?;
    let mut f = Fields::default();
    let name = f.check("name", parse_name(name));
    let callback = f.check("callback_uri", parse_callback_uri(callback_uri));
    f.finish()?;
    let (Some(name), Some(callback)) = (name, callback) else {
        return Err(AppError::BadRequest(
            "The application could not be read.".into(),
        ));
    };
    let client_id = hex::encode(rand::random::<[u8; 12]>());
    let secret = tokens::new_token();
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let id = repo::api_clients::insert(
        &mut *tx,
        &NewClient {
            academy_id: actor.academy_id,
            name: &name,
            client_id: &client_id,
            secret_hash: &tokens::token_hash(&state.settings.secret, &secret),
            callback_uri: callback.as_deref(),
            created_by: actor.user.id,
        },
        now,
    )
    .await?;
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "api_client.registered",
        &name,
        now,
    )
    .await?;
    let row = repo::api_clients::by_id(&mut *tx, actor.academy_id, id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(NewApiClient {
        client: view(row),
        client_secret: secret,
    })
}

pub async fn rename(
    state: &AppState,
    actor: &SessionUser,
    id: ApiClientId,
    name: &str,
) -> Result<ApiClientView, AppError> {
    require_manager(actor)?;
    let name = parse_name(name).map_err(|m| AppError::invalid("name", m))?;
    let mut tx = state.db.write().await?;
    let old = repo::api_clients::by_id(&mut *tx, actor.academy_id, id)
        .await?
        .ok_or_else(not_found)?;
    repo::api_clients::rename(&mut *tx, actor.academy_id, id, &name).await?;
    repo::audit::record_with_detail(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "api_client.renamed",
        &name,
        &format!("{} → {}", old.name, name),
        now_ms(),
    )
    .await?;
    let row = repo::api_clients::by_id(&mut *tx, actor.academy_id, id)
        .await?
        .ok_or_else(not_found)?;
    tx.commit().await?;
    Ok(view(row))
}

/// Revokes the client and every token it holds: the next call with one of them is 401.
pub async fn revoke(
    state: &AppState,
    actor: &SessionUser,
    id: ApiClientId,
) -> Result<(), AppError> {
    require_manager(actor)?;
    let now = now_ms();
    let mut tx = state.db.write().await?;
    let row = repo::api_clients::by_id(&mut *tx, actor.academy_id, id)
        .await?
        .ok_or_else(not_found)?;
    revoke_in(&mut tx, actor, id, &row.name, "", now).await?;
    tx.commit().await?;
    Ok(())
}

/// Revokes client `id` (named `name`) and deletes its tokens in the caller's transaction, so the
/// next call with any of them is 401; audited with `why` after the token count. False when it
/// was revoked already.
pub(crate) async fn revoke_in(
    tx: &mut Tx,
    actor: &SessionUser,
    id: ApiClientId,
    name: &str,
    why: &str,
    now: i64,
) -> Result<bool, AppError> {
    if !repo::api_clients::revoke(&mut **tx, actor.academy_id, id, now).await? {
        return Ok(false);
    }
    let tokens = repo::api_clients::delete_tokens(&mut **tx, id).await?;
    repo::audit::record_with_detail(
        &mut **tx,
        actor.academy_id,
        Some(actor.user.id),
        "api_client.revoked",
        name,
        &format!("{tokens} token(s) revoked{why}"),
        now,
    )
    .await?;
    Ok(true)
}

/// Why `/oauth/token` refused (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantError {
    InvalidRequest(String),
    InvalidClient,
    UnsupportedGrantType(String),
    InvalidScope(String),
}

/// A token granted to a client.
#[derive(Debug, Clone)]
pub struct Granted {
    pub access_token: String,
    pub expires_in: i64,
    pub scope: String,
}

/// The scopes a token may ask for: the whole API, named or left empty.
pub const SCOPES: [&str; 2] = ["", "api"];

/// Constant-time comparison of two stored hashes.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The client-credentials grant: a new bearer token for a registered, unrevoked client. A client
/// that presents credentials is authenticated first (RFC 6749 §5.2): wrong ones are
/// `invalid_client` whatever else the request says.
pub async fn grant(
    state: &AppState,
    grant_type: Option<&str>,
    client_id: Option<&str>,
    client_secret: Option<&str>,
    scope: Option<&str>,
) -> Result<Result<Granted, GrantError>, AppError> {
    let credentials = (
        client_id.map(str::trim).filter(|s| !s.is_empty()),
        client_secret.map(str::trim).filter(|s| !s.is_empty()),
    );
    let client = match credentials {
        (Some(client_id), Some(secret)) => {
            let presented = tokens::token_hash(&state.settings.secret, secret);
            let client = repo::api_clients::by_client_id(&state.db.pool, client_id).await?;
            match client.filter(|c| c.revoked_at.is_none() && same(&c.secret_hash, &presented)) {
                Some(client) => Some(client),
                None => return Ok(Err(GrantError::InvalidClient)),
            }
        }
        _ => None,
    };
    let grant_type = grant_type.map(str::trim).unwrap_or_default();
    if grant_type.is_empty() {
        return Ok(Err(GrantError::InvalidRequest(
            "grant_type is missing: send grant_type=client_credentials".into(),
        )));
    }
    if grant_type != "client_credentials" {
        return Ok(Err(GrantError::UnsupportedGrantType(format!(
            "Only grant_type=client_credentials is supported, not {grant_type:?}"
        ))));
    }
    let Some(client) = client else {
        return Ok(Err(GrantError::InvalidRequest(
            "client_id and client_secret are required (in the body or with HTTP Basic authentication)"
                .into(),
        )));
    };
    let scope = scope.map(str::trim).unwrap_or_default();
    if !SCOPES.contains(&scope) {
        return Ok(Err(GrantError::InvalidScope(format!(
            "Unknown scope {scope:?}: leave it empty or ask for \"api\""
        ))));
    }
    let token = tokens::new_token();
    let now = now_ms();
    repo::api_clients::insert_token(
        &state.db.pool,
        client.academy_id,
        client.id,
        &tokens::token_hash(&state.settings.secret, &token),
        scope,
        now,
        now + TOKEN_TTL_SECS * 1000,
    )
    .await?;
    Ok(Ok(Granted {
        access_token: token,
        expires_in: TOKEN_TTL_SECS,
        scope: if scope.is_empty() {
            "api".into()
        } else {
            scope.into()
        },
    }))
}

/// Who `token` speaks for; `Unauthorized` for an unknown, expired or revoked token.
pub async fn authenticate(state: &AppState, token: &str) -> Result<ApiCaller, AppError> {
    let hash = tokens::token_hash(&state.settings.secret, token.trim());
    match repo::api_clients::token_owner(&state.db.pool, &hash).await? {
        Some(t) if t.expires_at > now_ms() => Ok(ApiCaller {
            academy_id: t.academy_id,
            client: t.client_id,
            name: t.name,
            plan: t.plan,
        }),
        _ => Err(AppError::Unauthorized),
    }
}

/// What the caller's bucket held after this call (calls), and its size.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub remaining: i64,
    pub limit: i64,
}

/// Takes one call from the client's token bucket, or says when to come back.
pub async fn take_call(state: &AppState, caller: &ApiCaller) -> Result<Budget, AppError> {
    let limit = state.settings.api_limit;
    // One statement, committed by itself; on SQLite it still waits for this process's turn to
    // write, like any transaction.
    let turn = state.db.turn().await?;
    let now = now_ms();
    let left = repo::api_clients::take_from_bucket(
        &state.db.pool,
        caller.client,
        limit.per_second,
        limit.burst,
        now,
    )
    .await?;
    let level = match left {
        Some(_) => 0,
        None => {
            repo::api_clients::bucket_level(
                &state.db.pool,
                caller.client,
                limit.per_second,
                limit.burst,
                now,
            )
            .await?
        }
    };
    drop(turn);
    match left {
        Some(left) => Ok(Budget {
            remaining: left / 1000,
            limit: limit.burst,
        }),
        None => {
            // Thousandths missing for one call, refilled at `per_second` per millisecond.
            let wait_ms = (1000 - level).max(1) / limit.per_second.max(1);
            let retry_after_secs = (wait_ms / 1000 + 1) as u64;
            Err(AppError::RateLimited {
                message: format!(
                    "Too many requests: this application may make {} calls at once and {} per second. Try again in {retry_after_secs} second(s).",
                    limit.burst, limit.per_second
                ),
                retry_after_secs,
            })
        }
    }
}
