//! Headless CMS: articles, authors, tags and comments as a JSON REST API over
//! PostgreSQL or embedded SQLite.

#[macro_use]
pub mod db;

pub mod cli;
pub mod config;
pub mod error;
pub mod extractors;
pub mod health;
pub mod middleware;
pub mod openapi;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
