//! Demo data for `cms seed-demo` (see `commands::seed_demo`).

pub mod content;
