//! `cms import FILE`: loads an export (`transfer::import`) and reports what
//! changed per type.

use std::path::Path;

use crate::state::AppState;
use crate::transfer::import::import;

/// Imports `file`; the message is the summary table.
pub async fn run(state: &AppState, file: &Path) -> Result<String, String> {
    let summary = import(&state.db, file)
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(summary.to_string())
}
