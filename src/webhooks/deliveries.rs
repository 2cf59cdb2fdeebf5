//! An endpoint's delivery log and manual redelivery (admins).

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::dto::DeliveryResponse;
use super::model;
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, NotFound, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::PageParams;
use crate::state::AppState;

/// An endpoint's deliveries, newest first: status, attempts, the last
/// answer's code and latency (admins).
#[utoipa::path(
    tag = "webhooks", operation_id = "list_webhook_deliveries",
    params(("id" = i64, Path, description = "Webhook id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of deliveries", body = ListResponse<DeliveryResponse>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/webhooks/{id}/deliveries")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "webhook")?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_admin(&caller)?;
    let page = PageRequest::pages(&params)?;
    model::find(&mut conn, id).await?.or_not_found("webhook")?;
    let (rows, total) = model::deliveries(&mut conn, id, page.offset(), page.limit()).await?;
    let data: Vec<DeliveryResponse> = rows.into_iter().map(DeliveryResponse::from).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// Send a delivery again, soon, with the same `webhook-id` (admins): its
/// attempts start afresh. For a disabled endpoint it waits until the
/// endpoint is enabled.
#[utoipa::path(
    tag = "webhooks", operation_id = "redeliver_webhook_delivery",
    params(("id" = i64, Path, description = "Webhook id"),
           ("delivery_id" = i64, Path, description = "Delivery id")),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued again", body = DeliveryResponse),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[post("/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path.0, "webhook")?;
    let delivery_id = parse_id(&path.1, "delivery")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_admin(&caller)?;
    let delivery = conn
        .transaction(async |conn| {
            let Some(delivery) = model::redeliver(conn, id, delivery_id, now()).await? else {
                if model::exists(conn, id, delivery_id).await? {
                    return Err(ApiError::Conflict {
                        code: "delivery_in_flight",
                        detail: "a worker is sending this delivery right now; retry in a minute"
                            .to_owned(),
                    });
                }
                return Err(ApiError::NotFound("delivery not found".to_owned()));
            };
            let change = Change::none()
                .noting("delivery_id", delivery.id)
                .noting("message_id", delivery.message_id.clone());
            Auditor::new(&req, &caller)
                .record(conn, Action::WebhookRedeliver, Some(id), change)
                .await?;
            Ok::<_, ApiError>(delivery)
        })
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(DeliveryResponse::from(delivery)))
}
