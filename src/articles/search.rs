//! `q`: full-text search of articles. Words of three or more characters
//! are matched as word prefixes (so `elect` finds "elections"), shorter ones
//! as whole words (a one-letter prefix would make the index visit nearly
//! every entry: a cheap way to load the database); an article must contain
//! every word. The search runs on each
//! backend's own index: a GIN index over `to_tsvector('simple', …)` on
//! PostgreSQL, an FTS5 table kept in step by triggers on SQLite. This is
//! the one place where the two backends need different SQL.

use crate::error::ApiResult;
use crate::http::pagination::bad_param;

/// Longest `q` accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of `q` used; later ones are ignored.
pub const MAX_WORDS: usize = 16;
/// Shortest word matched as a prefix.
pub const MIN_PREFIX_CHARS: usize = 3;

/// The words of a search, lower-cased, letters and digits only (so nothing
/// the user types reaches the search syntax of either backend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    words: Vec<String>,
}

impl SearchTerms {
    /// Splits `q` into words; 400 when it is empty or too long. A query
    /// without letters or digits has no words and matches nothing.
    pub fn parse(q: &str) -> ApiResult<Self> {
        if q.trim().is_empty() {
            return Err(bad_param("q", "must contain a word to search for"));
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(bad_param(
                "q",
                format!("at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let words = q
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .take(MAX_WORDS)
            .collect();
        Ok(Self { words })
    }

    /// Whether no word could be found in the query.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A PostgreSQL `to_tsquery` text: every word required, long ones as
    /// prefixes.
    pub fn pg_tsquery(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("{w}{}", if is_prefix(w) { ":*" } else { "" }))
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// An SQLite FTS5 `MATCH` text: every word quoted and required, long
    /// ones as prefixes.
    pub fn fts5_match(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{w}\"{}", if is_prefix(w) { "*" } else { "" }))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn is_prefix(word: &str) -> bool {
    word.chars().count() >= MIN_PREFIX_CHARS
}

/// SQL of the search condition before its one bound value, and after it.
/// The PostgreSQL expression is the one the GIN index is built on.
pub const PG_CONDITION: (&str, &str) = (
    "to_tsvector('simple', regexp_replace(articles.title || ' ' || coalesce(articles.excerpt, '') || ' ' || articles.body, '[[:punct:]]+', ' ', 'g')) @@ to_tsquery('simple', ",
    ")",
);
/// The SQLite condition: ids found by the FTS5 index.
pub const SQLITE_CONDITION: (&str, &str) = (
    "articles.id IN (SELECT rowid FROM articles_search WHERE articles_search MATCH ",
    ")",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_stripped_of_syntax() {
        let terms = SearchTerms::parse("  Élection \"2026\" -results* OR x:*").unwrap();
        assert_eq!(
            terms.pg_tsquery(),
            "élection:* & 2026:* & results:* & or & x"
        );
        assert_eq!(
            terms.fts5_match(),
            "\"élection\"* \"2026\"* \"results\"* \"or\" \"x\""
        );
    }

    #[test]
    fn punctuation_only_has_no_words_and_blank_is_refused() {
        assert!(SearchTerms::parse("?!—").unwrap().is_empty());
        assert!(SearchTerms::parse("   ").is_err());
        assert!(SearchTerms::parse(&"a".repeat(201)).is_err());
        assert_eq!(
            SearchTerms::parse(&"w ".repeat(40)).unwrap().words.len(),
            MAX_WORDS
        );
    }
}
