//! Who is calling and what they may do.
//!
//! [`caller::Credentials`] is extracted from every request's headers and
//! resolved into a [`caller::Caller`] on the request's connection;
//! [`policy`] holds every permission rule, so handlers only ask it.

pub mod caller;
pub mod cookie;
pub mod dto;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod role;
pub mod routes;
pub mod sessions;
pub mod tokens;

pub use caller::{Caller, Credentials, Staff};
pub use role::Role;
