//! Reader comments: threaded by `parent_id`; the public sees approved ones
//! only and never a commenter's email or IP.

pub mod dto;
pub mod model;
pub mod routes;
