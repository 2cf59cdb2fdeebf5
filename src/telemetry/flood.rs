//! Repeated failures are logged sparingly: the first of a kind at once,
//! then one summary line per kind and interval with how many more there
//! were. While the database is down every request fails the same way, and
//! a line per request (135,000 in a six-second outage) buries everything
//! else and costs as much as the requests.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// How often the counts of suppressed lines are written.
pub const INTERVAL: Duration = Duration::from_secs(10);

struct Kind {
    /// When the current interval began.
    since: Instant,
    /// Occurrences not logged since.
    suppressed: u64,
}

static KINDS: LazyLock<Mutex<HashMap<&'static str, Kind>>> = LazyLock::new(Mutex::default);

/// Whether to log this occurrence of `kind` on its own: the first in an
/// interval, yes; the rest are counted for [`flush`].
pub fn first(kind: &'static str) -> bool {
    let mut kinds = KINDS.lock().unwrap_or_else(|poison| poison.into_inner());
    let now = Instant::now();
    match kinds.get_mut(kind) {
        Some(entry) if now.duration_since(entry.since) < INTERVAL => {
            entry.suppressed += 1;
            false
        }
        Some(entry) => {
            if entry.suppressed > 0 {
                summary(kind, entry.suppressed, now.duration_since(entry.since));
            }
            *entry = Kind {
                since: now,
                suppressed: 0,
            };
            true
        }
        None => {
            kinds.insert(
                kind,
                Kind {
                    since: now,
                    suppressed: 0,
                },
            );
            true
        }
    }
}

/// Writes a summary line for every kind with suppressed occurrences and
/// starts its count again. Called every [`INTERVAL`] by [`spawn_flusher`].
pub fn flush() {
    let mut kinds = KINDS.lock().unwrap_or_else(|poison| poison.into_inner());
    let now = Instant::now();
    for (kind, entry) in kinds.iter_mut() {
        if entry.suppressed > 0 {
            summary(kind, entry.suppressed, now.duration_since(entry.since));
            entry.suppressed = 0;
            entry.since = now;
        }
    }
}

fn summary(kind: &str, count: u64, over: Duration) {
    tracing::warn!(
        kind,
        count,
        seconds = over.as_secs(),
        "{count} more of the same in the last {} s",
        over.as_secs()
    );
}

/// Flushes the counts every [`INTERVAL`] for as long as the runtime runs.
pub fn spawn_flusher() {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(INTERVAL);
        loop {
            tick.tick().await;
            flush();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_a_kind_is_logged_and_the_rest_counted() {
        assert!(first("test kind a"));
        assert!(!first("test kind a"));
        assert!(!first("test kind a"));
        assert!(first("test kind b"));
        let suppressed = KINDS.lock().unwrap()["test kind a"].suppressed;
        assert_eq!(suppressed, 2);
        flush();
        assert_eq!(KINDS.lock().unwrap()["test kind a"].suppressed, 0);
    }
}
