//! The one integration-test binary: every test talks HTTP to the real server,
//! on PostgreSQL and on SQLite.

mod harness;

mod health;
mod openapi_drift;
mod problems;
mod schema_parity;
