//! SQLite's write-ahead log, copied back into the database file by a task of its own.
//!
//! Left to itself, SQLite checkpoints inside the commit that takes the log past 1,000 pages: that
//! writer copies the whole log into the database file and syncs it before its request is
//! answered (measured: a 5,000-row chunk of an upload spent 33 ms in its commit, 9 without). Here
//! every end of a write turn wakes one task that checkpoints in the background (`PASSIVE`: it
//! never blocks a reader or the next writer) on a connection of its own, while the next request
//! runs on the other core; it lets writes gather for `QUIET` first, so an upload's chunks are
//! checkpointed a few at a time (100,000-row upload: 1.80 s checkpointing after every chunk,
//! 1.74 s after a quarter second). Should the task fall behind or stop, a writer still
//! checkpoints by itself once the log holds `BACKSTOP_PAGES`.
//!
//! Copying the log back is not starting it over. SQLite writes the log from its start again only
//! when a writer begins with all of it copied, and under writes that never pause (the API at 500
//! calls/s) every background checkpoint ends with new frames behind it: the log grew to the
//! backstop, where a writer checkpointed inside its commit, every 1.4 s, and the requests behind
//! it waited 6–16 ms. So once the log is past `RESTART_FRAMES`, the task copies what was written
//! meanwhile a second time, holding the write turn (2–7 ms with the wait for the turn: the big
//! copy and its sync were the first pass), and the next writer starts the log over. Measured at
//! 500 `inviteLearners`/s for 30 s: p99 7.4 and 6.3 ms before, 5.1 and 5.0 ms after; answers over
//! 10 ms 59 and 35 → 13 and 13.

use std::sync::Arc;

use sqlx::AnyPool;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// The log's size at which a committing writer checkpoints by itself (SQLite's
/// `wal_autocheckpoint`): 16,384 pages of 4 KB, 64 MB.
pub const BACKSTOP_PAGES: i64 = 16_384;

/// The log's size past which the checkpointer has SQLite start it over (4,096 pages, 16 MB):
/// at 500 `inviteLearners`/s (~23 pages each), every other checkpoint.
const RESTART_FRAMES: i64 = 4_096;

/// How long the checkpointer lets writes gather after the first one: a burst of writes (an
/// upload's chunks) is checkpointed a few times, not after every chunk.
const QUIET: std::time::Duration = std::time::Duration::from_millis(250);

/// This process's turn to write on SQLite (see `Db::turn`); its end tells the checkpointer that
/// the log has grown.
pub struct WriteTurn {
    _permit: OwnedSemaphorePermit,
    written: Arc<Notify>,
}

impl WriteTurn {
    pub(super) fn new(permit: OwnedSemaphorePermit, written: Arc<Notify>) -> WriteTurn {
        WriteTurn {
            _permit: permit,
            written,
        }
    }
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        // One stored wake-up however many turns end meanwhile: the next checkpoint takes them all.
        self.written.notify_one();
    }
}

/// What one checkpoint found: the log's frames and how many of them are now in the database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Another connection held what the checkpoint needed (it did what it could).
    pub busy: bool,
    pub log_frames: i64,
    pub checkpointed_frames: i64,
}

/// Copies what it can of the log into the database file now, blocking nobody.
pub async fn checkpoint(pool: &AnyPool) -> Result<Checkpoint, sqlx::Error> {
    let (busy, log_frames, checkpointed_frames): (i64, i64, i64) =
        sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(pool)
            .await?;
    Ok(Checkpoint {
        busy: busy != 0,
        log_frames,
        checkpointed_frames,
    })
}

/// The task: a checkpoint after every batch of writes, and when the log is long a second one in
/// the write turn (`turn`, `Db::write_turn`) so that it starts over; until the pool is closed.
pub(super) fn spawn_checkpointer(pool: AnyPool, written: Arc<Notify>, turn: Arc<Semaphore>) {
    tokio::spawn(async move {
        loop {
            written.notified().await;
            tokio::time::sleep(QUIET).await;
            let done = match pass(&pool, "checkpoint").await {
                Pass::Done(done) => done,
                Pass::Failed => continue,
                Pass::Closed => return,
            };
            if done.busy || done.log_frames < RESTART_FRAMES {
                continue;
            }
            let Ok(_turn) = turn.acquire().await else {
                return;
            };
            if let Pass::Closed = pass(&pool, "checkpoint, writers waiting").await {
                return;
            }
        }
    });
}

/// How a checkpoint of the task went.
enum Pass {
    Done(Checkpoint),
    /// Logged; the next batch of writes brings the next try.
    Failed,
    /// The pool is closed: the task ends.
    Closed,
}

/// One checkpoint of the task, traced as `what`.
async fn pass(pool: &AnyPool, what: &'static str) -> Pass {
    match checkpoint(pool).await {
        Ok(done) => {
            tracing::trace!(?done, "{what}");
            Pass::Done(done)
        }
        Err(sqlx::Error::PoolClosed) => Pass::Closed,
        Err(e) => {
            tracing::warn!(error = %e, "the background checkpoint failed");
            Pass::Failed
        }
    }
}
