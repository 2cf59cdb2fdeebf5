//! Article writes: create, patch, delete. Permission checks come from the
//! policy module; multi-row writes run in one transaction (see `model`).

use actix_web::{web, HttpRequest, HttpResponse};

use super::content::derive;
use super::dto::{ArticleResponse, CreateArticleRequest, UpdateArticleRequest};
use super::model::{self, Article, ArticleChanges, NewArticle};
use super::present::{present, Shape};
use super::routes::{etag_prefix, respond_one};
use super::workflow::Status;
use crate::auth::{policy, Caller, Staff};
use crate::db::slugs::base_slug;
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, ProblemDetails};
use crate::http::caching::{check_if_match, Visibility};
use crate::http::params::IdOrSlug;
use crate::http::{created, no_content};
use crate::state::AppState;
use crate::tags;
use crate::validation::Valid;

/// Create a draft article. The slug comes from the title unless given;
/// `body_html`, `word_count` and reading time are derived from the body.
#[utoipa::path(
    post, path = "/api/v1/articles", tag = "articles", operation_id = "create_article",
    request_body = CreateArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created as a draft", body = ArticleResponse, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON or unknown field", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to write as this author", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Slug already used, or no such author or tag (`unknown_reference`), or no author profile to write as (`no_author_profile`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Valid<CreateArticleRequest>,
) -> ApiResult<HttpResponse> {
    let staff = policy::require_staff(&caller)?;
    let body = body.into_inner()?;
    let author_id = policy::article_author(staff, body.author_id)?;
    crate::authors::model::ensure_exists(&state.db, author_id).await?;
    let tag_ids = tags::model::ids_for_slugs(&state.db, &body.tags).await?;
    let slug = match body.slug {
        Some(slug) => slug,
        None => model::unique_slug(&state.db, &base_slug(&body.title, "article"), None).await?,
    };
    let derived = derive(&body.body);
    let at = now();
    let new = NewArticle {
        slug,
        title: body.title,
        excerpt: body.excerpt,
        body: body.body,
        body_html: derived.body_html,
        author_id,
        featured_image_url: body.featured_image_url,
        meta_title: body.meta_title,
        meta_description: body.meta_description,
        canonical_url: body.canonical_url,
        word_count: derived.word_count,
        reading_time_minutes: derived.reading_time_minutes,
        comments_open: body.comments_open.unwrap_or(true),
        created_at: at,
        updated_at: at,
    };
    let article = model::create(&state.db, new, &tag_ids, staff.user_id).await?;
    let location = format!("/api/v1/articles/{}", article.id);
    let mut data = present(&state.db, vec![article], &Shape::full(), at).await?;
    let body = data
        .pop()
        .ok_or_else(|| ApiError::internal("created article vanished"))?;
    Ok(created(location, &body))
}

/// Change an article. Send the ETag you read in `If-Match` to refuse
/// overwriting someone else's change (412). Status changes use the actions.
#[utoipa::path(
    patch, path = "/api/v1/articles/{id_or_slug}", tag = "articles", operation_id = "update_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body = UpdateArticleRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Updated", body = ArticleResponse, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON or unknown field (e.g. `status`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not your article, or a contributor's article past review", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Slug already used, or no such author or tag (`unknown_reference`)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
    body: Valid<UpdateArticleRequest>,
) -> ApiResult<HttpResponse> {
    let staff = policy::require_staff(&caller)?;
    let article = model::find(&state.db, &IdOrSlug::parse(&path, "article")?, None).await?;
    require_writer(&caller, &article)?;
    check_if_match(&req, &etag_prefix(&article))?;
    let body = body.into_inner()?;
    let author_id = match body.author_id {
        Some(id) if id != article.author_id => {
            let id = policy::article_author(staff, Some(id))?;
            crate::authors::model::ensure_exists(&state.db, id).await?;
            Some(id)
        }
        _ => None,
    };
    let tag_ids = match &body.tags {
        Some(slugs) => Some(tags::model::ids_for_slugs(&state.db, slugs).await?),
        None => None,
    };
    let derived = body.body.as_deref().map(derive);
    let changes = ArticleChanges {
        slug: body.slug,
        title: body.title,
        excerpt: body.excerpt,
        body_html: derived.as_ref().map(|d| d.body_html.clone()),
        word_count: derived.as_ref().map(|d| d.word_count),
        reading_time_minutes: derived.as_ref().map(|d| d.reading_time_minutes),
        body: body.body,
        author_id,
        featured_image_url: body.featured_image_url,
        meta_title: body.meta_title,
        meta_description: body.meta_description,
        canonical_url: body.canonical_url,
        comments_open: body.comments_open,
    };
    let updated = model::update(
        &state.db,
        article.id,
        article.version,
        changes,
        tag_ids.as_deref(),
        staff.user_id,
    )
    .await?;
    respond_one(&state, &req, updated, &Shape::full(), Visibility::Private).await
}

/// Delete an article with its comments and revisions.
#[utoipa::path(
    delete, path = "/api/v1/articles/{id_or_slug}", tag = "articles", operation_id = "delete_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<String>, Header, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed If-Match", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 403, description = "Not your article, or a contributor's article past review", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such article", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    policy::require_staff(&caller)?;
    let article = model::find(&state.db, &IdOrSlug::parse(&path, "article")?, None).await?;
    require_writer(&caller, &article)?;
    check_if_match(&req, &etag_prefix(&article))?;
    model::delete(&state.db, article.id, article.version).await?;
    Ok(no_content())
}

/// The policy check for changing or deleting `article` (contributors only
/// while it is a work in progress).
fn require_writer<'a>(caller: &'a Caller, article: &Article) -> ApiResult<&'a Staff> {
    let in_progress = Status::from_db(&article.status)?.in_progress();
    policy::require_article_writer(caller, article.author_id, in_progress)
}
