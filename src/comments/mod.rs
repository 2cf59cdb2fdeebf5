//! Reader comments: posting with spam defences, threads by `parent_id`,
//! moderation. The public sees approved comments (whose thread above them
//! is approved too) and never a commenter's email or IP.

pub mod admin_dto;
pub mod dto;
pub mod form_token;
pub mod model;
pub mod moderation;
pub mod posting;
pub mod reader_token;
pub mod render;
pub mod routes;
pub mod screening;
pub mod settings;
pub mod spam;
pub mod status;
pub mod visibility;
