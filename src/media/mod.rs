//! The media library: image uploads, their resized copies, their
//! description, and the files themselves (a local folder by default, any
//! S3-compatible store by configuration). See `docs/media.md`.

pub mod dto;
pub mod form;
pub mod format;
pub mod model;
pub mod process;
pub mod routes;
pub mod serve;
pub mod service;
pub mod settings;
pub mod store;

pub use service::MediaService;
pub use settings::MediaSettings;
