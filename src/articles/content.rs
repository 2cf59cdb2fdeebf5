//! Values derived from an article's Markdown body on every write (so that
//! reads never render or parse Markdown).

use crate::text::{markdown, stats};

/// Rendered HTML and reading statistics of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// Rendered and sanitized HTML.
    pub body_html: String,
    /// Words in the body.
    pub word_count: i32,
    /// Minutes at 200 words per minute.
    pub reading_time_minutes: i32,
    /// First paragraph as plain text (the excerpt when none is given).
    pub body_lead: String,
}

/// Renders `body` and counts its words.
pub fn derive(body: &str) -> Derived {
    let words = stats::word_count(&markdown::plain_text(body));
    Derived {
        body_html: markdown::render(body),
        word_count: words,
        reading_time_minutes: stats::reading_time_minutes(words),
        body_lead: markdown::first_paragraph(body).unwrap_or_default(),
    }
}
