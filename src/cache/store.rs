//! The cached answers themselves: least recently used first out, within a
//! byte budget.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use lru::LruCache;

/// Bytes counted per entry on top of its key, body and headers (the map's
/// node, the `Arc`, the vectors).
const OVERHEAD: usize = 160;

/// One stored 200 answer: its body and the headers the handler set.
#[derive(Debug)]
pub struct Entry {
    body: Bytes,
    headers: Vec<(HeaderName, HeaderValue)>,
    etag: Option<HeaderValue>,
}

impl Entry {
    /// An answer from the handler's headers and body.
    pub fn new(headers: &header::HeaderMap, body: Bytes) -> Self {
        Self {
            body,
            etag: headers.get(header::ETAG).cloned(),
            headers: headers
                .iter()
                .filter(|(name, _)| **name != header::CONTENT_LENGTH && **name != header::DATE)
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect(),
        }
    }

    fn size(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len())
            .sum();
        OVERHEAD + key.len() + self.body.len() + headers
    }

    /// The answer again: 200 with the body, or 304 (the same headers, no
    /// body) when `if_none_match` names its ETag, as `cached_json` does.
    pub fn respond(&self, if_none_match: Option<&HeaderValue>) -> HttpResponse {
        let not_modified = match (&self.etag, if_none_match.and_then(|v| v.to_str().ok())) {
            (Some(etag), Some(wanted)) => wanted
                .split(',')
                .any(|t| t.trim() == "*" || t.trim().as_bytes() == etag.as_bytes()),
            _ => false,
        };
        let mut res = if not_modified {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        for (name, value) in &self.headers {
            if !(not_modified && *name == header::CONTENT_TYPE) {
                res.append_header((name.clone(), value.clone()));
            }
        }
        if not_modified {
            res.finish()
        } else {
            res.body(self.body.clone())
        }
    }
}

/// Answers by request key, evicting the least recently used past `max_bytes`.
#[derive(Debug)]
pub struct Store {
    entries: LruCache<String, (Arc<Entry>, usize)>,
    bytes: usize,
    max_bytes: usize,
    evictions: u64,
}

impl Store {
    /// An empty store holding at most `max_bytes`.
    pub fn new(max_bytes: usize) -> Self {
        Self {
            entries: LruCache::unbounded(),
            bytes: 0,
            max_bytes,
            evictions: 0,
        }
    }

    /// The answer for `key`, now the most recently used.
    pub fn get(&mut self, key: &str) -> Option<Arc<Entry>> {
        self.entries.get(key).map(|(entry, _)| entry.clone())
    }

    /// Keeps `entry`, evicting as needed; an answer bigger than a quarter
    /// of the budget is not kept (it would push out many others).
    pub fn insert(&mut self, key: String, entry: Arc<Entry>) {
        let size = entry.size(&key);
        if size > self.max_bytes / 4 {
            return;
        }
        if let Some((_, old)) = self.entries.put(key, (entry, size)) {
            self.bytes -= old;
        }
        self.bytes += size;
        while self.bytes > self.max_bytes {
            match self.entries.pop_lru() {
                Some((_, (_, size))) => {
                    self.bytes -= size;
                    self.evictions += 1;
                }
                None => break,
            }
        }
    }

    /// Forgets every answer (a new generation).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Answers held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no answer is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Answers evicted for room since start.
    pub fn evictions(&self) -> u64 {
        self.evictions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body_len: usize) -> Arc<Entry> {
        let mut headers = header::HeaderMap::new();
        headers.insert(header::ETAG, HeaderValue::from_static("\"abc\""));
        Arc::new(Entry::new(&headers, Bytes::from(vec![b'x'; body_len])))
    }

    #[test]
    fn evicts_the_least_recently_used_within_the_budget() {
        let mut store = Store::new(4000);
        for key in ["a", "b", "c"] {
            store.insert(key.to_owned(), entry(600));
        }
        assert_eq!(store.len(), 3);
        assert!(store.get("a").is_some(), "a is now the most recent");
        for key in ["d", "e", "f", "g", "h", "i", "j"] {
            store.insert(key.to_owned(), entry(600));
        }
        assert!(store.bytes() <= 4000, "{} bytes", store.bytes());
        assert!(store.evictions() > 0);
        assert!(store.get("b").is_none(), "b was the least recently used");
        assert!(store.get("j").is_some());
    }

    #[test]
    fn refuses_an_answer_too_big_for_its_share_and_clears() {
        let mut store = Store::new(4 * 1000);
        store.insert("big".to_owned(), entry(1000));
        assert!(store.is_empty());
        store.insert("small".to_owned(), entry(10));
        assert_eq!(store.len(), 1);
        store.clear();
        assert_eq!((store.len(), store.bytes()), (0, 0));
    }

    #[test]
    fn answers_304_only_for_its_etag() {
        let e = entry(3);
        assert_eq!(e.respond(None).status(), 200);
        let other = HeaderValue::from_static("\"zzz\"");
        assert_eq!(e.respond(Some(&other)).status(), 200);
        let same = HeaderValue::from_static("\"zzz\", \"abc\"");
        assert_eq!(e.respond(Some(&same)).status(), 304);
    }
}
