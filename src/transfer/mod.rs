//! `cms export` and `cms import`: all content as NDJSON, one object per
//! line, parents before children, so a file loads in order without
//! breaking a foreign key ([decisions](../../docs/decisions.md#export-and-import)).
//!
//! - `format.rs`: the lines (header and one record type per table).
//! - `rows.rs`: the queries: keyset pages, lookups by id, writes.
//! - `export.rs`: streams the tables out in batches.
//! - `validate.rs`: the first pass of an import (shape, order, values).
//! - `import.rs`: the second pass, a transaction per batch, and the summary.
//! - `progress.rs`: the progress bar (terminals only).

pub mod export;
pub mod format;
pub mod import;
mod progress;
mod rows;
pub mod validate;

/// Rows read per query by the export, and lines written per transaction
/// by the import.
pub const BATCH: usize = 500;

use std::fmt;

use format::Kind;

/// Why an export or an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// Reading or writing a file (or standard output) failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The database failed outside any one line (a connection, a page of
    /// the export, a commit).
    #[error("database: {0}")]
    Database(String),
    /// A line of the file is wrong, or the database refused it.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number in the file.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl From<diesel::result::Error> for TransferError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<crate::error::ApiError> for TransferError {
    fn from(e: crate::error::ApiError) -> Self {
        Self::Database(e.to_string())
    }
}

/// Rows per kind, in file order (header excluded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(std::collections::BTreeMap<Kind, u64>);

impl Counts {
    /// Adds `n` to `kind`.
    pub fn add(&mut self, kind: Kind, n: u64) {
        *self.0.entry(kind).or_default() += n;
    }

    /// The count of `kind` (0 when none).
    pub fn get(&self, kind: Kind) -> u64 {
        self.0.get(&kind).copied().unwrap_or(0)
    }

    /// The sum over every kind.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Kind::RECORDS
            .iter()
            .map(|kind| format!("{} {}", self.get(*kind), kind.name()))
            .collect();
        f.write_str(&parts.join(", "))
    }
}
