//! The webhook delivery log's retention, on both backends: with
//! `WEBHOOK_LOG_RETENTION_DAYS` set, the background pruner deletes finished
//! deliveries older than the retention, and keeps newer ones and pending
//! ones however old. (The audit log is append-only and kept whole: see
//! docs/decisions.md.)

use std::time::Duration;

use cms::db::schema::webhook_deliveries;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures;
use crate::harness::{both_backends_with, TestApp};

both_backends_with!(
    [
        ("WEBHOOK_LOG_RETENTION_DAYS", "1"),
        ("WEBHOOK_LOG_PRUNE_INTERVAL_SECS", "1"),
        ("WEBHOOK_ALLOW_PRIVATE", "true"),
        // The worker stays idle: the test sets each delivery's state.
        ("WEBHOOK_POLL_MS", "60000")
    ],
    old_finished_deliveries_are_deleted,
    a_redelivery_racing_the_pruner_is_kept_or_refused
);

/// Two days ago, as stored.
fn two_days_ago() -> chrono::NaiveDateTime {
    cms::db::time::now() - chrono::Duration::days(2)
}

async fn delivery_ids(app: &TestApp, hook: &Value) -> Vec<i64> {
    let (status, log) = app
        .admin_get(&format!("/api/v1/webhooks/{hook}/deliveries"))
        .await;
    assert_eq!(status, 200, "{log}");
    let mut ids: Vec<i64> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn old_finished_deliveries_are_deleted(app: TestApp) {
    let author = fixtures::author(&app, "Night Desk").await;
    let (status, hook) = app
        .admin_json(
            Method::POST,
            "/api/v1/webhooks",
            json!({ "url": "http://127.0.0.1:9/hooks", "events": ["article.published"] }),
        )
        .await;
    assert_eq!(status, 201, "{hook}");
    let hook = hook["id"].clone();
    let titles = ["One", "Two", "Three", "Four", "Five"];
    for title in titles {
        fixtures::published(&app, &author["id"], &format!("Story {title}"), &[]).await;
    }
    let ids = delivery_ids(&app, &hook).await;
    assert_eq!(ids.len(), titles.len(), "one delivery per publication");

    // Each delivery's state and times: (status, created, last tried,
    // delivered), and whether the pruner must keep it.
    let old = two_days_ago();
    let now = cms::db::time::now();
    let cases = [
        ("delivered", old, old, Some(old), false),
        ("failed", old, old, None, false),
        // Pending for two days (an endpoint down): not sent yet, kept.
        ("pending", old, old, None, true),
        ("failed", now, now, None, true),
        // Old, but redelivered and delivered again just now.
        ("delivered", old, now, Some(now), true),
    ];
    let mut conn = app.state.db.writer().await.unwrap();
    for (id, (status, created_at, tried, delivered_at, _)) in ids.iter().zip(cases) {
        cms::run!(&mut conn, c => {
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq(id)))
                .set((
                    webhook_deliveries::status.eq(status),
                    webhook_deliveries::created_at.eq(created_at),
                    webhook_deliveries::next_attempt_at.eq(tried),
                    webhook_deliveries::delivered_at.eq(delivered_at),
                ))
                .execute(c)
                .await
        })
        .unwrap();
    }
    drop(conn);
    let kept: Vec<i64> = ids
        .iter()
        .zip(cases)
        .filter(|(_, case)| case.4)
        .map(|(id, _)| *id)
        .collect();

    // The pruner runs every second: wait for the old rows to go.
    for _ in 0..100 {
        if delivery_ids(&app, &hook).await.len() == kept.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        delivery_ids(&app, &hook).await,
        kept,
        "the old delivered and given-up ones are gone; the pending, the recent and the redelivered ones stay"
    );
}

/// The pruner deletes an old delivered delivery while an admin redelivers
/// it, at once, many rounds. Either the redelivery wins (202, and the
/// delivery is in the log, pending) or the pruner does (the redelivery
/// meets 404): a 202 for a delivery that is gone never happens.
async fn a_redelivery_racing_the_pruner_is_kept_or_refused(app: TestApp) {
    let author = fixtures::author(&app, "Race Desk").await;
    let (status, hook) = app
        .admin_json(
            Method::POST,
            "/api/v1/webhooks",
            json!({ "url": "http://127.0.0.1:9/hooks", "events": ["article.published"] }),
        )
        .await;
    assert_eq!(status, 201, "{hook}");
    let hook = hook["id"].clone();
    let mut outcomes = (0, 0);
    for round in 0..crate::races::rounds() {
        fixtures::published(&app, &author["id"], &format!("Race {round}"), &[]).await;
        let id = *delivery_ids(&app, &hook).await.last().unwrap();
        let old = two_days_ago();
        let mut conn = app.state.db.writer().await.unwrap();
        cms::run!(&mut conn, c => {
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq(id)))
                .set((
                    webhook_deliveries::status.eq("delivered"),
                    webhook_deliveries::created_at.eq(old),
                    webhook_deliveries::next_attempt_at.eq(old),
                    webhook_deliveries::delivered_at.eq(Some(old)),
                ))
                .execute(c)
                .await
        })
        .unwrap();
        drop(conn);
        let before = cms::db::time::now() - chrono::Duration::days(1);
        let redeliver = format!("/api/v1/webhooks/{hook}/deliveries/{id}/redeliver");
        let (pruned, redelivered) = tokio::join!(
            async {
                // Staggered by round, so that each side goes first in some.
                tokio::time::sleep(Duration::from_micros(500 * (round as u64 % 8))).await;
                let mut conn = app.state.db.writer().await.unwrap();
                cms::webhooks::model::prune_log(&mut conn, before).await
            },
            app.admin_json(Method::POST, &redeliver, json!({}))
        );
        pruned.unwrap();
        let present = delivery_ids(&app, &hook).await.contains(&id);
        match redelivered.0 {
            202 => {
                assert!(present, "round {round}: redelivered, then deleted");
                outcomes.0 += 1;
            }
            404 => {
                assert!(!present, "round {round}: 404 for a delivery still there");
                outcomes.1 += 1;
            }
            other => panic!("round {round}: {other} {}", redelivered.1),
        }
    }
    eprintln!(
        "{:?}: redelivery won {}, pruner won {}",
        app.backend, outcomes.0, outcomes.1
    );
}
