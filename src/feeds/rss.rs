//! RSS 2.0 (<https://www.rssboard.org/rss-specification>), with the
//! `content:encoded`, `dc:creator` and `atom:link rel="self"` extensions.

use super::model::Feed;
use super::xml::{self, empty, text, text_with};
use crate::db::time::http_date;

/// The content type of an RSS feed.
pub const CONTENT_TYPE: &str = "application/rss+xml; charset=utf-8";

/// `feed` as an RSS 2.0 document.
pub fn render(feed: &Feed) -> std::io::Result<Vec<u8>> {
    let mut w = xml::document()?;
    w.create_element("rss")
        .with_attributes([
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ])
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text(w, "title", &feed.title)?;
                text(w, "link", &feed.home_url)?;
                text(w, "description", &feed.description)?;
                text(w, "language", &feed.language)?;
                text(w, "lastBuildDate", &http_date(feed.updated))?;
                empty(
                    w,
                    "atom:link",
                    &[
                        ("href", &feed.self_url),
                        ("rel", "self"),
                        ("type", "application/rss+xml"),
                    ],
                )?;
                for item in &feed.items {
                    w.create_element("item").write_inner_content(|w| {
                        text(w, "title", &item.title)?;
                        text(w, "link", &item.url)?;
                        text_with(w, "guid", &[("isPermaLink", "false")], &item.id)?;
                        text(w, "pubDate", &http_date(item.published))?;
                        if let Some(author) = &item.author {
                            text(w, "dc:creator", author)?;
                        }
                        for (_, name) in &item.tags {
                            text(w, "category", name)?;
                        }
                        text(w, "description", &item.summary)?;
                        if let Some(html) = &item.content_html {
                            text(w, "content:encoded", html)?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(xml::finish(w))
}
