//! The one database handle for both backends: SQLite (embedded default) and PostgreSQL.
//! Queries are portable SQL with `$n` placeholders; ids and timestamps are BIGINT.

use std::sync::Arc;

use sqlx::{
    AnyPool, Executor,
    any::{AnyPoolOptions, install_default_drivers},
};
use tokio::sync::{Notify, Semaphore};

pub mod wal;

use wal::WriteTurn;

// The columns of the stored enums and the id types (sqlx's `Type`, `Encode`, `Decode`) are in
// `domain::columns`, beside the types.

/// An id type as a column: what a repository function generic over the kind of id binds and reads.
pub trait IdColumn:
    Copy
    + Eq
    + std::hash::Hash
    + Send
    + Sync
    + Unpin
    + 'static
    + sqlx::Type<sqlx::Any>
    + for<'q> sqlx::Encode<'q, sqlx::Any>
    + for<'r> sqlx::Decode<'r, sqlx::Any>
{
}

/// What can have places in teams — a learner (`team_members`) or an invitation (`invite_teams`) —
/// and where those places are kept.
pub trait TeamPlace: IdColumn {
    /// The table of the places.
    const TABLE: &'static str;
    /// Its column naming the owner of a place.
    const OWNER: &'static str;
}

impl TeamPlace for crate::domain::UserId {
    const TABLE: &'static str = "team_members";
    const OWNER: &'static str = "user_id";
}

impl TeamPlace for crate::domain::InviteId {
    const TABLE: &'static str = "invite_teams";
    const OWNER: &'static str = "invite_id";
}

/// The id types are columns (BIGINT, read and written as the `i64` they wrap: `domain::columns`).
macro_rules! id_column {
    ($($ty:ty),+ $(,)?) => {$(
        impl IdColumn for $ty {}
    )+};
}

id_column!(
    crate::domain::AcademyId,
    crate::domain::UserId,
    crate::domain::InviteId,
    crate::domain::TeamId,
    crate::domain::ImportId,
    crate::domain::CourseId,
    crate::domain::WebhookId,
    crate::domain::DeliveryId,
    crate::domain::AccessRequestId,
    crate::domain::ApiClientId,
    crate::domain::OutboxId,
    crate::domain::AuditEntryId,
    crate::domain::InviteTokenId,
    crate::domain::SignupCodeId,
    crate::domain::PasswordResetId,
);

/// A write transaction. On SQLite it also holds this process's write turn (see `Db::write`).
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<WriteTurn>,
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// SQLite takes one writer at a time; writers of this process queue here, in order, instead
    /// of sleeping in SQLite's busy handler (1–100 ms naps) while another one commits.
    write_turn: Arc<Semaphore>,
    /// Told when a write turn ends: SQLite's log is checkpointed in the background (`wal`).
    written: Arc<Notify>,
}

/// SQLite's page cache per connection, as its `cache_size` (negative: KiB): 16 MB, filled only
/// with pages read. With the default 2 MB, the indexes an upload writes to (by address, by link)
/// no longer fit after a few thousand rows and their pages are read again from the file
/// (measured, 100,000-row upload: 1.66–1.72 s with 2 MB, 1.52–1.54 s with 16, 32 or 64 MB).
const CACHE_SIZE: i64 = -16_384;

impl Db {
    /// Connects and applies migrations. A failure here should stop start-up (no retry in the same process:
    /// a failed PostgreSQL migration can leave an advisory lock on its pooled connection).
    pub async fn connect(url: &str) -> Result<Db, String> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err("SHOAL_DATABASE_URL must start with sqlite:// or postgres://".into());
        };
        let pool = match backend {
            Backend::Sqlite => {
                let url = prepare_sqlite_url(url)?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    // No ping before each use: a SQLite connection is a file in this process, and
                    // the ping was one more round trip to its worker thread per transaction.
                    .test_before_acquire(false)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            let pragmas = format!(
                                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; \
                                 PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; \
                                 PRAGMA wal_autocheckpoint={}; PRAGMA cache_size={};",
                                wal::BACKSTOP_PAGES,
                                CACHE_SIZE
                            );
                            conn.execute(sqlx::AssertSqlSafe(pragmas)).await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(16).connect(url).await,
        }
        .map_err(|e| format!("cannot open the database: {e}"))?;
        let migrator = match backend {
            Backend::Sqlite => &migrations::SQLITE,
            Backend::Postgres => &migrations::POSTGRES,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| format!("cannot apply database migrations: {e}"))?;
        let written = Arc::new(Notify::new());
        let write_turn = Arc::new(Semaphore::new(1));
        if backend == Backend::Sqlite {
            wal::spawn_checkpointer(pool.clone(), written.clone(), write_turn.clone());
        }
        Ok(Db {
            pool,
            backend,
            write_turn,
            written,
        })
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so a
    /// read-then-write transaction never fails with "database is locked" halfway through.
    /// On SQLite, writers of this process also take turns (`write_turn`) before asking SQLite.
    pub async fn write(&self) -> Result<Tx, sqlx::Error> {
        let turn = self.turn().await?;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Tx { tx, _turn: turn })
    }

    /// This process's turn to write on SQLite (none is needed on PostgreSQL), held until the
    /// answer is dropped. For a write that is one statement, run on its own (the database commits
    /// it by itself), without the round trips of `BEGIN` and `COMMIT` that `write` makes.
    pub async fn turn(&self) -> Result<Option<WriteTurn>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.write_turn.clone().acquire_owned().await;
                let turn = turn.map_err(|e| sqlx::Error::Protocol(format!("write turn: {e}")))?;
                Ok(Some(WriteTurn::new(turn, self.written.clone())))
            }
            Backend::Postgres => Ok(None),
        }
    }
}

/// Makes sure the SQLite file's folder exists and the file is created when missing.
fn prepare_sqlite_url(url: &str) -> Result<String, String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(
            "SHOAL_DATABASE_URL: give SQLite a file path, e.g. sqlite://./data/shoal.db".into(),
        );
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "cannot create the folder {} for the database: {e}",
                parent.display()
            )
        })?;
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Milliseconds since the Unix epoch: the portable timestamp of every table.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// True when the error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// A timestamp as RFC 3339 in UTC with milliseconds, e.g. `2026-11-28T15:04:05.123Z` (the API and
/// webhook payloads).
pub fn rfc3339(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&f).unwrap_or_default()
}

/// How precise a time someone typed is: an inclusive upper bound ends at the end of that day,
/// second or millisecond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Day,
    Second,
    Millisecond,
}

impl Precision {
    /// The length of the last unit, in ms: `2026-11-28` as an inclusive bound means before the
    /// next day, `2026-11-28 23:59:59` before the next second.
    pub fn unit_ms(self) -> i64 {
        match self {
            Precision::Day => crate::domain::DAY_MS,
            Precision::Second => 1_000,
            Precision::Millisecond => 1,
        }
    }
}

/// A time as unix milliseconds, with how precise it was written, or `None`. Read: `2026-11-28`
/// (that day's start, UTC), `2026-11-28 15:04:05` (UTC; the reference product's own example of its
/// API uses this form) and RFC 3339.
pub fn parse_time(text: &str) -> Option<(i64, Precision)> {
    let text = text.trim();
    let ms = |t: time::OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let day = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = time::Date::parse(text, &day) {
        return Some((ms(d.midnight().assume_utc()), Precision::Day));
    }
    let seconds =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(t) = time::PrimitiveDateTime::parse(text, &seconds) {
        return Some((ms(t.assume_utc()), Precision::Second));
    }
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| (ms(t), Precision::Millisecond))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{invite::InviteState, role::Role};

    /// One in-memory SQLite table with a text column, through the `Any` driver as the app uses it.
    async fn text_column() -> AnyPool {
        install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (id BIGINT NOT NULL, v TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        pool
    }

    async fn read<T>(pool: &AnyPool, id: i64) -> Result<T, sqlx::Error>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar("SELECT v FROM t WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await
    }

    #[tokio::test]
    async fn a_stored_enum_is_written_as_its_text_and_read_back_as_itself() {
        let pool = text_column().await;
        for (i, role) in Role::ALL.into_iter().enumerate() {
            sqlx::query("INSERT INTO t (id, v) VALUES ($1, $2)")
                .bind(i as i64)
                .bind(role)
                .execute(&pool)
                .await
                .unwrap();
            let text: String = read(&pool, i as i64).await.unwrap();
            assert_eq!(text, role.as_str(), "the stored text is unchanged");
            assert_eq!(read::<Role>(&pool, i as i64).await.unwrap(), role);
        }
    }

    #[tokio::test]
    async fn reading_an_unknown_stored_text_is_an_error_that_names_the_enum_and_the_text() {
        let pool = text_column().await;
        sqlx::query("INSERT INTO t (id, v) VALUES (1, 'superuser'), (2, 'Pending')")
            .execute(&pool)
            .await
            .unwrap();
        let e = read::<Role>(&pool, 1).await.unwrap_err();
        assert!(
            matches!(e, sqlx::Error::ColumnDecode { .. }),
            "a decode error, not a value: {e:?}"
        );
        assert!(
            e.to_string()
                .contains("unknown role \"superuser\" in the database"),
            "{e}"
        );
        let e = read::<InviteState>(&pool, 2).await.unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown invitation status \"Pending\" in the database"),
            "the text is matched exactly: {e}"
        );
    }

    #[test]
    fn timestamps_are_rfc3339_in_utc_with_milliseconds() {
        assert_eq!(rfc3339(1_796_083_200_123), "2026-12-01T00:00:00.123Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn dates_times_of_the_reference_and_rfc3339_times_are_read_with_their_precision() {
        assert_eq!(
            parse_time("2026-12-01"),
            Some((1_796_083_200_000, Precision::Day))
        );
        assert_eq!(
            parse_time("2026-12-01 23:59:59"),
            Some((1_796_083_200_000 + 86_399_000, Precision::Second))
        );
        assert_eq!(
            parse_time(" 2026-12-01T00:00:00.123Z "),
            Some((1_796_083_200_123, Precision::Millisecond))
        );
        assert_eq!(
            parse_time("2026-12-01T01:00:00+01:00"),
            Some((1_796_083_200_000, Precision::Millisecond))
        );
        for bad in [
            "yesterday",
            "2026-13-01",
            "1796083200",
            "",
            "2026-12-01 24:00:00",
            "2026-12-01 23:59",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
