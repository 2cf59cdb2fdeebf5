//! Media library endpoints (staff): upload, list, read, describe, delete.

use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::dto::{
    DeleteMediaParams, MediaListParams, MediaResponse, UpdateMediaRequest, UploadMediaForm,
};
use super::form;
use super::model::{self, MediaChanges, MediaFilter, NewMedia, StoredFile};
use super::store::new_folder;
use crate::api_docs::responses::{
    BadRequest, Conflict, Forbidden, JsonBody, NotFound, Unauthorized, Unavailable, UploadBody,
};
use crate::audit::{Action, Auditor, Change};
use crate::auth::tokens::digest;
use crate::auth::{policy, Credentials, Role};
use crate::db::time::now;
use crate::error::{ApiError, ApiResult, OrNotFound};
use crate::http::caching::Visibility;
use crate::http::pagination::{bad_param, page_response, ListResponse, PageRequest};
use crate::http::params::parse_id;
use crate::http::validation::Valid;
use crate::http::{fresh, no_content};
use crate::state::AppState;
use crate::webhooks::{self, Event};

/// Upload an image (authors, editors, admins). The file is recognised by
/// its bytes, turned upright, stripped of all metadata (EXIF, GPS…) by
/// re-encoding, and stored at full size and at each `MEDIA_WIDTHS` width in
/// its format and in WebP. The same bytes uploaded again answer 200 with
/// the item they made the first time.
#[utoipa::path(
    tag = "media", operation_id = "create_media",
    request_body(content = UploadMediaForm, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored", body = MediaResponse, headers(("Location" = String))),
        (status = 200, description = "These bytes were uploaded before: that item", body = MediaResponse),
        UploadBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/media")]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    // Refuse strangers before reading a large body; who exactly is calling
    // is checked on the database once the body is in.
    match auth {
        Credentials::Anonymous => {
            return Err(ApiError::Unauthorized("sign in to do this".to_owned()))
        }
        Credentials::ApiKey(_) => return Err(ApiError::Forbidden("API keys are read-only".into())),
        Credentials::Bootstrap | Credentials::Access(_) => {}
    }
    let form = form::read(&req, payload, state.config.media.max_bytes).await?;
    // Hashing 20 MB takes tens of milliseconds: not on a request thread.
    let (hash, form) = web::block(move || (digest(&form.file), form))
        .await
        .map_err(ApiError::internal)?;
    // No connection is held while the image is processed (seconds of CPU):
    // one unit of work checks the caller and the hash, another stores.
    let (uploader, audit) = {
        let (mut conn, caller) = state.open_reader(auth).await?;
        let staff = policy::require_uploader(&caller)?;
        if let Some(existing) = model::find_by_hash(&mut conn, &hash).await? {
            return Ok(fresh(&response(&state, existing)));
        }
        (staff.user_id, Auditor::new(&req, &caller))
    };
    let processed = state.media.process(form.file).await?;
    let files: Vec<StoredFile> = processed
        .files
        .iter()
        .map(|f| StoredFile {
            width: f.width,
            height: f.height,
            format: f.format,
            bytes: f.bytes.len() as u64,
            srcset: f.in_srcset,
        })
        .collect();
    let folder = new_folder();
    let at = now();
    let new = NewMedia {
        content_hash: hash,
        storage_key: folder.clone(),
        format: processed.format,
        width: i32::try_from(processed.width).map_err(ApiError::internal)?,
        height: i32::try_from(processed.height).map_err(ApiError::internal)?,
        byte_size: files.first().map_or(0, |f| f.bytes as i64),
        variants: serde_json::to_string(&files).map_err(ApiError::internal)?,
        search_text: model::search_text(
            &form.title,
            &form.alt_text,
            &form.caption,
            &form.credit,
            &form.filename,
        ),
        filename: form.filename,
        title: form.title,
        alt_text: form.alt_text,
        caption: form.caption,
        credit: form.credit,
        uploaded_by: uploader,
        created_at: at,
        updated_at: at,
    };
    // Stored and recorded (or cleaned up) even when the client goes away
    // meanwhile: the request's future may be dropped, this task is not.
    let task_state = state.clone();
    let stored = actix_web::rt::spawn(async move {
        let state = task_state;
        state.media.store_files(&folder, processed).await?;
        let stored = match state.db.writer().await {
            Ok(mut conn) => {
                conn.transaction(async |conn| {
                    let stored = model::insert_or_existing(conn, new).await?;
                    if let Ok(item) = &stored {
                        let change = Change::created(&item.audit_view());
                        audit
                            .record(conn, Action::MediaCreate, Some(item.id), change)
                            .await?;
                    }
                    Ok::<_, ApiError>(stored)
                })
                .await
            }
            Err(e) => Err(e),
        };
        if !matches!(stored, Ok(Ok(_))) {
            // A twin upload won, or the insert failed: our files go.
            state.media.forget(&model::keys_of(&folder, &files)).await;
        }
        stored
    })
    .await
    .map_err(ApiError::internal)??;
    match stored {
        Ok(item) => {
            let location = format!("/api/v1/media/{}", item.id);
            Ok(HttpResponse::Created()
                .insert_header((header::LOCATION, location))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(response(&state, item)))
        }
        // The same bytes, uploaded at the same time, won.
        Err(existing) => Ok(fresh(&response(&state, existing))),
    }
}

/// The media library, newest first (staff).
#[utoipa::path(
    tag = "media", operation_id = "list_media",
    params(MediaListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of media", body = ListResponse<MediaResponse>, headers(("Link" = String))),
        BadRequest, Unauthorized, Forbidden, Unavailable,
    )
)]
#[get("/api/v1/media")]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    params: web::Query<MediaListParams>,
) -> ApiResult<HttpResponse> {
    let params = params.into_inner();
    let page = PageRequest::from_params(params.page, params.per_page, None)?;
    if params.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(bad_param("q", "at most 200 characters"));
    }
    let filter = MediaFilter {
        q: params.q.filter(|q| !q.trim().is_empty()),
        format: params.format,
    };
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_staff(&caller)?;
    let (rows, total) = model::list(&mut conn, &filter, page.offset(), page.limit()).await?;
    let data: Vec<MediaResponse> = rows.into_iter().map(|m| response(&state, m)).collect();
    page_response(&req, &page, data, total, Visibility::Private)
}

/// One media item (staff).
#[utoipa::path(
    tag = "media", operation_id = "get_media",
    params(("id" = i64, Path, description = "Media id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The item", body = MediaResponse),
        Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[get("/api/v1/media/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    auth: Credentials,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "media item")?;
    let (mut conn, caller) = state.open_reader(auth).await?;
    policy::require_staff(&caller)?;
    let item = model::find(&mut conn, id)
        .await?
        .or_not_found("media item")?;
    Ok(fresh(&response(&state, item)))
}

/// Describe an item: title, alt text, caption, credit, focal point (its
/// uploader, editors, admins). Articles that lead with it show the change
/// at once.
#[utoipa::path(
    tag = "media", operation_id = "update_media",
    params(("id" = i64, Path, description = "Media id")),
    request_body = UpdateMediaRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated item", body = MediaResponse),
        JsonBody, Unauthorized, Forbidden, NotFound, Unavailable,
    )
)]
#[patch("/api/v1/media/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    body: Valid<UpdateMediaRequest>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "media item")?;
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_uploader(&caller)?;
    let body = body.into_inner()?;
    let mut changes = MediaChanges {
        title: body.title.map(String::from),
        alt_text: body.alt_text.map(String::from),
        caption: body.caption.map(String::from),
        credit: body.credit.map(String::from),
        search_text: None,
        focal_x: body.focal_point.map(|p| p.map(|p| p.x)),
        focal_y: body.focal_point.map(|p| p.map(|p| p.y)),
        updated_at: Some(now()),
    };
    let updated = conn
        .transaction(async |conn| {
            let item = model::find_locked(conn, id)
                .await?
                .or_not_found("media item")?;
            policy::require_media_owner(&caller, item.uploaded_by)?;
            changes.search_text = Some(model::search_text(
                changes.title.as_deref().unwrap_or(&item.title),
                changes.alt_text.as_deref().unwrap_or(&item.alt_text),
                changes.caption.as_deref().unwrap_or(&item.caption),
                changes.credit.as_deref().unwrap_or(&item.credit),
                &item.filename,
            ));
            let updated = model::update(conn, id, &changes).await?;
            let change = Change::between(&item.audit_view(), &updated.audit_view());
            Auditor::new(&req, &caller)
                .record(conn, Action::MediaUpdate, Some(id), change)
                .await?;
            webhooks::announce(conn, Event::media_updated(&updated)).await?;
            Ok::<_, ApiError>(updated)
        })
        .await?;
    Ok(fresh(&response(&state, updated)))
}

/// Delete an item and its files (its uploader, editors, admins). 409
/// `media_in_use` names the articles that use it (as lead image or in their
/// body), unless an editor passes `force=true`: then those articles lose it.
#[utoipa::path(
    tag = "media", operation_id = "delete_media",
    params(("id" = i64, Path, description = "Media id"), DeleteMediaParams),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unavailable,
    )
)]
#[delete("/api/v1/media/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    path: web::Path<String>,
    params: web::Query<DeleteMediaParams>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path, "media item")?;
    let force = params.force.unwrap_or(false);
    let (mut conn, caller) = state.open_writer(auth).await?;
    policy::require_uploader(&caller)?;
    let deleted = conn
        .transaction(async |conn| {
            // Locked first, so an article write pointing at it either
            // committed before (and counts as a use) or waits and fails.
            let item = model::find_locked(conn, id)
                .await?
                .or_not_found("media item")?;
            let staff = policy::require_media_owner(&caller, item.uploaded_by)?;
            let uses = model::uses(conn, &item).await?;
            let forced = force && staff.role >= Role::Editor;
            if !uses.is_empty() && !forced {
                let named: Vec<String> = uses
                    .iter()
                    .map(|u| match u.trashed {
                        true => format!("{} ({}, in the trash)", u.id, u.slug),
                        false => format!("{} ({})", u.id, u.slug),
                    })
                    .collect();
                let how = if staff.role >= Role::Editor {
                    "pass force=true to delete it anyway"
                } else {
                    "an editor may delete it anyway"
                };
                return Err(ApiError::Conflict {
                    code: "media_in_use",
                    detail: format!(
                        "used by {} article(s): {}; {how}",
                        uses.len(),
                        named.join(", ")
                    ),
                });
            }
            let detached = model::delete(conn, id, now(), staff.user_id).await?;
            // Live articles that lost their lead image changed for readers.
            for article in &detached {
                webhooks::announce_if_live(conn, article).await?;
            }
            let mut change = Change::deleted(&item.audit_view());
            if !uses.is_empty() {
                let detached: Vec<i64> = uses.iter().map(|u| u.id).collect();
                change = change.noting("detached_from_articles", detached);
            }
            Auditor::new(&req, &caller)
                .record(conn, Action::MediaDelete, Some(id), change)
                .await?;
            Ok(item)
        })
        .await?;
    drop(conn);
    state.media.forget(&deleted.file_keys()).await;
    Ok(no_content())
}

fn response(state: &AppState, item: model::Media) -> MediaResponse {
    MediaResponse::new(item, &state.config.media.base_url)
}
