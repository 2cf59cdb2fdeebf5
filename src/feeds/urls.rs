//! Public addresses: the site's origin (`SITE_URL`) and where an article
//! lives on it (`ARTICLE_URL_TEMPLATE`), checked once at start-up; and the
//! stable id every feed gives an article.

use chrono::{Datelike, NaiveDateTime};

use crate::config::ConfigError;

/// The placeholders an article path template may use.
pub const PLACEHOLDERS: [&str; 5] = ["{yyyy}", "{mm}", "{dd}", "{slug}", "{id}"];

/// `SITE_URL`: an absolute `http(s)` URL with a host, no query or fragment,
/// kept without its trailing slash (`https://news.example`, or with a path
/// prefix, `https://example.org/news`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    base: String,
    host: String,
}

impl SiteUrl {
    /// Checks `raw` (reported as `SITE_URL`).
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let invalid = |why: &str| ConfigError::invalid("SITE_URL", why.to_owned());
        let url = url::Url::parse(raw.trim()).map_err(|e| {
            invalid(&format!(
                "not an absolute URL ({e}), e.g. https://news.example"
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("must start with http:// or https://"));
        }
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(invalid("needs a host"));
        };
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
            return Err(invalid("must not carry a query, a fragment or credentials"));
        }
        Ok(Self {
            base: url.as_str().trim_end_matches('/').to_owned(),
            host: host.to_owned(),
        })
    }

    /// The URL without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The home page (with its trailing slash).
    pub fn home(&self) -> String {
        format!("{}/", self.base)
    }

    /// `path` (starting with `/`) on the site, percent-encoded where needed.
    pub fn join(&self, path: &str) -> String {
        let joined = format!("{}{path}", self.base);
        url::Url::parse(&joined).map_or(joined, String::from)
    }

    /// The host name (for `tag:` URIs).
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// `ARTICLE_URL_TEMPLATE`: an article's path on the site, with
/// placeholders taken from its publication date (UTC) and its slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticlePath(String);

impl ArticlePath {
    /// Checks `raw` (reported as `ARTICLE_URL_TEMPLATE`): a path starting
    /// with `/`, naming `{slug}` or `{id}` so each article has its own
    /// address, with no other `{…}` and no characters a URL path cannot
    /// hold as they are (spaces, quotes, `<>`, `?`, `#`).
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let invalid = |why: String| ConfigError::invalid("ARTICLE_URL_TEMPLATE", why);
        let raw = raw.trim();
        if !raw.starts_with('/') {
            return Err(invalid(format!(
                "must be a path starting with /, e.g. /{{yyyy}}/{{mm}}/{{slug}} (got {raw:?})"
            )));
        }
        if !raw.contains("{slug}") && !raw.contains("{id}") {
            return Err(invalid(
                "must contain {slug} or {id}, so every article has its own address".to_owned(),
            ));
        }
        let mut rest = raw.to_owned();
        for placeholder in PLACEHOLDERS {
            rest = rest.replace(placeholder, "");
        }
        if let Some(bad) = rest
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@%".contains(*c)))
        {
            let hint = if bad == '{' || bad == '}' {
                format!("unknown placeholder; use {}", PLACEHOLDERS.join(", "))
            } else {
                format!("{bad:?} cannot appear in a URL path")
            };
            return Err(invalid(hint));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The path of the article `slug` (id `id`) published at `published_at`.
    pub fn render(&self, id: i64, slug: &str, published_at: NaiveDateTime) -> String {
        self.0
            .replace("{yyyy}", &format!("{:04}", published_at.year()))
            .replace("{mm}", &format!("{:02}", published_at.month()))
            .replace("{dd}", &format!("{:02}", published_at.day()))
            .replace("{id}", &id.to_string())
            .replace("{slug}", slug)
    }
}

/// A stable id for article `id` (RFC 4151 `tag:` URI): it survives a new
/// slug or URL template, so feed readers never see an article twice.
/// `created_at` dates it, as the scheme asks.
pub fn article_tag_uri(site: &SiteUrl, id: i64, created_at: NaiveDateTime) -> String {
    format!(
        "tag:{},{}:article:{id}",
        site.host(),
        created_at.format("%Y-%m-%d")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap()
    }

    #[test]
    fn site_urls() {
        let site = SiteUrl::parse("https://news.example/").unwrap();
        assert_eq!(site.as_str(), "https://news.example");
        assert_eq!(
            site.join("/2026/01/a-b"),
            "https://news.example/2026/01/a-b"
        );
        assert_eq!(
            site.join("/2026/01/привет"),
            "https://news.example/2026/01/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82"
        );
        let prefixed = SiteUrl::parse("http://example.org/news").unwrap();
        assert_eq!(prefixed.join("/x"), "http://example.org/news/x");
        for bad in [
            "news.example",
            "ftp://news.example",
            "https://x.example/?a=1",
            "/rel",
        ] {
            assert_eq!(SiteUrl::parse(bad).unwrap_err().name, "SITE_URL", "{bad}");
        }
    }

    #[test]
    fn templates() {
        let t = ArticlePath::parse("/{yyyy}/{mm}/{dd}/{slug}").unwrap();
        assert_eq!(
            t.render(7, "harbour", at(2026, 3, 9)),
            "/2026/03/09/harbour"
        );
        let t = ArticlePath::parse("/news/{id}-{slug}.html").unwrap();
        assert_eq!(
            t.render(7, "harbour", at(2026, 3, 9)),
            "/news/7-harbour.html"
        );
        for bad in [
            "{slug}",
            "/{yyyy}/{month}/{slug}",
            "/{yyyy}",
            "/a b/{slug}",
            "/{slug}?x",
        ] {
            assert_eq!(
                ArticlePath::parse(bad).unwrap_err().name,
                "ARTICLE_URL_TEMPLATE",
                "{bad}"
            );
        }
    }

    #[test]
    fn tag_uris_are_dated_by_creation() {
        let site = SiteUrl::parse("https://news.example").unwrap();
        assert_eq!(
            article_tag_uri(&site, 13, at(2026, 1, 5)),
            "tag:news.example,2026-01-05:article:13"
        );
    }
}
