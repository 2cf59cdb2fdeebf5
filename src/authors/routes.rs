//! Author endpoints: public profiles, editor writes.

use std::collections::HashMap;

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::result::QueryResult;

use super::dto::{AuthorResponse, CreateAuthorRequest, UpdateAuthorRequest};
use super::model::{self, Author, AuthorChanges, NewAuthor};
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, NotModified, Unauthorized, Unavailable,
};
use crate::articles::model as articles;
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

/// List authors by name, with their published-article counts.
#[utoipa::path(
    tag = "authors", operation_id = "list_authors",
    security(()),
    params(PageParams),
    responses(
        (status = 200, description = "A page of authors", body = ListResponse<AuthorResponse>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        NotModified, BadRequest, Unavailable,
    )
)]
#[get("/api/v1/authors")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    params: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    catalog::list::<Author>(&state, &req, &params).await
}

/// One author by numeric id or slug.
#[utoipa::path(
    tag = "authors", operation_id = "get_author",
    security(()),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, description = "The author", body = AuthorResponse, headers(("ETag" = String))),
        NotModified, NotFound, Unavailable,
    )
)]
#[get("/api/v1/authors/{id_or_slug}")]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    catalog::get::<Author>(&state, &req, &path).await
}

/// Create an author (editors). 409 `duplicate` when the slug is taken.
#[utoipa::path(
    tag = "authors", operation_id = "create_author",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again")),
    request_body = CreateAuthorRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = AuthorResponse, headers(("Location" = String))),
        JsonBody, Unauthorized, Forbidden, Conflict, Unavailable,
    )
)]
#[post("/api/v1/authors")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    body: Valid<CreateAuthorRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let fingerprint = body.fingerprint().to_owned();
    let body = body.into_inner()?;
    let request = idempotency::Request::new(key, &caller, None, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        let slug = slug_for(conn, SlugTable::Authors, body.slug, &body.name).await?;
        let at = now();
        let new = NewAuthor {
            slug,
            name: body.name.trim().to_owned(),
            bio: body.bio.map(String::from).unwrap_or_default(),
            avatar_url: body.avatar_url.map(String::from),
            website: body.website.map(String::from),
            created_at: at,
            updated_at: at,
        };
        let author = model::create(conn, new).await?;
        audit
            .record(
                conn,
                Action::AuthorCreate,
                Some(author.id),
                Change::created(&author),
            )
            .await?;
        let location = format!("/api/v1/authors/{}", author.id);
        Answer::created(location, &AuthorResponse::new(&author, Some(0)))
    })
    .await
}

/// Change an author's profile (editors). 409 `duplicate` when the slug is
/// taken.
#[utoipa::path(
    tag = "authors", operation_id = "update_author",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = UpdateAuthorRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = AuthorResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[patch("/api/v1/authors/{id_or_slug}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateAuthorRequest>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "author")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    let body = body.into_inner()?;
    let author = conn
        .transaction(async |conn| {
            let before = model::find(conn, &key).await?.or_not_found("author")?;
            let changes = AuthorChanges {
                slug: body.slug.map(String::from),
                name: body.name.map(|n| n.trim().to_owned()),
                bio: body.bio.map(String::from),
                avatar_url: body.avatar_url.map(|url| url.map(String::from)),
                website: body.website.map(|url| url.map(String::from)),
                updated_at: Some(now()),
            };
            let after = model::update(conn, before.id, changes).await?;
            Auditor::new(&req, &caller)
                .record(
                    conn,
                    Action::AuthorUpdate,
                    Some(after.id),
                    Change::between(&before, &after),
                )
                .await?;
            Ok::<_, ApiError>(after)
        })
        .await?;
    Ok(fresh(&with_count::<Author>(&mut conn, author).await?))
}

/// Delete an author who has no articles of any status (editors); 409
/// `author_has_articles` otherwise.
#[utoipa::path(
    tag = "authors", operation_id = "delete_author",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[delete("/api/v1/authors/{id_or_slug}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "author")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_editor(&caller)?;
    conn.transaction(async |conn| {
        let author = model::find(conn, &key).await?.or_not_found("author")?;
        let count = articles::count_by_author(conn, author.id).await?;
        if count > 0 {
            let trashed = articles::count_trashed_by_author(conn, author.id).await?;
            let detail = if trashed > 0 {
                format!(
                    "the author still has {count} article(s), {trashed} of them in the trash; \
                     reassign or delete the others, and have an admin delete the trashed ones \
                     for good (permanent=true) or wait for the trash to be purged"
                )
            } else {
                format!("the author still has {count} article(s); reassign or delete them first")
            };
            return Err(ApiError::Conflict {
                code: "author_has_articles",
                detail,
            });
        }
        if !model::delete(conn, author.id).await? {
            return Err(ApiError::NotFound("author not found".to_owned()));
        }
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::AuthorDelete,
                Some(author.id),
                Change::deleted(&author),
            )
            .await?;
        Ok(no_content())
    })
    .await
}

impl Catalog for Author {
    type Row = Author;
    type Response = AuthorResponse;
    const NAME: &'static str = "author";

    async fn find(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Author>> {
        model::find(conn, key).await
    }

    async fn page(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Author>, i64)> {
        model::list(conn, offset, limit).await
    }

    async fn published_counts(
        conn: &mut Conn,
        ids: &[i64],
        now: NaiveDateTime,
    ) -> QueryResult<HashMap<i64, i64>> {
        model::published_counts(conn, ids, now).await
    }

    fn id(row: &Author) -> i64 {
        row.id
    }

    fn respond(row: Author, published: i64) -> AuthorResponse {
        AuthorResponse::new(&row, Some(published))
    }
}
