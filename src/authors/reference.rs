//! `author_id` in request bodies: it must name an existing author.

use super::model;
use crate::db::Conn;
use crate::error::{ApiError, ApiResult};

/// 409 (`unknown_reference` on `author_id`) unless author `id` exists.
pub async fn require_author(conn: &mut Conn, id: i64) -> ApiResult<()> {
    if model::exists(conn, id).await? {
        Ok(())
    } else {
        Err(ApiError::UnknownReference {
            field: "author_id",
            detail: format!("no author has the id {id}"),
        })
    }
}
