//! The value types of the configuration and how each is read from a
//! variable: numbers in a range, booleans, lists, secrets.

use std::fmt;

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

/// Minimum length of a configured secret in bytes (256 bits).
pub const MIN_JWT_SECRET_LEN: usize = 32;

/// A number in `range`; `default` when unset.
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

/// `true`/`false` (or 1/0, yes/no, on/off); `default` when unset.
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
pub(crate) fn random_secret() -> String {
    crate::auth::tokens::random_hex(32)
}

/// A comma-separated list, each item trimmed and checked by `item`; empty
/// items are skipped. Unset is an empty list.
pub(crate) fn parse_list<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    item: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, ConfigError> {
    let Some(raw) = get(name) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| item(s).map_err(|reason| ConfigError::invalid(name, reason)))
        .collect()
}

/// A secret of at least [`MIN_JWT_SECRET_LEN`] bytes.
pub(crate) fn long_secret(value: &str) -> Result<Secret, String> {
    if value.len() >= MIN_JWT_SECRET_LEN {
        Ok(Secret::new(value))
    } else {
        Err(format!("must be at least {MIN_JWT_SECRET_LEN} bytes"))
    }
}
