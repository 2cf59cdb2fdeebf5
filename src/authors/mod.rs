//! Authors: public profiles ("About …" boxes), optionally linked to a user
//! account; guest authors such as a wire service have none.

pub mod dto;
pub mod model;
pub mod reference;
pub mod routes;
