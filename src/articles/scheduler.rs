//! The publication tick: scheduled articles go live at read time already;
//! every `SCHEDULER_INTERVAL_SECS` this marks those whose time has come as
//! published, announces them (`article.published`) and records it, in one
//! transaction.

use chrono::NaiveDateTime;
use diesel::result::QueryResult;

use super::model;
use crate::audit::{Action, Auditor, Change};
use crate::db::periodic::spawn_every;
use crate::db::time::now;
use crate::db::{Conn, Db};
use crate::webhooks::{self, Event, EventType, WebhookSettings};

/// Runs the tick for as long as the server runs.
pub fn spawn(db: Db, settings: &WebhookSettings) {
    spawn_every(
        db,
        settings.scheduler_interval,
        "scheduled articles went live",
        "could not publish scheduled articles",
        |conn| Box::pin(tick(conn, now())),
    );
}

/// Publishes what is due at `at`; returns how many.
pub async fn tick(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<usize> {
    conn.transaction(async |conn| {
        let live = model::publish_due(conn, at).await?;
        let audit = Auditor::system();
        for article in &live {
            let change = Change::between(
                &serde_json::json!({ "status": "scheduled" }),
                &serde_json::json!({ "status": "published" }),
            );
            audit
                .record(conn, Action::ArticlePublish, Some(article.id), change)
                .await?;
            webhooks::announce(conn, Event::article(EventType::ArticlePublished, article)).await?;
        }
        Ok(live.len())
    })
    .await
}
