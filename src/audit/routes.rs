//! `GET /api/v1/audit`: the audit log for admins, filtered and
//! cursor-paginated.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::action::{ActorKind, TargetKind};
use super::dto::{AuditEventResponse, AuditMeta, AuditPage, AuditParams};
use super::model::{self, Filter};
use crate::api_docs::responses::{BadRequest, Forbidden, Unauthorized, Unavailable};
use crate::auth::{policy, Credentials};
use crate::db::time::to_stored;
use crate::error::ApiResult;
use crate::http::extractors::query_error;
use crate::http::fresh;
use crate::http::pagination::{bad_param, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::state::AppState;

/// Who did what, when, from where: every write and security event, newest
/// first (admins). Events are written in the same transaction as the change
/// they record.
#[utoipa::path(
    tag = "audit", operation_id = "list_audit_events",
    params(AuditParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of events", body = AuditPage),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/audit")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    // Read after the permission check: strangers learn nothing from it.
    let params = web::Query::<AuditParams>::from_query(req.query_string())
        .map_err(query_error)?
        .into_inner();
    let per_page = params.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(bad_param(
            "per_page",
            format!("must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    let filter = filter(&params)?;
    let mut rows = model::list(&mut conn, &filter, i64::from(per_page) + 1).await?;
    let more = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    let next_cursor = more
        .then(|| rows.last().map(|e| e.id.to_string()))
        .flatten();
    Ok(fresh(&AuditPage {
        data: rows.into_iter().map(AuditEventResponse::from).collect(),
        meta: AuditMeta {
            per_page,
            next_cursor,
        },
    }))
}

fn filter(params: &AuditParams) -> ApiResult<Filter> {
    let actor = params
        .actor
        .as_deref()
        .map(|raw| {
            kind_and_id(raw, ActorKind::parse).ok_or_else(|| {
                bad_param(
                    "actor",
                    "must be a kind (user, api_key, bootstrap, anonymous, system) or kind:id",
                )
            })
        })
        .transpose()?;
    let target = params
        .target
        .as_deref()
        .map(|raw| {
            kind_and_id(raw, TargetKind::parse).ok_or_else(|| {
                bad_param("target", "must be a kind (article, author, tag, comment, user, api_key, media, webhook) or kind:id")
            })
        })
        .transpose()?;
    let before_id = params
        .cursor
        .as_deref()
        .map(|raw| {
            raw.parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| bad_param("cursor", "not a cursor this list gave"))
        })
        .transpose()?;
    if let (Some(since), Some(until)) = (params.since, params.until) {
        if since >= until {
            return Err(bad_param("until", "must be after since"));
        }
    }
    Ok(Filter {
        actor,
        target,
        action: params.action,
        since: params.since.map(to_stored),
        until: params.until.map(to_stored),
        before_id,
    })
}

/// `kind` or `kind:id` (id from 1).
fn kind_and_id<K>(raw: &str, parse: impl Fn(&str) -> Option<K>) -> Option<(K, Option<i64>)> {
    match raw.split_once(':') {
        None => Some((parse(raw)?, None)),
        Some((kind, id)) => {
            let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
            Some((parse(kind)?, Some(id)))
        }
    }
}
