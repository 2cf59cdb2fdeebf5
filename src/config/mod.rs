//! Typed configuration read from the environment (and `.env` via dotenvy).
//!
//! Every variable is documented in `docs/configuration.md` and
//! `.env.example` (a test checks both). Secrets are
//! wrapped in [`Secret`] so `Debug` never prints them.

mod values;

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use values::{long_secret, random_secret};
pub(crate) use values::{parse_bool, parse_list, parse_or};
pub use values::{ConfigError, DatabaseUrl, Environment, LogFormat, Secret, MIN_JWT_SECRET_LEN};

/// Default SQLite file used when `DATABASE_URL` is unset.
pub use values::DEFAULT_SQLITE_PATH;

/// The whole service configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `APP_ENV`: development (default) or production.
    pub environment: Environment,
    /// `DATABASE_URL`: backend and location.
    pub database_url: DatabaseUrl,
    /// `DATABASE_POOL_SIZE`: maximum pooled connections (on SQLite, reader
    /// connections; writes have one of their own).
    pub pool_size: usize,
    /// `DATABASE_TIMEOUT_MS`: pool wait/connect timeout and statement timeout.
    pub db_timeout: Duration,
    /// `RUN_MIGRATIONS`: apply pending migrations at start.
    pub run_migrations: bool,
    /// `BIND_ADDR`: listen address.
    pub bind_addr: SocketAddr,
    /// `WORKERS`: HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// `JWT_SECRET`: HMAC key for access tokens.
    pub jwt_secret: Secret,
    /// `JWT_PREVIOUS_SECRETS`: retired signing keys still accepted for
    /// verification while tokens signed with them run out (key rotation).
    pub jwt_previous_secrets: Vec<Secret>,
    /// True when `JWT_SECRET` was unset and a random one was generated.
    pub jwt_secret_generated: bool,
    /// `LOG_FILTER` (or `RUST_LOG`): tracing filter directives.
    pub log_filter: String,
    /// `LOG_FORMAT`: pretty or json.
    pub log_format: LogFormat,
    /// `CORS_ORIGINS`: comma-separated allowed origins; empty disables CORS.
    pub cors_origins: Vec<String>,
    /// `JSON_BODY_LIMIT`: maximum JSON request body in bytes.
    pub json_body_limit: usize,
    /// `SHUTDOWN_TIMEOUT_SECS`: grace period for in-flight requests on SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// `BODY_READ_TIMEOUT_SECS`: time allowed for a request body to arrive
    /// after its head (408 after that).
    pub body_read_timeout_secs: u64,
    /// `DATABASE_STARTUP_TIMEOUT_SECS`: how long start-up keeps retrying a
    /// database that does not answer yet before it gives up.
    pub db_startup_timeout: Duration,
    /// `MAX_CONNECTIONS`: open client connections per worker; beyond it new
    /// connections wait in the listen backlog.
    pub max_connections: usize,
    /// `LISTEN_BACKLOG`: connections the kernel queues before `accept`.
    pub backlog: u32,
    /// `KEEP_ALIVE_SECS`: how long an idle keep-alive connection stays open.
    pub keep_alive_secs: u64,
    /// `REQUEST_HEAD_TIMEOUT_MS`: time allowed for a request's head to arrive
    /// (408 after that). At least a second: actix-http measures it from a
    /// clock it refreshes every 500 ms, so it may fire up to 500 ms early.
    pub request_head_timeout: Duration,
    /// `IDEMPOTENCY_KEY_TTL_SECS`: how long an `Idempotency-Key` and its
    /// stored answer are kept.
    pub idempotency_key_ttl_secs: u64,
    /// `BOOTSTRAP_ADMIN_TOKEN`: a static bearer token with admin rights, for
    /// provisioning before any user exists; unset disables it.
    pub bootstrap_admin_token: Option<Secret>,
    /// `JWT_ISSUER`: the `iss` of access tokens.
    pub jwt_issuer: String,
    /// `JWT_AUDIENCE`: the `aud` of access tokens.
    pub jwt_audience: String,
    /// `ACCESS_TOKEN_TTL_SECS`: access-token lifetime.
    pub access_token_ttl_secs: u64,
    /// `REFRESH_TOKEN_TTL_DAYS`: refresh-token lifetime.
    pub refresh_token_ttl_days: u64,
    /// `LOGIN_MAX_FAILURES`: failed logins per account per window before 429.
    pub login_max_failures: u32,
    /// `LOGIN_IP_MAX_FAILURES`: failed logins per client IP per window before 429.
    pub login_ip_max_failures: u32,
    /// `LOGIN_WINDOW_SECS`: the throttle window (and lock-out) length.
    pub login_window_secs: u64,
    /// `TRUSTED_PROXIES`: peer IPs whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `COMMENT_*`: moderation and spam rules for reader comments.
    pub comments: crate::comments::settings::CommentSettings,
    /// `CACHE_*`: the cache of public answers.
    pub cache: crate::cache::CacheSettings,
    /// `METRICS_TOKEN`: bearer token for `/metrics`; unset turns it off.
    pub metrics_token: Option<Secret>,
    /// `MEDIA_*`: the media library.
    pub media: crate::media::MediaSettings,
    /// `REVISIONS_*`: how long article revisions are kept.
    pub revisions: crate::articles::retention::RevisionSettings,
    /// `TRASH_*`: how long deleted articles stay in the trash.
    pub trash: crate::articles::trash::TrashSettings,
    /// `WEBHOOK_*` and `SCHEDULER_INTERVAL_SECS`: webhook delivery.
    pub webhooks: crate::webhooks::WebhookSettings,
    /// `SITE_*`, `ARTICLE_URL_TEMPLATE`, `FEED_*`: the public site and its
    /// feeds.
    pub feeds: crate::feeds::FeedSettings,
    /// `SITEMAP_*`: the sitemaps.
    pub sitemaps: crate::sitemaps::SitemapSettings,
}

impl Config {
    /// Every key a signature may verify with: the current `JWT_SECRET`
    /// first, then the retired ones.
    pub fn jwt_secrets(&self) -> impl Iterator<Item = &Secret> {
        std::iter::once(&self.jwt_secret).chain(&self.jwt_previous_secrets)
    }

    /// Reads the process environment, after loading `.env` if present.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let environment = environment(&get)?;
        let (jwt_secret, jwt_secret_generated) = signing_secret(&get, environment)?;
        let database_url = DatabaseUrl::parse(get("DATABASE_URL").as_deref())?;
        let default_pool = default_pool_size(&database_url);
        let media = crate::media::MediaSettings::from_lookup(&get, &database_url)?;
        Ok(Self {
            environment,
            database_url,
            pool_size: parse_or(&get, "DATABASE_POOL_SIZE", default_pool, 1..=1000)?,
            db_timeout: Duration::from_millis(parse_or(
                &get,
                "DATABASE_TIMEOUT_MS",
                5000u64,
                100..=600_000,
            )?),
            run_migrations: parse_bool(&get, "RUN_MIGRATIONS", true)?,
            bind_addr: get("BIND_ADDR")
                .unwrap_or_else(|| "127.0.0.1:8080".to_owned())
                .parse()
                .map_err(|_| {
                    ConfigError::invalid("BIND_ADDR", "expected host:port, e.g. 127.0.0.1:8080")
                })?,
            workers: get("WORKERS")
                .map(|_| parse_or(&get, "WORKERS", 1usize, 1..=256))
                .transpose()?,
            jwt_secret,
            jwt_previous_secrets: parse_list(&get, "JWT_PREVIOUS_SECRETS", |s| {
                long_secret(s).map_err(|e| format!("each secret {e}"))
            })?,
            jwt_secret_generated,
            log_filter: get("LOG_FILTER")
                .or_else(|| get("RUST_LOG"))
                .unwrap_or_else(|| "info".to_owned()),
            log_format: log_format(&get)?,
            cors_origins: parse_list(&get, "CORS_ORIGINS", |o| Ok(o.to_owned()))?,
            json_body_limit: parse_or(
                &get,
                "JSON_BODY_LIMIT",
                1_048_576usize,
                1024..=64 * 1_048_576,
            )?,
            shutdown_timeout_secs: parse_or(&get, "SHUTDOWN_TIMEOUT_SECS", 25u64, 0..=600)?,
            body_read_timeout_secs: parse_or(&get, "BODY_READ_TIMEOUT_SECS", 15u64, 1..=600)?,
            db_startup_timeout: Duration::from_secs(parse_or(
                &get,
                "DATABASE_STARTUP_TIMEOUT_SECS",
                30u64,
                0..=3600,
            )?),
            max_connections: parse_or(&get, "MAX_CONNECTIONS", 1024usize, 1..=100_000)?,
            backlog: parse_or(&get, "LISTEN_BACKLOG", 1024u32, 1..=65_535)?,
            keep_alive_secs: parse_or(&get, "KEEP_ALIVE_SECS", 5u64, 0..=300)?,
            idempotency_key_ttl_secs: parse_or(
                &get,
                "IDEMPOTENCY_KEY_TTL_SECS",
                86_400u64,
                60..=2_592_000,
            )?,
            request_head_timeout: Duration::from_millis(parse_or(
                &get,
                "REQUEST_HEAD_TIMEOUT_MS",
                5000u64,
                1000..=60_000,
            )?),
            bootstrap_admin_token: get("BOOTSTRAP_ADMIN_TOKEN")
                .map(|t| long_secret(&t))
                .transpose()
                .map_err(|e| ConfigError::invalid("BOOTSTRAP_ADMIN_TOKEN", e))?,
            jwt_issuer: get("JWT_ISSUER").unwrap_or_else(|| "cms".to_owned()),
            jwt_audience: get("JWT_AUDIENCE").unwrap_or_else(|| "cms-api".to_owned()),
            access_token_ttl_secs: parse_or(&get, "ACCESS_TOKEN_TTL_SECS", 900u64, 60..=3600)?,
            refresh_token_ttl_days: parse_or(&get, "REFRESH_TOKEN_TTL_DAYS", 30u64, 1..=365)?,
            login_max_failures: parse_or(&get, "LOGIN_MAX_FAILURES", 5u32, 1..=1000)?,
            login_ip_max_failures: parse_or(&get, "LOGIN_IP_MAX_FAILURES", 20u32, 1..=100_000)?,
            login_window_secs: parse_or(&get, "LOGIN_WINDOW_SECS", 900u64, 1..=86_400)?,
            trusted_proxies: parse_list(&get, "TRUSTED_PROXIES", |p| {
                p.parse::<IpAddr>()
                    .map(|ip| ip.to_canonical())
                    .map_err(|_| format!("not an IP address: {p}"))
            })?,
            comments: crate::comments::settings::CommentSettings::from_lookup(&get)?,
            cache: crate::cache::CacheSettings::from_lookup(&get)?,
            metrics_token: get("METRICS_TOKEN")
                .map(|t| long_secret(&t))
                .transpose()
                .map_err(|e| ConfigError::invalid("METRICS_TOKEN", e))?,
            media,
            revisions: crate::articles::retention::RevisionSettings::from_lookup(&get)?,
            trash: crate::articles::trash::TrashSettings::from_lookup(&get)?,
            webhooks: crate::webhooks::WebhookSettings::from_lookup(&get)?,
            feeds: crate::feeds::FeedSettings::from_lookup(&get)?,
            sitemaps: crate::sitemaps::SitemapSettings::from_lookup(&get)?,
        })
    }
}

/// `APP_ENV`: development (the default) or production.
fn environment(get: &impl Fn(&str) -> Option<String>) -> Result<Environment, ConfigError> {
    match get("APP_ENV").as_deref() {
        None | Some("development") | Some("dev") => Ok(Environment::Development),
        Some("production") | Some("prod") => Ok(Environment::Production),
        Some(_) => Err(ConfigError::invalid(
            "APP_ENV",
            "use development or production",
        )),
    }
}

/// `JWT_SECRET`, and whether it was generated (allowed in development only).
fn signing_secret(
    get: &impl Fn(&str) -> Option<String>,
    environment: Environment,
) -> Result<(Secret, bool), ConfigError> {
    match get("JWT_SECRET") {
        Some(s) => long_secret(&s)
            .map(|secret| (secret, false))
            .map_err(|e| ConfigError::invalid("JWT_SECRET", e)),
        None if environment == Environment::Production => Err(ConfigError::invalid(
            "JWT_SECRET",
            "required when APP_ENV=production",
        )),
        None => Ok((Secret::new(random_secret()), true)),
    }
}

/// `LOG_FORMAT`: pretty (the default) or json.
fn log_format(get: &impl Fn(&str) -> Option<String>) -> Result<LogFormat, ConfigError> {
    match get("LOG_FORMAT").as_deref() {
        None | Some("pretty") => Ok(LogFormat::Pretty),
        Some("json") => Ok(LogFormat::Json),
        Some(_) => Err(ConfigError::invalid("LOG_FORMAT", "use pretty or json")),
    }
}

/// PostgreSQL: 10 connections. SQLite: two reader connections per CPU
/// core. SQLite's queries are CPU work in this process, so more readers
/// than that add no throughput and only delay the writer (measured in
/// docs/benchmarks.md).
fn default_pool_size(url: &DatabaseUrl) -> usize {
    match url {
        DatabaseUrl::Postgres(_) => 10,
        DatabaseUrl::Sqlite(_) => 2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_sqlite_and_generates_a_secret() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("cms.db".into()));
        assert!(c.jwt_secret_generated);
        assert_eq!(c.jwt_secret.expose().len(), 64);
        assert_eq!(c.bind_addr.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn chooses_the_backend_by_scheme_and_never_falls_back() {
        let pg = config(&[("DATABASE_URL", "postgresql://u@h/db")]).unwrap();
        assert!(matches!(pg.database_url, DatabaseUrl::Postgres(_)));
        let lite = config(&[("DATABASE_URL", "sqlite://data/x.db")]).unwrap();
        assert_eq!(lite.database_url, DatabaseUrl::Sqlite("data/x.db".into()));
        let err = config(&[("DATABASE_URL", "mysql://h/db")]).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
    }

    #[test]
    fn production_requires_a_long_secret() {
        assert_eq!(
            config(&[("APP_ENV", "production")]).unwrap_err().name,
            "JWT_SECRET"
        );
        assert_eq!(
            config(&[("JWT_SECRET", "short")]).unwrap_err().name,
            "JWT_SECRET"
        );
    }

    #[test]
    fn previous_secrets_are_a_list_of_long_secrets() {
        let c = config(&[
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef-current"),
            (
                "JWT_PREVIOUS_SECRETS",
                " 0123456789abcdef0123456789abcdef-old1 ,,0123456789abcdef0123456789abcdef-old2",
            ),
        ])
        .unwrap();
        let all: Vec<&str> = c.jwt_secrets().map(Secret::expose).collect();
        assert_eq!(
            all,
            [
                "0123456789abcdef0123456789abcdef-current",
                "0123456789abcdef0123456789abcdef-old1",
                "0123456789abcdef0123456789abcdef-old2"
            ]
        );
        assert!(!format!("{c:?}").contains("old1"));
        assert_eq!(
            config(&[("JWT_PREVIOUS_SECRETS", "short")])
                .unwrap_err()
                .name,
            "JWT_PREVIOUS_SECRETS"
        );
    }

    #[test]
    fn debug_output_redacts_secrets_and_passwords() {
        let c = config(&[
            ("JWT_SECRET", "0123456789abcdef0123456789abcdef-top-secret"),
            ("DATABASE_URL", "postgres://app:hunter2@db/cms"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn rejects_out_of_range_numbers() {
        assert_eq!(
            config(&[("DATABASE_POOL_SIZE", "0")]).unwrap_err().name,
            "DATABASE_POOL_SIZE"
        );
        assert_eq!(
            config(&[("JSON_BODY_LIMIT", "lots")]).unwrap_err().name,
            "JSON_BODY_LIMIT"
        );
    }
}
