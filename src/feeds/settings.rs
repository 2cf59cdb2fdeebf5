//! `SITE_*`, `ARTICLE_URL_TEMPLATE` and `FEED_*`: the public site the feeds
//! and sitemaps point to, and what a feed holds.

use super::urls::{ArticlePath, SiteUrl};
use crate::config::{parse_or, ConfigError};

/// The public site: where articles are read, and what it is called.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// `SITE_URL`: the site's origin (and path prefix, if any).
    pub url: SiteUrl,
    /// `ARTICLE_URL_TEMPLATE`: an article's path on the site.
    pub article_path: ArticlePath,
    /// `SITE_NAME`: feed titles and the news sitemap's publication name.
    pub name: String,
    /// `SITE_DESCRIPTION`: the feeds' description.
    pub description: String,
    /// `SITE_LANGUAGE`: language of the content (feeds, news sitemap).
    pub language: String,
}

impl SiteSettings {
    /// The absolute URL of an article.
    pub fn article_url(&self, id: i64, slug: &str, published_at: chrono::NaiveDateTime) -> String {
        self.url
            .join(&self.article_path.render(id, slug, published_at))
    }
}

/// What a feed item carries as its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedContent {
    /// The sanitized HTML body (and the excerpt as summary).
    Full,
    /// The excerpt only.
    Excerpt,
}

/// The feeds' settings.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    /// The public site.
    pub site: SiteSettings,
    /// `FEED_ITEMS`: newest articles per feed.
    pub items: i64,
    /// `FEED_CONTENT`: `full` or `excerpt`.
    pub content: FeedContent,
}

impl FeedSettings {
    /// Reads the `SITE_*`, `ARTICLE_URL_TEMPLATE` and `FEED_*` variables.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let url = SiteUrl::parse(
            get("SITE_URL")
                .as_deref()
                .unwrap_or("http://localhost:8080"),
        )?;
        let article_path = ArticlePath::parse(
            get("ARTICLE_URL_TEMPLATE")
                .as_deref()
                .unwrap_or("/{yyyy}/{mm}/{slug}"),
        )?;
        let name = get("SITE_NAME").unwrap_or_else(|| "News".to_owned());
        let name = name.trim().to_owned();
        if name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(ConfigError::invalid(
                "SITE_NAME",
                "at most 200 characters, no control characters",
            ));
        }
        let description = get("SITE_DESCRIPTION")
            .map(|d| d.trim().to_owned())
            .unwrap_or_else(|| format!("The latest articles from {name}"));
        if description.chars().count() > 1000 || description.chars().any(char::is_control) {
            return Err(ConfigError::invalid(
                "SITE_DESCRIPTION",
                "at most 1000 characters, no control characters",
            ));
        }
        let language = get("SITE_LANGUAGE").unwrap_or_else(|| "en".to_owned());
        let language = language.trim().to_ascii_lowercase();
        if !is_language_tag(&language) {
            return Err(ConfigError::invalid(
                "SITE_LANGUAGE",
                "a language code such as en, fr, pt-br or zh-tw",
            ));
        }
        let content = match get("FEED_CONTENT").as_deref().map(str::trim) {
            None | Some("full") => FeedContent::Full,
            Some("excerpt") => FeedContent::Excerpt,
            Some(_) => return Err(ConfigError::invalid("FEED_CONTENT", "use full or excerpt")),
        };
        Ok(Self {
            site: SiteSettings {
                url,
                article_path,
                name,
                description,
                language,
            },
            items: parse_or(get, "FEED_ITEMS", 20i64, 1..=100)?,
            content,
        })
    }
}

/// A two- or three-letter language code, optionally with subtags
/// (`en`, `pt-br`, `zh-tw`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<FeedSettings, ConfigError> {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        FeedSettings::from_lookup(&|k: &str| map.get(k).map(|v| v.to_string()))
    }

    #[test]
    fn defaults_and_errors() {
        let s = read(&[]).unwrap();
        assert_eq!(s.items, 20);
        assert_eq!(s.content, FeedContent::Full);
        assert_eq!(s.site.language, "en");
        assert_eq!(s.site.url.as_str(), "http://localhost:8080");
        for (name, value) in [
            ("FEED_ITEMS", "0"),
            ("FEED_ITEMS", "101"),
            ("FEED_CONTENT", "summary"),
            ("SITE_LANGUAGE", "english"),
            ("SITE_URL", "news.example"),
            ("ARTICLE_URL_TEMPLATE", "/{yyyy}/{title}"),
        ] {
            assert_eq!(read(&[(name, value)]).unwrap_err().name, name, "{value}");
        }
        assert!(is_language_tag("pt-br") && is_language_tag("zh-tw"));
    }
}
