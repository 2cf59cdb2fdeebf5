//! `GET /sitemap.xml`, `/sitemaps/articles-{page}.xml` and
//! `/sitemaps/news.xml`. Public; ETag, 304 and `max-age=60` like every
//! public read.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::model;
use super::render::{self, NewsUrl};
use crate::api_docs::responses::{NotFound, NotModified, Unavailable};
use crate::articles::listing::{self, Columns, Filter};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult};
use crate::feeds::XmlDocument;
use crate::http::caching::{cached_bytes, Visibility};
use crate::state::AppState;

/// How far back the news sitemap looks, and how many URLs it lists at
/// most (Google News' rules).
pub const NEWS_WINDOW_HOURS: i64 = 48;
/// See [`NEWS_WINDOW_HOURS`].
pub const NEWS_MAX_URLS: i64 = 1000;

/// The sitemap index.
///
/// Lists every page of the articles' sitemap
/// (`/sitemaps/articles-{page}.xml`, `SITEMAP_PAGE_SIZE` URLs each, oldest
/// articles first), as absolute URLs on `SITE_URL`. There is always at
/// least one page.
#[utoipa::path(
    tag = "sitemaps", operation_id = "get_sitemap_index",
    security(()),
    responses(
        (status = 200, description = "The sitemap index", body = XmlDocument, content_type = "application/xml",
         headers(("ETag" = String), ("Cache-Control" = String))),
        NotModified, Unavailable,
    )
)]
#[get("/sitemap.xml")]
pub async fn index(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let mut conn = state.db.reader().await?;
    let count = model::count_public(&mut conn, now()).await?;
    drop(conn);
    let size = state.config.sitemaps.page_size;
    let pages = ((count + size - 1) / size).max(1);
    let site = &state.config.feeds.site.url;
    let locs: Vec<String> = (1..=pages)
        .map(|n| site.join(&format!("/sitemaps/articles-{n}.xml")))
        .collect();
    respond(&req, render::index(&locs))
}

/// One page of the articles' sitemap.
///
/// Published articles, oldest first, `SITEMAP_PAGE_SIZE` a page, each with
/// its address on the site and `lastmod` (its last edit). Page 1 always
/// exists; a page past the last is a 404.
#[utoipa::path(
    tag = "sitemaps", operation_id = "get_sitemap_page",
    security(()),
    params(
        ("page" = String, Path, description = "The page number, from 1", pattern = "^[1-9][0-9]{0,8}$"),
    ),
    responses(
        (status = 200, description = "The page", body = XmlDocument, content_type = "application/xml",
         headers(("ETag" = String), ("Cache-Control" = String))),
        NotModified, NotFound, Unavailable,
    )
)]
#[get("/sitemaps/articles-{page}.xml")]
pub async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    page: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let not_found = || ApiError::NotFound("sitemap page not found".to_owned());
    let raw = page.into_inner();
    let valid = (1..=9).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_digit())
        && !raw.starts_with('0');
    let number: i64 = raw.parse().ok().filter(|_| valid).ok_or_else(not_found)?;
    let size = state.config.sitemaps.page_size;
    let now = now();
    let mut conn = state.db.reader().await?;
    let rows = match model::key_at(&mut conn, now, (number - 1) * size).await? {
        Some(key) => model::rows_from(&mut conn, now, key, size).await?,
        None if number == 1 => Vec::new(),
        None => return Err(not_found()),
    };
    drop(conn);
    let site = &state.config.feeds.site;
    let urls: Vec<_> = rows
        .into_iter()
        .map(|row| {
            let published = row.published_at.unwrap_or(row.updated_at);
            let loc = site.article_url(row.id, &row.slug, published);
            (loc, row.updated_at.max(published))
        })
        .collect();
    respond(&req, render::urlset(&urls))
}

/// The Google News sitemap.
///
/// Articles published in the last 48 hours (at most 1,000, newest first),
/// with `news:publication` (`SITE_NAME`, `SITE_LANGUAGE`),
/// `news:publication_date` and `news:title`. Not kept by the server's
/// public cache, since articles leave it as time passes.
#[utoipa::path(
    tag = "sitemaps", operation_id = "get_news_sitemap",
    security(()),
    responses(
        (status = 200, description = "The news sitemap", body = XmlDocument, content_type = "application/xml",
         headers(("ETag" = String), ("Cache-Control" = String))),
        NotModified, Unavailable,
    )
)]
#[get("/sitemaps/news.xml")]
pub async fn news(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let now = now();
    let filter = Filter {
        published_after: Some(now - chrono::Duration::hours(NEWS_WINDOW_HOURS)),
        ..Filter::public(now)
    };
    let mut conn = state.db.reader().await?;
    let rows = listing::newest(&mut conn, &filter, NEWS_MAX_URLS, Columns::WithoutBodies).await?;
    drop(conn);
    let site = &state.config.feeds.site;
    let urls: Vec<NewsUrl> = rows
        .into_iter()
        .map(|a| {
            let published = a.published_at.unwrap_or(a.created_at);
            NewsUrl {
                loc: site.article_url(a.id, &a.slug, published),
                title: a.title,
                published,
            }
        })
        .collect();
    respond(&req, render::news(&site.name, &site.language, &urls))
}

fn respond(req: &HttpRequest, body: std::io::Result<Vec<u8>>) -> ApiResult<HttpResponse> {
    let bytes = body.map_err(ApiError::internal)?;
    cached_bytes(
        req,
        bytes,
        render::CONTENT_TYPE,
        Visibility::Public,
        "",
        None,
    )
}
