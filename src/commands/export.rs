//! `cms export [--out FILE] [--with-secrets]`: all content as NDJSON
//! (`transfer::export`), to a file or standard output.

use std::path::{Path, PathBuf};

use crate::state::AppState;
use crate::transfer::export::{export, Options, Summary};

/// Exports to `out` (standard output when `None`); the summary is for
/// standard error, since standard output may be the data.
pub async fn run(
    state: &AppState,
    out: Option<PathBuf>,
    with_secrets: bool,
) -> Result<Summary, String> {
    let options = Options {
        secrets: with_secrets,
        ..Options::default()
    };
    match out {
        None => export(&state.db, std::io::stdout().lock(), options)
            .await
            .map_err(|e| e.to_string()),
        Some(path) => to_file(state, &path, options).await,
    }
}

/// Writes a new or regular file beside `path` and renames it at the end,
/// so a failed export never leaves a truncated file under the name asked
/// for. Anything else (a device such as `/dev/null`, a pipe, a symbolic
/// link) is written in place: renaming over it would replace it.
async fn to_file(state: &AppState, path: &Path, options: Options) -> Result<Summary, String> {
    let in_place = std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_file());
    if in_place {
        // Truncated, so a link to a longer file keeps no stale tail.
        let is_regular_target = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(is_regular_target)
            .open(path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        return export(&state.db, file, options)
            .await
            .map_err(|e| e.to_string());
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    // Owner-only: an export may hold password hashes (--with-secrets) and
    // commenters' emails.
    let file = {
        use std::os::unix::fs::OpenOptionsExt as _;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&partial)
    }
    .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    match export(&state.db, file, options).await {
        Ok(summary) => {
            std::fs::rename(&partial, path)
                .map_err(|e| format!("cannot rename to {}: {e}", path.display()))?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e.to_string())
        }
    }
}
