//! Webhooks: managing an academy's receivers, emitting events in the transaction of what they announce,
//! and preparing signed deliveries for the outbox worker (which sends them with the email outbox's
//! claim, lease, backoff and give-up rules).
//!
//! The signing secret is derived from the server secret and the webhook's salt
//! (`tokens::derive_webhook_secret`) rather than stored: the server can show it again and sign with
//! it, while a database dump alone cannot forge a delivery. The price: changing `SHOAL_SECRET`
//! changes every webhook's secret (as it invalidates invitation links), and receivers must be told.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::domain::{AcademyId, DeliveryId, InviteId, TeamId, UserId, WebhookId};
use crate::{
    domain::webhook::{
        self, INVITE_ACCEPTED, INVITE_EMAIL_FAILED, LEARNER_REGISTERED, MAX_URL_CHARS,
        MAX_WEBHOOKS, TEST,
    },
    error::AppError,
    model::webhooks::{DeliveryView, LOG_SIZE, WebhookCreated, WebhookView},
    server::{
        auth::SessionUser,
        db::{Tx, now_ms, rfc3339},
        repo::{
            self,
            webhooks::{DeliveryRow, NewWebhook, SendRow, WebhookRow},
        },
        settings::{Mode, Settings},
        state::AppState,
        tokens,
    },
};

/// The outbox kind of a webhook delivery.
pub const OUTBOX_KIND: &str = "webhook";
/// How long the worker waits for a receiver's answer.
pub const TIMEOUT_SECS: u64 = 10;
pub const USER_AGENT: &str = "Shoal-Webhooks/1";

fn gone() -> AppError {
    AppError::NotFound(
        "This webhook no longer exists. Reload the page to see the current webhooks.".into(),
    )
}

impl From<WebhookRow> for WebhookView {
    fn from(w: WebhookRow) -> WebhookView {
        WebhookView {
            id: w.id,
            events: w.event_names().map(str::to_string).collect(),
            url: w.url,
            created_at: w.created_at,
        }
    }
}

impl From<DeliveryRow> for DeliveryView {
    fn from(d: DeliveryRow) -> DeliveryView {
        DeliveryView {
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            error: d.last_error,
            created_at: d.created_at,
            last_attempt_at: d.last_attempt_at,
            delivered_at: d.delivered_at,
        }
    }
}

// ---- where deliveries may go ----

/// Loopback and private addresses are refused in production unless the operator allows them
/// (`SHOAL_WEBHOOKS_ALLOW_PRIVATE`): a webhook must not become a way to reach the server's own
/// network. Dev mode allows them, so a receiver on the same machine works (and tests run).
pub fn private_allowed(settings: &Settings) -> bool {
    settings.mode == Mode::Dev || settings.webhooks_allow_private
}

const PRIVATE_REFUSED: &str = "This URL points to this machine or a private network; Shoal sends webhooks only to public addresses. (The server's operator can allow private addresses with SHOAL_WEBHOOKS_ALLOW_PRIVATE=1.)";

/// True for addresses that are not on the public internet: loopback, private, link-local, shared,
/// reserved, documentation, multicast, unspecified (and IPv4 inside IPv6).
pub fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_ip(IpAddr::V4(v4));
            }
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [_, _, _, _, _, _, hi, lo] = s;
                let v4 = std::net::Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
                return is_private_ip(IpAddr::V4(v4));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
        }
    }
}

/// The URL as Shoal stores and calls it, or a message about the admin's input. Host names are
/// checked again when they are looked up at delivery time (see the worker's resolver).
pub fn check_url(raw: &str, allow_private: bool) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter the URL that should receive the events.".into());
    }
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "This URL is {} characters long; a webhook URL may have at most 2,000.",
            raw.chars().count()
        ));
    }
    let example = "Enter a full URL starting with https:// (or http://), e.g. https://example.com/hooks/shoal.";
    let url = url::Url::parse(raw).map_err(|_| example.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "Webhooks are sent over http:// or https:// only, not {}:. {example}",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Remove the user name and password from the URL: receivers check the Shoal-Signature header instead.".into());
    }
    if url.fragment().is_some() {
        return Err("Remove the #… part: it is never sent to the receiver.".into());
    }
    let private = match url.host() {
        None => return Err(example.to_string()),
        Some(url::Host::Ipv4(ip)) => is_private_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name == "localhost" || name.ends_with(".localhost")
        }
    };
    if private && !allow_private {
        return Err(PRIVATE_REFUSED.into());
    }
    if url.as_str().chars().count() > MAX_URL_CHARS {
        return Err("This URL is longer than 2,000 characters once encoded.".into());
    }
    Ok(url.to_string())
}

// ---- Settings → Webhooks ----

pub async fn list(state: &AppState, actor: &SessionUser) -> Result<Vec<WebhookView>, AppError> {
    let rows = repo::webhooks::list(&state.db.pool, actor.academy_id).await?;
    Ok(rows.into_iter().map(WebhookView::from).collect())
}

pub async fn create(
    state: &AppState,
    actor: &SessionUser,
    url: &str,
    events: &[String],
) -> Result<WebhookCreated, AppError> {
    let mut fields = crate::validate::Fields::default();
    let url = fields.check("url", check_url(url, private_allowed(&state.settings)));
    let events = fields.check("events", webhook::parse_events(events));
    fields.finish()?;
    let (Some(url), Some(events)) = (url, events) else {
        unreachable!("every field parsed when no field error was collected")
    };
    let salt = tokens::new_salt();
    let now = now_ms();
    let mut tx = state.db.write().await?;
    if repo::webhooks::count(&mut *tx, actor.academy_id).await? >= MAX_WEBHOOKS {
        return Err(AppError::Conflict {
            message: format!(
                "An academy may have at most {MAX_WEBHOOKS} webhooks. Delete one you no longer use first."
            ),
            field: None,
        });
    }
    let id = repo::webhooks::insert(
        &mut *tx,
        &NewWebhook {
            academy_id: actor.academy_id,
            url: &url,
            events: &events.join(","),
            secret_salt: &salt,
            created_by: actor.user.id,
        },
        now,
    )
    .await?;
    repo::audit::record(
        &mut *tx,
        actor.academy_id,
        Some(actor.user.id),
        "webhook.created",
        &url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(WebhookCreated {
        webhook: WebhookView {
            id,
            url,
            events: events.into_iter().map(str::to_string).collect(),
            created_at: now,
        },
        secret: tokens::derive_webhook_secret(&state.settings.secret, &salt),
    })
}

async fn own(state: &AppState, actor: &SessionUser, id: WebhookId) -> Result<WebhookRow, AppError> {
    repo::webhooks::by_id(&state.db.pool, actor.academy_id, id)
        .await?
        .ok_or_else(gone)
}

pub async fn secret(
    state: &AppState,
    actor: &SessionUser,
    id: WebhookId,
) -> Result<String, AppError> {
    let w = own(state, actor, id).await?;
    Ok(tokens::derive_webhook_secret(
        &state.settings.secret,
        &w.secret_salt,
    ))
}

/// Deletes the webhook with its delivery log; deliveries still waiting are not sent.
pub async fn delete(state: &AppState, actor: &SessionUser, id: WebhookId) -> Result<(), AppError> {
    let mut tx = state.db.write().await?;
    let Some(w) = repo::webhooks::by_id(&mut *tx, actor.academy_id, id).await? else {
        return Err(gone());
    };
    delete_in(&mut tx, actor, &w, None, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes webhook `w` (deliveries still waiting are not sent) in the caller's transaction,
/// audited with `why` as the detail when there is one.
pub(crate) async fn delete_in(
    tx: &mut Tx,
    actor: &SessionUser,
    w: &WebhookRow,
    why: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    repo::webhooks::delete(&mut **tx, actor.academy_id, w.id).await?;
    let (academy, by, action) = (actor.academy_id, Some(actor.user.id), "webhook.deleted");
    match why {
        Some(why) => {
            repo::audit::record_with_detail(&mut **tx, academy, by, action, &w.url, why, now)
                .await?
        }
        None => repo::audit::record(&mut **tx, academy, by, action, &w.url, now).await?,
    }
    Ok(())
}

pub async fn send_test(
    state: &AppState,
    actor: &SessionUser,
    id: WebhookId,
) -> Result<DeliveryId, AppError> {
    let mut tx = state.db.write().await?;
    let Some(w) = repo::webhooks::by_id(&mut *tx, actor.academy_id, id).await? else {
        return Err(gone());
    };
    let data = json!({
        "message": "This is a test event from Shoal. If you can read it and its signature checks out, the webhook works.",
        "webhook_id": w.id,
        "sent_by": actor.user.email,
    });
    let delivery = enqueue(&mut tx, &w, TEST, &data, now_ms()).await?;
    tx.commit().await?;
    state.outbox_wakeup.notify_one();
    Ok(delivery)
}

pub async fn deliveries(
    state: &AppState,
    actor: &SessionUser,
    id: WebhookId,
) -> Result<Vec<DeliveryView>, AppError> {
    own(state, actor, id).await?;
    let rows =
        repo::webhooks::recent_deliveries(&state.db.pool, actor.academy_id, id, LOG_SIZE).await?;
    Ok(rows.into_iter().map(DeliveryView::from).collect())
}

// ---- emitting events ----

#[derive(Serialize)]
struct Envelope<'a> {
    id: DeliveryId,
    event: &'a str,
    created_at: String,
    academy: AcademyRef<'a>,
    data: &'a Value,
}

#[derive(Serialize)]
struct AcademyRef<'a> {
    slug: &'a str,
}

/// One delivery of `event` to `w`, with its outbox row, in `tx`. Returns the delivery's id.
async fn enqueue(
    tx: &mut Tx,
    w: &WebhookRow,
    event: &str,
    data: &Value,
    now: i64,
) -> Result<DeliveryId, AppError> {
    let slug = repo::academies::by_id(&mut **tx, w.academy_id)
        .await?
        .map(|a| a.slug)
        .unwrap_or_default();
    let id = repo::webhooks::insert_delivery(&mut **tx, w.academy_id, w.id, event, now).await?;
    let body = serde_json::to_string(&Envelope {
        id,
        event,
        created_at: rfc3339(now),
        academy: AcademyRef { slug: &slug },
        data,
    })
    .map_err(AppError::internal)?;
    repo::webhooks::set_payload(&mut **tx, id, &body).await?;
    repo::outbox::enqueue(
        &mut **tx,
        w.academy_id,
        OUTBOX_KIND,
        id.get(),
        "",
        &format!("webhook-{id}"),
        now,
    )
    .await?;
    Ok(id)
}

/// Queues `event` for every webhook of the academy that subscribes to it, in the caller's
/// transaction, so the event is sent if and only if what it announces commits. Returns how many
/// deliveries were queued (the caller wakes the worker after committing when any were); with no
/// webhooks this is one indexed read.
pub async fn emit(
    tx: &mut Tx,
    academy_id: AcademyId,
    event: &str,
    data: Value,
) -> Result<usize, AppError> {
    let hooks = repo::webhooks::list(&mut **tx, academy_id).await?;
    let now = now_ms();
    let mut queued = 0;
    for w in hooks.iter().filter(|w| w.wants(event)) {
        enqueue(tx, w, event, &data, now).await?;
        queued += 1;
    }
    Ok(queued)
}

/// A new learner account, for `invite.accepted` and `learner.registered`.
pub struct Registered<'a> {
    pub user_id: UserId,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: &'a str,
    pub team_ids: &'a [TeamId],
    /// The invitation accepted, if the account came from one.
    pub invite_id: Option<InviteId>,
}

/// `invite.accepted` (when an invitation was accepted) and `learner.registered`.
pub async fn on_registered(
    tx: &mut Tx,
    academy_id: AcademyId,
    r: &Registered<'_>,
    now: i64,
) -> Result<usize, AppError> {
    let mut queued = 0;
    if let Some(invite_id) = r.invite_id {
        queued += emit(
            tx,
            academy_id,
            INVITE_ACCEPTED,
            json!({
                "invite_id": invite_id,
                "user_id": r.user_id,
                "email": r.email,
                "first_name": r.first_name,
                "last_name": r.last_name,
                "role": r.role,
                "teams": r.team_ids,
                "accepted_at": rfc3339(now),
            }),
        )
        .await?;
    }
    queued += emit(
        tx,
        academy_id,
        LEARNER_REGISTERED,
        json!({
            "user_id": r.user_id,
            "email": r.email,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "role": r.role,
            "teams": r.team_ids,
            "invite_id": r.invite_id,
            "registered_at": rfc3339(now),
        }),
    )
    .await?;
    Ok(queued)
}

/// `invite.email_failed`: Shoal gave up on an invitation email.
pub async fn on_invite_email_failed(
    tx: &mut Tx,
    academy_id: AcademyId,
    invite_id: InviteId,
    error: Option<&str>,
    attempts: i64,
) -> Result<usize, AppError> {
    let Some(invite) = repo::invites::by_id(&mut **tx, academy_id, invite_id).await? else {
        return Ok(0);
    };
    emit(
        tx,
        academy_id,
        INVITE_EMAIL_FAILED,
        json!({
            "invite_id": invite.id,
            "email": invite.email,
            "first_name": invite.first_name,
            "last_name": invite.last_name,
            "role": invite.role,
            "error": error,
            "attempts": attempts,
        }),
    )
    .await
}

// ---- sending (used by the outbox worker) ----

/// A delivery ready to send.
pub struct Ready {
    pub delivery_id: DeliveryId,
    pub event: String,
    pub url: String,
    pub body: String,
    pub secret: String,
}

pub enum Prepared {
    Ready(Ready),
    /// The webhook (and with it the delivery) was deleted meanwhile: nothing to send.
    Gone,
    /// The URL may no longer be called (e.g. a private address after a switch to production).
    Refused {
        delivery_id: DeliveryId,
        why: String,
    },
}

pub async fn prepare(
    state: &AppState,
    academy_id: AcademyId,
    delivery_id: DeliveryId,
) -> Result<Prepared, AppError> {
    let Some(SendRow {
        id,
        event,
        payload,
        url,
        secret_salt,
    }) = repo::webhooks::for_sending(&state.db.pool, academy_id, delivery_id).await?
    else {
        return Ok(Prepared::Gone);
    };
    if let Err(why) = check_url(&url, private_allowed(&state.settings)) {
        return Ok(Prepared::Refused {
            delivery_id: id,
            why,
        });
    }
    Ok(Prepared::Ready(Ready {
        delivery_id: id,
        event,
        url,
        body: payload,
        secret: tokens::derive_webhook_secret(&state.settings.secret, &secret_salt),
    }))
}

/// Hex HMAC-SHA256 of `"<t>.<body>"` under the webhook's secret.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any size");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The `Shoal-Signature` header: `t=<unix seconds>,v1=<signature>`.
pub fn signature_header(secret: &str, t: i64, body: &str) -> String {
    format!("t={t},v1={}", signature(secret, t, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_with_messages_that_say_what_to_fix() {
        for (raw, says) in [
            ("", "Enter the URL"),
            ("example.com/hook", "starting with https://"),
            ("ftp://example.com/hook", "not ftp:"),
            ("https://user:pw@example.com/hook", "user name and password"),
            ("https://example.com/hook#top", "#…"),
            ("https://example.com/", "2,000"),
        ] {
            let raw = if says == "2,000" {
                format!("{raw}{}", "a".repeat(2001))
            } else {
                raw.to_string()
            };
            let e = check_url(&raw, true).unwrap_err();
            assert!(e.contains(says), "{raw:?}: {e}");
        }
        assert_eq!(
            check_url(" https://Example.com/hooks/shoal?x=1 ", false).unwrap(),
            "https://example.com/hooks/shoal?x=1"
        );
    }

    #[test]
    fn private_addresses_are_refused_unless_allowed_in_any_spelling() {
        for raw in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://api.localhost/hook",
            "http://10.1.2.3/",
            "http://192.168.1.1/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::a00:1]/",
        ] {
            let e = check_url(raw, false).unwrap_err();
            assert!(e.contains("SHOAL_WEBHOOKS_ALLOW_PRIVATE"), "{raw}: {e}");
            assert!(
                check_url(raw, true).is_ok(),
                "{raw} allowed when private is"
            );
        }
        for raw in [
            "https://93.184.216.34/",
            "https://[2606:4700::1111]/",
            "https://hooks.example.com/",
        ] {
            assert!(check_url(raw, false).is_ok(), "{raw}");
        }
    }

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        // The timestamp is part of the signed text: not the plain HMAC of the body.
        let sig = signature("Jefe", 0, "what do ya want for nothing?");
        assert_ne!(
            sig,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"1700000000.{\"a\":1}");
        assert_eq!(
            signature_header("Jefe", 1_700_000_000, "{\"a\":1}"),
            format!(
                "t=1700000000,v1={}",
                hex::encode(mac.finalize().into_bytes())
            )
        );
    }
}
