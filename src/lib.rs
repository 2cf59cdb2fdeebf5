//! Headless CMS: articles, authors, tags and comments as a JSON REST API over
//! PostgreSQL or embedded SQLite. `docs/architecture.md` maps the modules.

#[macro_use]
pub mod db;

pub mod admin;
pub mod api_docs;
pub mod api_keys;
pub mod articles;
pub mod audit;
pub mod auth;
pub mod authors;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod comments;
pub mod config;
pub mod error;
pub mod feeds;
pub mod health;
pub mod http;
pub mod idempotency;
pub mod media;
pub mod metrics;
pub mod routes;
pub mod seed;
pub mod sitemaps;
pub mod startup;
pub mod state;
pub mod tags;
pub mod telemetry;
pub mod text;
pub mod throttle;
pub mod transfer;
pub mod types;
pub mod users;
pub mod webhooks;
