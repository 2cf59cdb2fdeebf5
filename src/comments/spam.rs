//! Content rules that decide whether a new comment is held for moderation:
//! too many links, or a blocked word.
//!
//! Text is compared in a normal form that undoes the usual disguises:
//! Unicode compatibility forms (NFKC: `ｃａｓｉｎｏ`), case, look-alike letters
//! from other scripts (the UTS #39 confusable skeleton: Cyrillic `а` for
//! Latin `a`), and separators. A blocked word matches anywhere, also
//! inside longer words (`casinos`, `onlinecasino`, `casino123`) and across
//! spaces or punctuation (`cheap pills` matches `cheap-pills` and
//! `cheappills`). That also catches innocent words (`ass` in `class`), which
//! only holds a comment for a moderator, never refuses it.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

/// `text` as blocked words are matched: NFKC, lower case, confusable
/// skeleton, letters and digits only.
pub fn normalize(text: &str) -> String {
    let folded: String = text.nfkc().collect::<String>().to_lowercase();
    skeleton(&folded)
        .collect::<String>()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The first blocked word or phrase found in any of `texts`.
pub fn blocked_word<'w>(texts: &[&str], blocked: &'w [String]) -> Option<&'w str> {
    let haystacks: Vec<String> = texts.iter().map(|t| normalize(t)).collect();
    blocked
        .iter()
        .find(|word| {
            let needle = normalize(word);
            !needle.is_empty() && haystacks.iter().any(|h| h.contains(&needle))
        })
        .map(String::as_str)
}

/// Top-level domains that mark a bare `name.tld` as a link.
const TLDS: &str = "com|net|org|info|biz|io|co|me|us|uk|de|fr|eu|ru|cn|in|br|xyz|top|site|online|club|shop|store|app|dev|live|pro|vip|win|bet|casino|loan|tk|ml|ga|cf|gq|pw|cc|ws|su|ly|to";

static LINK: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(&format!(
        // A scheme, disguised or not (`http://`, `hxxps://`, `h**p://`),
        // then anything up to a space; or `www.`; or a bare `name.tld`.
        r"(?i)\bh[a-z*x]{{2}}ps?\s*:\s*//\S*|\bwww\.\S+|\b[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.({TLDS})\b(/\S*)?"
    ))
    .expect("valid link pattern")
});

/// Links in `text`: with a scheme (also disguised as `hxxp://`), starting
/// with `www.`, or a bare domain with a common top-level domain.
pub fn count_links(text: &str) -> usize {
    LINK.find_iter(&text.nfkc().collect::<String>()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_link_once_however_it_is_written() {
        assert_eq!(count_links("no links here. Really."), 0);
        assert_eq!(
            count_links("see https://www.example.com and HTTP://x.io"),
            2
        );
        assert_eq!(count_links("www.a.com www.b.com http://c.com"), 3);
        assert_eq!(
            count_links("hxxps://evil.example/x and cheap-pills.biz/buy"),
            2
        );
        assert_eq!(count_links("visit casino-royal.com today"), 1);
        assert_eq!(count_links("e.g. this, i.e. that, 3.5 points"), 0);
    }

    #[test]
    fn blocked_words_match_through_disguises() {
        let blocked = vec!["casino".to_owned(), "cheap pills".to_owned()];
        for spam in [
            "Best CASINO",
            "casinos",
            "onlinecasino",
            "casino123",
            "cheappills",
            "cheap-pills!",
            "c\u{430}sino",
            "ｃａｓｉｎｏ",
        ] {
            assert!(blocked_word(&["Nice", spam], &blocked).is_some(), "{spam}");
        }
        assert_eq!(blocked_word(&["cheap", "pills"], &blocked), None);
        assert_eq!(blocked_word(&["a fine casual remark"], &blocked), None);
        assert_eq!(blocked_word(&["nothing"], &[]), None);
        assert_eq!(blocked_word(&["x"], &[" ".to_owned()]), None);
    }
}
