//! `POST /api/v1/preview`: a Markdown body rendered exactly as an article
//! write would store it, for an editor's live preview (staff).

use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::content::derive;
use crate::api_docs::responses::{Forbidden, JsonBody, Unauthorized, Unavailable};
use crate::auth::{policy, Credentials};
use crate::error::ApiResult;
use crate::http::fresh;
use crate::http::validation::Valid;
use crate::state::AppState;
use crate::types::Text;

/// Body of `POST /api/v1/preview`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// Markdown source, as an article's `body`.
    pub body: Text<200000>,
}

/// What an article with this body would show.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewResponse {
    /// The rendered and sanitized HTML, byte for byte what the article's
    /// `body_html` would be.
    pub body_html: String,
    /// Words in the body.
    pub word_count: i32,
    /// Minutes at 200 words per minute.
    pub reading_time_minutes: i32,
    /// The first paragraph as plain text: the excerpt readers see when
    /// none is given.
    pub lead: String,
}

/// Render a Markdown body with the server's own renderer, as an article
/// write would (staff). Nothing is stored.
#[utoipa::path(
    tag = "articles", operation_id = "create_preview",
    request_body = PreviewRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rendering", body = PreviewResponse),
        JsonBody, Unauthorized, Forbidden, Unavailable,
    )
)]
#[post("/api/v1/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    auth: Credentials,
    body: Valid<PreviewRequest>,
) -> ApiResult<HttpResponse> {
    policy::require_staff(&state.caller(auth).await?)?;
    let body = body.into_inner()?;
    // Rendering 200,000 characters takes milliseconds: not on a request
    // thread.
    let derived = web::block(move || derive(&body.body))
        .await
        .map_err(crate::error::ApiError::internal)?;
    Ok(fresh(&PreviewResponse {
        body_html: derived.body_html,
        word_count: derived.word_count,
        reading_time_minutes: derived.reading_time_minutes,
        lead: derived.body_lead,
    }))
}
