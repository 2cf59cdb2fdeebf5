//! Which requests the cache may answer: the public read paths, asked by an
//! anonymous caller or with a read-scoped API key. Keys are checked against
//! the database once a minute (when their last use is recorded) and after
//! every content change; in between a [`KeyMemo`] remembers the verdict.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::dev::ServiceRequest;
use actix_web::http::header;
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::Stamp;
use crate::api_keys::model::KEY_PREFIX;
use crate::api_keys::scope::KeyScope;
use crate::auth::{Caller, Credentials};
use crate::feeds::routes::Format;
use crate::state::AppState;

/// How long a key's verdict is trusted without asking the database (its
/// last use is recorded at this granularity too).
const KEY_RECHECK: Duration = Duration::from_secs(60);

/// Most keys remembered; past it the memo starts over.
const MAX_KEYS: usize = 10_000;

/// Whether `path` is a public read whose answer the cache may keep:
/// article lists and items, related articles, public comment threads,
/// authors and tags, the feeds, the sitemap index and its pages. The
/// comment form (a fresh token each time) is not, nor the news sitemap
/// (articles leave it as time passes, which no content change marks).
pub fn cacheable_path(path: &str) -> bool {
    if path == "/sitemap.xml" {
        return true;
    }
    if let Some(file) = path.strip_prefix("/sitemaps/articles-") {
        return file.ends_with(".xml");
    }
    if let Some(rest) = path.strip_prefix("/feeds/") {
        let feed = |file: &str| Format::ALL.iter().any(|format| format.file() == file);
        let parts: Vec<&str> = rest.split('/').collect();
        return match parts.as_slice() {
            [file] => feed(file),
            ["tags" | "authors", slug, file] => !slug.is_empty() && feed(file),
            _ => false,
        };
    }
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        ["articles" | "authors" | "tags"] => true,
        ["articles" | "authors" | "tags", item] => !item.is_empty(),
        ["articles", item, "related" | "comments"] => !item.is_empty(),
        _ => false,
    }
}

/// The cache key of a request: its path and query string exactly as sent
/// (the `Link` header echoes the caller's parameter order, so reordering
/// would change the answer).
pub fn request_key(path: &str, query: &str) -> String {
    let mut key = String::with_capacity(path.len() + query.len() + 1);
    key.push_str(path);
    key.push('?');
    key.push_str(query);
    key
}

/// Who a request says it is, as far as the cache cares.
#[derive(Debug, PartialEq, Eq)]
pub enum Presented<'a> {
    /// No credentials.
    Anonymous,
    /// An API key, not yet checked.
    ApiKey(&'a str),
    /// Anything else (a staff token, a malformed header): never cached.
    Other,
}

/// Reads the credentials the way [`Credentials`] does: `Authorization`
/// first, then `X-Api-Key`.
pub fn presented(req: &ServiceRequest) -> Presented<'_> {
    let token = if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let bearer = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        match bearer {
            Some(token) => token,
            None => return Presented::Other,
        }
    } else if let Some(value) = req.headers().get("x-api-key") {
        match value.to_str() {
            Ok(token) => token.trim(),
            Err(_) => return Presented::Other,
        }
    } else {
        return Presented::Anonymous;
    };
    if token.starts_with(KEY_PREFIX) {
        Presented::ApiKey(token)
    } else {
        Presented::Other
    }
}

/// A key's verdict: whether it reads as the public does.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    public_reader: bool,
    expires_at: Option<NaiveDateTime>,
    checked: Instant,
    stamp: Stamp,
}

/// Verdicts on API keys by digest, valid for one stamp and a minute.
#[derive(Debug, Default)]
pub struct KeyMemo {
    verdicts: Mutex<HashMap<[u8; 32], Verdict>>,
}

impl KeyMemo {
    /// Whether `presented` is a valid read-scoped key: from the memo, or
    /// checked on a connection of its own (which records the key's use).
    /// An invalid key is no reader; its request goes to the handler, which
    /// answers 401.
    pub async fn is_public_reader(&self, state: &AppState, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let stamp = state.cache.stamp();
        let now = crate::db::time::now();
        let known = self.lock().get(&digest).copied();
        if let Some(v) = known {
            if v.stamp == stamp && v.checked.elapsed() < KEY_RECHECK {
                return v.public_reader && v.expires_at.is_none_or(|at| now < at);
            }
        }
        let Ok(mut conn) = state.db.reader().await else {
            return false;
        };
        let caller = Credentials::ApiKey(presented.to_owned())
            .resolve(&mut conn)
            .await;
        let Ok(Caller::ApiKey { id, scope }) = caller else {
            return false;
        };
        let expires_at = crate::api_keys::model::find(&mut conn, id)
            .await
            .ok()
            .flatten()
            .and_then(|key| key.expires_at);
        let verdict = Verdict {
            public_reader: scope == KeyScope::Read,
            expires_at,
            checked: Instant::now(),
            stamp,
        };
        let mut verdicts = self.lock();
        if verdicts.len() >= MAX_KEYS {
            verdicts.clear();
        }
        verdicts.insert(digest, verdict);
        verdict.public_reader
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Verdict>> {
        self.verdicts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_reads_are_cacheable() {
        for yes in [
            "/api/v1/articles",
            "/api/v1/articles/hello",
            "/api/v1/articles/12/related",
            "/api/v1/articles/hello/comments",
            "/api/v1/authors",
            "/api/v1/authors/ana",
            "/api/v1/tags",
            "/api/v1/tags/politics",
            "/feeds/rss.xml",
            "/feeds/tags/energy/atom.xml",
            "/feeds/authors/ana/feed.json",
            "/sitemap.xml",
            "/sitemaps/articles-2.xml",
        ] {
            assert!(cacheable_path(yes), "{yes}");
        }
        for no in [
            "/api/v1/articles/hello/comment-form",
            "/api/v1/articles/",
            "/api/v1/comments",
            "/api/v1/comments/3",
            "/api/v1/users",
            "/api/v1/api-keys",
            "/api/v1/me",
            "/api/v1/articles/a/b/c",
            "/health/ready",
            "/openapi.json",
            "/metrics",
            "/sitemaps/news.xml",
            "/feeds/other.xml",
            "/feeds/tags//rss.xml",
        ] {
            assert!(!cacheable_path(no), "{no}");
        }
    }
}
