//! List envelopes: `{"data": [...], "meta": {...}}` plus an RFC 8288 `Link`.

use actix_web::HttpRequest;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};

/// Default page size.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Largest page size.
pub const MAX_PER_PAGE: u32 = 100;
/// Largest page number (deep pages should use the cursor).
pub const MAX_PAGE: u32 = 100_000;

/// Pagination facts of a list response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListMeta {
    /// Page number (1-based); null in cursor mode.
    pub page: Option<u32>,
    /// Items per page.
    pub per_page: u32,
    /// Items matching the filters, across all pages.
    pub total: i64,
    /// Opaque cursor of the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A page of items with its pagination facts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Pagination facts.
    pub meta: ListMeta,
}

/// Where a page starts: a page number or a keyset cursor.
#[derive(Debug, Clone)]
pub enum PageRequest {
    /// Offset mode (`page`).
    Page { page: u32, per_page: u32 },
    /// Keyset mode (`cursor`).
    Cursor { cursor: String, per_page: u32 },
}

impl PageRequest {
    /// Validates `page`, `per_page` and `cursor` (400 when out of bounds, or
    /// when `page` and `cursor` come together).
    pub fn from_params(
        page: Option<u32>,
        per_page: Option<u32>,
        cursor: Option<String>,
    ) -> ApiResult<Self> {
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(bad_param(
                "per_page",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        match (page, cursor) {
            // A cursor already says where the page starts.
            (Some(_), Some(_)) => Err(bad_param(
                "page",
                "not with cursor: the cursor says where the page starts",
            )),
            (None, Some(cursor)) => Ok(Self::Cursor { cursor, per_page }),
            (page, None) => {
                let page = page.unwrap_or(1);
                if !(1..=MAX_PAGE).contains(&page) {
                    return Err(bad_param(
                        "page",
                        format!("must be between 1 and {MAX_PAGE}"),
                    ));
                }
                Ok(Self::Page { page, per_page })
            }
        }
    }

    /// A page-mode request from `page`/`per_page`.
    pub fn pages(params: &super::PageParams) -> ApiResult<Self> {
        Self::from_params(params.page, params.per_page, None)
    }

    /// Rows to load: the page size.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page())
    }

    /// Items per page.
    pub fn per_page(&self) -> u32 {
        match self {
            Self::Page { per_page, .. } | Self::Cursor { per_page, .. } => *per_page,
        }
    }

    /// Rows to skip in offset mode (0 in cursor mode).
    pub fn offset(&self) -> i64 {
        match self {
            Self::Page { page, per_page } => i64::from(page - 1) * i64::from(*per_page),
            Self::Cursor { .. } => 0,
        }
    }

    /// The page number in offset mode.
    pub fn page(&self) -> Option<u32> {
        match self {
            Self::Page { page, .. } => Some(*page),
            Self::Cursor { .. } => None,
        }
    }
}

/// A 400 for one query parameter.
pub fn bad_param(name: &str, message: impl Into<String>) -> ApiError {
    let message = message.into();
    ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("{name}: {message}"),
        errors: vec![crate::error::FieldError::new(name, message)],
    }
}

/// Builds the `Link` header value for a list response (empty when none).
pub fn link_header(req: &HttpRequest, page: &PageRequest, meta: &ListMeta) -> String {
    let mut links = Vec::new();
    let with = |replace: &[(&str, String)]| {
        let mut pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(req.query_string().as_bytes())
                .into_owned()
                .filter(|(k, _)| k != "page" && k != "cursor")
                .collect();
        for (k, v) in replace {
            pairs.push(((*k).to_owned(), v.clone()));
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        format!("<{}?{}>", req.path(), query)
    };
    match page {
        PageRequest::Page { page, per_page } => {
            let pages = (meta.total + i64::from(*per_page) - 1) / i64::from(*per_page);
            if i64::from(*page) < pages {
                links.push(format!(
                    "{}; rel=\"next\"",
                    with(&[("page", (page + 1).to_string())])
                ));
            }
            if *page > 1 {
                let prev = (*page - 1).min(pages.max(1) as u32);
                links.push(format!(
                    "{}; rel=\"prev\"",
                    with(&[("page", prev.to_string())])
                ));
            }
        }
        PageRequest::Cursor { .. } => {
            if let Some(next) = &meta.next_cursor {
                links.push(format!(
                    "{}; rel=\"next\"",
                    with(&[("cursor", next.clone())])
                ));
            }
        }
    }
    links.join(", ")
}

/// The list envelope as a cacheable response with its `Link` header.
pub fn list_response<T: ToSchema + Serialize>(
    req: &HttpRequest,
    page: &PageRequest,
    data: Vec<T>,
    meta: ListMeta,
    visibility: crate::http::caching::Visibility,
) -> ApiResult<actix_web::HttpResponse> {
    let link = link_header(req, page, &meta);
    let mut res =
        crate::http::caching::cached_json(req, &ListResponse { data, meta }, visibility, "", None)?;
    if !link.is_empty() {
        let value =
            actix_web::http::header::HeaderValue::from_str(&link).map_err(ApiError::internal)?;
        res.headers_mut()
            .insert(actix_web::http::header::LINK, value);
    }
    Ok(res)
}

/// The answer of a page-mode list: `data` is the page, `total` counts every
/// matching item.
pub fn page_response<T: ToSchema + Serialize>(
    req: &HttpRequest,
    page: &PageRequest,
    data: Vec<T>,
    total: i64,
    visibility: crate::http::caching::Visibility,
) -> ApiResult<actix_web::HttpResponse> {
    let meta = ListMeta {
        page: page.page(),
        per_page: page.per_page(),
        total,
        next_cursor: None,
    };
    list_response(req, page, data, meta, visibility)
}
