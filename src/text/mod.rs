//! Text utilities for article content.
//!
//! * [`slug`] — URL slugs derived from titles, with validation and
//!   de-duplication suffixes.
//! * [`markdown`] — Markdown → sanitized HTML, plus plain-text extraction
//!   for excerpts and word counts.
//! * [`stats`] — word counts and reading-time estimates.
//!
//! Everything here is pure (no I/O, no database access) so it can be used
//! from request handlers and background jobs alike.

pub mod markdown;
pub mod slug;
pub mod stats;
