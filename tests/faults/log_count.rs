//! Counts the server's warning and error lines, to show that an outage
//! does not flood the log.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

static LINES: AtomicUsize = AtomicUsize::new(0);

struct Count;

impl<S: Subscriber> Layer<S> for Count {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() <= Level::WARN {
            LINES.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Installs the counter as the process's subscriber (once).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        tracing_subscriber::registry()
            .with(Count.with_filter(LevelFilter::WARN))
            .init()
    });
}

/// Warning and error lines so far.
pub fn lines() -> usize {
    LINES.load(Ordering::Relaxed)
}
