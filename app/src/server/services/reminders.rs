//! Invitation reminders (Settings → Invitations): a chosen number of days before a pending,
//! emailed invitation's link expires, the person gets the invitation again as a reminder — once per
//! expiry (resending or renewing the invitation gives it a new expiry, and a new reminder). Shown
//! in "Email Status" as "Reminder sent". `queue_due` takes the time, so tests control the clock.

use crate::{
    error::AppError,
    server::{db::now_ms, repo, state::AppState},
};

/// The outbox kind of a reminder; it refers to the invitation link (`invite_tokens.id`).
pub const KIND: &str = "invite_reminder";

/// Reminders queued per transaction.
const BATCH: i64 = 500;

/// Queues every reminder due at `now`; returns how many.
pub async fn queue_due(state: &AppState, now: i64) -> Result<usize, AppError> {
    let mut queued = 0;
    loop {
        let due = repo::reminders::due(&state.db.pool, now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let mut tx = state.db.write().await?;
        for r in &due {
            // Marked even without a working link, so it is not looked at again.
            if !repo::reminders::mark(&mut *tx, r.invite_id, now).await? {
                continue;
            }
            if let Some(token_id) = r.token_id {
                let message_id = format!(
                    "reminder-{}-{token_id}@{}",
                    r.invite_id,
                    state.settings.host()
                );
                // Sent as soon as the worker can: the outbox runs on the real clock, whatever
                // `now` a test decides reminders by.
                repo::outbox::enqueue(
                    &mut *tx,
                    r.academy_id,
                    KIND,
                    token_id.get(),
                    &r.email,
                    &message_id,
                    now_ms(),
                )
                .await?;
                queued += 1;
            }
        }
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    if queued > 0 {
        state.outbox_wakeup.notify_one();
    }
    Ok(queued)
}
