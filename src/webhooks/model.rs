//! Webhook endpoints and their deliveries (the outbox): rows and queries.

use chrono::NaiveDateTime;
use diesel::prelude::{
    AsChangeset, BoolExpressionMethods, ExpressionMethods, Insertable, OptionalExtension, QueryDsl,
    Queryable, Selectable, SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::event::{Event, EventType};
use crate::db::schema::{webhook_deliveries, webhooks};
use crate::db::{Conn, ConnMut};

/// An endpoint as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// JSON array of event names.
    pub events: String,
    pub secret: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Webhook {
    /// The events it subscribes to (unknown names are skipped).
    pub fn event_types(&self) -> Vec<EventType> {
        serde_json::from_str::<Vec<String>>(&self.events)
            .unwrap_or_default()
            .iter()
            .filter_map(|name| EventType::parse(name))
            .collect()
    }
}

/// A new endpoint.
#[derive(Debug, Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewWebhook {
    pub url: String,
    pub description: String,
    pub events: String,
    pub secret: String,
    pub enabled: bool,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Changes to an endpoint (`None` leaves a field alone).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = webhooks)]
pub struct WebhookChanges {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<String>,
    pub enabled: Option<bool>,
    pub disabled_reason: Option<Option<String>>,
    pub failing_since: Option<Option<NaiveDateTime>>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A delivery as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub message_id: String,
    pub event_type: EventType,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<i32>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// Waiting to be sent (or retried).
pub const PENDING: &str = "pending";
/// Received with a 2xx.
pub const DELIVERED: &str = "delivered";
/// Given up after the last attempt.
pub const FAILED: &str = "failed";

#[derive(Debug, Insertable)]
#[diesel(table_name = webhook_deliveries)]
struct NewDelivery<'a> {
    webhook_id: i64,
    message_id: String,
    event_type: EventType,
    payload: &'a str,
    status: &'static str,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
}

/// Creates an endpoint.
pub async fn create(conn: &mut Conn, new: NewWebhook) -> QueryResult<Webhook> {
    run!(conn, c => {
        diesel::insert_into(webhooks::table)
            .values(&new)
            .returning(Webhook::as_returning())
            .get_result(c)
            .await
    })
}

/// One endpoint.
pub async fn find(conn: &mut Conn, id: i64) -> QueryResult<Option<Webhook>> {
    run!(conn, c => {
        webhooks::table.find(id).select(Webhook::as_select()).first(c).await.optional()
    })
}

/// Endpoints by id.
pub async fn find_many(conn: &mut Conn, ids: &[i64]) -> QueryResult<Vec<Webhook>> {
    run!(conn, c => {
        webhooks::table
            .filter(webhooks::id.eq_any(ids))
            .select(Webhook::as_select())
            .load(c)
            .await
    })
}

/// A page of endpoints, newest first, and the total.
pub async fn list(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Webhook>, i64)> {
    run!(conn, c => {
        let total: i64 = webhooks::table.count().get_result(c).await?;
        let rows = webhooks::table
            .select(Webhook::as_select())
            .order_by(webhooks::id.desc())
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Applies `changes`; the row after, if it exists.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    changes: &WebhookChanges,
) -> QueryResult<Option<Webhook>> {
    run!(conn, c => {
        diesel::update(webhooks::table.find(id))
            .set(changes)
            .returning(Webhook::as_returning())
            .get_result(c)
            .await
            .optional()
    })
}

/// Deletes an endpoint and its deliveries.
pub async fn delete(conn: &mut Conn, id: i64) -> QueryResult<bool> {
    let n = run!(conn, c => {
        diesel::delete(webhooks::table.find(id)).execute(c).await
    })?;
    Ok(n > 0)
}

/// Writes `event` to the outbox: one delivery per enabled endpoint that
/// subscribes to it (call it inside the transaction of the change).
pub async fn enqueue(conn: &mut Conn, event: &Event, at: NaiveDateTime) -> QueryResult<usize> {
    let endpoints: Vec<Webhook> = run!(conn, c => {
        webhooks::table
            .filter(webhooks::enabled.eq(true))
            .select(Webhook::as_select())
            .load(c)
            .await
    })?;
    let rows: Vec<NewDelivery> = endpoints
        .iter()
        .filter(|w| w.event_types().contains(&event.kind))
        .map(|w| NewDelivery {
            webhook_id: w.id,
            message_id: format!("msg_{:032x}", rand::random::<u128>()),
            event_type: event.kind,
            payload: &event.payload,
            status: PENDING,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    for row in &rows {
        run!(conn, c => {
            diesel::insert_into(webhook_deliveries::table)
                .values(row)
                .execute(c)
                .await
        })?;
    }
    Ok(rows.len())
}

/// No worker holds a lease on the delivery at `at`.
macro_rules! unleased {
    ($at:expr) => {
        webhook_deliveries::locked_until
            .is_null()
            .or(webhook_deliveries::locked_until.le($at))
    };
}

/// Deliveries of enabled endpoints that are due and unleased at `at`.
macro_rules! due {
    ($at:expr) => {
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::next_attempt_at.le($at))
            .filter(unleased!($at))
            .filter(
                webhook_deliveries::webhook_id.eq_any(
                    webhooks::table
                        .filter(webhooks::enabled.eq(true))
                        .select(webhooks::id),
                ),
            )
    };
}

/// Whether any delivery of an enabled endpoint is due and unleased at
/// `at` (a cheap read before a claim).
pub async fn any_due(conn: &mut Conn, at: NaiveDateTime) -> QueryResult<bool> {
    let found: Option<i64> = run!(conn, c => {
        due!(at)
            .select(webhook_deliveries::id)
            .first(c)
            .await
            .optional()
    })?;
    Ok(found.is_some())
}

/// Leases up to `limit` due deliveries of enabled endpoints until
/// `lease_until`, counting the attempt: no other worker (on any instance)
/// takes them before the lease ends. On PostgreSQL rows another worker is
/// claiming are skipped (`FOR UPDATE SKIP LOCKED`); SQLite serializes
/// writers.
pub async fn claim_due(
    conn: &mut Conn,
    at: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Delivery>> {
    conn.transaction(async |conn| {
        let due = due!(at)
            .order_by((webhook_deliveries::next_attempt_at, webhook_deliveries::id))
            .select(webhook_deliveries::id)
            .limit(limit);
        let ids: Vec<i64> = match conn.get() {
            ConnMut::Pg(c) => due.for_update().skip_locked().load(c).await?,
            ConnMut::Sqlite(c) => due.load(c).await?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        run!(conn, c => {
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
                .set((
                    webhook_deliveries::locked_until.eq(lease_until),
                    webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
                ))
                .returning(Delivery::as_returning())
                .get_results(c)
                .await
        })
    })
    .await
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The HTTP status, if an answer came.
    pub status_code: Option<i32>,
    /// Why it failed (none on success).
    pub error: Option<String>,
    /// Milliseconds from connect to the answer's end (or the failure).
    pub latency_ms: i32,
}

/// The delivery as this worker claimed it: still pending, and not claimed
/// again since. A claim counts the attempt and sets a new lease end, so a
/// later claim changed both; a redelivery resets `attempts` to 0 and the
/// next claim counts it back to the same number, which is why the lease
/// end is compared too.
macro_rules! still_ours {
    ($d:expr) => {
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq($d.id))
            .filter(webhook_deliveries::status.eq(PENDING))
            .filter(webhook_deliveries::attempts.eq($d.attempts))
            .filter(webhook_deliveries::locked_until.eq($d.locked_until))
    };
}

/// Records a successful attempt; false when the lease was lost meanwhile
/// (another worker claimed the delivery, or it was redelivered).
pub async fn mark_delivered(
    conn: &mut Conn,
    d: &Delivery,
    attempt: &Attempt,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = run!(conn, c => {
        diesel::update(still_ours!(d))
        .set((
            webhook_deliveries::status.eq(DELIVERED),
            webhook_deliveries::delivered_at.eq(at),
            webhook_deliveries::locked_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::last_status_code.eq(attempt.status_code),
            webhook_deliveries::last_error.eq(None::<String>),
            webhook_deliveries::last_latency_ms.eq(attempt.latency_ms),
        ))
        .execute(c)
        .await
    })?;
    Ok(n > 0)
}

/// Records a failed attempt: retried at `retry_at`, or given up when
/// `None`; false when the lease was lost meanwhile.
pub async fn mark_failed(
    conn: &mut Conn,
    d: &Delivery,
    attempt: &Attempt,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    let (status, next) = match retry_at {
        Some(at) => (PENDING, at),
        None => (FAILED, d.next_attempt_at),
    };
    let n = run!(conn, c => {
        diesel::update(still_ours!(d))
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::locked_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::last_status_code.eq(attempt.status_code),
            webhook_deliveries::last_error.eq(&attempt.error),
            webhook_deliveries::last_latency_ms.eq(attempt.latency_ms),
        ))
        .execute(c)
        .await
    })?;
    Ok(n > 0)
}

/// After a success: the endpoint is no longer failing.
pub async fn clear_failing(conn: &mut Conn, id: i64) -> QueryResult<()> {
    run!(conn, c => {
        diesel::update(webhooks::table.find(id).filter(webhooks::failing_since.is_not_null()))
            .set(webhooks::failing_since.eq(None::<NaiveDateTime>))
            .execute(c)
            .await
    })?;
    Ok(())
}

/// After a failure: notes since when the endpoint fails, and disables it
/// when that is before `cutoff`. True when this call disabled it (one
/// conditional update, so one caller among racing workers).
pub async fn note_failure(
    conn: &mut Conn,
    id: i64,
    at: NaiveDateTime,
    cutoff: NaiveDateTime,
    reason: &str,
) -> QueryResult<bool> {
    run!(conn, c => {
        diesel::update(webhooks::table.find(id).filter(webhooks::failing_since.is_null()))
            .set(webhooks::failing_since.eq(at))
            .execute(c)
            .await
    })?;
    let n = run!(conn, c => {
        diesel::update(
            webhooks::table
                .find(id)
                .filter(webhooks::enabled.eq(true))
                .filter(webhooks::failing_since.le(cutoff)),
        )
        .set((
            webhooks::enabled.eq(false),
            webhooks::disabled_reason.eq(reason),
            webhooks::updated_at.eq(at),
        ))
        .execute(c)
        .await
    })?;
    Ok(n > 0)
}

/// Whether endpoint `webhook_id` has delivery `id`.
pub async fn exists(conn: &mut Conn, webhook_id: i64, id: i64) -> QueryResult<bool> {
    let found: Option<i64> = run!(conn, c => {
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(id))
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .select(webhook_deliveries::id)
            .first(c)
            .await
            .optional()
    })?;
    Ok(found.is_some())
}

/// A page of an endpoint's deliveries, newest first, and the total.
pub async fn deliveries(
    conn: &mut Conn,
    webhook_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Delivery>, i64)> {
    run!(conn, c => {
        let all = webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(webhook_id));
        let total: i64 = all.count().get_result(c).await?;
        let rows = webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .select(Delivery::as_select())
            .order_by(webhook_deliveries::id.desc())
            .offset(offset)
            .limit(limit)
            .load(c)
            .await?;
        Ok((rows, total))
    })
}

/// Sends a delivery again soon, with its message id (receivers
/// deduplicate on it): pending, due now, attempts counted afresh. None
/// when there is no such delivery or a worker is sending it right now
/// (see [`exists`]).
pub async fn redeliver(
    conn: &mut Conn,
    webhook_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> QueryResult<Option<Delivery>> {
    run!(conn, c => {
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::id.eq(id))
                .filter(webhook_deliveries::webhook_id.eq(webhook_id))
                // Not while a worker is sending it.
                .filter(unleased!(at)),
        )
        .set((
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(at),
            webhook_deliveries::locked_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::delivered_at.eq(None::<NaiveDateTime>),
        ))
        .returning(Delivery::as_returning())
        .get_result(c)
        .await
        .optional()
    })
}

/// Rows one pruning statement deletes at most (SQLite's one writer is
/// held for one batch at a time).
const PRUNE_BATCH: i64 = 1000;

/// Deliveries done with (delivered or given up) whose last activity came
/// before `$before`: created, last tried and delivered before it, so a
/// redelivered old one stays until it is old again.
macro_rules! finished_before {
    ($before:expr) => {
        webhook_deliveries::table
            .filter(webhook_deliveries::created_at.lt($before))
            .filter(webhook_deliveries::status.eq_any([DELIVERED, FAILED]))
            .filter(webhook_deliveries::next_attempt_at.lt($before))
            .filter(
                webhook_deliveries::delivered_at
                    .is_null()
                    .or(webhook_deliveries::delivered_at.lt($before)),
            )
    };
}

/// Deletes the finished deliveries older than `before`
/// (`WEBHOOK_LOG_RETENTION_DAYS`; pending ones stay however old), a batch
/// at a time. Each delete repeats the conditions, so a delivery
/// redelivered meanwhile stays. Returns how many.
pub async fn prune_log(conn: &mut Conn, before: NaiveDateTime) -> QueryResult<usize> {
    let mut total = 0;
    loop {
        let ids: Vec<i64> = run!(conn, c => {
            finished_before!(before)
                .select(webhook_deliveries::id)
                .limit(PRUNE_BATCH)
                .load(c)
                .await
        })?;
        if ids.is_empty() {
            return Ok(total);
        }
        total += run!(conn, c => {
            diesel::delete(finished_before!(before).filter(webhook_deliveries::id.eq_any(&ids)))
                .execute(c)
                .await
        })?;
        if (ids.len() as i64) < PRUNE_BATCH {
            return Ok(total);
        }
    }
}
