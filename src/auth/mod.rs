//! Who is calling and what they may do.
//!
//! [`caller::Caller`] is extracted from every request's credentials;
//! [`policy`] holds every permission rule, so handlers only ask it.

pub mod caller;
pub mod dto;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod routes;
pub mod sessions;
pub mod tokens;

pub use caller::{Caller, Role, Staff};
