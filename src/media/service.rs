//! The media library's running parts: the store, and a bounded set of
//! workers that process images on blocking threads, so uploads never hold
//! the threads that answer reads.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::process::{process, ImageProblem, Processed, Recipe};
use super::settings::MediaSettings;
use super::store::{FileKey, MediaStore};
use crate::error::{ApiError, ApiResult};

/// Shared by every request of a server.
#[derive(Debug, Clone)]
pub struct MediaService {
    /// Where the files are.
    pub store: MediaStore,
    /// The settings.
    pub settings: Arc<MediaSettings>,
    recipe: Arc<Recipe>,
    workers: Arc<Semaphore>,
}

impl MediaService {
    /// Opens the configured store.
    pub fn new(settings: &MediaSettings) -> Result<Self, String> {
        Ok(Self {
            store: MediaStore::open(&settings.store)?,
            recipe: Arc::new(Recipe {
                widths: settings.widths.clone(),
                max_pixels: settings.max_pixels,
                jpeg_quality: settings.jpeg_quality,
                webp_quality: settings.webp_quality,
            }),
            workers: Arc::new(Semaphore::new(settings.workers)),
            settings: Arc::new(settings.clone()),
        })
    }

    /// Processes an upload on a worker, waiting for one at most
    /// `MEDIA_QUEUE_TIMEOUT_SECS` (then 503).
    pub async fn process(&self, bytes: Vec<u8>) -> ApiResult<Processed> {
        let wait = Duration::from_secs(self.settings.queue_timeout_secs);
        let permit = tokio::time::timeout(wait, self.workers.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Unavailable("every image worker is busy; retry later".into()))?
            .map_err(ApiError::internal)?;
        let recipe = self.recipe.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let outcome = process(&bytes, &recipe);
            drop(permit);
            outcome
        })
        .await
        .map_err(ApiError::internal)?;
        outcome.map_err(|problem| match problem {
            ImageProblem::Unsupported => ApiError::UnsupportedMediaType(
                "file: not a JPEG, PNG, WebP or GIF image (by its content)".to_owned(),
            ),
            ImageProblem::Encode(cause) => ApiError::internal(cause),
            problem @ (ImageProblem::TooManyPixels { .. }
            | ImageProblem::TooLong { .. }
            | ImageProblem::Undecodable(_)) => ApiError::invalid_field("file", problem.to_string()),
        })
    }

    /// Stores the processed files under `folder`; on a failure removes the
    /// ones written and answers 503.
    pub async fn store_files(&self, folder: &str, processed: Processed) -> ApiResult<()> {
        let mut written = Vec::new();
        for file in processed.files {
            let key = FileKey {
                folder: folder.to_owned(),
                width: file.width,
                format: file.format,
            };
            if let Err(e) = self.store.put(&key, file.bytes).await {
                tracing::error!(error = %e, "media store write failed");
                self.forget(&written).await;
                return Err(ApiError::Unavailable(
                    "the media store is unavailable".into(),
                ));
            }
            written.push(key);
        }
        Ok(())
    }

    /// Deletes files, logging (not failing) when the store refuses: a file
    /// left behind is unreachable once its row is gone.
    pub async fn forget(&self, keys: &[FileKey]) {
        if let Err(e) = self.store.delete(keys).await {
            tracing::warn!(error = %e, files = keys.len(), "media files left in the store");
        }
    }
}
