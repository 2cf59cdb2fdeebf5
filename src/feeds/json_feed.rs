//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>).

use serde::Serialize;

use super::model::Feed;
use super::rfc3339;

/// The content type of a JSON Feed (JSON is UTF-8 by definition).
pub const CONTENT_TYPE: &str = "application/feed+json";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    authors: Vec<JsonAuthor<'a>>,
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

/// `feed` as a JSON Feed document.
pub fn render(feed: &Feed) -> serde_json::Result<Vec<u8>> {
    let items = feed
        .items
        .iter()
        .map(|item| JsonItem {
            id: &item.id,
            url: &item.url,
            title: &item.title,
            // An item needs `content_html` or `content_text`.
            content_html: item.content_html.as_deref(),
            content_text: item.content_html.is_none().then_some(item.summary.as_str()),
            summary: &item.summary,
            image: item.image.as_deref(),
            date_published: rfc3339(item.published),
            date_modified: rfc3339(item.updated),
            authors: item.author.iter().map(|name| JsonAuthor { name }).collect(),
            tags: item.tags.iter().map(|(_, name)| name.as_str()).collect(),
        })
        .collect();
    serde_json::to_vec(&JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.home_url,
        feed_url: &feed.self_url,
        description: &feed.description,
        language: &feed.language,
        items,
    })
}
