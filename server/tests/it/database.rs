//! The database layer itself: migrations on a fresh database and SQLite write transactions under load.

use crate::common;

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
