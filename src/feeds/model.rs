//! What every feed format renders: the channel and its items, read from
//! the newest articles readers may see (all, one tag's or one author's).

use chrono::NaiveDateTime;
use diesel::result::QueryResult;

use super::settings::{FeedContent, FeedSettings};
use super::urls::article_tag_uri;
use crate::articles::listing::{self, Columns, Filter};
use crate::articles::model::Article;
use crate::db::Conn;
use crate::http::params::IdOrSlug;
use crate::{authors, tags};

/// Which articles a feed follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every published article.
    All,
    /// The articles of the tag with this slug.
    Tag(String),
    /// The articles of the author with this slug.
    Author(String),
}

/// A feed, whatever its format.
#[derive(Debug, Clone)]
pub struct Feed {
    /// `SITE_NAME`, with the tag's or author's name.
    pub title: String,
    /// `SITE_DESCRIPTION` (or the tag's description).
    pub description: String,
    /// `SITE_LANGUAGE`.
    pub language: String,
    /// The site's home page.
    pub home_url: String,
    /// The feed's own address on the site.
    pub self_url: String,
    /// The latest change among the items (the Unix epoch for an empty feed,
    /// so its validators stay stable).
    pub updated: NaiveDateTime,
    /// Newest first.
    pub items: Vec<Item>,
}

/// One article in a feed.
#[derive(Debug, Clone)]
pub struct Item {
    /// A stable `tag:` URI.
    pub id: String,
    /// The article's address on the site (`ARTICLE_URL_TEMPLATE`).
    pub url: String,
    pub title: String,
    /// The excerpt (plain text).
    pub summary: String,
    /// The sanitized HTML body (`FEED_CONTENT=full`).
    pub content_html: Option<String>,
    pub published: NaiveDateTime,
    /// The last edit, or the publication if later (a scheduled article).
    pub updated: NaiveDateTime,
    /// The author's name.
    pub author: Option<String>,
    /// Tags as (slug, name), in display order.
    pub tags: Vec<(String, String)>,
    /// An absolute `featured_image_url`, if the article has one.
    pub image: Option<String>,
}

/// The feed of `scope` at `now` (`None`: no such tag or author). `path`
/// is the feed's path, for its self link.
pub async fn load(
    conn: &mut Conn,
    settings: &FeedSettings,
    scope: &Scope,
    path: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Feed>> {
    let site = &settings.site;
    let mut filter = Filter::public(now);
    let (title, description) = match scope {
        Scope::All => (site.name.clone(), site.description.clone()),
        Scope::Tag(slug) => {
            let Some(tag) = tags::model::find(conn, &IdOrSlug::Slug(slug.clone())).await? else {
                return Ok(None);
            };
            filter.tag = Some(tag.slug);
            let description = if tag.description.trim().is_empty() {
                format!("Articles tagged {} on {}", tag.name, site.name)
            } else {
                tag.description
            };
            (format!("{}: {}", site.name, tag.name), description)
        }
        Scope::Author(slug) => {
            let key = IdOrSlug::Slug(slug.clone());
            let Some(author) = authors::model::find(conn, &key).await? else {
                return Ok(None);
            };
            filter.author = Some(IdOrSlug::Id(author.id));
            (
                format!("{}: {}", site.name, author.name),
                format!("Articles by {} on {}", author.name, site.name),
            )
        }
    };
    let columns = match settings.content {
        FeedContent::Full => Columns::All,
        FeedContent::Excerpt => Columns::WithoutBodies,
    };
    let rows = listing::newest(conn, &filter, settings.items, columns).await?;
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let mut author_ids: Vec<i64> = rows.iter().map(|a| a.author_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors = authors::model::by_ids(conn, &author_ids).await?;
    let mut tags = tags::model::for_articles(conn, &ids).await?;
    let items: Vec<Item> = rows
        .into_iter()
        .map(|article| {
            let author = authors.get(&article.author_id).map(|a| a.name.clone());
            let tags = tags
                .remove(&article.id)
                .unwrap_or_default()
                .into_iter()
                .map(|t| (t.slug, t.name))
                .collect();
            item(settings, article, author, tags)
        })
        .collect();
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .unwrap_or(chrono::DateTime::UNIX_EPOCH.naive_utc());
    Ok(Some(Feed {
        title,
        description,
        language: site.language.clone(),
        home_url: site.url.home(),
        self_url: site.url.join(path),
        updated,
        items,
    }))
}

fn item(
    settings: &FeedSettings,
    article: Article,
    author: Option<String>,
    tags: Vec<(String, String)>,
) -> Item {
    let site = &settings.site;
    // Public rows always have a publication date (`visible_at`).
    let published = article.published_at.unwrap_or(article.created_at);
    let summary = article.shown_excerpt();
    let image = article
        .featured_image_url
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    Item {
        id: article_tag_uri(&site.url, article.id, article.created_at),
        url: site.article_url(article.id, &article.slug, published),
        title: article.title,
        summary,
        content_html: (settings.content == FeedContent::Full).then_some(article.body_html),
        published,
        updated: article.updated_at.max(published),
        author,
        tags,
        image,
    }
}
