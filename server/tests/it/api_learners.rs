//! The API's `learners` as the reference product's published clients call it: the date format of
//! its own example, and every learner in one answer when the call names no `limit`.

use app::domain::UserId;
use serde_json::{Value, json};

use crate::{
    api::{call, setup},
    common::TestApp,
};

/// `2017-07-25 00:00:00` UTC in unix milliseconds.
const JULY_25_2017: i64 = 1_500_940_800_000;
const DAY: i64 = 86_400_000;

/// Learners of academy "acme" registered at `times`: `learner{n}@example.com`, last name `n`.
async fn learners_registered_at(app: &TestApp, times: &[i64]) -> Vec<UserId> {
    let people: Vec<_> = times
        .iter()
        .enumerate()
        .map(|(n, at)| {
            (
                format!("learner{n}@example.com"),
                "Learner".to_string(),
                n.to_string(),
                *at,
            )
        })
        .collect();
    app.insert_learners("acme", &people).await
}

fn ids(v: &Value) -> Vec<UserId> {
    v.as_array()
        .unwrap_or_else(|| panic!("a list, not {v}"))
        .iter()
        .map(|l| UserId::new(l["id"].as_i64().unwrap()))
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
