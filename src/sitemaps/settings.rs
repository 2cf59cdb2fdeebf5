//! `SITEMAP_PAGE_SIZE`: how many URLs one sitemap page lists.

use crate::config::{parse_or, ConfigError};

/// The sitemap protocol's limit of URLs per sitemap file.
pub const MAX_URLS_PER_PAGE: i64 = 50_000;

/// The sitemaps' settings.
#[derive(Debug, Clone, Copy)]
pub struct SitemapSettings {
    /// `SITEMAP_PAGE_SIZE`: URLs per `/sitemaps/articles-{n}.xml`.
    pub page_size: i64,
}

impl SitemapSettings {
    /// Reads `SITEMAP_PAGE_SIZE`.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            page_size: parse_or(
                get,
                "SITEMAP_PAGE_SIZE",
                MAX_URLS_PER_PAGE,
                1..=MAX_URLS_PER_PAGE,
            )?,
        })
    }
}
