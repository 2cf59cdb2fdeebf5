//! Tags: topics articles are filed under, with published-article counts.

pub mod dto;
pub mod model;
pub mod routes;
