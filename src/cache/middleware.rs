//! The cache in the request path: a public `GET` of a cacheable path is
//! answered from the cache when it can be (with a 304 when `If-None-Match`
//! names the answer's ETag); otherwise the handler answers and a `200`
//! marked `public` is kept. Staff tokens, preview keys and anything else
//! go straight to the handlers, never into nor out of the cache.

use std::sync::Arc;

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error};

use super::keys::{self, Presented};
use super::store::Entry;
use super::Lookup;
use crate::state::AppState;

/// Serves and fills the public cache.
pub async fn public_cache(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return pass(req, next).await;
    };
    let cache = &state.cache;
    if !cache.enabled() || req.method() != Method::GET || !keys::cacheable_path(req.path()) {
        return pass(req, next).await;
    }
    match keys::presented(&req) {
        Presented::Anonymous => {}
        Presented::ApiKey(key) => {
            let key = key.to_owned();
            if !cache.keys().is_public_reader(&state, &key).await {
                return pass(req, next).await;
            }
        }
        Presented::Other => return pass(req, next).await,
    }
    let key = keys::request_key(req.path(), req.query_string());
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let ticket = match cache.lookup(&key, crate::db::time::now()) {
        Lookup::Hit(entry) => {
            let res = entry.respond(if_none_match.as_ref());
            return Ok(req.into_response(res));
        }
        Lookup::Miss(None) => return pass(req, next).await,
        Lookup::Miss(Some(ticket)) => ticket,
    };
    // Ask for the whole answer so it can be kept; the 304 is decided here.
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let res = next.call(req).await?;
    if res.status() != StatusCode::OK || !is_public(res.headers()) {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.into().to_string()))?;
    let entry = Arc::new(Entry::new(head.headers(), bytes));
    cache.store(key, entry.clone(), ticket, crate::db::time::now());
    Ok(ServiceResponse::new(
        req,
        entry.respond(if_none_match.as_ref()),
    ))
}

async fn pass(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Whether the handler let shared caches keep the answer.
fn is_public(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|d| d.trim() == "public"))
}
