//! Serves the stored files at `/media/{folder}/{file}`: immutable, so
//! cached for a year, with an ETag and single byte ranges.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::dto::ImageBytes;
use super::store::FileKey;
use crate::api_docs::responses::{NotFound, RangeNotSatisfiable, Unavailable};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One stored image file. Its URL comes from a media item (`variants[].url`);
/// files never change, so they may be cached for good. Supports
/// `If-None-Match` and a single `Range`.
#[utoipa::path(
    tag = "media", operation_id = "get_media_file",
    security(()),
    params(
        ("folder" = String, Path, description = "The item's folder: 32 hex digits", pattern = "^[0-9a-f]{32}$"),
        ("file" = String, Path, description = "Width and format, e.g. `640.webp`", pattern = "^[1-9][0-9]{0,4}\\.(jpg|png|gif|webp)$"),
        ("Range" = Option<String>, Header, nullable = false, description = "One byte range, e.g. `bytes=0-1023`", pattern = "^[ -~]*$"),
    ),
    responses(
        (status = 200, description = "The file", content(
            (ImageBytes = "image/jpeg"), (ImageBytes = "image/png"), (ImageBytes = "image/webp"), (ImageBytes = "image/gif")),
         headers(("ETag" = String), ("Cache-Control" = String))),
        (status = 206, description = "The requested range", content(
            (ImageBytes = "image/jpeg"), (ImageBytes = "image/png"), (ImageBytes = "image/webp"), (ImageBytes = "image/gif")),
         headers(("Content-Range" = String))),
        (status = 304, description = "Not modified"),
        NotFound, RangeNotSatisfiable, Unavailable,
    )
)]
#[get("/media/{folder}/{file}")]
pub async fn file(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (folder, file) = path.into_inner();
    let key = FileKey::parse(&folder, &file).ok_or_else(not_found)?;
    let etag = format!("\"{}-{}\"", key.folder, key.file_name());
    if if_none_match(&req, &etag) {
        return Ok(with_headers(&mut HttpResponse::NotModified(), &key, &etag).finish());
    }
    let store = &state.media.store;
    let range = match req
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
    {
        None => None,
        Some(raw) => {
            let size = store.head(&key).await.map_err(store_error)?.size;
            match parse_range(raw, size) {
                Range::Whole => None,
                Range::Part(range) => Some((range, size)),
                Range::Unsatisfiable => return Err(ApiError::RangeNotSatisfiable { size }),
            }
        }
    };
    let got = store
        .get(&key, range.as_ref().map(|(r, _)| r.clone()))
        .await
        .map_err(store_error)?;
    let length = got.range.end - got.range.start;
    let (start, end) = (got.range.start, got.range.end);
    let body = got
        .into_stream()
        .map(|chunk| chunk.map_err(std::io::Error::other));
    let mut res = match range {
        Some((_, size)) => {
            let mut res = HttpResponse::PartialContent();
            res.insert_header((
                header::CONTENT_RANGE,
                format!("bytes {start}-{}/{size}", end - 1),
            ));
            res
        }
        None => HttpResponse::Ok(),
    };
    Ok(with_headers(res.no_chunking(length), &key, &etag).streaming(body))
}

fn with_headers<'a>(
    res: &'a mut actix_web::HttpResponseBuilder,
    key: &FileKey,
    etag: &str,
) -> &'a mut actix_web::HttpResponseBuilder {
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static(key.format.mime()),
        ))
        // Opened on its own, a file can run nothing.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
}

fn if_none_match(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        // Weak comparison (RFC 9110 §13.1.2): `W/` does not matter here.
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag)
        })
}

fn not_found() -> ApiError {
    ApiError::NotFound("no such media file".to_owned())
}

fn store_error(e: object_store::Error) -> ApiError {
    match e {
        object_store::Error::NotFound { .. } => not_found(),
        other => {
            tracing::error!(error = %other, "media store read failed");
            ApiError::Unavailable("the media store is unavailable".to_owned())
        }
    }
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// Send it all (no usable range: several ranges, other units, bad syntax).
    Whole,
    /// These bytes.
    Part(std::ops::Range<u64>),
    /// Nothing of the file is in the range (416).
    Unsatisfiable,
}

/// Parses a single `bytes=` range (RFC 9110 §14.1.2); anything else is
/// ignored, as the RFC allows.
fn parse_range(raw: &str, size: u64) -> Range {
    let Some(spec) = raw.trim().strip_prefix("bytes=") else {
        return Range::Whole;
    };
    if spec.contains(',') {
        return Range::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Whole;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim(), last.trim()) {
        ("", suffix) => match number(suffix) {
            Some(0) => Range::Unsatisfiable,
            Some(n) if size > 0 => Range::Part(size.saturating_sub(n)..size),
            Some(_) => Range::Unsatisfiable,
            None => Range::Whole,
        },
        (first, last) => {
            let Some(start) = number(first) else {
                return Range::Whole;
            };
            // An invalid spec is ignored (the whole file); a valid one
            // that starts past the end is unsatisfiable.
            let end = match last {
                "" => u64::MAX,
                last => match number(last) {
                    Some(end) if end >= start => end,
                    _ => return Range::Whole,
                },
            };
            if start >= size {
                Range::Unsatisfiable
            } else {
                Range::Part(start..end.saturating_add(1).min(size))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_range, Range};

    #[test]
    fn single_byte_ranges_are_understood_and_the_rest_ignored() {
        assert_eq!(parse_range("bytes=0-9", 100), Range::Part(0..10));
        assert_eq!(parse_range("bytes=90-", 100), Range::Part(90..100));
        assert_eq!(parse_range("bytes=-10", 100), Range::Part(90..100));
        assert_eq!(parse_range("bytes=50-500", 100), Range::Part(50..100));
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Whole);
        assert_eq!(parse_range("items=0-1", 100), Range::Whole);
        assert_eq!(parse_range("bytes=9-1", 100), Range::Whole);
        assert_eq!(parse_range("bytes=x-1", 100), Range::Whole);
        assert_eq!(parse_range("bytes=200-100", 100), Range::Whole);
        assert_eq!(parse_range("bytes=200-x", 100), Range::Whole);
        assert_eq!(
            parse_range("bytes=0-18446744073709551615", 100),
            Range::Part(0..100)
        );
    }
}
