//! The sitemap documents (<https://www.sitemaps.org/protocol.html>) and the
//! Google News sitemap (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap>).

use chrono::NaiveDateTime;

use crate::feeds::rfc3339;
use crate::feeds::xml::{self, text};

/// The sitemap protocol's namespace.
pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// The Google News extension's namespace.
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// The content type of every sitemap.
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

/// A sitemap index listing these sitemap URLs.
pub fn index(locs: &[String]) -> std::io::Result<Vec<u8>> {
    let mut w = xml::document()?;
    w.create_element("sitemapindex")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for loc in locs {
                w.create_element("sitemap")
                    .write_inner_content(|w| text(w, "loc", loc))?;
            }
            Ok(())
        })?;
    Ok(xml::finish(w))
}

/// A sitemap of `(loc, lastmod)` pairs.
pub fn urlset(urls: &[(String, NaiveDateTime)]) -> std::io::Result<Vec<u8>> {
    let mut w = xml::document()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for (loc, lastmod) in urls {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", loc)?;
                    text(w, "lastmod", &rfc3339(*lastmod))
                })?;
            }
            Ok(())
        })?;
    Ok(xml::finish(w))
}

/// One article of the news sitemap.
pub struct NewsUrl {
    pub loc: String,
    pub title: String,
    pub published: NaiveDateTime,
}

/// A Google News sitemap: publication `name` in `language`.
pub fn news(name: &str, language: &str, urls: &[NewsUrl]) -> std::io::Result<Vec<u8>> {
    let mut w = xml::document()?;
    w.create_element("urlset")
        .with_attributes([("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)])
        .write_inner_content(|w| {
            for url in urls {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &url.loc)?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication")
                            .write_inner_content(|w| {
                                text(w, "news:name", name)?;
                                text(w, "news:language", language)
                            })?;
                        text(w, "news:publication_date", &rfc3339(url.published))?;
                        text(w, "news:title", &url.title)
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(xml::finish(w))
}
