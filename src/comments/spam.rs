//! Content rules that decide whether a new comment is held for moderation.

/// Links in `text`: `http://`, `https://` and `www.` occurrences, any case.
pub fn count_links(text: &str) -> usize {
    let lower = text.to_lowercase();
    ["http://", "https://", "www."]
        .iter()
        .map(|needle| lower.matches(needle).count())
        .sum::<usize>()
        // `https://www.x` is one link, not two.
        - lower.matches("://www.").count()
}

/// The first blocked word found in any of `texts` (case-insensitive).
pub fn blocked_word<'w>(texts: &[&str], words: &'w [String]) -> Option<&'w str> {
    let haystack = texts.join("\n").to_lowercase();
    words
        .iter()
        .find(|w| haystack.contains(w.as_str()))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_link_once() {
        assert_eq!(count_links("no links here"), 0);
        assert_eq!(
            count_links("see https://www.example.com and HTTP://x.io"),
            2
        );
        assert_eq!(count_links("www.a.com www.b.com http://c.com"), 3);
    }

    #[test]
    fn finds_blocked_words_in_any_field() {
        let words = vec!["casino".to_owned(), "cheap pills".to_owned()];
        assert_eq!(
            blocked_word(&["Nice", "Best CASINO"], &words),
            Some("casino")
        );
        assert_eq!(blocked_word(&["cheap", "pills"], &words), None);
        assert_eq!(blocked_word(&["nothing"], &[]), None);
    }
}
