//! Webhook endpoints (admins): register, list, read, change, delete.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde_json::json;

use super::dto::{
    CreateWebhookRequest, CreatedWebhookResponse, UpdateWebhookRequest, WebhookResponse,
};
use super::event::EventType;
use super::model::{self, NewWebhook, Webhook, WebhookChanges};
use super::{guard, signing};
use crate::api_docs::responses::{
    BadRequest, Forbidden, JsonBody, NotFound, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content, PageParams};
use crate::state::AppState;

/// Webhook endpoints, newest first (admins).
#[utoipa::path(
    tag = "webhooks", operation_id = "list_webhooks",
    params(PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of endpoints", body = ListResponse<WebhookResponse>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/webhooks")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let page = PageRequest::pages(&params)?;
    let (rows, total) = model::list(&mut conn, page.offset(), page.limit()).await?;
    let data: Vec<WebhookResponse> = rows.into_iter().map(WebhookResponse::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// Register an endpoint (admins). The answer holds its signing secret,
/// once. 422 for a URL that is not http(s), carries credentials, or
/// resolves to a loopback, private or link-local address.
#[utoipa::path(
    tag = "webhooks", operation_id = "create_webhook",
    request_body = CreateWebhookRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Registered; `secret` is shown only now", body = CreatedWebhookResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/webhooks")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    body: Valid<CreateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    // The URL's host is looked up with no connection held (on SQLite, the
    // writer's would wait for DNS): one unit of work checks the caller,
    // another writes.
    let caller = state.caller(auth).await?;
    let created_by = policy::require_admin(&caller)?.user_id;
    let body = body.into_inner()?;
    let url = checked_url(&state, body.url.as_str()).await?;
    let mut conn = state.db.writer().await?;
    let at = now();
    let new = NewWebhook {
        url,
        description: body.description.map(String::from).unwrap_or_default(),
        events: events_json(&body.events),
        secret: signing::new_secret(),
        enabled: body.enabled.unwrap_or(true),
        created_by,
        created_at: at,
        updated_at: at,
    };
    let webhook = conn
        .transaction(async |conn| {
            let webhook = model::create(conn, new).await?;
            Auditor::new(&req, &caller)
                .record(
                    conn,
                    Action::WebhookCreate,
                    Some(webhook.id),
                    Change::created(&view(&webhook)),
                )
                .await?;
            Ok::<_, ApiError>(webhook)
        })
        .await?;
    let location = format!("/api/v1/webhooks/{}", webhook.id);
    let secret = webhook.secret.clone();
    Ok(HttpResponse::Created()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .json(CreatedWebhookResponse {
            webhook: WebhookResponse::from(webhook),
            secret,
        }))
}

/// One endpoint (admins); its secret is never shown again.
#[utoipa::path(
    tag = "webhooks", operation_id = "get_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The endpoint", body = WebhookResponse),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/webhooks/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let webhook = model::find(&mut conn, parse_id(&path, "webhook")?)
        .await?
        .or_not_found("webhook")?;
    Ok(fresh(&WebhookResponse::from(webhook)))
}

/// Change an endpoint (admins). Enabling it again clears the failure
/// record of one the server disabled. 422 for a URL as for registering.
#[utoipa::path(
    tag = "webhooks", operation_id = "update_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    request_body = UpdateWebhookRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated endpoint", body = WebhookResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[patch("/api/v1/webhooks/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "webhook")?;
    let caller = state.caller(auth).await?;
    policy::require_admin(&caller)?;
    let body = body.into_inner()?;
    let url = match &body.url {
        Some(url) => Some(checked_url(&state, url.as_str()).await?),
        None => None,
    };
    let mut conn = state.db.writer().await?;
    let enabling = body.enabled == Some(true);
    let changes = WebhookChanges {
        url,
        description: body.description.map(String::from),
        events: body.events.as_deref().map(events_json),
        enabled: body.enabled,
        disabled_reason: enabling.then_some(None),
        failing_since: enabling.then_some(None),
        updated_at: Some(now()),
    };
    let updated = conn
        .transaction(async |conn| {
            let before = model::find(conn, id).await?.or_not_found("webhook")?;
            let after = model::update(conn, id, &changes)
                .await?
                .or_not_found("webhook")?;
            Auditor::new(&req, &caller)
                .record(
                    conn,
                    Action::WebhookUpdate,
                    Some(id),
                    Change::between(&view(&before), &view(&after)),
                )
                .await?;
            Ok::<_, ApiError>(after)
        })
        .await?;
    Ok(fresh(&WebhookResponse::from(updated)))
}

/// Delete an endpoint and its delivery log (admins); nothing more is sent
/// to it.
#[utoipa::path(
    tag = "webhooks", operation_id = "delete_webhook",
    params(("id" = i64, Path, description = "Webhook id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[delete("/api/v1/webhooks/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "webhook")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_admin(&caller)?;
    conn.transaction(async |conn| {
        let webhook = model::find(conn, id).await?.or_not_found("webhook")?;
        model::delete(conn, id)
            .await?
            .then_some(())
            .or_not_found("webhook")?;
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::WebhookDelete,
                Some(id),
                Change::deleted(&view(&webhook)),
            )
            .await?;
        Ok(no_content())
    })
    .await
}

/// What the audit log records of an endpoint (never its secret).
pub fn view(w: &Webhook) -> serde_json::Value {
    json!({
        "url": w.url,
        "description": w.description,
        "events": w.event_types(),
        "enabled": w.enabled,
    })
}

fn events_json(events: &[EventType]) -> String {
    let mut names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    serde_json::to_string(&names).expect("strings serialize")
}

/// The URL, if deliveries may go there (422 `url` otherwise).
async fn checked_url(state: &AppState, url: &str) -> ApiResult<String> {
    guard::check(url, state.config.webhooks.allow_private)
        .await
        .map_err(|reason| ApiError::invalid_field("url", reason))?;
    Ok(url.to_owned())
}
