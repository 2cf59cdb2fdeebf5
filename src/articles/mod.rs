//! Articles: the content frontends read and editors write, with the
//! editorial workflow, lists, relations and related articles.

pub mod actions;
pub mod audited;
pub mod backfill;
pub mod content;
pub mod cursor;
pub mod dto;
pub mod listing;
pub mod model;
pub mod params;
pub mod present;
pub mod preview;
pub mod retention;
pub mod revision_dto;
pub mod revision_routes;
pub mod revisions;
pub mod routes;
pub mod scheduler;
pub mod search;
pub mod trash;
pub mod workflow;
pub mod writes;
