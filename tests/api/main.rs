//! The one integration-test binary: every test talks HTTP to the real server,
//! on PostgreSQL and on SQLite.

mod fixtures;
mod harness;
mod media_files;
mod moderation;
mod s3;

mod architecture_doc;
mod articles;
mod audit;
mod auth;
mod cache_rules;
mod caching;
mod checkouts;
mod comment_posting;
mod comments;
mod configuration_docs;
mod derived_columns;
mod docs_ui;
mod feeds;
mod fuzz_regressions;
mod guide;
mod health;
mod idempotency;
mod instances;
mod log_privacy;
mod media;
mod metrics;
mod migration_backfill;
mod openapi_drift;
mod pagination;
mod preview;
mod problems;
mod query_plans;
mod races;
mod revisions;
mod roles;
mod schema_parity;
mod search;
mod sitemaps;
mod taxonomy;
mod transfer;
mod trash;
mod visibility;
mod webhooks;
mod workflow;
