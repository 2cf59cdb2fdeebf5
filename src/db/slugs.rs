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

/// `base`, or `base-2`, `base-3`…: the first slug no other row of `table`
/// (other than `except`) uses. Run it in the transaction that writes the
/// row; the unique index still refuses a slug taken by a concurrent writer.
pub async fn unique_slug(
    conn: &mut Conn,
    table: SlugTable,
    base: &str,
    except: Option<i64>,
) -> ApiResult<String> {
    let pattern = format!("{base}-%");
    let except = except.unwrap_or(0);
    // The same query on each table (and, inside `run!`, each backend).
    macro_rules! taken {
        ($table:ident) => {
            run!(conn, c => {
                $table::table
                    .select($table::slug)
                    .filter($table::slug.eq(base).or($table::slug.like(&pattern)))
                    .filter($table::id.ne(except))
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
pub fn base_slug(text: &str, fallback: &str) -> String {
    let slug = crate::text::slug::slugify(text);
    if slug.is_empty() {
        fallback.to_owned()
    } else {
        slug
    }
}
