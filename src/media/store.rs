//! Where image files live: a local folder or an S3-compatible bucket,
//! through `object_store`. Files are addressed only by a [`FileKey`], whose
//! parts are checked characters, so no request can name anything else.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, GetResult, ObjectMeta, ObjectStore, ObjectStoreExt};

use super::format::ImageFormat;
use super::settings::StoreSettings;

/// The address of one stored file: `{folder}/{width}.{ext}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileKey {
    /// The item's folder: 32 lowercase hex digits.
    pub folder: String,
    /// The file's width in pixels.
    pub width: u32,
    /// The file's format.
    pub format: ImageFormat,
}

impl FileKey {
    /// The key of `folder` and a file name such as `640.webp`; `None` for
    /// anything else (dots, slashes, percent signs never pass).
    pub fn parse(folder: &str, file: &str) -> Option<Self> {
        if !is_folder(folder) {
            return None;
        }
        let (width, ext) = file.split_once('.')?;
        if width.is_empty()
            || width.len() > 5
            || !width.bytes().all(|b| b.is_ascii_digit())
            || width.starts_with('0')
        {
            return None;
        }
        Some(Self {
            folder: folder.to_owned(),
            width: width.parse().ok()?,
            format: ImageFormat::from_extension(ext)?,
        })
    }

    /// The file name within its folder.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.width, self.format.extension())
    }

    /// Its path in the store.
    fn path(&self) -> Path {
        Path::from(format!("{}/{}", self.folder, self.file_name()))
    }
}

/// Whether `folder` is 32 lowercase hex digits.
pub fn is_folder(folder: &str) -> bool {
    folder.len() == 32
        && folder
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A new random folder name (128 bits).
pub fn new_folder() -> String {
    crate::auth::tokens::random_hex(16)
}

/// The configured object store.
#[derive(Debug, Clone)]
pub struct MediaStore {
    inner: Arc<dyn ObjectStore>,
}

impl MediaStore {
    /// Opens the store the settings name (creating a local folder).
    pub fn open(settings: &StoreSettings) -> Result<Self, String> {
        let inner: Arc<dyn ObjectStore> = match settings {
            StoreSettings::Local(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("MEDIA_DIR {}: {e}", dir.display()))?;
                // Cleanup: a deleted item's emptied folder goes too.
                Arc::new(
                    LocalFileSystem::new_with_prefix(dir)
                        .map_err(|e| format!("MEDIA_DIR {}: {e}", dir.display()))?
                        .with_automatic_cleanup(true),
                )
            }
            StoreSettings::S3(s3) => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.to_ascii_lowercase().starts_with("http://"));
                }
                if let Some(id) = &s3.access_key_id {
                    builder = builder.with_access_key_id(id);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret.expose());
                }
                if let Some(token) = &s3.session_token {
                    builder = builder.with_token(token.expose());
                }
                Arc::new(
                    builder
                        .build()
                        .map_err(|e| format!("MEDIA_S3_BUCKET: {e}"))?,
                )
            }
        };
        Ok(Self { inner })
    }

    /// Stores one file (replacing any file of that key).
    pub async fn put(&self, key: &FileKey, bytes: Vec<u8>) -> object_store::Result<()> {
        self.inner.put(&key.path(), bytes.into()).await.map(drop)
    }

    /// A file's size and date.
    pub async fn head(&self, key: &FileKey) -> object_store::Result<ObjectMeta> {
        self.inner.head(&key.path()).await
    }

    /// A file, or the bytes of `range` of it.
    pub async fn get(
        &self,
        key: &FileKey,
        range: Option<std::ops::Range<u64>>,
    ) -> object_store::Result<GetResult> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..Default::default()
        };
        self.inner.get_opts(&key.path(), options).await
    }

    /// Deletes files; a file already gone is not an error.
    pub async fn delete(&self, keys: &[FileKey]) -> object_store::Result<()> {
        for key in keys {
            match self.inner.delete(&key.path()).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_keys_name_a_file() {
        let folder = "0123456789abcdef0123456789abcdef";
        let key = FileKey::parse(folder, "640.webp").unwrap();
        assert_eq!(key.width, 640);
        assert_eq!(key.path().as_ref(), format!("{folder}/640.webp"));
        for bad_file in [
            "../x.jpg",
            "640.svg",
            "640",
            ".jpg",
            "0640.jpg",
            "640.jpg.exe",
            "1e3.jpg",
        ] {
            assert_eq!(FileKey::parse(folder, bad_file), None, "{bad_file}");
        }
        for bad_folder in ["..", "0123456789ABCDEF0123456789ABCDEF", "abc", "%2e%2e"] {
            assert_eq!(FileKey::parse(bad_folder, "640.jpg"), None, "{bad_folder}");
        }
        assert!(is_folder(&new_folder()));
    }
}
