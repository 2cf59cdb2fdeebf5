//! Authors and tags share their public reads: both are named, slugged
//! resources readers browse by name with the number of published articles
//! each has. [`Catalog`] is what a resource supplies; [`list`] and [`get`]
//! are the handlers' bodies.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use diesel::result::QueryResult;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::time::now;
use crate::db::Conn;
use crate::error::{ApiResult, OrNotFound};
use crate::http::caching::{cached_json, Visibility};
use crate::http::pagination::{page_response, PageRequest};
use crate::http::params::IdOrSlug;
use crate::http::PageParams;
use crate::state::AppState;

/// A resource of the catalog: its queries and its public shape.
pub(crate) trait Catalog {
    /// The stored row.
    type Row;
    /// What readers get.
    type Response: Serialize + ToSchema;
    /// What the API calls one ("tag"), in 404s.
    const NAME: &'static str;

    /// One row by id or slug.
    async fn find(conn: &mut Conn, key: &IdOrSlug) -> QueryResult<Option<Self::Row>>;
    /// A page of rows by name, and the total.
    async fn page(conn: &mut Conn, offset: i64, limit: i64) -> QueryResult<(Vec<Self::Row>, i64)>;
    /// Published articles per row id (one grouped query).
    async fn published_counts(
        conn: &mut Conn,
        ids: &[i64],
        now: NaiveDateTime,
    ) -> QueryResult<HashMap<i64, i64>>;
    /// The row's id.
    fn id(row: &Self::Row) -> i64;
    /// The public shape of a row with its published-article count.
    fn respond(row: Self::Row, published: i64) -> Self::Response;
}

/// `GET /api/v1/<resource>`: a page by name, with counts.
pub(crate) async fn list<C: Catalog>(
    state: &AppState,
    req: &HttpRequest,
    params: &PageParams,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::pages(params)?;
    let mut conn = state.db.reader().await?;
    let (rows, total) = C::page(&mut conn, page.offset(), page.limit()).await?;
    let data = with_counts::<C>(&mut conn, rows).await?;
    page_response(req, &page, data, total, Visibility::Public)
}

/// `GET /api/v1/<resource>/{id_or_slug}`: one, with its count.
pub(crate) async fn get<C: Catalog>(
    state: &AppState,
    req: &HttpRequest,
    path: &str,
) -> ApiResult<HttpResponse> {
    let key = IdOrSlug::parse(path, C::NAME)?;
    let mut conn = state.db.reader().await?;
    let row = C::find(&mut conn, &key).await?.or_not_found(C::NAME)?;
    let body = with_count::<C>(&mut conn, row).await?;
    cached_json(req, &body, Visibility::Public, "", None)
}

/// The public shapes of `rows`, with their published-article counts.
pub(crate) async fn with_counts<C: Catalog>(
    conn: &mut Conn,
    rows: Vec<C::Row>,
) -> ApiResult<Vec<C::Response>> {
    let ids: Vec<i64> = rows.iter().map(C::id).collect();
    let counts = C::published_counts(conn, &ids, now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let count = counts.get(&C::id(&row)).copied().unwrap_or(0);
            C::respond(row, count)
        })
        .collect())
}

/// The public shape of one row, with its count.
pub(crate) async fn with_count<C: Catalog>(conn: &mut Conn, row: C::Row) -> ApiResult<C::Response> {
    let mut one = with_counts::<C>(conn, vec![row]).await?;
    Ok(one.remove(0))
}
