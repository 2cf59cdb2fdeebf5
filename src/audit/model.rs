//! Audit event rows: append one, read a filtered page (newest first).

use chrono::NaiveDateTime;
use diesel::prelude::{
    ExpressionMethods, Insertable, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel::result::QueryResult;
use diesel_async::RunQueryDsl;

use super::action::{Action, ActorKind, TargetKind};
use crate::db::schema::audit_events;
use crate::db::Conn;

/// An event to append.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewEvent<'a> {
    pub at: NaiveDateTime,
    pub actor_type: ActorKind,
    pub actor_id: Option<i64>,
    pub action: Action,
    pub target_type: TargetKind,
    pub target_id: Option<i64>,
    pub request_id: Option<&'a str>,
    pub client_ip: Option<&'a str>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An event as stored (`before`/`after` as JSON text).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct Event {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_type: ActorKind,
    pub actor_id: Option<i64>,
    pub action: Action,
    pub target_type: TargetKind,
    pub target_id: Option<i64>,
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends `event`.
pub async fn insert(conn: &mut Conn, event: &NewEvent<'_>) -> QueryResult<()> {
    run!(conn, c => {
        diesel::insert_into(audit_events::table)
            .values(event)
            .execute(c)
            .await
    })?;
    Ok(())
}

/// Which events a page holds.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// This kind of actor, and this one if an id is given.
    pub actor: Option<(ActorKind, Option<i64>)>,
    /// This kind of target, and this one if an id is given.
    pub target: Option<(TargetKind, Option<i64>)>,
    /// This action.
    pub action: Option<Action>,
    /// At or after this time.
    pub since: Option<NaiveDateTime>,
    /// Before this time.
    pub until: Option<NaiveDateTime>,
    /// Older than this event (the cursor).
    pub before_id: Option<i64>,
}

/// Up to `limit` events matching `filter`, newest first.
pub async fn list(conn: &mut Conn, filter: &Filter, limit: i64) -> QueryResult<Vec<Event>> {
    run!(conn, c => {
        let mut query = audit_events::table
            .select(Event::as_select())
            .order_by(audit_events::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some((kind, id)) = filter.actor {
            query = query.filter(audit_events::actor_type.eq(kind));
            if let Some(id) = id {
                query = query.filter(audit_events::actor_id.eq(id));
            }
        }
        if let Some((kind, id)) = filter.target {
            query = query.filter(audit_events::target_type.eq(kind));
            if let Some(id) = id {
                query = query.filter(audit_events::target_id.eq(id));
            }
        }
        if let Some(action) = filter.action {
            query = query.filter(audit_events::action.eq(action));
        }
        if let Some(since) = filter.since {
            query = query.filter(audit_events::at.ge(since));
        }
        if let Some(until) = filter.until {
            query = query.filter(audit_events::at.lt(until));
        }
        if let Some(id) = filter.before_id {
            query = query.filter(audit_events::id.lt(id));
        }
        query.load(c).await
    })
}
