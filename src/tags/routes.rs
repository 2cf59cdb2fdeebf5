//! Tag endpoints: public reads, editor writes.

use std::collections::HashMap;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::result::QueryResult;

use super::dto::{CreateTagRequest, TagResponse, UpdateTagRequest};
use super::model::{self, NewTag, Tag, TagChanges};
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, NotModified, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::catalog::{self, with_count, Catalog};
use crate::db::slugs::{slug_for, SlugTable};
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::pagination::ListResponse;
use crate::http::params::IdOrSlug;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content, PageParams};
use crate::idempotency::{self, Answer, IdempotencyKey, IdempotencyKeyHeader};
use crate::state::AppState;

/// List tags by name, with their published-article counts.
#[utoipa::path(
    tag = "tags", operation_id = "list_tags",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of tags", body = ListResponse<TagResponse>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        NotModified, BadRequest, Unavailable,
    )
)]
#[get("/api/v1/tags")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    catalog::list::<Tag>(&state, &req, &params).await
}

/// One tag by numeric id or slug.
#[utoipa::path(
    tag = "tags", operation_id = "get_tag",
    security(()),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, description = "The tag", body = TagResponse, headers(("ETag" = String))),
        NotModified, NotFound, Unavailable,
    )
)]
#[get("/api/v1/tags/{id_or_slug}")]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    catalog::get::<Tag>(&state, &req, &path).await
}

/// Create a tag (editors). 409 `duplicate` when the slug is taken.
#[utoipa::path(
    tag = "tags", operation_id = "create_tag",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again")),
    request_body = CreateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = TagResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Conflict, Unavailable,
    )
)]
#[post("/api/v1/tags")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    body: Valid<CreateTagRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let fingerprint = body.fingerprint().to_owned();
    let body = body.into_inner()?;
    let request = idempotency::Request::new(key, &caller, None, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        let slug = slug_for(conn, SlugTable::Tags, body.slug, &body.name).await?;
        let at = now();
        let new = NewTag {
            slug,
            name: body.name.trim().to_owned(),
            description: body.description.map(String::from).unwrap_or_default(),
            created_at: at,
            updated_at: at,
        };
        let tag = model::create(conn, new).await?;
        audit
            .record(conn, Action::TagCreate, Some(tag.id), Change::created(&tag))
            .await?;
        let location = format!("/api/v1/tags/{}", tag.id);
        Answer::created(location, &TagResponse::new(tag, 0))
    })
    .await
}

/// Change a tag's name, slug or description (editors). 409 `duplicate`
/// when the slug is taken.
#[utoipa::path(
    tag = "tags", operation_id = "update_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = UpdateTagRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = TagResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[patch("/api/v1/tags/{id_or_slug}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateTagRequest>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "tag")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let body = body.into_inner()?;
    let tag = conn
        .transaction(async |conn| {
            let before = model::find(conn, &key).await?.or_not_found("tag")?;
            let changes = TagChanges {
                slug: body.slug.map(String::from),
                name: body.name.map(|n| n.trim().to_owned()),
                description: body.description.map(String::from),
                updated_at: Some(now()),
            };
            let after = model::update(conn, before.id, changes).await?;
            Auditor::new(&req, &caller)
                .record(
                    conn,
                    Action::TagUpdate,
                    Some(after.id),
                    Change::between(&before, &after),
                )
                .await?;
            Ok::<_, ApiError>(after)
        })
        .await?;
    Ok(fresh(&with_count::<Tag>(&mut conn, tag).await?))
}

/// Delete a tag; its articles stay, detached from it (editors).
#[utoipa::path(
    tag = "tags", operation_id = "delete_tag",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[delete("/api/v1/tags/{id_or_slug}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "tag")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    conn.transaction(async |conn| {
        let tag = model::find(conn, &key).await?.or_not_found("tag")?;
        if !model::delete(conn, tag.id).await? {
            return Err(ApiError::NotFound("tag not found".to_owned()));
        }
        Auditor::new(&req, &caller)
            .record(conn, Action::TagDelete, Some(tag.id), Change::deleted(&tag))
            .await?;
        Ok(no_content())
    })
    .await
}

impl Catalog for Tag {
    type Row = Tag;
    type Response = TagResponse;
    const NAME: &'static str = "tag";

    async fn find(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Tag>> {
        model::find(conn, key).await
    }

    async fn page(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Tag>, i64)> {
        model::list(conn, offset, limit).await
    }

    async fn published_counts(
        conn: &mut Conn,
        ids: &[i64],
        now: NaiveDateTime,
    ) -> QueryResult<HashMap<i64, i64>> {
        model::published_counts(conn, ids, now).await
    }

    fn id(row: &Tag) -> i64 {
        row.id
    }

    fn respond(row: Tag, published: i64) -> TagResponse {
        TagResponse::new(row, published)
    }
}
