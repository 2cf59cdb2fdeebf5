//! Moderation and spam rules for reader comments (`COMMENT_*` variables).

use crate::config::{parse_bool, parse_or, ConfigError};

/// How new comments are screened.
#[derive(Debug, Clone)]
pub struct CommentSettings {
    /// `COMMENT_AUTO_APPROVE`: approve at once when the same email already has
    /// an approved comment (WordPress's "previously approved author").
    pub auto_approve_known: bool,
    /// `COMMENT_MAX_LINKS`: links allowed before a comment is held as pending.
    pub max_links: usize,
    /// `COMMENT_BLOCKED_WORDS`: comma-separated words that hold a comment.
    pub blocked_words: Vec<String>,
    /// `COMMENT_MIN_FILL_SECS`: a form submitted faster than this is spam.
    pub min_fill_secs: u64,
    /// `COMMENT_FORM_TTL_SECS`: how long a form token stays valid.
    pub form_ttl_secs: u64,
    /// `COMMENT_MAX_DEPTH`: nesting levels of a thread (1 = no replies).
    pub max_depth: i32,
    /// `COMMENT_IP_MAX`: comments per client IP per window.
    pub ip_max: u32,
    /// `COMMENT_EMAIL_MAX`: comments per email address per window.
    pub email_max: u32,
    /// `COMMENT_ARTICLE_MAX`: comments per article per window, from everyone
    /// (a flood from many addresses).
    pub article_max: u32,
    /// `COMMENT_RATE_WINDOW_SECS`: the rate-limit window.
    pub rate_window_secs: u64,
}

impl CommentSettings {
    /// Reads the `COMMENT_*` variables, with their defaults.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Ok(Self {
            auto_approve_known: parse_bool(get, "COMMENT_AUTO_APPROVE", true)?,
            max_links: parse_or(get, "COMMENT_MAX_LINKS", 2usize, 0..=100)?,
            blocked_words: get("COMMENT_BLOCKED_WORDS")
                .map(|v| {
                    v.split(',')
                        .map(|w| w.trim().to_lowercase())
                        .filter(|w| !w.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            min_fill_secs: parse_or(get, "COMMENT_MIN_FILL_SECS", 3u64, 0..=3600)?,
            form_ttl_secs: parse_or(get, "COMMENT_FORM_TTL_SECS", 86_400u64, 60..=2_592_000)?,
            max_depth: parse_or(get, "COMMENT_MAX_DEPTH", 5i32, 1..=20)?,
            ip_max: parse_or(get, "COMMENT_IP_MAX", 5u32, 1..=100_000)?,
            email_max: parse_or(get, "COMMENT_EMAIL_MAX", 3u32, 1..=100_000)?,
            article_max: parse_or(get, "COMMENT_ARTICLE_MAX", 30u32, 1..=100_000)?,
            rate_window_secs: parse_or(get, "COMMENT_RATE_WINDOW_SECS", 60u64, 1..=86_400)?,
        })
    }
}
