//! Article reads: list, one by id or slug, related. Readers see published
//! content only; staff also see drafts.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;
use utoipa::IntoParams;

use super::dto::ArticleBody;
use super::listing::{self, CursorKey, Filter, Sort};
use super::model::{self, Article};
use super::params::{ArticleField, ArticleListParams, ArticleReadParams, Include};
use super::present::{present, Shape};
use super::search::SearchTerms;
use super::workflow::Status;
use crate::api_docs::responses::{
    BadRequest, Forbidden, NotFound, NotModified, Unauthorized, Unavailable,
};
use crate::auth::{policy, Caller, Credentials};
use crate::db::time::{now, to_stored};
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::{cached_json, Visibility};
use crate::http::pagination::{bad_param, list_response, ListMeta, ListResponse, PageRequest};
use crate::http::params::IdOrSlug;
use crate::state::AppState;

/// List articles: published ones for readers, any status for staff via
/// `status` (403 for anyone else asking for another status).
///
/// Page with `page`/`per_page`, or walk with the keyset `cursor` from
/// `meta.next_cursor` (stable while articles are added; deep pages cost the
/// same as the first).
#[utoipa::path(
    tag = "articles", operation_id = "list_articles",
    params(ArticleListParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "A page of articles", body = ListResponse<ArticleBody>,
         headers(("Link" = String, description = "RFC 8288 next/prev links"), ("ETag" = String))),
        NotModified, BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/articles")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    params: web::Query<ArticleListParams>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_reader(auth).await?;
    let params = params.into_inner();
    let page = PageRequest::from_params(params.page, params.per_page, params.cursor.clone())?;
    let shape = Shape::parse(params.include.as_deref(), params.fields.as_deref())?;
    let now = now();
    let preview = policy::can_preview(&caller);
    // Who may list what is decided first: a 403 comes before any 400 about
    // the sort.
    let sort = sort_of(&params, &page);
    let filter = filter_of(params, &caller, now)?;
    let sort = sort?;
    // A cursor carries its sort order, which wins over `sort`.
    let after = match &page {
        PageRequest::Cursor { cursor, .. } => Some(CursorKey::decode(cursor)?),
        PageRequest::Page { .. } => None,
    };
    let sort = after.as_ref().map_or(sort, |key| key.sort);
    let limit = i64::from(page.per_page());
    let total_key = filter.total_key();
    let (known_total, ticket) = match &total_key {
        Some(key) => state.cache.total(key, now),
        None => (None, None),
    };
    let found = listing::list(
        &mut conn,
        &filter,
        sort,
        after.as_ref(),
        (page.offset(), limit),
        shape.columns(),
        known_total,
    )
    .await?;
    if let (Some(key), None, Some(ticket)) = (total_key, known_total, ticket) {
        state.cache.keep_total(key, found.total, ticket, now);
    }
    let next_cursor = found
        .has_more
        .then(|| found.rows.last().and_then(|row| CursorKey::of(row, sort)))
        .flatten()
        .map(|key| key.encode());
    let base = &state.config.media.base_url;
    let data = present(&mut conn, found.rows, &found.snippets, &shape, now, base).await?;
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total: found.total,
        next_cursor,
    };
    list_response(&req, &page, data, meta, visibility(preview))
}

/// The sort asked for: `relevance` by default with `q`, and only with `q`
/// and pages by number (its order has no position a cursor could keep).
fn sort_of(params: &ArticleListParams, page: &PageRequest) -> ApiResult<Sort> {
    let searching = params.q.is_some();
    // The trash mixes articles with and without a publication date, which
    // a date cursor cannot walk: it is ordered by when it changed last
    // (trashing is a change), or by title.
    if params.status == Some(Status::Trashed) {
        return match params.sort {
            None | Some(Sort::UpdatedDesc) => Ok(Sort::UpdatedDesc),
            Some(Sort::Title) => Ok(Sort::Title),
            Some(_) => Err(bad_param(
                "sort",
                "the trash is sorted by -updated_at (the default) or title",
            )),
        };
    }
    match (params.sort, searching, page) {
        (Some(Sort::Relevance), false, _) => Err(bad_param("sort", "relevance needs q")),
        (Some(Sort::Relevance), true, PageRequest::Cursor { .. }) => Err(bad_param(
            "cursor",
            "relevance order pages by page number; sort by date to walk with a cursor",
        )),
        (Some(sort), _, _) => Ok(sort),
        (None, true, PageRequest::Page { .. }) => Ok(Sort::Relevance),
        (None, _, _) => Ok(Sort::default()),
    }
}

/// What a list shows the caller: published articles, or (staff and preview
/// keys asking for one) a stored status, limited to their own articles for
/// contributors and authors; 403 for anyone else asking for a status. The
/// trash (`status=trashed`) is for editors and admins.
fn filter_of(params: ArticleListParams, caller: &Caller, now: NaiveDateTime) -> ApiResult<Filter> {
    let (public_at, status) = match params.status {
        None | Some(Status::Published) => (Some(now), None),
        // The trash is for editors and admins.
        Some(Status::Trashed) => {
            policy::require_editor(caller)?;
            (None, Some(Status::Trashed))
        }
        Some(status) if policy::can_preview(caller) => (None, Some(status)),
        Some(_) => {
            return Err(ApiError::Forbidden(
                "only staff may list unpublished articles".to_owned(),
            ))
        }
    };
    let author = params
        .author
        .as_deref()
        // A key no author can have (not an id, not a slug) matches nothing,
        // like an unknown slug: an empty page, not an error.
        .map(|raw| IdOrSlug::parse(raw, "author").unwrap_or(IdOrSlug::Id(0)));
    Ok(Filter {
        public_at,
        own_author: status.and(policy::preview_scope(caller)),
        status,
        tag: params.tag,
        author,
        published_after: params.published_after.map(to_stored),
        published_before: params.published_before.map(to_stored),
        search: params.q.as_deref().map(SearchTerms::parse).transpose()?,
    })
}

/// One article by numeric id or slug. Readers get 404 for anything
/// unpublished; contributors and authors also for others' drafts.
#[utoipa::path(
    tag = "articles", operation_id = "get_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"), ArticleReadParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The article", body = ArticleBody,
         headers(("ETag" = String, description = "Strong validator; send it back in If-Match when editing"), ("Last-Modified" = String))),
        NotModified, BadRequest, Unauthorized, NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}")]
pub async fn get(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<ArticleReadParams>,
) -> ApiResult<HttpResponse> {
    let shape = Shape::parse(params.include.as_deref(), params.fields.as_deref())?;
    let key = IdOrSlug::parse(&path, "article")?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    let article = visible_article(&mut conn, &caller, &key).await?;
    let preview = policy::can_preview(&caller);
    respond_one(&mut conn, &req, article, &shape, visibility(preview)).await
}

/// The article `key` names, if the caller may read it: readers see what is
/// published; staff and preview keys also see what `can_preview_article`
/// allows. Anything else is a 404, the same on every route under an article.
pub async fn visible_article(
    conn: &mut Conn,
    caller: &Caller,
    key: &IdOrSlug,
) -> ApiResult<Article> {
    let now = now();
    let preview = policy::can_preview(caller);
    let article = model::find(conn, key, (!preview).then_some(now))
        .await?
        .or_not_found("article")?;
    if !article.is_live(now) && !policy::can_preview_article(caller, article.author_id) {
        return Err(ApiError::NotFound("article not found".to_owned()));
    }
    Ok(article)
}

/// Query of the related-articles endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RelatedParams {
    /// How many (default 5).
    #[param(minimum = 1, maximum = 20)]
    pub limit: Option<u32>,
    /// Relations to embed: comma-separated `author`, `tags`.
    #[param(value_type = Option<Vec<Include>>, style = Form, explode = false, min_items = 1)]
    pub include: Option<String>,
    /// Sparse fieldset: comma-separated article fields.
    #[param(value_type = Option<Vec<ArticleField>>, style = Form, explode = false, min_items = 1)]
    pub fields: Option<String>,
}

/// "Check Also": published articles sharing the most tags, newest first.
/// 404 exactly when reading the article itself would be.
#[utoipa::path(
    tag = "articles", operation_id = "list_related_articles",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"), RelatedParams),
    security((), ("bearer" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Related published articles", body = Vec<ArticleBody>, headers(("ETag" = String))),
        NotModified, BadRequest, Unauthorized, NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}/related")]
pub async fn related(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<RelatedParams>,
) -> ApiResult<HttpResponse> {
    let limit = params.limit.unwrap_or(5);
    if !(1..=20).contains(&limit) {
        return Err(bad_param("limit", "must be between 1 and 20"));
    }
    let shape = Shape::parse(params.include.as_deref(), params.fields.as_deref())?;
    let key = IdOrSlug::parse(&path, "article")?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    let article = visible_article(&mut conn, &caller, &key).await?;
    let now = now();
    let rows =
        listing::related(&mut conn, article.id, now, limit as usize, shape.columns()).await?;
    let base = &state.config.media.base_url;
    let data = present(&mut conn, rows, &Default::default(), &shape, now, base).await?;
    cached_json(&req, &data, Visibility::Public, "", None)
}

/// Renders one article with its version-carrying ETag.
pub async fn respond_one(
    conn: &mut Conn,
    req: &HttpRequest,
    article: Article,
    shape: &Shape,
    visibility: Visibility,
) -> ApiResult<HttpResponse> {
    let prefix = etag_prefix(&article);
    let modified = crate::db::time::utc(article.updated_at);
    let base = media_base(req);
    let body = present_one(conn, article, shape, &base).await?;
    cached_json(req, &body, visibility, &prefix, Some(modified))
}

/// The response body of one article.
pub async fn present_one(
    conn: &mut Conn,
    article: Article,
    shape: &Shape,
    media_base: &str,
) -> ApiResult<serde_json::Value> {
    present(
        conn,
        vec![article],
        &Default::default(),
        shape,
        now(),
        media_base,
    )
    .await?
    .pop()
    .ok_or_else(|| ApiError::internal("article vanished while rendering"))
}

/// What media file URLs start with (`MEDIA_BASE_URL`).
fn media_base(req: &HttpRequest) -> String {
    req.app_data::<web::Data<AppState>>()
        .map(|state| state.config.media.base_url.clone())
        .unwrap_or_default()
}

/// The ETag prefix naming an article version (`If-Match` compares it).
pub fn etag_prefix(article: &Article) -> String {
    format!("a{}v{}-", article.id, article.version)
}

fn visibility(preview: bool) -> Visibility {
    if preview {
        Visibility::Private
    } else {
        Visibility::Public
    }
}
