//! Sitemaps of the published articles: an index (`/sitemap.xml`), its
//! pages of at most `SITEMAP_PAGE_SIZE` URLs, and a Google News sitemap of
//! the last 48 hours. URLs are the public site's (`SITE_URL`,
//! `ARTICLE_URL_TEMPLATE`).

pub mod model;
pub mod render;
pub mod routes;
pub mod settings;

pub use settings::SitemapSettings;
