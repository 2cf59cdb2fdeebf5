//! Feeds of the newest published articles: RSS 2.0, Atom 1.0 and JSON
//! Feed 1.1, of the whole site, one tag or one author. Links point to the
//! public site (`SITE_URL`, `ARTICLE_URL_TEMPLATE`); see `docs/guide.md`
//! and `docs/decisions.md` ("Feeds and sitemaps").

pub mod atom;
pub mod json_feed;
pub mod model;
pub mod routes;
pub mod rss;
pub mod settings;
pub mod urls;
pub mod xml;

use chrono::{NaiveDateTime, SecondsFormat};

pub use settings::{FeedContent, FeedSettings, SiteSettings};

/// RFC 3339 in UTC to the second (`2026-01-05T08:00:00Z`): Atom, JSON Feed
/// and sitemaps (a W3C datetime).
pub fn rfc3339(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An XML document, as the OpenAPI document describes answers.
#[derive(Debug, utoipa::ToSchema)]
#[schema(value_type = String)]
pub struct XmlDocument(pub String);

/// A JSON Feed 1.1 document (<https://www.jsonfeed.org/version/1.1/>).
#[derive(Debug, utoipa::ToSchema)]
#[schema(value_type = Object)]
pub struct JsonFeedDocument(pub serde_json::Value);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_micro_opt(8, 0, 3, 250)
            .unwrap();
        assert_eq!(rfc3339(at), "2026-01-05T08:00:03Z");
        assert_eq!(
            crate::db::time::http_date(at),
            "Mon, 05 Jan 2026 08:00:03 GMT"
        );
    }
}
