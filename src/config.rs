//! Typed configuration read from the environment (and `.env` via dotenvy).
//!
//! Every variable is documented in `.env.example` and the README. Secrets are
//! wrapped in [`Secret`] so `Debug` never prints them.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

/// Default SQLite file used when `DATABASE_URL` is unset.
pub const DEFAULT_SQLITE_PATH: &str = "cms.db";

/// Where the data lives; chosen explicitly from the URL scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `postgres://` or `postgresql://` URL.
    Postgres(String),
    /// Path of a SQLite file (from `sqlite://path`, `sqlite:path` or the default).
    Sqlite(String),
}

impl DatabaseUrl {
    /// Parses `DATABASE_URL`; `None` or empty selects the default SQLite file.
    pub fn parse(raw: Option<&str>) -> Result<Self, ConfigError> {
        let raw = raw.map(str::trim).unwrap_or_default();
        if raw.is_empty() {
            return Ok(Self::Sqlite(DEFAULT_SQLITE_PATH.to_owned()));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_owned()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(ConfigError::invalid(
                    "DATABASE_URL",
                    "the SQLite path is empty",
                ));
            }
            return Ok(Self::Sqlite(path.to_owned()));
        }
        Err(ConfigError::invalid(
            "DATABASE_URL",
            "unsupported scheme: use postgres://… or sqlite://path (no silent fallback)",
        ))
    }

    /// Name of the backend, as shown in logs and `/health/ready`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Sqlite(_) => "sqlite",
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    /// Shows the backend and host/path but never a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Postgres(raw) => {
                let shown = url::Url::parse(raw)
                    .map(|mut u| {
                        if u.password().is_some() {
                            let _ = u.set_password(Some("redacted"));
                        }
                        u.to_string()
                    })
                    .unwrap_or_else(|_| "postgres://(unparsable)".to_owned());
                write!(f, "Postgres({shown})")
            }
            Self::Sqlite(path) => write!(f, "Sqlite({path})"),
        }
    }
}

/// A secret value whose `Debug` output is redacted.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret string.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The secret itself; call only where it is used, never to log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Deployment mode: production refuses unsafe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// Local development: missing secrets are generated with a warning.
    Development,
    /// Production: missing secrets are a start-up error.
    Production,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line (for log shippers).
    Json,
}

/// The whole service configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// `APP_ENV`: development (default) or production.
    pub environment: Environment,
    /// `DATABASE_URL`: backend and location.
    pub database_url: DatabaseUrl,
    /// `DATABASE_POOL_SIZE`: maximum pooled connections.
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
}

/// A variable that is present but unusable.
#[derive(Debug, thiserror::Error)]
#[error("invalid {name}: {reason}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub name: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

impl ConfigError {
    pub(crate) fn invalid(name: &'static str, reason: impl Into<String>) -> Self {
        Self {
            name,
            reason: reason.into(),
        }
    }
}

/// Minimum length of a configured `JWT_SECRET` in bytes (256 bits).
pub const MIN_JWT_SECRET_LEN: usize = 32;

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
        let environment = match get("APP_ENV").as_deref() {
            None | Some("development") | Some("dev") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(_) => {
                return Err(ConfigError::invalid(
                    "APP_ENV",
                    "use development or production",
                ))
            }
        };
        let (jwt_secret, jwt_secret_generated) = match get("JWT_SECRET") {
            Some(s) if s.len() >= MIN_JWT_SECRET_LEN => (Secret::new(s), false),
            Some(_) => {
                return Err(ConfigError::invalid(
                    "JWT_SECRET",
                    format!("must be at least {MIN_JWT_SECRET_LEN} bytes"),
                ))
            }
            None if environment == Environment::Production => {
                return Err(ConfigError::invalid(
                    "JWT_SECRET",
                    "required when APP_ENV=production",
                ))
            }
            None => (Secret::new(random_secret()), true),
        };
        let jwt_previous_secrets = get("JWT_PREVIOUS_SECRETS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        if s.len() >= MIN_JWT_SECRET_LEN {
                            Ok(Secret::new(s))
                        } else {
                            Err(ConfigError::invalid(
                                "JWT_PREVIOUS_SECRETS",
                                format!("each secret must be at least {MIN_JWT_SECRET_LEN} bytes"),
                            ))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            environment,
            database_url: DatabaseUrl::parse(get("DATABASE_URL").as_deref())?,
            pool_size: parse_or(&get, "DATABASE_POOL_SIZE", 10usize, 1..=1000)?,
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
            jwt_previous_secrets,
            jwt_secret_generated,
            log_filter: get("LOG_FILTER")
                .or_else(|| get("RUST_LOG"))
                .unwrap_or_else(|| "info".to_owned()),
            log_format: match get("LOG_FORMAT").as_deref() {
                None | Some("pretty") => LogFormat::Pretty,
                Some("json") => LogFormat::Json,
                Some(_) => return Err(ConfigError::invalid("LOG_FORMAT", "use pretty or json")),
            },
            cors_origins: get("CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            json_body_limit: parse_or(
                &get,
                "JSON_BODY_LIMIT",
                1_048_576usize,
                1024..=64 * 1_048_576,
            )?,
            shutdown_timeout_secs: parse_or(&get, "SHUTDOWN_TIMEOUT_SECS", 25u64, 0..=600)?,
            body_read_timeout_secs: parse_or(&get, "BODY_READ_TIMEOUT_SECS", 15u64, 1..=600)?,
            bootstrap_admin_token: match get("BOOTSTRAP_ADMIN_TOKEN") {
                Some(t) if t.len() >= MIN_JWT_SECRET_LEN => Some(Secret::new(t)),
                Some(_) => {
                    return Err(ConfigError::invalid(
                        "BOOTSTRAP_ADMIN_TOKEN",
                        format!("must be at least {MIN_JWT_SECRET_LEN} bytes"),
                    ))
                }
                None => None,
            },
            jwt_issuer: get("JWT_ISSUER").unwrap_or_else(|| "cms".to_owned()),
            jwt_audience: get("JWT_AUDIENCE").unwrap_or_else(|| "cms-api".to_owned()),
            access_token_ttl_secs: parse_or(&get, "ACCESS_TOKEN_TTL_SECS", 900u64, 60..=3600)?,
            refresh_token_ttl_days: parse_or(&get, "REFRESH_TOKEN_TTL_DAYS", 30u64, 1..=365)?,
            login_max_failures: parse_or(&get, "LOGIN_MAX_FAILURES", 5u32, 1..=1000)?,
            login_ip_max_failures: parse_or(&get, "LOGIN_IP_MAX_FAILURES", 20u32, 1..=100_000)?,
            login_window_secs: parse_or(&get, "LOGIN_WINDOW_SECS", 900u64, 1..=86_400)?,
            trusted_proxies: get("TRUSTED_PROXIES")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            p.parse::<std::net::IpAddr>()
                                .map(|ip| ip.to_canonical())
                                .map_err(|_| {
                                    ConfigError::invalid(
                                        "TRUSTED_PROXIES",
                                        format!("not an IP address: {p}"),
                                    )
                                })
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?
                .unwrap_or_default(),
            comments: crate::comments::settings::CommentSettings::from_lookup(&get)?,
        })
    }
}

pub(crate) fn parse_or<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display,
{
    let Some(raw) = get(name) else {
        return Ok(default);
    };
    let value: T = raw
        .trim()
        .parse()
        .map_err(|_| ConfigError::invalid(name, format!("not a number: {raw:?}")))?;
    if !range.contains(&value) {
        return Err(ConfigError::invalid(
            name,
            format!("must be between {} and {}", range.start(), range.end()),
        ));
    }
    Ok(value)
}

pub(crate) fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name).as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(_) => Err(ConfigError::invalid(name, "use true or false")),
    }
}

/// 256 random bits, hex encoded.
fn random_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
