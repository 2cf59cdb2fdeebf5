//! API keys for frontends and integrators: `read` (published content) or
//! `preview` (also drafts, read-only). The secret is shown once and stored
//! hashed.

pub mod dto;
pub mod model;
pub mod routes;
pub mod scope;
