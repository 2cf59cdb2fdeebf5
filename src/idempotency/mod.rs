//! `Idempotency-Key` on the POSTs that create something (IETF httpapi
//! draft "The Idempotency-Key HTTP Header Field"): a client that did not
//! get the answer to a create (a timeout, a dropped connection, a 503
//! after the commit) retries with the same key and gets the first answer
//! again, never a second copy.
//!
//! The key is claimed and answered inside the write's own transaction, so
//! a committed write always has its stored answer and a rolled-back one
//! (the database killed mid-write, say) leaves no trace: no lease to wait
//! out before a retry. A retry with the same key and body gets the stored
//! answer (`Idempotent-Replayed: true`); the same key with another body is
//! 422; the same key while the first request still runs in this process is
//! 409 (in another instance of the server, the retry waits for the first
//! transaction and then gets its answer). Keys are scoped to the caller and
//! the route, and expire after `IDEMPOTENCY_KEY_TTL_SECS`.

pub mod model;

use std::collections::HashSet;
use std::future::{ready, Ready};
use std::sync::{Arc, LazyLock, Mutex};

use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, FromRequest, HttpRequest, HttpResponse};
use chrono::Duration;
use serde::Serialize;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::auth::Caller;
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

/// The header's syntax: a string (quoted, as the draft's structured field)
/// or a bare token, of 1 to 255 printable ASCII characters.
pub const KEY_PATTERN: &str = r#"^("[ !#-\[\]-~]{1,255}"|[!#-\[\]-~]{1,255})$"#;

static KEY: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(KEY_PATTERN).expect("valid key pattern"));

/// The `Idempotency-Key` of a request, if it carries one.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.headers().get("idempotency-key")))
    }
}

fn parse(value: Option<&header::HeaderValue>) -> ApiResult<IdempotencyKey> {
    let Some(value) = value else {
        return Ok(IdempotencyKey(None));
    };
    let raw = value.to_str().unwrap_or("\u{0}");
    if !KEY.is_match(raw) {
        return Err(ApiError::BadRequest {
            code: "invalid_header",
            detail: "Idempotency-Key must be 1 to 255 printable ASCII characters, quoted or not"
                .to_owned(),
            errors: vec![FieldError::new("Idempotency-Key", "malformed")],
        });
    }
    Ok(IdempotencyKey(Some(raw.trim_matches('"').to_owned())))
}

/// The `Idempotency-Key` header as the OpenAPI document describes it.
pub struct IdempotencyKeyHeader;

impl PartialSchema for IdempotencyKeyHeader {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(KEY_PATTERN))
            .description(Some(
                "A unique value per create (a UUID, say): a retry with the same key and body \
                 gets the first answer again",
            ))
            .into()
    }
}

impl ToSchema for IdempotencyKeyHeader {
    fn name() -> std::borrow::Cow<'static, str> {
        "IdempotencyKey".into()
    }
}

/// The answer to a create, as sent and as stored with its key.
#[derive(Debug)]
pub struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

impl Answer {
    /// 201 Created with `Location`.
    pub fn created(location: String, body: &impl Serialize) -> ApiResult<Self> {
        Self::new(StatusCode::CREATED, Some(location), body)
    }

    /// 202 Accepted (stored, not yet public).
    pub fn accepted(body: &impl Serialize) -> ApiResult<Self> {
        Self::new(StatusCode::ACCEPTED, None, body)
    }

    fn new(status: StatusCode, location: Option<String>, body: &impl Serialize) -> ApiResult<Self> {
        Ok(Self {
            status,
            location,
            body: serde_json::to_string(body).map_err(ApiError::internal)?,
        })
    }

    fn into_response(self, replayed: bool) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.insert_header((header::CACHE_CONTROL, "no-store"));
        if let Some(location) = self.location {
            res.insert_header((header::LOCATION, location));
        }
        if replayed {
            res.insert_header(("idempotent-replayed", "true"));
        }
        res.content_type("application/json").body(self.body)
    }
}

/// The keys whose first request is running in this process.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<Mutex<HashSet<String>>>);

impl InFlight {
    /// Marks `id` as running until the guard drops (also when the request
    /// is cancelled); `None` when it already runs.
    fn enter(&self, id: String) -> Option<Running> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        set.insert(id.clone()).then(|| Running {
            set: self.clone(),
            id,
        })
    }
}

/// A key marked as running; unmarked on drop.
struct Running {
    set: InFlight,
    id: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut set = self.set.0.lock().unwrap_or_else(|e| e.into_inner());
        set.remove(&self.id);
    }
}

/// One create as `once` sees it: the request's key, whose it is and a
/// hash of what it asked for.
pub struct Request {
    key: IdempotencyKey,
    scope: String,
    hash: String,
}

impl Request {
    /// `fingerprint` identifies the request's content (its raw body);
    /// `client_ip` tells anonymous callers apart.
    pub fn new(
        key: IdempotencyKey,
        caller: &Caller,
        client_ip: Option<std::net::IpAddr>,
        req: &HttpRequest,
        fingerprint: &str,
    ) -> Self {
        Self {
            key,
            scope: scope(caller, client_ip, req),
            hash: crate::auth::tokens::digest(fingerprint),
        }
    }
}

/// Who a key belongs to and where it was used: a key is the client's own,
/// never shared with another caller or another route.
fn scope(caller: &Caller, client_ip: Option<std::net::IpAddr>, req: &HttpRequest) -> String {
    let who = match caller {
        Caller::Staff(staff) => match staff.user_id {
            Some(id) => format!("user:{id}"),
            None => "bootstrap".to_owned(),
        },
        Caller::ApiKey { id, .. } => format!("key:{id}"),
        Caller::Anonymous => format!(
            "anonymous:{}",
            client_ip.map(|ip| ip.to_string()).unwrap_or_default()
        ),
    };
    format!("{who} {} {}", req.method(), req.path())
}

/// Runs `work` (a create) in one transaction, once per key: with a key,
/// the claim and the answer are stored in that same transaction, and a
/// retry gets the answer again.
pub async fn once(
    conn: &mut Conn,
    state: &AppState,
    request: Request,
    work: impl AsyncFnOnce(&mut Conn) -> ApiResult<Answer>,
) -> ApiResult<HttpResponse> {
    let Some(key) = request.key.0 else {
        let answer = conn.transaction(work).await?;
        return Ok(answer.into_response(false));
    };
    let (scope, hash) = (request.scope.as_str(), request.hash.as_str());
    let _running = state
        .in_flight
        .enter(format!("{scope} {key}"))
        .ok_or_else(in_progress)?;
    let at = now();
    let expires = at + Duration::seconds(state.config.idempotency_key_ttl_secs as i64);
    model::purge_expired(conn, at).await?;
    let (answer, replayed) = conn
        .transaction(async |conn| {
            if !model::claim(conn, scope, &key, hash, expires).await? {
                return Ok((stored_answer(conn, scope, &key, hash).await?, true));
            }
            let answer = work(conn).await?;
            let location = answer.location.as_deref();
            let status = answer.status.as_u16();
            model::answer(conn, scope, &key, status, location, &answer.body).await?;
            Ok::<_, ApiError>((answer, false))
        })
        .await?;
    Ok(answer.into_response(replayed))
}

fn in_progress() -> ApiError {
    ApiError::Conflict {
        code: "idempotency_key_in_use",
        detail: "a request with this Idempotency-Key is still being processed; retry shortly"
            .to_owned(),
    }
}

/// The answer stored with a key that was already used.
async fn stored_answer(conn: &mut Conn, scope: &str, key: &str, hash: &str) -> ApiResult<Answer> {
    let stored = model::find(conn, scope, key)
        .await?
        .ok_or_else(in_progress)?;
    if stored.request_hash != hash {
        return Err(ApiError::Unprocessable {
            detail: "Idempotency-Key: already used for a different request".to_owned(),
            errors: vec![FieldError::new(
                "Idempotency-Key",
                "already used for a different request; use a new key",
            )],
        });
    }
    let (Some(status), Some(body)) = (stored.status, stored.body) else {
        return Err(in_progress());
    };
    Ok(Answer {
        status: StatusCode::from_u16(status as u16).map_err(ApiError::internal)?,
        location: stored.location,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_strings_of_printable_ascii() {
        let key = |raw: &str| parse(Some(&header::HeaderValue::from_str(raw).unwrap()));
        assert_eq!(
            key("\"8e03978e-40d5\"").unwrap().0.as_deref(),
            Some("8e03978e-40d5")
        );
        assert_eq!(key("abc-123").unwrap().0.as_deref(), Some("abc-123"));
        assert!(key("").is_err());
        assert!(key("\"\"").is_err());
        assert!(key(&"x".repeat(256)).is_err());
        assert!(parse(None).unwrap().0.is_none());
    }
}
