//! User accounts: who may sign in, with which role, writing as which author.

pub mod dto;
pub mod model;
pub mod routes;
