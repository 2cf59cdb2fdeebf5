//! Simple text statistics for articles.

/// Reading speed used by [`reading_time_minutes`], in words per minute.
pub const WORDS_PER_MINUTE: i32 = 200;

/// Counts words in plain text.
///
/// A word is a whitespace-separated token containing at least one
/// alphanumeric character (any script), so stray punctuation such as a lone
/// `—` is not counted. Saturates at `i32::MAX`.
pub fn word_count(plain: &str) -> i32 {
    let n = plain
        .split_whitespace()
        .filter(|token| token.chars().any(char::is_alphanumeric))
        .count();
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Estimated reading time in whole minutes at [`WORDS_PER_MINUTE`], rounded
/// up: 0 for no words (or a negative count), otherwise at least 1.
pub fn reading_time_minutes(words: i32) -> i32 {
    if words <= 0 {
        return 0;
    }
    words / WORDS_PER_MINUTE + i32::from(words % WORDS_PER_MINUTE != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_not_punctuation() {
        assert_eq!(word_count("Hello, world — 1000s of miles"), 5);
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("  \n\t "), 0);
        assert_eq!(word_count("— … !!! -- 42"), 1);
        assert_eq!(word_count("Привет мир, مرحبا"), 3);
        assert_eq!(word_count("it’s a re-run"), 3);
    }

    #[test]
    fn reading_time_rounds_up() {
        assert_eq!(reading_time_minutes(0), 0);
        assert_eq!(reading_time_minutes(-5), 0);
        assert_eq!(reading_time_minutes(1), 1);
        assert_eq!(reading_time_minutes(200), 1);
        assert_eq!(reading_time_minutes(201), 2);
        assert_eq!(reading_time_minutes(400), 2);
        assert_eq!(reading_time_minutes(i32::MAX), i32::MAX / 200 + 1);
    }
}
