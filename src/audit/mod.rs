//! The audit log: one event per write and per security event (sign-ins,
//! token reuse, role and password changes…), appended by [`Auditor::record`]
//! on the request's connection inside the transaction of the change it
//! records, and read by admins at `GET /api/v1/audit`.

pub mod action;
pub mod change;
pub mod context;
pub mod dto;
pub mod model;
pub mod routes;

pub use action::Action;
pub use change::Change;
pub use context::Auditor;
