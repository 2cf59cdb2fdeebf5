//! Unique slugs for the tables addressed by slug.

use diesel::prelude::{BoolExpressionMethods, ExpressionMethods, QueryDsl, TextExpressionMethods};
use diesel_async::RunQueryDsl;

use super::schema::{articles, authors, tags};
use super::Conn;
use crate::error::{ApiError, ApiResult};

/// The tables whose rows have a unique `slug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugTable {
    /// `articles`.
    Articles,
    /// `authors`.
    Authors,
    /// `tags`.
    Tags,
}

impl SlugTable {
    /// The slug of a row whose text has no letters or digits.
    fn fallback(self) -> &'static str {
        match self {
            Self::Articles => "article",
            Self::Authors => "author",
            Self::Tags => "tag",
        }
    }
}

/// The slug of a new row of `table`: the one the client chose, or the
/// first free one made from `text` (its title or name). Run it in the
/// transaction that writes the row; the unique index still refuses a slug
/// taken by a concurrent writer.
pub async fn slug_for(
    conn: &mut Conn,
    table: SlugTable,
    chosen: Option<crate::types::Slug>,
    text: &str,
) -> ApiResult<String> {
    match chosen {
        Some(slug) => Ok(slug.into()),
        None => unique_slug(conn, table, text).await,
    }
}

/// The slug of `text`, or `text`'s slug with `-2`, `-3`…: the first that
/// no row of `table` uses.
pub async fn unique_slug(conn: &mut Conn, table: SlugTable, text: &str) -> ApiResult<String> {
    let base = base_slug(text, table.fallback());
    let base = base.as_str();
    let pattern = format!("{base}-%");
    // The same query on each table (and, inside `run!`, each backend).
    macro_rules! taken {
        ($table:ident) => {
            run!(conn, c => {
                $table::table
                    .select($table::slug)
                    .filter($table::slug.eq(base).or($table::slug.like(&pattern)))
                    .load::<String>(c)
                    .await
            })
        };
    }
    let taken = match table {
        SlugTable::Articles => taken!(articles),
        SlugTable::Authors => taken!(authors),
        SlugTable::Tags => taken!(tags),
    }?;
    first_free(base, &taken)
}

/// `base` if free, else the first free `base-2`, `base-3`…
fn first_free(base: &str, taken: &[String]) -> ApiResult<String> {
    if !taken.iter().any(|s| s == base) {
        return Ok(base.to_owned());
    }
    (2..=10_000)
        .map(|n| crate::text::slug::with_suffix(base, n))
        .find(|candidate| !taken.contains(candidate))
        .ok_or_else(|| ApiError::internal("slug space exhausted"))
}

/// The slug of `text`, or `fallback` when it has no letters or digits.
fn base_slug(text: &str, fallback: &str) -> String {
    let slug = crate::text::slug::slugify(text);
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    }
}
