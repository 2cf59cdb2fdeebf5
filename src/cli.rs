//! Command-line interface: `cms [serve|migrate|openapi]`.

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
}
