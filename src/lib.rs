//! Headless CMS: articles, authors, tags and comments as a JSON REST API over
//! PostgreSQL or embedded SQLite.

#[macro_use]
pub mod db;

pub mod api_keys;
pub mod articles;
pub mod auth;
pub mod authors;
pub mod cli;
pub mod commands;
pub mod comments;
pub mod config;
pub mod docs_ui;
pub mod error;
pub mod extractors;
pub mod health;
pub mod http;
pub mod json_int;
pub mod middleware;
pub mod openapi;
pub mod openapi_refine;
pub mod patch;
pub mod request_log;
pub mod routes;
pub mod seed;
pub mod startup;
pub mod state;
pub mod tags;
pub mod telemetry;
pub mod text;
pub mod throttle;
pub mod users;
pub mod validation;
