//! The API's `learners` as the reference product's published clients call it: the date format of
//! its own example, and every learner in one answer when the call names no `limit`.

use serde_json::{Value, json};

use crate::{
    api::{call, setup},
    common::TestApp,
};

/// `2017-07-25 00:00:00` UTC in unix milliseconds.
const JULY_25_2017: i64 = 1_500_940_800_000;
const DAY: i64 = 86_400_000;

/// Adds learners to academy "acme" straight into the database, registered at the given times
/// (the API only reads them; signing up thousands through HTTP would test nothing more).
async fn learners_registered_at(app: &TestApp, times: &[i64]) -> Vec<i64> {
    let academy: i64 = sqlx::query_scalar("SELECT id FROM academies WHERE slug = 'acme'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    for (batch, chunk) in times.chunks(500).enumerate() {
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let n = batch * 500 + i;
                format!(
                    "({academy}, 'learner{n}@example.com', 'Learner', '{n}', 'learner', 'x', 'active', {at})"
                )
            })
            .collect();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO users (academy_id, email, first_name, last_name, role, password_hash, status, created_at) VALUES {}",
            rows.join(", ")
        )))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    }
    sqlx::query_scalar("SELECT id FROM users WHERE id > $1 ORDER BY id")
        .bind(first)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list, not {v}"))
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn learners_reads_the_reference_examples_dates_and_includes_the_last_second_of_the_range() {
    let app = TestApp::spawn().await;
    let (_owner, token) = setup(&app).await;
    let made = learners_registered_at(
        &app,
        &[
            JULY_25_2017 - 1,
            JULY_25_2017,
            JULY_25_2017 + DAY - 500,
            JULY_25_2017 + DAY,
        ],
    )
    .await;

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"dates": ["2017-07-25 00:00:00", "2017-07-25 23:59:59"]}}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        ids(&v),
        made[1..3],
        "the day's first and last second, nothing around them"
    );

    let (status, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"dates": ["2017-07-25 00:00:00", "2017-07-25 25:00:00"]}}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert!(
        v.to_string().contains("2017-07-25 25:00:00") && v.to_string().contains("23:59:59"),
        "the error names the bad time and shows a good one: {v}"
    );
}

#[tokio::test]
async fn learners_without_a_limit_answers_every_learner_and_a_limit_still_answers_one_page() {
    let app = TestApp::spawn().await;
    let (_owner, token) = setup(&app).await;
    let made = learners_registered_at(&app, &vec![JULY_25_2017; 2_345]).await;

    let (status, v) = call(&app, &token, json!({"action": "learners"})).await;
    assert_eq!(status, 200);
    assert_eq!(ids(&v), made, "all 2,345 learners, in order, each once");
    assert_eq!(v[2_344]["last_name"], "2344");

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"offset": 2_000}}),
    )
    .await;
    assert_eq!(
        ids(&v),
        made[2_000..],
        "an offset without a limit: the rest"
    );

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"limit": 1_000, "offset": 1_000}}),
    )
    .await;
    assert_eq!(ids(&v), made[1_000..2_000], "a limit: one page");

    let (_, v) = call(
        &app,
        &token,
        json!({"action": "learners", "options": {"dates": ["2001-01-01", "2001-12-31"]}}),
    )
    .await;
    assert_eq!(
        v,
        json!([]),
        "nobody matches: an empty list, still valid JSON"
    );
}
