//! Request and response bodies of the media endpoints, and the
//! `featured_image` object articles embed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use super::format::ImageFormat;
use super::model::{Media, StoredFile};
use super::store::FileKey;
use crate::db::time::utc;
use crate::types::Text;

/// A point of interest in an image, as fractions of its width and height
/// from the top left (0–1): crops keep it in view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocalPoint {
    /// From the left edge, 0–1.
    #[validate(range(min = 0.0, max = 1.0))]
    #[schema(minimum = 0, maximum = 1)]
    pub x: f64,
    /// From the top edge, 0–1.
    #[validate(range(min = 0.0, max = 1.0))]
    #[schema(minimum = 0, maximum = 1)]
    pub y: f64,
}

/// One stored file of an item.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantResponse {
    /// Its URL (immutable: cached for a year).
    pub url: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Its format.
    pub format: ImageFormat,
    /// Its size in bytes.
    pub bytes: u64,
}

/// An image of the media library (staff view).
#[derive(Debug, Serialize, ToSchema)]
pub struct MediaResponse {
    /// Numeric id.
    pub id: i64,
    /// The full-size image, upright and without metadata.
    pub url: String,
    /// Format of the upload (and of the full-size file).
    pub format: ImageFormat,
    /// Full-size width in pixels.
    pub width: u32,
    /// Full-size height in pixels.
    pub height: u32,
    /// Size of the full-size file in bytes.
    pub bytes: u64,
    /// The uploaded file's name (for staff; never part of a URL).
    pub filename: String,
    /// Title (for the library).
    pub title: String,
    /// Alternative text for readers who cannot see the image.
    pub alt_text: String,
    /// Caption shown with the image.
    pub caption: String,
    /// Credit line (photographer, agency).
    pub credit: String,
    /// Where crops should centre; null when unset.
    pub focal_point: Option<FocalPoint>,
    /// Every stored file: the full-size one, then each width in the
    /// upload's format and in WebP.
    pub variants: Vec<VariantResponse>,
    /// Ready `srcset` of the upload's format (`url 640w, …`).
    pub srcset: String,
    /// Ready `srcset` of the WebP files.
    pub srcset_webp: String,
    /// The uploading user's id, when known.
    pub uploaded_by: Option<i64>,
    /// Upload time.
    pub created_at: DateTime<Utc>,
    /// Last change of the description.
    pub updated_at: DateTime<Utc>,
}

/// An article's lead image, ready for `<img srcset>` or `<picture>`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 7,
    "url": "/media/5d41402abc4b2a76b9719d911017c592/2000.jpg",
    "width": 2000, "height": 1000,
    "alt_text": "Waves breaking over a promenade",
    "caption": "The promenade at high tide",
    "credit": "Jane Doe / Agency",
    "focal_point": {"x": 0.25, "y": 0.5},
    "srcset": "/media/5d41402abc4b2a76b9719d911017c592/320.jpg 320w, /media/5d41402abc4b2a76b9719d911017c592/640.jpg 640w",
    "srcset_webp": "/media/5d41402abc4b2a76b9719d911017c592/320.webp 320w, /media/5d41402abc4b2a76b9719d911017c592/640.webp 640w",
    "variants": [
        {"url": "/media/5d41402abc4b2a76b9719d911017c592/2000.jpg", "width": 2000, "height": 1000, "format": "jpeg", "bytes": 412345},
        {"url": "/media/5d41402abc4b2a76b9719d911017c592/640.jpg", "width": 640, "height": 320, "format": "jpeg", "bytes": 48211},
        {"url": "/media/5d41402abc4b2a76b9719d911017c592/640.webp", "width": 640, "height": 320, "format": "webp", "bytes": 30102}
    ]
}))]
pub struct FeaturedImage {
    /// The media item's id.
    pub id: i64,
    /// The full-size image.
    pub url: String,
    /// Full-size width in pixels.
    pub width: u32,
    /// Full-size height in pixels.
    pub height: u32,
    /// Alternative text.
    pub alt_text: String,
    /// Caption.
    pub caption: String,
    /// Credit line.
    pub credit: String,
    /// Where crops should centre; null when unset.
    pub focal_point: Option<FocalPoint>,
    /// `srcset` of the upload's format.
    pub srcset: String,
    /// `srcset` of the WebP files.
    pub srcset_webp: String,
    /// Every stored file.
    pub variants: Vec<VariantResponse>,
}

/// The URLs and srcsets of an item, under `base` (`MEDIA_BASE_URL`).
struct Files {
    variants: Vec<VariantResponse>,
    url: String,
    srcset: String,
    srcset_webp: String,
}

impl Files {
    fn of(item: &Media, base: &str) -> Self {
        let files = item.files();
        let url_of = |f: &StoredFile| {
            let key = FileKey {
                folder: item.storage_key.clone(),
                width: f.width,
                format: f.format,
            };
            format!("{base}/{}/{}", key.folder, key.file_name())
        };
        let srcset = |format: ImageFormat| {
            let mut entries: Vec<&StoredFile> = files
                .iter()
                .filter(|f| f.format == format && f.srcset)
                .collect();
            entries.sort_by_key(|f| f.width);
            entries
                .iter()
                .map(|f| format!("{} {}w", url_of(f), f.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            url: files.first().map(&url_of).unwrap_or_default(),
            srcset: srcset(item.format),
            srcset_webp: srcset(ImageFormat::Webp),
            variants: files
                .iter()
                .map(|f| VariantResponse {
                    url: url_of(f),
                    width: f.width,
                    height: f.height,
                    format: f.format,
                    bytes: f.bytes,
                })
                .collect(),
        }
    }
}

fn focal_point(item: &Media) -> Option<FocalPoint> {
    Some(FocalPoint {
        x: item.focal_x?,
        y: item.focal_y?,
    })
}

impl MediaResponse {
    /// The staff view of `item`, file URLs under `base`.
    pub fn new(item: Media, base: &str) -> Self {
        let files = Files::of(&item, base);
        Self {
            id: item.id,
            url: files.url,
            format: item.format,
            width: u32::try_from(item.width).unwrap_or(0),
            height: u32::try_from(item.height).unwrap_or(0),
            bytes: u64::try_from(item.byte_size).unwrap_or(0),
            focal_point: focal_point(&item),
            filename: item.filename,
            title: item.title,
            alt_text: item.alt_text,
            caption: item.caption,
            credit: item.credit,
            variants: files.variants,
            srcset: files.srcset,
            srcset_webp: files.srcset_webp,
            uploaded_by: item.uploaded_by,
            created_at: utc(item.created_at),
            updated_at: utc(item.updated_at),
        }
    }
}

impl FeaturedImage {
    /// The reader's view of `item`, file URLs under `base`.
    pub fn new(item: &Media, base: &str) -> Self {
        let files = Files::of(item, base);
        Self {
            id: item.id,
            url: files.url,
            width: u32::try_from(item.width).unwrap_or(0),
            height: u32::try_from(item.height).unwrap_or(0),
            alt_text: item.alt_text.clone(),
            caption: item.caption.clone(),
            credit: item.credit.clone(),
            focal_point: focal_point(item),
            srcset: files.srcset,
            srcset_webp: files.srcset_webp,
            variants: files.variants,
        }
    }
}

/// Body of `PATCH /api/v1/media/{id}`: only the fields given change. The
/// text fields are never absent from an item: `null` leaves one unchanged,
/// `""` empties it.
#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMediaRequest {
    /// Title.
    pub title: Option<Text<300>>,
    /// Alternative text.
    pub alt_text: Option<Text<1000>>,
    /// Caption.
    pub caption: Option<Text<2000>>,
    /// Credit line.
    pub credit: Option<Text<300>>,
    /// Where crops should centre; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::patch::nullable")]
    #[schema(value_type = Option<FocalPoint>)]
    #[validate(custom(function = "valid_focal_point"))]
    pub focal_point: Option<Option<FocalPoint>>,
}

fn valid_focal_point(point: &FocalPoint) -> Result<(), ValidationError> {
    point.validate().map_err(|_| {
        ValidationError::new("range").with_message("x and y must be between 0 and 1".into())
    })
}

/// The multipart form of `POST /api/v1/media`: the file and, optionally,
/// its description. Other fields, and a field given twice, are refused.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct UploadMediaForm {
    /// The image: JPEG, PNG, WebP or GIF (recognised by its bytes), at most
    /// `MEDIA_MAX_BYTES` (20 MiB by default).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Title.
    #[schema(value_type = Option<Text<300>>)]
    pub title: Option<String>,
    /// Alternative text.
    #[schema(value_type = Option<Text<1000>>)]
    pub alt_text: Option<String>,
    /// Caption.
    #[schema(value_type = Option<Text<2000>>)]
    pub caption: Option<String>,
    /// Credit line.
    #[schema(value_type = Option<Text<300>>)]
    pub credit: Option<String>,
}

/// The bytes of an image file.
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ImageBytes(pub Vec<u8>);

/// Query of the media list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MediaListParams {
    /// Words in the title, caption, credit, alt text or file name
    /// (case-insensitive, as typed).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only this format.
    pub format: Option<ImageFormat>,
    /// Page number, from 1.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// Query of `DELETE /api/v1/media/{id}`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteMediaParams {
    /// Delete even when articles use it (editors): their lead image is
    /// removed and any copy of its URL in a body stops working.
    pub force: Option<bool>,
}
