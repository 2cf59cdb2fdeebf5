//! The in-process cache of public answers (anonymous callers and read-only
//! API keys), valid for one content generation. `docs/caching.md` explains
//! the design; in short:
//!
//! - `middleware.rs` decides what may be cached and serves hits (and 304s);
//! - `store.rs` keeps the answers, least recently used out first, within
//!   `CACHE_MAX_BYTES`;
//! - a [`Stamp`] names the content an answer was built from: the database's
//!   generation (raised by triggers on every content write), this
//!   instance's finished writes ([`crate::db::Db::writes`], so a write is
//!   seen by the next read here) and a local epoch (raised when a scheduled
//!   article's time comes or the watcher loses the database);
//! - `watch.rs` follows the generation (LISTEN/NOTIFY on PostgreSQL, and a
//!   periodic check) and the next go-live time; until it has vouched for
//!   the current stamp nothing is stored.

mod generation;
pub mod keys;
pub mod middleware;
pub mod settings;
pub mod store;
mod watch;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDateTime;
use tokio::sync::Notify;

use crate::db::Db;
pub use settings::CacheSettings;
use store::{Entry, Store};
pub use watch::spawn_watcher;

/// The content an answer was built from; answers of another stamp are gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    generation: u64,
    writes: u64,
    epoch: u64,
}

/// What a lookup found.
#[derive(Debug)]
pub enum Lookup {
    /// The stored answer.
    Hit(Arc<Entry>),
    /// Nothing stored; the answer may be stored under this stamp (`None`:
    /// the cache cannot vouch for the current content yet, do not store).
    Miss(Option<Stamp>),
}

/// Counters for `/metrics`.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that went to the database.
    pub misses: u64,
    /// Answers evicted for room.
    pub evictions: u64,
    /// Bytes held.
    pub bytes: u64,
    /// Answers held.
    pub entries: u64,
    /// The last database generation known here.
    pub generation: u64,
}

/// The cache of one server. Cheap to clone.
#[derive(Clone, Debug)]
pub struct PublicCache {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    max_bytes: usize,
    db: Db,
    generation: AtomicU64,
    epoch: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
    inner: Mutex<Inner>,
    wake: Arc<Notify>,
    keys: keys::KeyMemo,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    /// The stamp of every stored answer.
    stamp: Stamp,
    /// The next go-live time, as read for a stamp (`None` inside: none
    /// scheduled).
    go_live: Option<(Stamp, Option<NaiveDateTime>)>,
    /// List totals by filter, of the same stamp as the answers.
    totals: HashMap<String, i64>,
}

impl Inner {
    fn clear(&mut self) {
        self.store.clear();
        self.totals.clear();
    }
}

/// Totals remembered at most (a filter each); past it they start over.
const MAX_TOTALS: usize = 4096;

impl PublicCache {
    /// A cache of `max_bytes` (0: off) whose stamp follows `db`'s writes.
    pub fn new(max_bytes: usize, db: Db) -> Self {
        let shared = Shared {
            max_bytes,
            db,
            generation: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            inner: Mutex::new(Inner {
                store: Store::new(max_bytes),
                stamp: Stamp {
                    generation: 0,
                    writes: 0,
                    epoch: 0,
                },
                go_live: None,
                totals: HashMap::new(),
            }),
            wake: Arc::default(),
            keys: keys::KeyMemo::default(),
        };
        Self {
            shared: Arc::new(shared),
        }
    }

    /// Whether answers are cached at all (`CACHE_MAX_BYTES` above 0).
    pub fn enabled(&self) -> bool {
        self.shared.max_bytes > 0
    }

    /// The stamp of the content as this instance knows it now.
    pub fn stamp(&self) -> Stamp {
        Stamp {
            generation: self.shared.generation.load(Ordering::Acquire),
            writes: self.shared.db.writes(),
            epoch: self.shared.epoch.load(Ordering::Acquire),
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The stored answer for `key`, as of `now`.
    pub fn lookup(&self, key: &str, now: NaiveDateTime) -> Lookup {
        let found = self.find(key, now);
        let counter = match found {
            Lookup::Hit(_) => &self.shared.hits,
            Lookup::Miss(_) => &self.shared.misses,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    fn find(&self, key: &str, now: NaiveDateTime) -> Lookup {
        let mut inner = self.inner();
        let Some(stamp) = self.vouched(&mut inner, now) else {
            return Lookup::Miss(None);
        };
        match inner.store.get(key) {
            Some(entry) => Lookup::Hit(entry),
            None => Lookup::Miss(Some(stamp)),
        }
    }

    /// The current stamp if stored answers may be used under it as of
    /// `now`: what was stored under another stamp is dropped first, and a
    /// scheduled article whose time has come starts a new one.
    fn vouched(&self, inner: &mut Inner, now: NaiveDateTime) -> Option<Stamp> {
        let stamp = self.stamp();
        if inner.stamp != stamp {
            inner.clear();
            inner.stamp = stamp;
        }
        match inner.go_live {
            Some((known, next)) if known == stamp => {
                if next.is_some_and(|at| now >= at) {
                    // A scheduled article's time has come: a new generation.
                    self.shared.epoch.fetch_add(1, Ordering::AcqRel);
                    inner.clear();
                    inner.stamp = self.stamp();
                    inner.go_live = None;
                    self.shared.wake.notify_one();
                    return None;
                }
                Some(stamp)
            }
            _ => {
                self.shared.wake.notify_one();
                None
            }
        }
    }

    /// A list total counted under the current content for the filter
    /// `key`, and the stamp to keep a fresh count under (`None`: do not).
    /// Lists of any caller share these: a total depends on the filter only.
    pub fn total(&self, key: &str, now: NaiveDateTime) -> (Option<i64>, Option<Stamp>) {
        if !self.enabled() {
            return (None, None);
        }
        let mut inner = self.inner();
        let stamp = self.vouched(&mut inner, now);
        (stamp.and_then(|_| inner.totals.get(key).copied()), stamp)
    }

    /// Keeps a total counted under `ticket` (see [`PublicCache::store`]).
    pub fn keep_total(&self, key: String, total: i64, ticket: Stamp, now: NaiveDateTime) {
        if let Some(mut inner) = self.still(ticket, now) {
            if inner.totals.len() >= MAX_TOTALS {
                inner.totals.clear();
            }
            inner.totals.insert(key, total);
        }
    }

    /// Keeps `entry` for `key` if the content is still what it was at the
    /// lookup (`ticket`) and no scheduled article went live meanwhile.
    pub fn store(&self, key: String, entry: Arc<Entry>, ticket: Stamp, now: NaiveDateTime) {
        if let Some(mut inner) = self.still(ticket, now) {
            inner.store.insert(key, entry);
        }
    }

    /// The stored state, if what was read under `ticket` may still be kept
    /// at `now`: the content has not changed and no scheduled article has
    /// gone live since.
    fn still(&self, ticket: Stamp, now: NaiveDateTime) -> Option<MutexGuard<'_, Inner>> {
        if self.stamp() != ticket {
            return None;
        }
        let inner = self.inner();
        let vouched = matches!(inner.go_live, Some((known, next))
            if known == ticket && next.is_none_or(|at| now < at));
        (inner.stamp == ticket && vouched).then_some(inner)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        let inner = self.inner();
        Stats {
            hits: self.shared.hits.load(Ordering::Relaxed),
            misses: self.shared.misses.load(Ordering::Relaxed),
            evictions: inner.store.evictions(),
            bytes: inner.store.bytes() as u64,
            entries: inner.store.len() as u64,
            generation: self.shared.generation.load(Ordering::Relaxed),
        }
    }

    /// Verified API keys (see [`keys::KeyMemo`]).
    pub fn keys(&self) -> &keys::KeyMemo {
        &self.shared.keys
    }

    /// Records a generation read or heard from the database (never goes
    /// back: a notification may overtake a slower read).
    fn observe_generation(&self, generation: u64) {
        self.shared
            .generation
            .fetch_max(generation, Ordering::AcqRel);
    }

    /// Records the next go-live time read while the stamp was `at`; refused
    /// (false) when the stamp moved meanwhile, as the read may predate it.
    fn vouch(&self, at: Stamp, next: Option<NaiveDateTime>) -> bool {
        let mut inner = self.inner();
        if self.stamp() != at {
            return false;
        }
        inner.go_live = Some((at, next));
        true
    }

    /// The watcher lost the database: forget everything and store nothing
    /// until it is back (writes elsewhere would go unnoticed).
    fn lose_touch(&self) {
        let mut inner = self.inner();
        self.shared.epoch.fetch_add(1, Ordering::AcqRel);
        inner.clear();
        inner.go_live = None;
    }
}
