//! Atom 1.0 (RFC 4287).

use super::model::Feed;
use super::rfc3339;
use super::xml::{self, empty, text, text_with};

/// The content type of an Atom feed.
pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// `feed` as an Atom document.
pub fn render(feed: &Feed) -> std::io::Result<Vec<u8>> {
    let mut w = xml::document()?;
    w.create_element("feed")
        .with_attributes([
            ("xmlns", "http://www.w3.org/2005/Atom"),
            ("xml:lang", feed.language.as_str()),
        ])
        .write_inner_content(|w| {
            text(w, "id", &feed.self_url)?;
            text_with(w, "title", &[("type", "text")], &feed.title)?;
            text_with(w, "subtitle", &[("type", "text")], &feed.description)?;
            text(w, "updated", &rfc3339(feed.updated))?;
            empty(
                w,
                "link",
                &[
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", &feed.home_url),
                ],
            )?;
            empty(
                w,
                "link",
                &[
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", &feed.self_url),
                ],
            )?;
            for item in &feed.items {
                w.create_element("entry").write_inner_content(|w| {
                    text(w, "id", &item.id)?;
                    text_with(w, "title", &[("type", "text")], &item.title)?;
                    empty(
                        w,
                        "link",
                        &[
                            ("rel", "alternate"),
                            ("type", "text/html"),
                            ("href", &item.url),
                        ],
                    )?;
                    text(w, "published", &rfc3339(item.published))?;
                    text(w, "updated", &rfc3339(item.updated))?;
                    // Atom requires an author per entry (or on the feed).
                    let author = item.author.as_deref().unwrap_or(&feed.title);
                    w.create_element("author")
                        .write_inner_content(|w| text(w, "name", author))?;
                    for (slug, name) in &item.tags {
                        empty(w, "category", &[("term", slug), ("label", name)])?;
                    }
                    text_with(w, "summary", &[("type", "text")], &item.summary)?;
                    if let Some(html) = &item.content_html {
                        text_with(w, "content", &[("type", "html")], html)?;
                    }
                    if let Some(image) = &item.image {
                        empty(w, "link", &[("rel", "enclosure"), ("href", image)])?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(xml::finish(w))
}
