//! Reads the multipart form of an upload: one `file` part, bounded by
//! `MEDIA_MAX_BYTES` as it streams in, and short description fields.

use actix_multipart::{Multipart, MultipartError};
use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

use crate::error::{ApiError, ApiResult, FieldError};
use crate::types::Text;

/// What an upload form carried.
#[derive(Debug, Default)]
pub struct UploadForm {
    /// The file's bytes.
    pub file: Vec<u8>,
    /// The file name the client gave (only shown to staff).
    pub filename: String,
    /// Title.
    pub title: String,
    /// Alternative text.
    pub alt_text: String,
    /// Caption.
    pub caption: String,
    /// Credit line.
    pub credit: String,
}

/// Longest text field, in bytes, before its length rule is checked.
const MAX_FIELD_BYTES: usize = 8 * 1024;

/// Reads the form; 413 past `max_bytes`, 415 when it is not
/// multipart/form-data, 400/422 for a malformed or incomplete form.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    max_bytes: usize,
) -> ApiResult<UploadForm> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // The form's own framing is small; the file alone may use the limit.
    if declared.is_some_and(|len| len > max_bytes + 64 * 1024) {
        return Err(too_large(max_bytes));
    }
    let mut parts = Multipart::new(req.headers(), payload);
    let mut form = UploadForm::default();
    let mut has_file = false;
    let mut seen: Vec<String> = Vec::new();
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(form_error)?;
        let name = part.name().unwrap_or_default().to_owned();
        if seen.contains(&name) {
            return Err(bad_form(format!("{name}: given twice")));
        }
        seen.push(name.clone());
        let limit = if name == "file" {
            max_bytes
        } else {
            MAX_FIELD_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(form_error)?;
            if bytes.len() + chunk.len() > limit {
                return Err(if name == "file" {
                    too_large(max_bytes)
                } else {
                    ApiError::invalid_field(&name, "too long")
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => {
                has_file = true;
                form.filename = part
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .map(clean_filename)
                    .unwrap_or_default();
                form.file = bytes;
            }
            "title" => form.title = text::<300>("title", bytes)?,
            "alt_text" => form.alt_text = text::<1000>("alt_text", bytes)?,
            "caption" => form.caption = text::<2000>("caption", bytes)?,
            "credit" => form.credit = text::<300>("credit", bytes)?,
            other => {
                return Err(bad_form(format!(
                    "unknown field {other:?}; expected file, title, alt_text, caption, credit"
                )))
            }
        }
    }
    if !has_file {
        return Err(ApiError::Unprocessable {
            detail: "file: required".to_owned(),
            errors: vec![FieldError::new("file", "required")],
        });
    }
    if form.file.is_empty() {
        return Err(ApiError::invalid_field("file", "is empty"));
    }
    Ok(form)
}

/// A description field: UTF-8 within its length rule.
fn text<const MAX: usize>(field: &str, bytes: Vec<u8>) -> ApiResult<String> {
    let raw = String::from_utf8(bytes).map_err(|_| ApiError::invalid_field(field, "not UTF-8"))?;
    Text::<MAX>::parse(raw)
        .map(String::from)
        .map_err(|message| ApiError::invalid_field(field, message))
}

/// The last path segment of a client's file name, printable, at most 200
/// characters (it is only ever shown to staff, never used as a path).
fn clean_filename(raw: &str) -> String {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    name.chars().filter(|c| !c.is_control()).take(200).collect()
}

fn too_large(max_bytes: usize) -> ApiError {
    ApiError::PayloadTooLarge(format!("the file exceeds the limit of {max_bytes} bytes"))
}

fn bad_form(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_form", detail)
}

fn form_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible => {
            ApiError::UnsupportedMediaType("send the upload as multipart/form-data".to_owned())
        }
        other => bad_form(format!("malformed multipart body: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::clean_filename;

    #[test]
    fn file_names_lose_their_paths_and_control_characters() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("C:\\photos\\storm.jpg"), "storm.jpg");
        assert_eq!(clean_filename("a\u{0}b\nc.png"), "abc.png");
    }
}
