//! Database failures as API errors: a missing row is a 404, a clash with a
//! unique value a 409 naming the field, an unusable pool a 503, anything
//! else a 500 whose cause is logged.

use super::ApiError;

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        let mapped = map(err);
        if matches!(mapped, Self::Unavailable(_) | Self::Internal(_)) {
            crate::metrics::database_error();
        }
        mapped
    }
}

/// The mapping itself (the `From` impl also counts outages and bugs).
fn map(err: diesel::result::Error) -> ApiError {
    use diesel::result::{DatabaseErrorKind as Kind, Error};
    match err {
            Error::NotFound => ApiError::NotFound("resource not found".to_owned()),
            Error::DatabaseError(Kind::UniqueViolation, info) => ApiError::Duplicate {
                field: clashing_column(info.as_ref()).unwrap_or_else(|| {
                    tracing::warn!(constraint = ?info.constraint_name(), "unique violation on an unknown column");
                    "id".to_owned()
                }),
            },
            Error::DatabaseError(Kind::ForeignKeyViolation, _) => ApiError::Conflict {
                code: "referenced",
                detail: "the change conflicts with related resources".to_owned(),
            },
            Error::DatabaseError(
                Kind::ClosedConnection | Kind::UnableToSendCommand | Kind::SerializationFailure,
                info,
            ) => ApiError::Unavailable(info.message().to_owned()),
            Error::DatabaseError(_, info) if unavailable(info.message()) => {
                ApiError::Unavailable(info.message().to_owned())
            }
            Error::BrokenTransactionManager => {
                ApiError::Unavailable("broken transaction manager".to_owned())
            }
            other => ApiError::Internal(other.to_string()),
    }
}

/// Whether a database error says the database is unavailable or
/// overloaded rather than that the request or the code is wrong: the server
/// is shutting down or restarting (SQLSTATE 57P01-57P03), a statement was
/// cancelled by the statement timeout (57014), too many connections or
/// resources (53xxx), the connection broke (08xxx), a deadlock or
/// serialization failure (40xxx, retryable), or SQLite stayed busy past its
/// busy timeout. diesel-async reports these with only PostgreSQL's message
/// text (not the SQLSTATE), so they are recognised by it; the server's
/// messages are English unless `lc_messages` is changed.
fn unavailable(message: &str) -> bool {
    const SIGNS: [&str; 15] = [
        "terminating connection",
        "the database system is",
        "canceling statement due to",
        "too many clients",
        "too many connections",
        "remaining connection slots",
        "out of memory",
        "could not resize shared memory",
        "no space left on device",
        "deadlock detected",
        "could not serialize access",
        "connection to server",
        "server closed the connection",
        "database is locked",
        "database table is locked",
    ];
    let message = message.to_ascii_lowercase();
    SIGNS.iter().any(|sign| message.contains(sign))
}

/// The column a unique violation names: PostgreSQL's detail reads
/// `Key (slug)=(…) already exists.`, SQLite's message
/// `UNIQUE constraint failed: tags.slug`. Columns are named like the request
/// fields that fill them.
fn clashing_column(info: &dyn diesel::result::DatabaseErrorInformation) -> Option<String> {
    if let Some(columns) = info
        .details()
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(")=").map(|(columns, _)| columns))
    {
        return Some(columns.to_owned());
    }
    let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
    let names: Vec<&str> = columns
        .split(", ")
        .map(|c| c.rsplit('.').next().unwrap_or(c))
        .collect();
    Some(names.join(", "))
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for ApiError {
    fn from(err: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        crate::metrics::database_error();
        Self::Unavailable(format!("database pool: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use crate::error::ApiError;
    use diesel::result::{DatabaseErrorKind as Kind, Error};

    fn mapped(kind: Kind, message: &str) -> ApiError {
        ApiError::from(Error::DatabaseError(kind, Box::new(message.to_owned())))
    }

    #[test]
    fn outages_and_overload_are_503_and_bugs_500() {
        for (kind, message) in [
            (
                Kind::Unknown,
                "terminating connection due to administrator command",
            ),
            (
                Kind::Unknown,
                "canceling statement due to statement timeout",
            ),
            (Kind::Unknown, "the database system is shutting down"),
            (Kind::Unknown, "sorry, too many clients already"),
            (Kind::Unknown, "database is locked"),
            (Kind::UnableToSendCommand, "connection closed"),
            (Kind::ClosedConnection, "connection closed"),
            (Kind::SerializationFailure, "could not serialize access"),
        ] {
            assert!(
                matches!(mapped(kind, message), ApiError::Unavailable(_)),
                "{message}"
            );
        }
        assert!(matches!(
            mapped(Kind::Unknown, "syntax error at or near \"SELEC\""),
            ApiError::Internal(_)
        ));
    }
}
