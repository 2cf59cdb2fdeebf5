//! Prometheus metrics: requests by route pattern, method and status with
//! latency histograms (`middleware.rs`), and the text exposition at
//! `/metrics` with the pool, cache and database-error figures
//! (`exposition.rs`).

mod exposition;
mod middleware;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

pub use exposition::serve;
pub use middleware::record;

/// Upper bounds (seconds) of the latency histogram's buckets.
pub const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Database errors that became a 500 or a 503, in this process.
static DATABASE_ERRORS: AtomicU64 = AtomicU64::new(0);

/// Counts a database error that became a 500 or a 503.
pub fn database_error() {
    DATABASE_ERRORS.fetch_add(1, Ordering::Relaxed);
}

/// Database errors counted so far in this process.
pub fn database_errors() -> u64 {
    DATABASE_ERRORS.load(Ordering::Relaxed)
}

/// Which requests a series counts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    /// The route pattern (`/api/v1/articles/{id_or_slug}`), or `unmatched`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The status answered.
    pub status: u16,
}

/// A count, a latency sum and the histogram's cumulative-to-be buckets.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Requests.
    pub count: u64,
    /// Sum of their latencies in seconds.
    pub sum: f64,
    /// Requests per bucket of [`BUCKETS`] (not cumulative; the exposition
    /// adds them up).
    pub buckets: [u64; BUCKETS.len()],
}

/// Request series of one server.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<HashMap<SeriesKey, Series>>,
}

impl Metrics {
    /// Adds one request to its series.
    pub fn observe(&self, key: SeriesKey, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let series = requests.entry(key).or_default();
        series.count += 1;
        series.sum += seconds;
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            series.buckets[i] += 1;
        }
    }

    /// Every series, sorted.
    pub fn snapshot(&self) -> Vec<(SeriesKey, Series)> {
        let requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        let mut all: Vec<_> = requests
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }
}
