//! The trash: `DELETE` moves an article there (it is gone from every read
//! but the trash list, its slug still reserved), `POST …/restore` brings it
//! back with its comments and revisions, and a background task purges it
//! after `TRASH_RETENTION_DAYS`. Admins may delete for good at once.

use std::time::Duration;

use actix_web::{delete, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use chrono::NaiveDateTime;
use diesel::result::QueryResult;

use super::audited;
use super::model;
use super::present::Shape;
use super::routes::{etag_prefix, respond_one};
use super::workflow::Status;
use super::writes::{changed_meanwhile, require_writer};
use crate::api_docs::responses::{
    BadRequest, Forbidden, NotFound, PreconditionFailed, Unauthorized, Unavailable,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::{policy, Credentials};
use crate::config::{parse_or, ConfigError};
use crate::db::periodic::spawn_every;
use crate::db::time::now;
use crate::db::{Conn, Db};
use crate::error::{ApiResult, OrNotFound};
use crate::http::caching::{check_if_match, IfMatch, Visibility};
use crate::http::no_content;
use crate::http::params::IdOrSlug;
use crate::state::AppState;
use crate::webhooks::{self, Event, EventType};

/// Query of `DELETE /api/v1/articles/{id_or_slug}`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteArticleParams {
    /// Delete for good at once, with its comments and revisions, whether
    /// or not it is in the trash (admins only).
    pub permanent: Option<bool>,
}

/// Move an article to the trash (who may: as for a change). It is gone
/// from every read but the trash list (`status=trashed`, editors), its
/// slug stays taken, and it is purged after `TRASH_RETENTION_DAYS` unless
/// restored. `permanent=true` (admins) deletes it for good at once.
#[utoipa::path(
    tag = "articles", operation_id = "delete_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw"),
           DeleteArticleParams),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "In the trash (or deleted for good)"),
        BadRequest, Unauthorized, Forbidden, NotFound, PreconditionFailed, Unavailable,
    )
)]
#[delete("/api/v1/articles/{id_or_slug}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<DeleteArticleParams>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "article")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_staff(&caller)?;
    if params.permanent == Some(true) {
        policy::require_admin(&caller)?;
        let article = match model::find(&mut conn, &key, None).await? {
            Some(article) => article,
            None => model::find_in_trash(&mut conn, &key)
                .await?
                .or_not_found("article")?,
        };
        check_if_match(&req, &etag_prefix(&article))?;
        return conn
            .transaction(async |conn| {
                if !model::delete(conn, article.id, article.version).await? {
                    return Err(changed_meanwhile());
                }
                let view = audited::view(&article, None);
                Auditor::new(&req, &caller)
                    .record(
                        conn,
                        Action::ArticleDelete,
                        Some(article.id),
                        Change::deleted(&view),
                    )
                    .await?;
                let event = Event::article_deleted(article.id, &article.slug, &article.title);
                webhooks::announce(conn, event).await?;
                Ok(no_content())
            })
            .await;
    }
    conn.transaction(async |conn| {
        let article = model::find(conn, &key, None)
            .await?
            .or_not_found("article")?;
        let staff = require_writer(&caller, &article)?;
        check_if_match(&req, &etag_prefix(&article))?;
        // Only the version the permission check saw: an article published
        // meanwhile is not trashed on the strength of its draft.
        let trashed = model::set_trashed(
            conn,
            article.id,
            article.version,
            Some(now()),
            staff.user_id,
        )
        .await?
        .ok_or_else(changed_meanwhile)?;
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::ArticleTrash,
                Some(article.id),
                audited::change(&article, &trashed, None),
            )
            .await?;
        webhooks::announce(conn, Event::article(EventType::ArticleTrashed, &trashed)).await?;
        Ok(no_content())
    })
    .await
}

/// Restore an article from the trash, as it was: its status, comments and
/// revisions come back with it (who may: as for a change).
#[utoipa::path(
    tag = "articles", operation_id = "restore_article",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"),
           ("If-Match" = Option<IfMatch>, Header, nullable = false, description = "ETag of the version you saw")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Restored", body = super::dto::ArticleResponse, headers(("ETag" = String))),
        BadRequest, Unauthorized, Forbidden, NotFound, PreconditionFailed, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/restore")]
pub async fn restore(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(&path, "article")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_staff(&caller)?;
    conn.transaction(async |conn| {
        let article = model::find_in_trash(conn, &key)
            .await?
            .or_not_found("article in the trash")?;
        let staff = require_writer(&caller, &article)?;
        check_if_match(&req, &etag_prefix(&article))?;
        let restored = model::set_trashed(conn, article.id, article.version, None, staff.user_id)
            .await?
            .ok_or_else(changed_meanwhile)?;
        Auditor::new(&req, &caller)
            .record(
                conn,
                Action::ArticleRestore,
                Some(article.id),
                audited::change(&article, &restored, None),
            )
            .await?;
        // A scheduled one whose time came is announced by the tick.
        if restored.status == Status::Published && restored.is_live(now()) {
            webhooks::announce(conn, Event::article(EventType::ArticlePublished, &restored))
                .await?;
        }
        respond_one(conn, &req, restored, &Shape::full(), Visibility::Private).await
    })
    .await
}

/// How long the trash keeps articles (`TRASH_*`).
#[derive(Debug, Clone)]
pub struct TrashSettings {
    /// `TRASH_RETENTION_DAYS`: days an article stays in the trash.
    pub retention_days: u64,
    /// `TRASH_PURGE_INTERVAL_SECS`: how often the expired ones are purged.
    pub purge_interval: Duration,
}

impl TrashSettings {
    /// Reads the `TRASH_*` variables, with their defaults.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            retention_days: parse_or(get, "TRASH_RETENTION_DAYS", 30u64, 0..=3650)?,
            purge_interval: Duration::from_secs(parse_or(
                get,
                "TRASH_PURGE_INTERVAL_SECS",
                3600u64,
                1..=86_400,
            )?),
        })
    }
}

/// Purges the trash every `purge_interval` for as long as the server runs
/// (one statement a round: see [`spawn_every`]).
pub fn spawn_purger(db: Db, settings: TrashSettings) {
    let days = i64::try_from(settings.retention_days)
        .unwrap_or(i64::MAX)
        .min(36_500);
    spawn_every(
        db,
        settings.purge_interval,
        "purged articles from the trash",
        "could not purge the trash",
        move |conn| {
            let before = now() - chrono::Duration::days(days);
            Box::pin(purge(conn, before))
        },
    );
}

/// Purges what was trashed before `before`, with one `article.purge` event
/// (by the system) per article, in one transaction. Several instances may
/// run it at once: an article is deleted, and recorded, by one of them.
async fn purge(conn: &mut Conn, before: NaiveDateTime) -> QueryResult<usize> {
    conn.transaction(async |conn| {
        let purged = model::purge_trash(conn, before).await?;
        let audit = Auditor::system();
        for (id, slug, title) in &purged {
            let view = serde_json::json!({ "slug": slug, "title": title });
            audit
                .record(
                    conn,
                    Action::ArticlePurge,
                    Some(*id),
                    Change::deleted(&view),
                )
                .await?;
            webhooks::announce(conn, Event::article_deleted(*id, slug, title)).await?;
        }
        Ok(purged.len())
    })
    .await
}
