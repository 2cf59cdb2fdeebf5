//! `q`: full-text search of articles, in the syntax search boxes use
//! (PostgreSQL's `websearch_to_tsquery`, plus type-ahead prefixes):
//!
//! - words are all required; words of three or more characters match as
//!   word prefixes (`elect` finds "elections"), shorter ones as whole words
//!   (a one-letter prefix would make the index visit nearly every entry);
//! - `"two words"` is a phrase: these words, adjacent, in this order;
//! - `-word` or `-"a phrase"` excludes articles containing it;
//! - `or` between terms gives alternatives: `storm or flood warning` is
//!   "storm", or "flood" and "warning".
//!
//! Words are lower-cased runs of letters and digits, so nothing the user
//! types reaches either backend's query syntax. The query is rendered for
//! each backend's own index: a stored, weighted `tsvector` under a GIN index
//! on PostgreSQL, an FTS5 table kept in step by triggers on SQLite.

use crate::error::ApiResult;
use crate::http::pagination::bad_param;

/// Longest `q` accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of `q` used; later ones are ignored.
pub const MAX_WORDS: usize = 16;
/// Shortest word matched as a prefix.
pub const MIN_PREFIX_CHARS: usize = 3;

/// A parsed search: alternatives, each a set of required and excluded terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    groups: Vec<Group>,
}

/// Terms that must all hold (one side of an `or`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Group {
    terms: Vec<Term>,
}

/// One word or phrase, required or excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    words: Vec<String>,
    excluded: bool,
    /// A bare word long enough to match as a prefix.
    prefix: bool,
}

impl SearchTerms {
    /// Parses `q`; 400 when it is blank or too long. A query with no word
    /// to look for (only punctuation, or only exclusions) matches nothing.
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
        let mut groups = vec![Group::default()];
        let mut budget = MAX_WORDS;
        for (raw, quoted, excluded) in tokens(q) {
            let words: Vec<String> = split_words(&raw).take(budget).collect();
            if words.is_empty() {
                continue;
            }
            if !quoted && !excluded && words.len() == 1 && words[0] == "or" {
                groups.push(Group::default());
                continue;
            }
            budget -= words.len();
            let group = groups.last_mut().expect("one group at least");
            if quoted {
                let prefix = false;
                group.terms.push(Term {
                    words,
                    excluded,
                    prefix,
                });
            } else {
                // Unquoted punctuation separates words, as spaces do;
                // an exclusion covers the first of them only.
                for (i, word) in words.into_iter().enumerate() {
                    let prefix = word.chars().count() >= MIN_PREFIX_CHARS;
                    group.terms.push(Term {
                        words: vec![word],
                        excluded: excluded && i == 0,
                        prefix,
                    });
                }
            }
            if budget == 0 {
                break;
            }
        }
        // A group needs something to look for: "everything except x" would
        // make the index visit every article.
        groups.retain(|g| g.terms.iter().any(|t| !t.excluded));
        Ok(Self { groups })
    }

    /// Whether nothing is to be looked for (such a search matches nothing).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// A PostgreSQL `to_tsquery('simple', …)` text.
    pub fn pg_tsquery(&self) -> String {
        let term = |t: &Term| {
            let inner = t.words.join(" <-> ");
            let inner = if t.prefix {
                format!("{inner}:*")
            } else {
                inner
            };
            match (t.excluded, t.words.len() > 1) {
                (true, true) => format!("!({inner})"),
                (true, false) => format!("!{inner}"),
                (false, true) => format!("({inner})"),
                (false, false) => inner,
            }
        };
        self.groups
            .iter()
            .map(|g| {
                let all: Vec<String> = g.terms.iter().map(term).collect();
                format!("({})", all.join(" & "))
            })
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// An SQLite FTS5 `MATCH` text.
    pub fn fts5_match(&self) -> String {
        let term = |t: &Term| {
            format!(
                "\"{}\"{}",
                t.words.join(" "),
                if t.prefix { "*" } else { "" }
            )
        };
        self.groups
            .iter()
            .map(|g| {
                let required: Vec<String> =
                    g.terms.iter().filter(|t| !t.excluded).map(term).collect();
                let mut group = format!("({})", required.join(" AND "));
                for excluded in g.terms.iter().filter(|t| t.excluded) {
                    group = format!("({group} NOT {})", term(excluded));
                }
                group
            })
            .collect::<Vec<_>>()
            .join(" OR ")
    }
}

/// The raw pieces of `q`: (text, quoted, excluded). A `-` excludes when it
/// starts a piece (at the start or after a space); an unclosed quote runs
/// to the end.
fn tokens(q: &str) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let excluded = c == '-';
        if excluded {
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|c| *c != '"').collect();
            out.push((phrase, true, excluded));
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            out.push((word, false, excluded));
        }
    }
    out
}

/// Lower-cased runs of letters and digits.
fn split_words(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The PostgreSQL condition before and after its bound `to_tsquery` text:
/// the stored column the GIN index covers.
pub const PG_MATCH: (&str, &str) = ("articles.search_vector @@ to_tsquery('simple', ", ")");
/// The PostgreSQL relevance: cover density over the headline and teaser
/// (`search_head`, small enough to stay in the row; see migration 000006).
pub const PG_RANK: (&str, &str) = (
    "ts_rank_cd(articles.search_head, to_tsquery('simple', ",
    "))",
);
/// The SQLite condition (on `articles_search` joined to `articles`).
pub const SQLITE_MATCH: &str = "articles_search MATCH ";

/// Marks around matched words in snippets; never in stored text (control
/// characters are refused on input), replaced after HTML escaping.
pub const MARK_START: char = '\u{2}';
/// See [`MARK_START`].
pub const MARK_END: char = '\u{3}';

/// Snippet SQL by backend (the page's ids and the query are bound): the
/// PostgreSQL one highlights a bounded window (the excerpt and the first
/// 1,200 characters of the body: `ts_headline` parses all it is given), never whole bodies; it drops HTML tags
/// of the text itself, and [`snippet_html`] escapes whatever is left.
pub const PG_SNIPPETS: &str = "SELECT id, ts_headline('simple', \
     coalesce(excerpt || '\n', '') || left(body, 1200), \
     to_tsquery('simple', $1), \
     'StartSel=\u{2}, StopSel=\u{3}, MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=\" … \"') AS snippet \
     FROM articles WHERE id = ANY($2)";
/// SQLite: FTS5's `snippet()` over the best column, up to 24 tokens.
pub const SQLITE_SNIPPETS: &str = "SELECT rowid AS id, snippet(articles_search, -1, char(2), char(3), '…', 24) AS snippet \
     FROM articles_search WHERE articles_search MATCH ? AND rowid IN (SELECT value FROM json_each(?))";

/// A snippet as HTML: the text escaped, matches in `<mark>`, Markdown
/// emphasis, heading and quote marks dropped, whitespace collapsed.
pub fn snippet_html(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 32);
    let mut line_start = true;
    for c in raw.chars() {
        if c == '\n' {
            line_start = true;
        } else if line_start && c == '>' {
            continue;
        } else if !c.is_whitespace() && c != MARK_START {
            line_start = false;
        }
        match c {
            MARK_START => out.push_str("<mark>"),
            MARK_END => out.push_str("</mark>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '*' | '_' | '#' | '`' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> SearchTerms {
        SearchTerms::parse(q).unwrap()
    }

    #[test]
    fn words_are_lower_cased_and_stripped_of_syntax() {
        let terms = parse("  Élection 2026 results* x:* (a)");
        assert_eq!(
            terms.pg_tsquery(),
            "(élection:* & 2026:* & results:* & x & a)"
        );
        assert_eq!(
            terms.fts5_match(),
            "(\"élection\"* AND \"2026\"* AND \"results\"* AND \"x\" AND \"a\")"
        );
    }

    #[test]
    fn phrases_exclusions_and_alternatives() {
        let terms = parse("\"City Hall\" budget -\"rail yard\" -tax or Storm");
        assert_eq!(
            terms.pg_tsquery(),
            "((city <-> hall) & budget:* & !(rail <-> yard) & !tax:*) | (storm:*)"
        );
        assert_eq!(
            terms.fts5_match(),
            "(((\"city hall\" AND \"budget\"*) NOT \"rail yard\") NOT \"tax\"*) OR (\"storm\"*)"
        );
    }

    #[test]
    fn nothing_to_look_for_matches_nothing_and_blank_is_refused() {
        assert!(parse("?!—").is_empty());
        assert!(parse("-tax -\"rail yard\"").is_empty());
        assert!(parse("or or").is_empty());
        assert!(!parse("a or -b").is_empty());
        assert_eq!(parse("a or -b").pg_tsquery(), "(a)");
        assert!(SearchTerms::parse("   ").is_err());
        assert!(SearchTerms::parse(&"a".repeat(201)).is_err());
    }

    #[test]
    fn at_most_sixteen_words_count() {
        let terms = parse(&"w ".repeat(40));
        assert_eq!(terms.groups[0].terms.len(), MAX_WORDS);
        let terms = parse(&format!("\"{}\" more", "w ".repeat(40)));
        assert_eq!(terms.groups[0].terms.len(), 1);
        assert_eq!(terms.groups[0].terms[0].words.len(), MAX_WORDS);
    }

    #[test]
    fn quotes_and_dashes_inside_words_are_separators() {
        assert_eq!(parse("e-mail").pg_tsquery(), "(e & mail:*)");
        assert_eq!(
            parse("say\"hi there").pg_tsquery(),
            "(say:* & (hi <-> there))"
        );
        assert_eq!(parse("\"unclosed").pg_tsquery(), "(unclosed)");
    }

    #[test]
    fn snippets_are_escaped_with_marks() {
        assert_eq!(
            snippet_html("a <b>\u{2}x\u{3}</b> & **\"q\"**  _z_\n> > quoted > b"),
            "a &lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &quot;q&quot; z quoted &gt; b"
        );
    }
}
