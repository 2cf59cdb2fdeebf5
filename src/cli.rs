//! Command-line interface:
//! `cms [serve|migrate|openapi|create-admin|seed-demo|export|import]`.

use clap::{Parser, Subcommand};

/// Headless CMS: a JSON content API for news sites.
///
/// Configuration comes from the environment (and a `.env` file); see
/// `.env.example`. With no DATABASE_URL the data lives in ./cms.db (SQLite).
#[derive(Debug, Parser)]
#[command(name = "cms", version, about, long_about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API (migrates first unless RUN_MIGRATIONS=false).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Create an admin account. The password is read from the terminal
    /// (asked twice, not echoed) or, when piped, from the first line of
    /// standard input — never from the command line.
    CreateAdmin {
        /// Sign-in email of the new admin.
        #[arg(long)]
        email: String,
    },
    /// Load a small fictional sample (authors, tags, a dozen articles,
    /// comments) into an empty database.
    SeedDemo,
    /// Write all content (authors, tags, users, media rows, articles,
    /// revisions, comments) as NDJSON, one object per line, to FILE or
    /// standard output. Without --with-secrets the file holds no password
    /// hashes and no commenters' IP addresses or user agents.
    Export {
        /// Write here instead of standard output (replaced if it exists).
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// Also export password hashes and commenters' IPs and user agents.
        #[arg(long)]
        with_secrets: bool,
    },
    /// Load a file written by `cms export`: the whole file is checked
    /// first, then rows are inserted, updated or left alone by id, in
    /// batches of 500 lines (one transaction each). Running it twice
    /// changes nothing the second time.
    Import {
        /// The export file.
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
}
