//! URL slugs for articles (and anything else addressed by a readable name).
//!
//! Slugs are Unicode-aware: letters and digits of any script are kept
//! (lowercased), so "Привет мир" becomes `привет-мир` rather than an empty
//! string. Everything else collapses into single `-` separators.
//!
//! Because `/articles/{id_or_slug}` accepts either a numeric id or a slug, a
//! slug made only of ASCII digits would be ambiguous; [`slugify`] never
//! produces one and [`is_valid_slug`] rejects them.

/// Maximum length of a slug, in characters (not bytes).
pub const MAX_SLUG_CHARS: usize = 80;

/// Prefix put in front of a slug that would otherwise be all ASCII digits.
const DIGITS_PREFIX: &str = "n-";

/// Converts a title (or any text) into a URL slug.
///
/// Rules:
/// * characters are lowercased with [`char::to_lowercase`];
/// * Unicode letters and digits are kept (accents, Cyrillic, Arabic, …),
///   including combining marks that belong to a kept letter;
/// * apostrophes and quotation marks (`'` `’` `‘` `` ` `` `´` `"` `“` `”`
///   `ʼ`) and zero-width joiners are dropped, so "Iran’s Plan" → `irans-plan`;
/// * every other run of characters becomes a single `-`, with no leading or
///   trailing `-`;
/// * the result is cut to at most [`MAX_SLUG_CHARS`] characters, dropping a
///   `-` left dangling by the cut;
/// * a result made only of ASCII digits gets an `n-` prefix (`"2024"` →
///   `n-2024`) so it cannot be mistaken for a numeric id.
///
/// Returns an empty string when the input has no letters or digits; the
/// caller decides on a fallback.
pub fn slugify(input: &str) -> String {
    let mut out = String::new();
    let mut prev_is_word = false;
    let mut pending_dash = false;

    for c in input.chars() {
        if is_dropped(c) {
            continue;
        }
        // 'İ' lowercases to "i" + COMBINING DOT ABOVE; the dot is noise in a URL.
        let lowered = c
            .to_lowercase()
            .filter(|&l| !(c == '\u{130}' && l == '\u{307}'));
        for lc in lowered {
            if lc.is_alphanumeric() || (prev_is_word && is_combining_mark(lc)) {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(lc);
                prev_is_word = true;
            } else {
                pending_dash = true;
                prev_is_word = false;
            }
        }
    }

    if !out.is_empty() && out.bytes().all(|b| b.is_ascii_digit()) {
        out.insert_str(0, DIGITS_PREFIX);
    }
    truncate_slug(&out, MAX_SLUG_CHARS)
}

/// Returns `true` if `s` is an acceptable slug.
///
/// A valid slug has 1 to [`MAX_SLUG_CHARS`] characters, consists of
/// lowercase (or uncased) letters and digits of any script, combining marks
/// attached to them, and single `-` separators; it does not start or end with
/// `-`. Slugs made only of ASCII digits are rejected because they would be
/// ambiguous with numeric ids. Every non-empty [`slugify`] output is valid.
pub fn is_valid_slug(s: &str) -> bool {
    let len = s.chars().count();
    if len == 0 || len > MAX_SLUG_CHARS || s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut prev: Option<char> = None;
    for c in s.chars() {
        let ok = match c {
            '-' => prev.is_some_and(|p| p != '-'),
            _ if is_dropped(c) => false,
            _ if c.is_alphanumeric() => c.to_lowercase().eq(std::iter::once(c)),
            _ => is_combining_mark(c) && prev.is_some_and(|p| p != '-'),
        };
        if !ok {
            return false;
        }
        prev = Some(c);
    }
    prev != Some('-')
}

/// Appends a numeric de-duplication suffix: `with_suffix("news", 2)` →
/// `news-2`.
///
/// `base` is shortened (on a character boundary, dropping any `-` left at the
/// cut) so the whole result stays within [`MAX_SLUG_CHARS`]. An empty base
/// yields `n-{n}` so the result is still a valid slug.
pub fn with_suffix(base: &str, n: u32) -> String {
    let suffix = format!("-{n}");
    let room = MAX_SLUG_CHARS.saturating_sub(suffix.len());
    let base = truncate_slug(base.trim_matches('-'), room);
    let base = if base.is_empty() { "n" } else { base.as_str() };
    format!("{base}{suffix}")
}

/// Keeps at most `max_chars` characters of `s`, then drops trailing `-`.
fn truncate_slug(s: &str, max_chars: usize) -> String {
    let cut = s.char_indices().nth(max_chars).map_or(s.len(), |(i, _)| i);
    s[..cut].trim_end_matches('-').to_owned()
}

/// Characters removed outright rather than turned into a separator:
/// apostrophes and quotes (so "Iran’s" stays one word) and zero-width
/// joiners.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | '`' | '´' | '"' | '“' | '”' | 'ʼ' | '\u{200C}' | '\u{200D}'
    )
}

/// Combining marks that [`char::is_alphanumeric`] rejects but which belong to
/// the preceding letter: accents in decomposed text, Hebrew/Arabic points,
/// Indic nukta/virama/vowel signs and Thai/Lao tone marks. Without them,
/// words such as "हिन्दी" would be split at the virama.
fn is_combining_mark(c: char) -> bool {
    let cp = u32::from(c);
    // The Indic blocks (Devanagari … Sinhala) share one layout: marks sit at
    // the same offsets within every 128-code-point block.
    let indic = (0x0900..=0x0DFF).contains(&cp)
        && matches!(cp & 0x7F, 0x00..=0x03 | 0x3A..=0x4F | 0x51..=0x57 | 0x62..=0x63);
    indic
        || matches!(
            cp,
            0x0300..=0x036F // combining diacritical marks
                | 0x0483..=0x0489 // Cyrillic
                | 0x0591..=0x05C7 // Hebrew points and accents
                | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED // Arabic
                | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E // Thai
                | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECE // Lao
                | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF // extended/supplementary
                | 0x3099..=0x309A // kana voicing marks
                | 0xFE20..=0xFE2F // half marks
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_ascii() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(
            slugify("  --Rust 2024: what's new?--  "),
            "rust-2024-whats-new"
        );
        assert_eq!(slugify("a   &&&   b"), "a-b");
    }

    #[test]
    fn keeps_unicode_letters() {
        assert_eq!(slugify("Привет мир"), "привет-мир");
        assert_eq!(slugify("Café Olé"), "café-olé");
        assert_eq!(slugify("مرحبا بالعالم"), "مرحبا-بالعالم");
        assert_eq!(slugify("Straße"), "straße");
        assert_eq!(slugify("İstanbul"), "istanbul");
        // Virama (U+094D) is not alphanumeric but must not split the word.
        assert_eq!(slugify("हिन्दी समाचार"), "हिन्दी-समाचार");
        // Decomposed accent (e + U+0301) stays attached.
        assert_eq!(slugify("Cafe\u{301} Noir"), "cafe\u{301}-noir");
        assert_eq!(slugify("\u{301}abc"), "abc");
    }

    #[test]
    fn drops_apostrophes_and_quotes() {
        assert_eq!(slugify("Iran’s Plan"), "irans-plan");
        assert_eq!(slugify("Don't “panic” ‘now’ `x´"), "dont-panic-now-x");
        assert_eq!(slugify("\"Quoted\" title"), "quoted-title");
    }

    #[test]
    fn empty_when_nothing_usable() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("  — !!! ’ "), "");
    }

    #[test]
    fn digits_only_gets_prefix() {
        assert_eq!(slugify("2024"), "n-2024");
        assert_eq!(slugify("  12 / 34 "), "12-34");
        assert!(is_valid_slug(&slugify("42")));
        let long = slugify(&"9".repeat(200));
        assert_eq!(long.chars().count(), MAX_SLUG_CHARS);
        assert!(long.starts_with("n-"));
    }

    #[test]
    fn truncates_on_char_boundary_without_trailing_dash() {
        let s = slugify(&"я".repeat(100));
        assert_eq!(s.chars().count(), MAX_SLUG_CHARS);
        // 79 letters then a separator at the cut: the dash must go.
        let input = format!("{} tail", "a".repeat(79));
        assert_eq!(slugify(&input), "a".repeat(79));
        let words = "word ".repeat(40);
        let s = slugify(&words);
        assert!(s.chars().count() <= MAX_SLUG_CHARS);
        assert!(!s.ends_with('-'));
    }

    #[test]
    fn validity() {
        for ok in [
            "hello",
            "hello-world",
            "café-olé",
            "привет-мир",
            "a1",
            "n-2024",
            "12-34",
        ] {
            assert!(is_valid_slug(ok), "{ok} should be valid");
        }
        let too_long = "a".repeat(81);
        for bad in [
            "",
            "123",
            "-a",
            "a-",
            "a--b",
            "Hello",
            "hello world",
            "a_b",
            "a’b",
            "Привет",
            "-",
            too_long.as_str(),
        ] {
            assert!(!is_valid_slug(bad), "{bad:?} should be invalid");
        }
        assert!(is_valid_slug(&"a".repeat(80)));
        assert!(!is_valid_slug("\u{301}a"));
    }

    #[test]
    fn slugify_output_is_valid() {
        for input in [
            "Hello, World!",
            "Привет мир",
            "Iran’s Plan",
            "हिन्दी समाचार",
            "2024",
            "ǅungla Ǆ",
            "ΣΊΣΥΦΟΣ",
            "Top 10 — of 2024",
            &"Ünïcödé ".repeat(30),
        ] {
            let s = slugify(input);
            assert!(is_valid_slug(&s), "slugify({input:?}) = {s:?} is not valid");
        }
    }

    #[test]
    fn suffixes() {
        assert_eq!(with_suffix("news", 2), "news-2");
        assert_eq!(with_suffix("", 3), "n-3");
        let long = "a".repeat(80);
        let s = with_suffix(&long, 12);
        assert_eq!(s.chars().count(), MAX_SLUG_CHARS);
        assert!(s.ends_with("-12"));
        // Cutting the base right after a dash must not produce "--".
        let base = format!("{}-b", "a".repeat(77));
        assert_eq!(with_suffix(&base, 7), format!("{}-7", "a".repeat(77)));
        assert!(is_valid_slug(&with_suffix(&"ж".repeat(80), u32::MAX)));
    }
}
