//! The outbox worker: claims due messages with a lease, renders and sends them, and records the
//! outcome — retrying with capped exponential backoff and jitter, giving up after `max_attempts`.
//! Emails and webhook deliveries (kind `webhook`, see `webhook_client`) share these rules.
//! Safe with several server processes on one database: a claimed row is leased to one worker, and a
//! worker that dies leaves its rows to be taken over when the lease runs out.

use app::domain::{
    AcademyId, DeliveryId, InviteId, InviteTokenId, OutboxId, PasswordResetId, SignupCodeId,
};
use std::{sync::Arc, time::Duration};

use app::{
    domain::invite::EmailStatus,
    error::AppError,
    server::{
        db::now_ms,
        mail::mailer::Mailer,
        repo::{self, outbox::OutboxRow},
        services::{
            access_requests, email_changed, invite_email, learner_page, password_reset, reminders,
            signup_email, webhooks,
        },
        state::AppState,
    },
};
use tokio::task::JoinSet;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Messages claimed at once.
    pub batch: i64,
    /// Messages sent at once.
    pub concurrency: usize,
    /// How long a claim holds before another worker may take the message over.
    pub lease_ms: i64,
    pub max_attempts: i64,
    pub base_backoff_ms: i64,
    pub max_backoff_ms: i64,
    /// Longest sleep when idle (a new message wakes the worker at once in this process).
    pub idle_poll_ms: i64,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            batch: 64,
            concurrency: 16,
            lease_ms: 120_000,
            max_attempts: 8,
            base_backoff_ms: 30_000,
            max_backoff_ms: 3_600_000,
            idle_poll_ms: 2_000,
        }
    }
}

impl WorkerConfig {
    /// Delay before attempt `attempts + 1`: base·2^(attempts−1), capped, ±20 % jitter.
    pub fn backoff_ms(&self, attempts: i64) -> i64 {
        let exp = (attempts - 1).clamp(0, 30) as u32;
        let raw = self
            .base_backoff_ms
            .saturating_mul(1_i64 << exp)
            .min(self.max_backoff_ms);
        let jitter = 0.8 + rand::random::<f64>() * 0.4;
        ((raw as f64) * jitter) as i64
    }
}

pub struct Worker {
    pub state: AppState,
    pub mailer: Mailer,
    pub config: WorkerConfig,
    /// Identifies this worker's leases.
    pub owner: String,
    /// Sends webhook deliveries.
    pub http: reqwest::Client,
}

impl Worker {
    pub fn new(state: AppState, mailer: Mailer, config: WorkerConfig) -> Arc<Worker> {
        let bytes: [u8; 6] = rand::random();
        // Builds only fail without a TLS backend, which this binary always has.
        let http =
            crate::webhook_client::client(&state.settings).expect("the webhook HTTP client builds");
        Arc::new(Worker {
            state,
            mailer,
            config,
            owner: format!("worker-{}", hex::encode(bytes)),
            http,
        })
    }

    /// Runs until the process ends.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            tracing::info!(owner = %self.owner, mailer = %self.mailer.describe(), "email outbox worker started");
            loop {
                match self.run_once().await {
                    Ok(n) if n > 0 => continue,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "email outbox: a round failed; trying again shortly")
                    }
                }
                let wait = self.idle_wait().await;
                tokio::select! {
                    _ = self.state.outbox_wakeup.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        })
    }

    async fn idle_wait(&self) -> Duration {
        let cap = self.config.idle_poll_ms;
        let due = repo::outbox::next_due(&self.state.db.pool)
            .await
            .ok()
            .flatten();
        let ms = due.map_or(cap, |t| (t - now_ms()).clamp(10, cap));
        Duration::from_millis(ms as u64)
    }

    /// Claims one batch and handles it; returns how many messages it handled.
    pub async fn run_once(self: &Arc<Self>) -> Result<usize, AppError> {
        let now = now_ms();
        let rows = {
            let mut tx = self.state.db.write().await?;
            let rows = repo::outbox::claim(
                &mut *tx,
                &self.owner,
                now,
                now + self.config.lease_ms,
                self.config.batch,
            )
            .await?;
            tx.commit().await?;
            rows
        };
        let n = rows.len();
        let permits = Arc::new(tokio::sync::Semaphore::new(self.config.concurrency.max(1)));
        let mut set = JoinSet::new();
        let mut done = Vec::new();
        for row in rows {
            let worker = self.clone();
            let permit = permits
                .clone()
                .acquire_owned()
                .await
                .map_err(AppError::internal)?;
            set.spawn(async move {
                let _permit = permit;
                let id = row.id;
                (id, worker.deliver(row).await)
            });
            // Outcomes are written together (one transaction for up to a batch of messages).
            while let Some(joined) = set.try_join_next() {
                self.collect(joined, &mut done);
            }
            if done.len() >= RECORD_EVERY {
                self.record_all(std::mem::take(&mut done)).await;
            }
        }
        while let Some(joined) = set.join_next().await {
            self.collect(joined, &mut done);
            if done.len() >= RECORD_EVERY || set.is_empty() {
                self.record_all(std::mem::take(&mut done)).await;
            }
        }
        self.record_all(done).await;
        Ok(n)
    }

    fn collect(
        &self,
        joined: Result<(OutboxId, Result<Outcome, AppError>), tokio::task::JoinError>,
        done: &mut Vec<Outcome>,
    ) {
        match joined {
            Ok((_, Ok(outcome))) => done.push(outcome),
            // The lease runs out and the message is tried again.
            Ok((id, Err(e))) => {
                tracing::warn!(outbox_id = %id, error = %e, "email outbox: could not prepare a message")
            }
            Err(e) => tracing::error!(error = %e, "email outbox: a send task failed"),
        }
    }

    async fn record_all(&self, outcomes: Vec<Outcome>) {
        if outcomes.is_empty() {
            return;
        }
        if let Err(e) = self.record(&outcomes).await {
            // Not recorded: the leases run out and these messages are sent again (at least once).
            tracing::warn!(count = outcomes.len(), error = %e, "email outbox: could not record outcomes");
        }
    }

    async fn deliver(&self, row: OutboxRow) -> Result<Outcome, AppError> {
        if row.kind == webhooks::OUTBOX_KIND {
            return self.deliver_webhook(row).await;
        }
        let outcome =
            |invite_id, status, next_attempt_at, error: Option<String>, sent_at| Outcome {
                reminder: row.kind == reminders::KIND,
                outbox_id: row.id,
                academy_id: row.academy_id,
                attempts: row.attempts,
                invite_id,
                status,
                next_attempt_at,
                error,
                sent_at,
                webhook: None,
            };
        let rendered = match row.kind.as_str() {
            "invite" | reminders::KIND => {
                let reminder = row.kind == reminders::KIND;
                invite_email::render(
                    &self.state,
                    InviteTokenId::new(row.ref_id),
                    &row.message_id,
                    reminder,
                )
                .await?
            }
            "signup_code" => {
                signup_email::render(&self.state, SignupCodeId::new(row.ref_id), &row.message_id)
                    .await?
                    .map(|email| invite_email::RenderedInvite {
                        invite_id: None,
                        email,
                    })
            }
            password_reset::KIND => password_reset::render(
                &self.state,
                PasswordResetId::new(row.ref_id),
                &row.message_id,
            )
            .await?
            .map(|email| invite_email::RenderedInvite {
                invite_id: None,
                email,
            }),
            learner_page::EMAIL_CHANGED => {
                email_changed::render(&self.state, &row)
                    .await?
                    .map(|email| invite_email::RenderedInvite {
                        invite_id: None,
                        email,
                    })
            }
            kind if access_requests::email::renders(kind) => {
                access_requests::email::render(&self.state, &row)
                    .await?
                    .map(|email| invite_email::RenderedInvite {
                        invite_id: None,
                        email,
                    })
            }
            other => {
                let why = format!("unknown kind of email {other:?}");
                return Ok(outcome(None, "failed", 0, Some(why), None));
            }
        };
        let Some(rendered) = rendered else {
            // Accepted, revoked or replaced before the email went out: nothing to send.
            return Ok(outcome(None, "cancelled", 0, None, None));
        };
        // Only invitations have an "Email Status" to keep up to date.
        let invite = rendered.invite_id;
        Ok(match self.mailer.send(&rendered.email).await {
            Ok(()) => {
                tracing::debug!(
                    outbox_id = %row.id,
                    invite_id = ?rendered.invite_id,
                    "email sent"
                );
                let now = now_ms();
                outcome(invite, "sent", now, None, Some(now))
            }
            Err(failure) if !failure.permanent && row.attempts < self.config.max_attempts => {
                tracing::warn!(outbox_id = %row.id, attempts = row.attempts, error = %failure.message, "email will be retried");
                let next = now_ms() + self.config.backoff_ms(row.attempts);
                let message = format!(
                    "{} (attempt {} of {})",
                    failure.message, row.attempts, self.config.max_attempts
                );
                outcome(invite, "retrying", next, Some(message), None)
            }
            Err(failure) => {
                tracing::warn!(outbox_id = %row.id, error = %failure.message, "email failed");
                let message = if failure.permanent {
                    failure.message.clone()
                } else {
                    format!(
                        "{} (gave up after {} attempts)",
                        failure.message, row.attempts
                    )
                };
                outcome(invite, "failed", 0, Some(message), None)
            }
        })
    }

    /// POSTs one webhook delivery; 2xx is delivered, anything else is retried like an email.
    async fn deliver_webhook(&self, row: OutboxRow) -> Result<Outcome, AppError> {
        let mut outcome = Outcome {
            reminder: false,
            outbox_id: row.id,
            academy_id: row.academy_id,
            attempts: row.attempts,
            invite_id: None,
            status: "cancelled",
            next_attempt_at: 0,
            error: None,
            sent_at: None,
            webhook: None,
        };
        let delivery = DeliveryId::new(row.ref_id);
        let ready = match webhooks::prepare(&self.state, row.academy_id, delivery).await? {
            webhooks::Prepared::Ready(ready) => ready,
            // Deleted with its webhook: nothing to send, nothing to log.
            webhooks::Prepared::Gone => return Ok(outcome),
            webhooks::Prepared::Refused { delivery_id, why } => {
                outcome.status = "failed";
                outcome.error = Some(why);
                outcome.webhook = Some(WebhookAttempt {
                    delivery_id,
                    response_status: None,
                    at: now_ms(),
                });
                return Ok(outcome);
            }
        };
        let attempt = crate::webhook_client::send(&self.http, &ready).await;
        let now = now_ms();
        outcome.webhook = Some(WebhookAttempt {
            delivery_id: ready.delivery_id,
            response_status: attempt.status.map(i64::from),
            at: now,
        });
        match attempt.error {
            None => {
                outcome.status = "sent";
                outcome.next_attempt_at = now;
                outcome.sent_at = Some(now);
            }
            Some(why) if row.attempts < self.config.max_attempts => {
                tracing::info!(outbox_id = %row.id, delivery_id = %ready.delivery_id, attempts = row.attempts, error = %why, "webhook will be retried");
                outcome.status = "retrying";
                outcome.next_attempt_at = now + self.config.backoff_ms(row.attempts);
                outcome.error = Some(format!(
                    "{why} (attempt {} of {})",
                    row.attempts, self.config.max_attempts
                ));
            }
            Some(why) => {
                tracing::warn!(outbox_id = %row.id, delivery_id = %ready.delivery_id, error = %why, "webhook failed");
                outcome.status = "failed";
                outcome.error = Some(format!("{why} (gave up after {} attempts)", row.attempts));
            }
        }
        Ok(outcome)
    }

    /// Writes outcomes to their outbox rows, the invites' "Email Status" and the webhooks' delivery
    /// log, in one transaction. An outcome whose lease ran out meanwhile is skipped: the worker that
    /// took it over decides. A given-up invitation email is announced (`invite.email_failed`) in the
    /// same transaction. The invitations are written in id order, as bulk actions write them
    /// (`services::bulk`): sent in the order they finished, a bulk revoke holding some of them
    /// could wait for this transaction while it waits for the revoke (PostgreSQL's deadlock).
    async fn record(&self, outcomes: &[Outcome]) -> Result<(), AppError> {
        let mut ordered: Vec<&Outcome> = outcomes.iter().collect();
        ordered.sort_by_key(|o| (o.invite_id, o.outbox_id));
        let mut tx = self.state.db.write().await?;
        let mut announced = 0;
        for o in ordered {
            let held = repo::outbox::finish(
                &mut *tx,
                o.outbox_id,
                &self.owner,
                o.status,
                o.next_attempt_at,
                o.error.as_deref(),
                o.sent_at,
            )
            .await?;
            if let (true, Some(invite_id)) = (held, o.invite_id) {
                let email_status = match o.status {
                    "sent" if o.reminder => EmailStatus::ReminderSent,
                    "sent" => EmailStatus::Sent,
                    "retrying" => EmailStatus::Retrying,
                    _ => EmailStatus::Failed,
                };
                repo::invites::set_email_status(
                    &mut *tx,
                    invite_id,
                    email_status.as_str(),
                    o.error.as_deref(),
                )
                .await?;
                if email_status == EmailStatus::Failed {
                    announced += webhooks::on_invite_email_failed(
                        &mut tx,
                        o.academy_id,
                        invite_id,
                        o.error.as_deref(),
                        o.attempts,
                    )
                    .await?;
                }
            }
            if let (true, Some(w)) = (held, &o.webhook) {
                let status = match o.status {
                    "sent" => "delivered",
                    "retrying" => "retrying",
                    _ => "failed",
                };
                repo::webhooks::record_attempt(
                    &mut *tx,
                    w.delivery_id,
                    status,
                    o.attempts,
                    w.response_status,
                    o.error.as_deref(),
                    w.at,
                    o.sent_at,
                )
                .await?;
            }
        }
        tx.commit().await?;
        if announced > 0 {
            self.state.outbox_wakeup.notify_one();
        }
        Ok(())
    }
}

/// What happened to one message, waiting to be written.
struct Outcome {
    outbox_id: OutboxId,
    academy_id: AcademyId,
    /// Attempts so far, this one included.
    attempts: i64,
    /// Only invitations have an "Email Status" to keep up to date.
    invite_id: Option<InviteId>,
    /// A reminder: once sent, the status reads "Reminder sent".
    reminder: bool,
    status: &'static str,
    next_attempt_at: i64,
    error: Option<String>,
    sent_at: Option<i64>,
    /// Only webhook deliveries have a delivery log.
    webhook: Option<WebhookAttempt>,
}

struct WebhookAttempt {
    delivery_id: DeliveryId,
    response_status: Option<i64>,
    at: i64,
}

/// Outcomes written per transaction at most (fewer when the batch runs out).
const RECORD_EVERY: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_the_cap_with_jitter() {
        let c = WorkerConfig {
            base_backoff_ms: 1000,
            max_backoff_ms: 10_000,
            ..WorkerConfig::default()
        };
        for (attempts, nominal) in [
            (1, 1000),
            (2, 2000),
            (3, 4000),
            (4, 8000),
            (5, 10_000),
            (40, 10_000),
        ] {
            let d = c.backoff_ms(attempts);
            assert!(
                d >= nominal * 8 / 10 && d <= nominal * 12 / 10,
                "attempt {attempts}: {d}"
            );
        }
    }
}
