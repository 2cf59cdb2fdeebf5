//! Unique slugs for any table with `id` and `slug` columns.

use crate::error::{ApiError, ApiResult};

/// Slugs of `$table` equal to `$base` or of the form `$base-…`, ignoring row
/// `$except` (an `Option<i64>`). Evaluates to `ApiResult<Vec<String>>`.
macro_rules! taken_slugs {
    ($db:expr, $table:ident, $base:expr, $except:expr) => {{
        use diesel::prelude::{BoolExpressionMethods, ExpressionMethods, QueryDsl, TextExpressionMethods};
        use diesel_async::RunQueryDsl;
        use $crate::db::schema::$table;
        let base: &str = $base;
        let except: Option<i64> = $except;
        let pattern = format!("{base}-%");
        let taken: $crate::error::ApiResult<Vec<String>> = async {
            Ok(with_conn!($db, conn => {
                let mut query = $table::table
                    .select($table::slug)
                    .filter($table::slug.eq(base).or($table::slug.like(&pattern)))
                    .into_boxed();
                if let Some(id) = except {
                    query = query.filter($table::id.ne(id));
                }
                query.load(conn).await?
            }))
        }
        .await;
        taken
    }};
}

/// `base` if free, else the first free `base-2`, `base-3`…
pub fn first_free(base: &str, taken: &[String]) -> ApiResult<String> {
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
