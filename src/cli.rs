//! Command-line interface: `cms [serve|migrate|openapi|create-admin|seed-demo]`.

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
}
