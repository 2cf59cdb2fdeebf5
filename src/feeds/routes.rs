//! `GET /feeds/…`: the site's, a tag's and an author's feed in each format.
//! Public, cached like the other public reads (ETag, 304, `max-age=60`).

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::model::{self, Scope};
use super::{atom, json_feed, rss, JsonFeedDocument, XmlDocument};
use crate::api_docs::responses::{NotFound, NotModified, Unavailable};
use crate::db::time::{now, utc};
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::{cached_bytes, Visibility};
use crate::state::AppState;

/// The format a feed is asked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `rss.xml`.
    Rss,
    /// `atom.xml`.
    Atom,
    /// `feed.json`.
    Json,
}

impl Format {
    /// Every format (the public cache keeps each of them).
    pub const ALL: [Format; 3] = [Self::Rss, Self::Atom, Self::Json];

    /// The file name in the feed's path.
    pub fn file(self) -> &'static str {
        match self {
            Self::Rss => "rss.xml",
            Self::Atom => "atom.xml",
            Self::Json => "feed.json",
        }
    }
}

/// Reads and renders a feed (the handlers' body).
async fn serve(
    state: &AppState,
    req: &HttpRequest,
    scope: Scope,
    format: Format,
) -> ApiResult<HttpResponse> {
    let path = match &scope {
        Scope::All => format!("/feeds/{}", format.file()),
        Scope::Tag(slug) => format!("/feeds/tags/{slug}/{}", format.file()),
        Scope::Author(slug) => format!("/feeds/authors/{slug}/{}", format.file()),
    };
    let what = match &scope {
        Scope::All => "feed",
        Scope::Tag(_) => "tag",
        Scope::Author(_) => "author",
    };
    if let Scope::Tag(slug) | Scope::Author(slug) = &scope {
        if slug.is_empty() || slug.len() > 200 {
            return Err(ApiError::NotFound(format!("{what} not found")));
        }
    }
    let mut conn = state.db.reader().await?;
    let feed = model::load(&mut conn, &state.config.feeds, &scope, &path, now())
        .await?
        .or_not_found(what)?;
    drop(conn);
    let (bytes, content_type) = match format {
        Format::Rss => (
            rss::render(&feed).map_err(ApiError::internal)?,
            rss::CONTENT_TYPE,
        ),
        Format::Atom => (
            atom::render(&feed).map_err(ApiError::internal)?,
            atom::CONTENT_TYPE,
        ),
        Format::Json => (
            json_feed::render(&feed).map_err(ApiError::internal)?,
            json_feed::CONTENT_TYPE,
        ),
    };
    let modified = Some(utc(feed.updated)).filter(|_| !feed.items.is_empty());
    cached_bytes(req, bytes, content_type, Visibility::Public, "", modified)
}

/// Declares one feed handler: its scope (`all`, `tag` or `author`), name,
/// path, operation id, format, OpenAPI answer and summary.
macro_rules! feed_route {
    (all, $name:ident, $path:literal, $op:literal, $format:ident, $body:ident, $ctype:literal, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = "The newest published articles (`FEED_ITEMS`), newest first, with"]
        #[doc = "links built from `SITE_URL` and `ARTICLE_URL_TEMPLATE`."]
        #[utoipa::path(
            tag = "feeds", operation_id = $op,
            security(()),
            responses(
                (status = 200, description = "The feed", body = $body, content_type = $ctype,
                 headers(("ETag" = String), ("Cache-Control" = String), ("Last-Modified" = String))),
                NotModified, Unavailable,
            )
        )]
        #[get($path)]
        pub async fn $name(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
            serve(&state, &req, Scope::All, Format::$format).await
        }
    };
    ($scope:ident, $name:ident, $path:literal, $op:literal, $format:ident, $body:ident, $ctype:literal, $doc:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = "Its newest published articles (`FEED_ITEMS`), newest first; 404"]
        #[doc = "when no such slug exists."]
        #[utoipa::path(
            tag = "feeds", operation_id = $op,
            security(()),
            params(
                ("slug" = String, Path, description = "The slug", pattern = "^[^/]{1,200}$"),
            ),
            responses(
                (status = 200, description = "The feed", body = $body, content_type = $ctype,
                 headers(("ETag" = String), ("Cache-Control" = String), ("Last-Modified" = String))),
                NotModified, NotFound, Unavailable,
            )
        )]
        #[get($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            req: HttpRequest,
            slug: web::Path<String>,
        ) -> ApiResult<HttpResponse> {
            serve(&state, &req, feed_route!(@scope $scope, slug.into_inner()), Format::$format).await
        }
    };
    (@scope tag, $slug:expr) => { Scope::Tag($slug) };
    (@scope author, $slug:expr) => { Scope::Author($slug) };
}

feed_route!(
    all,
    site_rss_feed,
    "/feeds/rss.xml",
    "get_rss_feed",
    Rss,
    XmlDocument,
    "application/rss+xml",
    "The site's RSS 2.0 feed."
);
feed_route!(
    all,
    site_atom_feed,
    "/feeds/atom.xml",
    "get_atom_feed",
    Atom,
    XmlDocument,
    "application/atom+xml",
    "The site's Atom 1.0 feed."
);
feed_route!(
    all,
    site_json_feed,
    "/feeds/feed.json",
    "get_json_feed",
    Json,
    JsonFeedDocument,
    "application/feed+json",
    "The site's JSON Feed 1.1."
);
feed_route!(
    tag,
    tag_rss_feed,
    "/feeds/tags/{slug}/rss.xml",
    "get_tag_rss_feed",
    Rss,
    XmlDocument,
    "application/rss+xml",
    "A tag's RSS 2.0 feed."
);
feed_route!(
    tag,
    tag_atom_feed,
    "/feeds/tags/{slug}/atom.xml",
    "get_tag_atom_feed",
    Atom,
    XmlDocument,
    "application/atom+xml",
    "A tag's Atom 1.0 feed."
);
feed_route!(
    tag,
    tag_json_feed,
    "/feeds/tags/{slug}/feed.json",
    "get_tag_json_feed",
    Json,
    JsonFeedDocument,
    "application/feed+json",
    "A tag's JSON Feed 1.1."
);
feed_route!(
    author,
    author_rss_feed,
    "/feeds/authors/{slug}/rss.xml",
    "get_author_rss_feed",
    Rss,
    XmlDocument,
    "application/rss+xml",
    "An author's RSS 2.0 feed."
);
feed_route!(
    author,
    author_atom_feed,
    "/feeds/authors/{slug}/atom.xml",
    "get_author_atom_feed",
    Atom,
    XmlDocument,
    "application/atom+xml",
    "An author's Atom 1.0 feed."
);
feed_route!(
    author,
    author_json_feed,
    "/feeds/authors/{slug}/feed.json",
    "get_author_json_feed",
    Json,
    JsonFeedDocument,
    "application/feed+json",
    "An author's JSON Feed 1.1."
);
