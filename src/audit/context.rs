//! [`Auditor`]: who acts in a request and from where, and the one way to
//! append an event on the request's connection (inside its transaction).

use actix_web::{web, HttpMessage as _, HttpRequest};

use super::action::{Action, ActorKind};
use super::change::Change;
use super::model::{self, NewEvent};
use crate::auth::Caller;
use crate::db::time::now;
use crate::db::Conn;
use crate::http::client_ip::client_ip;
use crate::http::request_log::RequestId;
use crate::state::AppState;

/// The audit facts of one request: the actor, the request id and the
/// client IP. Cheap to clone; owned, so it can move into a task.
#[derive(Debug, Clone)]
pub struct Auditor {
    actor: ActorKind,
    actor_id: Option<i64>,
    request_id: Option<String>,
    client_ip: Option<String>,
}

impl Auditor {
    /// The request's facts, acting as `caller`.
    pub fn new(req: &HttpRequest, caller: &Caller) -> Self {
        let (actor, actor_id) = match caller {
            Caller::Anonymous => (ActorKind::Anonymous, None),
            Caller::ApiKey { id, .. } => (ActorKind::ApiKey, Some(*id)),
            Caller::Staff(staff) => match staff.user_id {
                Some(id) => (ActorKind::User, Some(id)),
                None => (ActorKind::Bootstrap, None),
            },
        };
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        Self {
            actor,
            actor_id,
            request_id: req.extensions().get::<RequestId>().map(|id| id.0.clone()),
            client_ip: client_ip(req, trusted).map(|ip| ip.to_string()),
        }
    }

    /// The request's facts before anyone is known (a sign-in, a reader).
    pub fn anonymous(req: &HttpRequest) -> Self {
        Self::new(req, &Caller::Anonymous)
    }

    /// The same request, now known to act as user `id` (after a sign-in or
    /// a refresh proved who it is).
    pub fn as_user(mut self, id: i64) -> Self {
        self.actor = ActorKind::User;
        self.actor_id = Some(id);
        self
    }

    /// The server itself, outside any request (background tasks).
    pub fn system() -> Self {
        Self {
            actor: ActorKind::System,
            actor_id: None,
            request_id: None,
            client_ip: None,
        }
    }

    /// Appends one event on `conn`: call it inside the transaction of the
    /// change it records, so both commit or neither does.
    pub async fn record(
        &self,
        conn: &mut Conn,
        action: Action,
        target_id: Option<i64>,
        change: Change,
    ) -> diesel::QueryResult<()> {
        let json = |side: Option<serde_json::Map<String, serde_json::Value>>| {
            side.map(|map| serde_json::Value::Object(map).to_string())
        };
        model::insert(
            conn,
            &NewEvent {
                at: now(),
                actor_type: self.actor,
                actor_id: self.actor_id,
                action,
                target_type: action.target(),
                target_id,
                request_id: self.request_id.as_deref(),
                client_ip: self.client_ip.as_deref(),
                before: json(change.before),
                after: json(change.after),
            },
        )
        .await
    }
}
