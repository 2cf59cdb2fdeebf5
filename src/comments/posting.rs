//! Readers leave a reply: the form description and the posting endpoint.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

use super::dto::{
    CommentForm, CommentReceipt, FormField, NewCommentRequest, MAX_BODY_CHARS, MAX_NAME_CHARS,
};
use super::form_token::{self, TokenError};
use super::model::{self, Comment, NewComment};
use super::reader_token;
use super::screening::{screen, Submission};
use super::settings::CommentSettings;
use super::status::CommentStatus;
use crate::api_docs::responses::{
    Conflict, Forbidden, JsonBody, NotFound, TooManyRequests, Unauthorized, Unavailable,
};
use crate::articles::model::{self as articles, Article};
use crate::audit::{Action, Auditor, Change};
use crate::auth::tokens::digest;
use crate::auth::Credentials;
use crate::config::Config;
use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult, FieldError, OrNotFound};
use crate::http::client_ip::client_ip;
use crate::http::params::IdOrSlug;
use crate::http::validation::Valid;
use crate::idempotency::{self, Answer, IdempotencyKey, IdempotencyKeyHeader};
use crate::state::AppState;
use crate::throttle::{self, Limit};
use crate::types::{MAX_EMAIL_CHARS, MAX_URL_CHARS};
use crate::users::model::normalize_email;
use crate::webhooks::{self, Event};

/// Name of the honeypot property.
const HONEYPOT: &str = "honeypot";

fn unix_now() -> u64 {
    now().and_utc().timestamp().max(0) as u64
}

async fn published_article(conn: &mut Conn, key: &str) -> ApiResult<Article> {
    let key = IdOrSlug::parse(key, "article")?;
    articles::find(conn, &key, Some(now()))
        .await?
        .or_not_found("article")
}

/// The comment form of a published article ("Leave a Reply"): labels,
/// required fields, limits, the privacy notice and a fresh `form_token`.
#[utoipa::path(
    tag = "comments", operation_id = "get_comment_form",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug of the article")),
    security(()),
    responses(
        (status = 200, description = "How to render and submit the form", body = CommentForm),
        NotFound, Unavailable,
    )
)]
#[get("/api/v1/articles/{id_or_slug}/comment-form")]
pub async fn form(state: web::Data<AppState>, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let mut conn = state.db.reader().await?;
    let article = published_article(&mut conn, &path).await?;
    let rules = &state.config.comments;
    let count = model::approved_counts(&mut conn, &[article.id]).await?;
    let secret = state.config.jwt_secret.expose().as_bytes();
    let form = CommentForm {
        article_id: article.id,
        comments_open: article.comments_open,
        heading: "Leave a Reply",
        privacy_notice: "Your email address will not be published.",
        required_notice: "Required fields are marked *",
        required_marker: "*",
        fields: &FORM_FIELDS,
        honeypot_field: HONEYPOT,
        form_token: article
            .comments_open
            .then(|| form_token::issue(secret, article.id, unix_now())),
        form_token_ttl_secs: rules.form_ttl_secs,
        max_depth: rules.max_depth,
        comment_count: count.get(&article.id).copied().unwrap_or(0),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(form))
}

/// The fields of the form, in display order, with the server's limits.
const FORM_FIELDS: [FormField; 4] = [
    FormField {
        name: "body",
        label: "Comment",
        input: "textarea",
        required: true,
        max_length: MAX_BODY_CHARS as u64,
    },
    FormField {
        name: "author_name",
        label: "Name",
        input: "text",
        required: true,
        max_length: MAX_NAME_CHARS as u64,
    },
    FormField {
        name: "author_email",
        label: "Email",
        input: "email",
        required: true,
        max_length: MAX_EMAIL_CHARS as u64,
    },
    FormField {
        name: "author_url",
        label: "Website",
        input: "url",
        required: false,
        max_length: MAX_URL_CHARS as u64,
    },
];

/// Leave a comment on a published article. Most comments wait for
/// moderation (`pending`); a commenter whose email already has an approved
/// comment, or a signed-in member of staff, is approved at once. Rate
/// limited per client IP and per email.
#[utoipa::path(
    tag = "comments", operation_id = "create_comment",
    params(("Idempotency-Key" = Option<IdempotencyKeyHeader>, Header, nullable = false, description = "Makes a retry of this create safe: the same key and body get the first answer again"), ("id_or_slug" = String, Path, description = "Numeric id or slug of the article")),
    request_body = NewCommentRequest,
    security((), ("bearer" = [])),
    responses(
        (status = 202, description = "Received (see `status`)", body = CommentReceipt),
        JsonBody, Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests, Unavailable,
    )
)]
#[post("/api/v1/articles/{id_or_slug}/comments")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: Credentials,
    key: IdempotencyKey,
    path: web::Path<String>,
    body: Valid<NewCommentRequest>,
) -> ApiResult<HttpResponse> {
    let (mut conn, caller) = state.open_writer(auth).await?;
    let fingerprint = body.fingerprint().to_owned();
    let body = body.into_inner()?;
    let rules = &state.config.comments;
    let article = published_article(&mut conn, &path).await?;
    if !article.comments_open {
        return Err(ApiError::Forbidden(
            "comments are closed on this article".to_owned(),
        ));
    }
    let depth = reply_depth(&mut conn, rules.max_depth, &article, body.parent_id).await?;
    let form_use = FormUse::check(&state.config, article.id, &body.form_token)?;
    let email = normalize_email(&body.author_email);
    let client = client_ip(&req, &state.config.trusted_proxies);
    let ip = client.map(|ip| ip.to_string());
    let over_limit = count_submission(&mut conn, rules, ip.as_deref(), &email, article.id).await?;
    let secrets = || state.config.jwt_secrets().map(|s| s.expose().as_bytes());
    let known_reader = body
        .reader_token
        .as_ref()
        .is_some_and(|token| reader_token::verify_any(secrets(), &email, token));
    let reader_token = reader_token::issue(state.config.jwt_secret.expose().as_bytes(), &email);
    let sender = Sender {
        email,
        ip,
        user_agent: user_agent(&req),
        by_staff: caller.staff().is_some(),
        user_id: caller.staff().and_then(|s| s.user_id),
        known_reader,
        over_limit,
    };
    let request = idempotency::Request::new(key, &caller, client, &req, &fingerprint);
    let audit = Auditor::new(&req, &caller);
    idempotency::once(&mut conn, &state, request, async |conn| {
        // Checked again where the comment is written: an article trashed or
        // unpublished since the check above takes no comment.
        if !crate::articles::model::lock_visible(conn, article.id, now()).await? {
            return Err(ApiError::NotFound("article not found".to_owned()));
        }
        form_use.spend(conn).await?;
        let fill_secs = form_use.fill_secs;
        let (stored, status) =
            store(conn, rules, article.id, depth, body, sender, fill_secs).await?;
        audit
            .record(
                conn,
                Action::CommentCreate,
                Some(stored.id),
                Change::created(&stored.audit_view()),
            )
            .await?;
        if status == CommentStatus::Approved {
            webhooks::announce(conn, Event::comment_approved(&stored)).await?;
        }
        Answer::accepted(&receipt(&stored, status, reader_token))
    })
    .await
}

/// Who sent a comment, as the screening and the stored row need it.
struct Sender {
    /// Normalized email.
    email: String,
    ip: Option<String>,
    user_agent: Option<String>,
    /// Signed in as staff.
    by_staff: bool,
    /// The signed-in user, if any.
    user_id: Option<i64>,
    /// Carried the reader token of `email`.
    known_reader: bool,
    /// Past the per-email or per-article rate limit.
    over_limit: bool,
}

/// Screens the comment and stores it with the status it earns (call it
/// inside a transaction).
async fn store(
    conn: &mut Conn,
    rules: &CommentSettings,
    article_id: i64,
    depth: i32,
    body: NewCommentRequest,
    sender: Sender,
    fill_secs: u64,
) -> ApiResult<(Comment, CommentStatus)> {
    let submission = Submission {
        article_id,
        email: &sender.email,
        name: &body.author_name,
        url: body.author_url.as_deref(),
        body: &body.body,
        honeypot: body.honeypot.as_deref(),
        fill_secs,
        by_staff: sender.by_staff,
        known_reader: sender.known_reader,
        over_limit: sender.over_limit,
    };
    let status = screen(conn, rules, &submission).await?;
    let at = now();
    let new = NewComment {
        article_id,
        parent_id: body.parent_id,
        depth,
        author_name: body.author_name.into(),
        author_email: sender.email,
        author_url: body.author_url.map(String::from),
        body: body.body.into(),
        status,
        user_id: sender.user_id,
        ip: sender.ip,
        user_agent: sender.user_agent,
        created_at: at,
        updated_at: at,
    };
    Ok((model::insert(conn, new).await?, status))
}

/// A checked form token, about to serve its one comment.
struct FormUse {
    /// Its hash, as the spent-token list keeps it.
    hash: String,
    /// When it would expire anyway.
    expires_at: NaiveDateTime,
    /// Seconds between serving the form and this submission.
    fill_secs: u64,
}

impl FormUse {
    /// Checks `token` (422 when it is for another article or expired).
    fn check(config: &Config, article_id: i64, token: &str) -> ApiResult<Self> {
        let ttl = config.comments.form_ttl_secs;
        let verified = form_token::verify_any(
            config.jwt_secrets().map(|s| s.expose().as_bytes()),
            article_id,
            token,
            unix_now(),
            ttl,
        );
        let fill_secs = verified.map_err(|e| {
            let message = match e {
                TokenError::Invalid => "not a form token for this article",
                TokenError::Expired => "the form has expired; load it again",
            };
            invalid("form_token", message)
        })?;
        let left = ttl.saturating_sub(fill_secs);
        Ok(Self {
            hash: digest(token),
            expires_at: now() + chrono::Duration::seconds(left as i64),
            fill_secs,
        })
    }

    /// Spends the token (422 when it already served a comment): one form,
    /// one comment. Inside the comment's transaction, so a comment refused
    /// (a duplicate, say) leaves the form usable.
    async fn spend(&self, conn: &mut Conn) -> ApiResult<()> {
        if model::spend_form_token(conn, &self.hash, self.expires_at).await? {
            Ok(())
        } else {
            Err(invalid(
                "form_token",
                "this form was already used for a comment; load it again",
            ))
        }
    }
}

/// Counts a submission against the rate limits. Past the per-IP limit it
/// is refused (429: the sender's own budget); past the per-email or
/// per-article limit it is taken but held for a moderator (`true`), so a
/// flood from many addresses, or under someone else's address, cannot shut
/// out every reader.
async fn count_submission(
    conn: &mut Conn,
    rules: &CommentSettings,
    ip: Option<&str>,
    email: &str,
    article_id: i64,
) -> ApiResult<bool> {
    let limit = |max| Limit {
        max,
        window_secs: rules.rate_window_secs,
    };
    let ip_key = format!("comment:ip:{}", ip.unwrap_or_default());
    throttle::reserve(conn, &ip_key, limit(rules.ip_max))
        .await?
        .or_too_many()?
        .keep();
    let email_key = format!("comment:email:{email}");
    let by_email = throttle::reserve(conn, &email_key, limit(rules.email_max)).await?;
    let article_key = format!("comment:article:{article_id}");
    let on_article = throttle::reserve(conn, &article_key, limit(rules.article_max)).await?;
    Ok(by_email.is_over() | on_article.is_over())
}

/// Spam is answered exactly like a comment awaiting moderation.
fn receipt(stored: &Comment, status: CommentStatus, reader_token: String) -> CommentReceipt {
    let (status, message) = match status {
        CommentStatus::Approved => (CommentStatus::Approved, "Your comment is published."),
        _ => (
            CommentStatus::Pending,
            "Your comment is awaiting moderation.",
        ),
    };
    CommentReceipt {
        id: stored.id,
        status,
        message: message.to_owned(),
        reader_token,
    }
}

/// Depth of a reply to `parent_id`: the parent must be a public comment of
/// the same article, less deep than the configured limit.
async fn reply_depth(
    conn: &mut Conn,
    max_depth: i32,
    article: &Article,
    parent_id: Option<i64>,
) -> ApiResult<i32> {
    let Some(parent_id) = parent_id else {
        return Ok(0);
    };
    let parent = match model::find(conn, parent_id).await? {
        Some(parent) if parent.article_id == article.id && parent.visible => parent,
        _ => {
            return Err(invalid(
                "parent_id",
                "not a published comment of this article",
            ))
        }
    };
    let depth = parent.depth + 1;
    if depth >= max_depth {
        return Err(invalid("parent_id", "the thread is too deep to reply here"));
    }
    Ok(depth)
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::Unprocessable {
        detail: format!("{field}: {message}"),
        errors: vec![FieldError::new(field, message)],
    }
}

/// The `User-Agent` header, cut to 512 bytes at a character boundary.
fn user_agent(req: &HttpRequest) -> Option<String> {
    let ua = req.headers().get(header::USER_AGENT)?.to_str().ok()?;
    let mut end = ua.len().min(512);
    while !ua.is_char_boundary(end) {
        end -= 1;
    }
    Some(ua[..end].to_owned())
}
