//! Which passwords may be chosen, after NIST SP 800-63B (rev. 4, §3.1.1.2):
//! a length in characters (code points, after NFKC) from 8 to 256, never
//! truncated; not made only of spaces or invisible characters; and not a
//! common or easily guessed password. No composition rules.
//!
//! "Common or easily guessed" is zxcvbn's estimate (the `zxcvbn` crate, a
//! port of Dropbox's estimator, which ships the 30,000 most common
//! passwords of Mark Burnett's 10-million-password corpus together with
//! names, English words, keyboard patterns, sequences and dates): a
//! password it cracks in under a million guesses (score 0 or 1) is
//! refused, and so is one built from the user's own e-mail.

use zxcvbn::Score;

use super::normalized;
use crate::error::{ApiError, ApiResult};

/// Shortest accepted password, in characters.
pub const MIN_LEN: usize = 8;
/// Longest accepted password (never truncated).
pub const MAX_LEN: usize = 256;

/// 422 on `field` unless `password` may be chosen by the user whose
/// account is described by `user_inputs` (their e-mail, say).
pub fn check_policy(field: &str, password: &str, user_inputs: &[&str]) -> ApiResult<()> {
    let password = normalized(password);
    let len = password.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return Err(ApiError::invalid_field(
            field,
            format!("must be between {MIN_LEN} and {MAX_LEN} characters"),
        ));
    }
    if password.chars().all(invisible) {
        return Err(ApiError::invalid_field(
            field,
            "must contain visible characters, not only spaces",
        ));
    }
    if zxcvbn::zxcvbn(&password, user_inputs).score() < Score::Two {
        return Err(ApiError::invalid_field(
            field,
            "is too common or too easy to guess; a few unrelated words make a good password",
        ));
    }
    Ok(())
}

/// White space, control characters and the Unicode `Default_Ignorable_Code_Point`
/// characters (zero-width spaces and joiners, variation selectors, bidi
/// controls, tags…): nothing a reader could see.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(password: &str) -> bool {
        check_policy("password", password, &["nadia@example.com"]).is_err()
    }

    #[test]
    fn common_short_blank_and_invisible_passwords_are_refused() {
        for bad in [
            "12345678",
            "password",
            "Password1",
            "qwertyuiop",
            "        ",
            "\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}",
            "\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}",
            "short",
            "nadia@example.com",
            &"x".repeat(257),
        ] {
            assert!(refused(bad), "{bad:?} was accepted");
        }
    }

    #[test]
    fn passphrases_and_long_random_passwords_are_accepted() {
        for good in [
            "correct horse battery staple",
            "a new long password",
            "Tr0ub4dor&3-harbour-lamp",
            "Ｆｕｌｌｗｉｄｔｈ ｐｈｒａｓｅ ｏｆ ｗｏｒｄｓ",
        ] {
            assert!(!refused(good), "{good:?} was refused");
        }
    }

    #[test]
    fn length_counts_characters_after_nfkc() {
        // Eight code points, several bytes each.
        assert!(check_policy("password", "ЖЖЖЖЖЖЖЖ", &[])
            .is_err_and(|e| !e.to_string().contains("between")));
        // "ﬁ" is one character that NFKC makes two.
        assert!(normalized("\u{FB01}").chars().count() == 2);
    }
}
