//! The audit log as the API shows it, and the query of `GET /api/v1/audit`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::action::{Action, ActorKind, TargetKind};
use super::model::Event;
use crate::db::time::utc;

/// Who acted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Actor {
    /// The kind of actor.
    #[serde(rename = "type")]
    pub kind: ActorKind,
    /// The user's or API key's id; null for the others.
    pub id: Option<i64>,
}

/// What was acted on.
#[derive(Debug, Serialize, ToSchema)]
pub struct Target {
    /// The kind of row.
    #[serde(rename = "type")]
    pub kind: TargetKind,
    /// Its id; null when there was none (a sign-in with an unknown email).
    pub id: Option<i64>,
}

/// One recorded write or security event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventResponse {
    /// Increasing with time.
    pub id: i64,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who acted.
    pub actor: Actor,
    /// What happened.
    pub action: Action,
    /// What it happened to.
    pub target: Target,
    /// The `X-Request-Id` of the request (null for background tasks).
    pub request_id: Option<String>,
    /// The client's IP (null for background tasks).
    pub client_ip: Option<String>,
    /// The changed fields as they were (null for a create); long texts are
    /// cut, secrets never shown.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Map<String, Value>>,
    /// The changed fields as they are now (null for a delete).
    #[schema(value_type = Option<Object>)]
    pub after: Option<Map<String, Value>>,
}

impl From<Event> for AuditEventResponse {
    fn from(e: Event) -> Self {
        let object = |text: Option<String>| {
            text.and_then(|t| match serde_json::from_str(&t) {
                Ok(Value::Object(map)) => Some(map),
                _ => None,
            })
        };
        Self {
            id: e.id,
            at: utc(e.at),
            actor: Actor {
                kind: e.actor_type,
                id: e.actor_id,
            },
            action: e.action,
            target: Target {
                kind: e.target_type,
                id: e.target_id,
            },
            request_id: e.request_id,
            client_ip: e.client_ip,
            before: object(e.before),
            after: object(e.after),
        }
    }
}

/// Pagination facts of an audit page. No total: the log only grows, and
/// counting it would cost more than the page.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditMeta {
    /// Events per page.
    pub per_page: u32,
    /// Opaque cursor of the next (older) page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A page of audit events, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The events of this page.
    pub data: Vec<AuditEventResponse>,
    /// Pagination facts.
    pub meta: AuditMeta,
}

/// Query of `GET /api/v1/audit`. Filters combine with AND.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Who acted: `user:{id}`, `api_key:{id}`, or a kind alone (`user`,
    /// `api_key`, `bootstrap`, `anonymous`, `system`).
    #[param(
        example = "user:3",
        pattern = r"^(user|api_key|bootstrap|anonymous|system)(:[1-9][0-9]{0,17})?$"
    )]
    pub actor: Option<String>,
    /// What was acted on: `{kind}:{id}` or a kind alone (`article`,
    /// `author`, `tag`, `comment`, `user`, `api_key`, `media`, `webhook`).
    #[param(
        example = "article:12",
        pattern = r"^(article|author|tag|comment|user|api_key|media|webhook)(:[1-9][0-9]{0,17})?$"
    )]
    pub target: Option<String>,
    /// One action, for example `article.publish`.
    pub action: Option<Action>,
    /// At or after this instant (RFC 3339).
    pub since: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Opaque cursor from `meta.next_cursor`.
    #[param(pattern = r"^[1-9][0-9]{0,17}$")]
    pub cursor: Option<String>,
    /// Events per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}
