//! Webhooks: admins register endpoints (`routes.rs`); writes that readers
//! or frontends should hear about put an event in the outbox in their own
//! transaction ([`announce`]); the delivery worker (`worker.rs`) sends each
//! one signed (`signing.rs`) to addresses it checked (`guard.rs`), retries
//! with backoff, and keeps a log per endpoint (`deliveries.rs`).

pub mod deliveries;
pub mod dto;
pub mod event;
pub mod guard;
pub mod model;
pub mod routes;
pub mod settings;
pub mod signing;
pub mod worker;

pub use event::{Event, EventType};
pub use settings::WebhookSettings;

use crate::articles::model::Article;
use crate::db::time::now;
use crate::db::Conn;

/// Puts `event` in the outbox of every endpoint subscribed to it. Call it
/// inside the transaction of the change it announces: the event is sent
/// if and only if the change commits.
pub async fn announce(conn: &mut Conn, event: Event) -> diesel::QueryResult<()> {
    model::enqueue(conn, &event, now()).await.map(|_| ())
}

/// Announces `article.updated` when readers can see the article now (a
/// change to a draft concerns no subscriber). Inside the change's
/// transaction, as [`announce`].
pub async fn announce_if_live(conn: &mut Conn, article: &Article) -> diesel::QueryResult<()> {
    if article.is_live(now()) {
        announce(conn, Event::article(EventType::ArticleUpdated, article)).await?;
    }
    Ok(())
}
