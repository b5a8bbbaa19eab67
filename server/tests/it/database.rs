//! The database layer itself: migrations on a fresh database and SQLite write transactions under load.

use crate::common;

use app::domain::AcademyId;
use common::TestApp;

#[tokio::test]
async fn twenty_concurrent_read_then_write_transactions_all_succeed() {
    let app = TestApp::spawn().await;
    app.create_academy("acme", "owner@example.com", "lighthouse keeper 42")
        .await;
    let db = app.state.db.clone();
    let mut tasks = vec![];
    for i in 0..20 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.write().await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
                .fetch_one(&mut *tx)
                .await?;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            sqlx::query(
                "INSERT INTO audit_log (academy_id, action, target, created_at) \
                 VALUES ((SELECT id FROM academies WHERE slug = 'acme'), 'test.write', $1, $2)",
            )
            .bind(format!("{i}:{count}"))
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(count)
        }));
    }
    let mut seen = vec![];
    for t in tasks {
        seen.push(t.await.unwrap().expect("transaction succeeds"));
    }
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'test.write'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(rows, 20);
    if common::backend_name() == "sqlite" {
        // BEGIN IMMEDIATE: each transaction read the table after the previous one committed.
        seen.sort();
        let first = seen[0];
        assert_eq!(seen, (first..first + 20).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn an_id_is_never_handed_out_twice_even_after_the_newest_row_was_deleted() {
    use app::domain::role::Role;
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let (_, removed) = app
        .registered_learner(&owner, "acme", "lea@example.com", Role::Learner, &[])
        .await;
    let res = app
        .call(
            &owner,
            "remove_learner",
            &[("user_id", &removed.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(app.user_id("acme", "lea@example.com").await, None);
    let (_, next) = app
        .registered_learner(&owner, "acme", "max@example.com", Role::Learner, &[])
        .await;
    assert!(
        next > removed,
        "the new learner got id {next}, the removed one had {removed}: the audit log would show \
         one as the actor of the other's actions"
    );
    // The same for the other tables whose ids the audit log and links name: a team, say.
    let team = |name: &'static str| {
        let (app, owner) = (&app, owner.clone());
        async move {
            let res = app
                .call(&owner, "create_team", &[("name", name), ("color", "Blue")])
                .await;
            assert_eq!(res.status(), 200);
            res.json::<app::model::TeamView>().await.unwrap().id
        }
    };
    let first = team("Ops").await;
    let res = app
        .call(&owner, "delete_team", &[("team_id", &first.to_string())])
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert!(team("Sales").await > first);
}

/// Under writes that never pause, SQLite does not start its log over by itself: a checkpoint
/// leaves the whole log copied only when nothing was written while it ran. The log then grows
/// until a committing writer checkpoints inside its commit (`wal::BACKSTOP_PAGES`, 64 MB), the
/// slowest answers of a busy server. The checkpointer starts it over long before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_is_started_over_long_before_a_writer_must_checkpoint_under_writes_that_never_pause()
 {
    use app::server::db::wal::BACKSTOP_PAGES;
    if common::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let acme = app.academy_id("acme").await;
    let db = app.state.db.clone();
    let backstop = u64::try_from(BACKSTOP_PAGES).unwrap() * 4096;
    // 40 KB a write, about one a millisecond, until one and a half times the backstop.
    let detail = "x".repeat(40_000);
    let mut written = 0;
    while written < backstop * 3 / 2 {
        let mut tx = db.write().await.unwrap();
        sqlx::query(
            "INSERT INTO audit_log (academy_id, action, target, detail, created_at) \
             VALUES ($1, 'test.write', '', $2, 0)",
        )
        .bind(acme)
        .bind(&detail)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        written += detail.len() as u64;
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    // SQLite writes the log over from its start, so the file is as long as the log ever was.
    let log = app.sqlite_file().with_extension("db-wal");
    let longest = std::fs::metadata(&log).unwrap().len();
    assert!(
        longest < backstop / 2,
        "the log grew to {longest} bytes (the backstop is {backstop}) while {written} were written"
    );
}

/// A pending invitation of academy `academy`, put straight into the database; answers its id.
async fn insert_invitation(app: &TestApp, academy: AcademyId, email: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, \
         email_status, source, created_at, updated_at, expires_at) \
         VALUES ($1, $2, 'Lea', '', 'learner', 1, 'pending', 'queued', 'form', 0, 0, 1) RETURNING id",
    )
    .bind(academy)
    .bind(email)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

/// A link of invitation `invite`, filed under academy `academy`, put straight into the database.
async fn insert_link(
    app: &TestApp,
    academy: AcademyId,
    invite: i64,
    hash: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO invite_tokens (academy_id, invite_id, salt, token_hash, created_at, expires_at) \
         VALUES ($1, $2, 's', $3, 0, 1) RETURNING id",
    )
    .bind(academy)
    .bind(invite)
    .bind(hash)
    .fetch_one(&app.state.db.pool)
    .await
}

/// A link is filed under its invitation's academy (one foreign key on the pair): the database
/// refuses a link that names another academy's invitation, and a link goes with its invitation.
#[tokio::test]
async fn an_invitation_link_belongs_to_its_invitations_academy() {
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    app.other_academy("globex").await;
    let (acme, globex) = (app.academy_id("acme").await, app.academy_id("globex").await);
    let invite = insert_invitation(&app, acme, "lea@example.com").await;

    let refused = insert_link(&app, globex, invite, "elsewhere").await;
    match refused {
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {}
        other => panic!("a link of acme's invitation filed under globex gave {other:?}"),
    }
    let link = insert_link(&app, acme, invite, "at-home").await.unwrap();

    sqlx::query("DELETE FROM invites WHERE id = $1")
        .bind(invite)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let left = app
        .count(&format!(
            "SELECT COUNT(*) FROM invite_tokens WHERE id = {link}"
        ))
        .await;
    assert_eq!(left, 0, "the link outlived its invitation");
}

/// SQLite changes a table's keys by rebuilding it (migrations 0013, 0024, 0025). The rebuilt
/// links table keeps the highest id ever handed out, so the id of a link deleted as the newest
/// (a withdrawn invitation's) is never handed out again: the outbox names links by id.
#[tokio::test]
async fn rebuilding_the_links_table_never_hands_out_a_deleted_links_id_again() {
    use sqlx::Executor;
    if common::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    app.create_first_academy("acme").await;
    let acme = app.academy_id("acme").await;
    let invite = insert_invitation(&app, acme, "lea@example.com").await;
    insert_link(&app, acme, invite, "first").await.unwrap();
    let newest = insert_link(&app, acme, invite, "newest").await.unwrap();
    sqlx::query("DELETE FROM invite_tokens WHERE id = $1")
        .bind(newest)
        .execute(&app.state.db.pool)
        .await
        .unwrap();

    let rebuild = include_str!("../../../migrations/sqlite/0025_invite_link_academy.sql");
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    conn.execute(sqlx::AssertSqlSafe(rebuild)).await.unwrap();
    drop(conn);

    let next = insert_link(&app, acme, invite, "next").await.unwrap();
    assert!(
        next > newest,
        "after the rebuild a new link got id {next}, the deleted newest one had {newest}"
    );
}

/// SQLite plans without statistics, so a query can walk a whole index where it meant to search
/// it: the look-ups of a batch of addresses (every invitation path, every chunk of an upload)
/// must search by address whatever the batch's size, never walk all of an academy's invitations
/// or an import's lines (they grow with every invitation). PostgreSQL plans from statistics, and
/// walks tables as small as a test's on purpose, so only SQLite's plans are pinned down here.
#[tokio::test]
async fn a_batch_of_addresses_is_looked_up_by_address_whatever_its_size() {
    use app::server::repo::imports::{emails_seen_sql, known_emails_sql};
    if common::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    for n in [1, 2, 5, 50, 1_000] {
        let emails: Vec<String> = (0..n).map(|i| format!("lea{i}@example.com")).collect();
        let [users, invites] = known_emails_sql(true);
        for sql in [users, invites, emails_seen_sql(true)] {
            let emails = serde_json::to_string(&emails).unwrap();
            let plan = sqlite_plan(&app, &sql, |q| q.bind(1_i64).bind(emails)).await;
            assert!(
                plan.iter().any(|step| step.ends_with("=? AND email=?)")),
                "{n} addresses: `{}…` is planned as {plan:?}",
                &sql[..60]
            );
        }
    }
}

/// SQLite's log is copied into the database file by a task of its own after each write, not by a
/// writer inside its commit (nor only when the log has grown large or the server stops): a team
/// made through the app shows up in the database file itself, read without the log.
#[tokio::test]
async fn a_write_reaches_the_sqlite_file_itself_soon_after_its_commit() {
    use sqlx::Connection;
    if common::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    let owner = app.create_first_academy("acme").await;
    let res = app
        .call(
            &owner,
            "create_team",
            &[("name", "Checkpointed"), ("color", "Teal")],
        )
        .await;
    assert_eq!(res.status(), 200);
    // `immutable`: the file as it is on disk, without the log.
    let file = format!("sqlite://{}?immutable=true", app.sqlite_file().display());
    // Before any checkpoint, the file may not even have the tables yet.
    let in_file = || async {
        let mut conn = sqlx::AnyConnection::connect(&file).await.unwrap();
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM teams WHERE name = 'Checkpointed'")
            .fetch_one(&mut conn)
            .await
            .unwrap_or(0)
    };
    for _ in 0..200 {
        if in_file().await == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the new team is still only in the log after 10 s");
}

/// An invitation link is searched by the first digits of its keyed hash (a short index: the full
/// hash's was the largest an upload wrote to), not found by walking every link.
#[tokio::test]
async fn an_invitation_link_is_looked_up_by_the_short_index_of_its_hash() {
    use app::server::repo::invites::TOKEN_BY_HASH_SQL;
    if common::backend_name() != "sqlite" {
        return;
    }
    let app = TestApp::spawn().await;
    let hash = "0123456789abcdef".repeat(4);
    let plan = sqlite_plan(&app, TOKEN_BY_HASH_SQL, |q| q.bind(hash)).await;
    assert_eq!(
        plan,
        ["SEARCH invite_tokens USING INDEX invite_tokens_lookup (<expr>=?)"],
        "planned as {plan:?}"
    );
}

type PlanQuery<'q> =
    sqlx::query::QueryAs<'q, sqlx::Any, (i64, i64, i64, String), sqlx::any::AnyArguments>;

/// SQLite's plan of `sql`, a line per step, with its parameters bound by `bind`.
async fn sqlite_plan(
    app: &TestApp,
    sql: &str,
    bind: impl FnOnce(PlanQuery<'_>) -> PlanQuery<'_>,
) -> Vec<String> {
    let explain = sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")));
    bind(explain)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|row: (i64, i64, i64, String)| row.3)
        .collect()
}
