//! Tracing subscriber set-up: structured logs, filter from configuration;
//! repeated failures logged sparingly ([`flood`]).

pub mod flood;

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

/// Libraries that log statement parameters (e-mails, password hashes) at
/// debug level, capped at `info` whatever `LOG_FILTER` says: personal data
/// and secrets stay out of the logs at every level.
const QUIET: [&str; 2] = ["tokio_postgres=info", "postgres_protocol=info"];

/// Installs the global subscriber (once; later calls are ignored).
pub fn init(filter: &str, format: LogFormat) {
    let filter = filter_of(filter);
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

/// `LOG_FILTER` with the [`QUIET`] caps added last (so they win).
fn filter_of(filter: &str) -> EnvFilter {
    let mut filter = EnvFilter::try_new(filter).unwrap_or_else(|e| {
        eprintln!("invalid LOG_FILTER {filter:?} ({e}); using \"info\"");
        EnvFilter::new("info")
    });
    for directive in QUIET {
        filter = filter.add_directive(directive.parse().expect("valid directive"));
    }
    filter
}
