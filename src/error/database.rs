//! Database failures as API errors: a missing row is a 404, a clash with a
//! unique value a 409 naming the field, an unusable pool a 503, anything
//! else a 500 whose cause is logged.

use super::ApiError;

impl From<diesel::result::Error> for ApiError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match err {
            Error::NotFound => Self::NotFound("resource not found".to_owned()),
            Error::DatabaseError(Kind::UniqueViolation, info) => Self::Duplicate {
                field: clashing_column(info.as_ref()).unwrap_or_else(|| {
                    tracing::warn!(constraint = ?info.constraint_name(), "unique violation on an unknown column");
                    "id".to_owned()
                }),
            },
            Error::DatabaseError(Kind::ForeignKeyViolation, _) => Self::Conflict {
                code: "referenced",
                detail: "the change conflicts with related resources".to_owned(),
            },
            Error::DatabaseError(Kind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            Error::BrokenTransactionManager => {
                Self::Unavailable("broken transaction manager".to_owned())
            }
            other => Self::Internal(other.to_string()),
        }
    }
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
        Self::Unavailable(format!("database pool: {err}"))
    }
}
