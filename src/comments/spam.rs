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

/// Lower-case words of `text` joined by single spaces, with a space at each
/// end, so phrases can be matched on word boundaries.
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(&word.to_lowercase());
        out.push(' ');
    }
    out
}

/// The first blocked word or phrase found in any of `texts`, as whole words
/// and in any case (`ass` does not match `class`).
pub fn blocked_word<'w>(texts: &[&str], blocked: &'w [String]) -> Option<&'w str> {
    let haystacks: Vec<String> = texts.iter().map(|t| words(t)).collect();
    blocked
        .iter()
        .find(|b| {
            let phrase = words(b);
            !phrase.trim().is_empty() && haystacks.iter().any(|h| h.contains(&phrase))
        })
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
        let blocked = vec!["casino".to_owned(), "cheap pills".to_owned()];
        assert_eq!(
            blocked_word(&["Nice", "Best CASINO"], &blocked),
            Some("casino")
        );
        assert_eq!(blocked_word(&["cheap", "pills"], &blocked), None);
        assert_eq!(
            blocked_word(&["so CHEAP  pills!"], &blocked),
            Some("cheap pills")
        );
        assert_eq!(
            blocked_word(
                &["casinos and classic"],
                &["casino".to_owned(), "ass".to_owned()]
            ),
            None
        );
        assert_eq!(blocked_word(&["nothing"], &[]), None);
    }
}
