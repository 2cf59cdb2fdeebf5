//! `MEDIA_*` settings: where image files are kept, how large an upload may
//! be, which sizes are made of it.

use std::path::PathBuf;

use crate::config::{parse_list, parse_or, ConfigError, DatabaseUrl, Secret};

/// Default widths of the resized copies (`MEDIA_WIDTHS`).
pub const DEFAULT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

/// The media library's settings.
#[derive(Debug, Clone)]
pub struct MediaSettings {
    /// Where the files go: a local folder or an S3-compatible bucket.
    pub store: StoreSettings,
    /// `MEDIA_MAX_BYTES`: largest upload (413 beyond it).
    pub max_bytes: usize,
    /// `MEDIA_MAX_PIXELS`: largest image, width × height, checked from the
    /// header before anything is decoded (422 beyond it).
    pub max_pixels: u64,
    /// `MEDIA_WIDTHS`: widths of the resized copies (never upscaled).
    pub widths: Vec<u32>,
    /// `MEDIA_WORKERS`: images processed at once (each on a blocking
    /// thread, never on the threads that answer requests).
    pub workers: usize,
    /// `MEDIA_QUEUE_TIMEOUT_SECS`: how long an upload waits for a worker
    /// before it is refused with 503.
    pub queue_timeout_secs: u64,
    /// `MEDIA_BASE_URL`: what file URLs in answers start with (`/media`
    /// by default; a CDN or the site's absolute URL in production).
    pub base_url: String,
    /// `MEDIA_JPEG_QUALITY`: quality of JPEG files (1–100).
    pub jpeg_quality: u8,
    /// `MEDIA_WEBP_QUALITY`: quality of WebP files (1–100).
    pub webp_quality: u8,
}

/// Where image files are stored.
#[derive(Debug, Clone)]
pub enum StoreSettings {
    /// `MEDIA_DIR`: a folder (default: `media` beside the SQLite file, or
    /// `./media` on PostgreSQL).
    Local(PathBuf),
    /// `MEDIA_S3_BUCKET` and friends: an S3-compatible object store that
    /// several instances share.
    S3(S3Settings),
}

/// An S3-compatible bucket.
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// `MEDIA_S3_BUCKET`.
    pub bucket: String,
    /// `MEDIA_S3_ENDPOINT`: for stores other than AWS (MinIO, R2, moto…).
    pub endpoint: Option<String>,
    /// `MEDIA_S3_REGION` (default `us-east-1`).
    pub region: String,
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key_id: Option<String>,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_access_key: Option<Secret>,
    /// `AWS_SESSION_TOKEN` (temporary credentials).
    pub session_token: Option<Secret>,
}

impl MediaSettings {
    /// Reads the `MEDIA_*` variables (and the AWS credentials), with their
    /// defaults; the local folder defaults to one beside the SQLite file.
    pub fn from_lookup(
        get: &impl Fn(&str) -> Option<String>,
        database: &DatabaseUrl,
    ) -> Result<Self, ConfigError> {
        let store = match get("MEDIA_S3_BUCKET") {
            Some(bucket) => StoreSettings::S3(S3Settings {
                bucket: bucket.trim().to_owned(),
                endpoint: get("MEDIA_S3_ENDPOINT").map(|e| e.trim().to_owned()),
                region: get("MEDIA_S3_REGION")
                    .map(|r| r.trim().to_owned())
                    .unwrap_or_else(|| "us-east-1".to_owned()),
                access_key_id: get("AWS_ACCESS_KEY_ID").map(|k| k.trim().to_owned()),
                secret_access_key: get("AWS_SECRET_ACCESS_KEY").map(Secret::new),
                session_token: get("AWS_SESSION_TOKEN").map(Secret::new),
            }),
            None => StoreSettings::Local(
                get("MEDIA_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| default_dir(database)),
            ),
        };
        let mut widths = parse_list(get, "MEDIA_WIDTHS", |w| {
            w.parse::<u32>()
                .ok()
                .filter(|w| (16..=8192).contains(w))
                .ok_or_else(|| format!("each width must be a number from 16 to 8192, not {w:?}"))
        })?;
        if widths.is_empty() {
            widths = DEFAULT_WIDTHS.to_vec();
        }
        widths.sort_unstable();
        widths.dedup();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let base_url = get("MEDIA_BASE_URL").unwrap_or_else(|| "/media".to_owned());
        Ok(Self {
            store,
            max_bytes: parse_or(get, "MEDIA_MAX_BYTES", 20 * 1024 * 1024, 1024..=1 << 30)?,
            max_pixels: parse_or(get, "MEDIA_MAX_PIXELS", 50_000_000, 1..=1_000_000_000)?,
            widths,
            workers: parse_or(get, "MEDIA_WORKERS", (cores / 2).max(1), 1..=64)?,
            queue_timeout_secs: parse_or(get, "MEDIA_QUEUE_TIMEOUT_SECS", 30u64, 1..=600)?,
            base_url: base_url.trim_end_matches('/').to_owned(),
            jpeg_quality: parse_or(get, "MEDIA_JPEG_QUALITY", 82u8, 1..=100)?,
            webp_quality: parse_or(get, "MEDIA_WEBP_QUALITY", 80u8, 1..=100)?,
        })
    }
}

/// `media` beside the SQLite file; `./media` for PostgreSQL.
fn default_dir(database: &DatabaseUrl) -> PathBuf {
    match database {
        DatabaseUrl::Sqlite(path) => std::path::Path::new(path)
            .parent()
            .map_or_else(|| PathBuf::from("media"), |dir| dir.join("media")),
        DatabaseUrl::Postgres(_) => PathBuf::from("media"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)], db: &str) -> Result<MediaSettings, ConfigError> {
        let get = |k: &str| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| (*v).to_owned())
        };
        MediaSettings::from_lookup(&get, &DatabaseUrl::parse(Some(db)).unwrap())
    }

    #[test]
    fn the_local_folder_sits_beside_the_sqlite_file() {
        let s = settings(&[], "sqlite://data/cms.db").unwrap();
        assert!(
            matches!(s.store, StoreSettings::Local(ref p) if p == &PathBuf::from("data/media"))
        );
        let s = settings(&[], "sqlite://cms.db").unwrap();
        assert!(matches!(s.store, StoreSettings::Local(ref p) if p == &PathBuf::from("media")));
        assert_eq!(s.widths, DEFAULT_WIDTHS);
        assert_eq!(s.max_bytes, 20 * 1024 * 1024);
    }

    #[test]
    fn a_bucket_switches_to_s3_and_widths_are_checked() {
        let s = settings(
            &[
                ("MEDIA_S3_BUCKET", "news"),
                ("MEDIA_WIDTHS", "800, 400,400"),
            ],
            "postgres://h/db",
        )
        .unwrap();
        assert!(matches!(s.store, StoreSettings::S3(ref b) if b.bucket == "news"));
        assert_eq!(s.widths, vec![400, 800]);
        let err = settings(&[("MEDIA_WIDTHS", "0")], "postgres://h/db").unwrap_err();
        assert_eq!(err.name, "MEDIA_WIDTHS");
    }
}
