//! Splits text into words with their byte positions, for the date and name patterns.
//!
//! A word is a run of letters and digits that may contain single `.`, `-`, `'` or `’`
//! between two such characters, so "Qazet.az", "14.10.2022", "2022-10-14", "Al-Thani"
//! and "Azerbaijan's" are one word each, while a sentence's final full stop is not part
//! of the word before it ("Aliyev." is "Aliyev").

/// One word of a text and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The words of `text`, in order.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(index, next)) = chars.peek() {
            if next.is_alphanumeric() {
                end = index + next.len_utf8();
                chars.next();
            } else if is_joiner(next)
                && text[index + next.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric)
            {
                // A joiner only joins when a letter or digit follows it; the loop then
                // takes that character on the next turn.
                chars.next();
            } else {
                break;
            }
        }
        tokens.push(Token { text: &text[start..end], start, end });
    }
    tokens
}

fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '-' | '\'' | '’')
}

/// The text between word `index` and the word after it ("" after the last word).
pub(crate) fn gap_after<'a>(text: &'a str, tokens: &[Token<'_>], index: usize) -> &'a str {
    match (tokens.get(index), tokens.get(index + 1)) {
        (Some(token), Some(next)) => &text[token.end..next.start],
        (Some(token), None) => &text[token.end..],
        _ => "",
    }
}

/// Whether a word starts with a capital letter.
pub(crate) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a gap between two words is plain spacing on one line.
pub(crate) fn is_inline_space(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[&str]) {
        let words: Vec<&str> = tokenize(input).iter().map(|token| token.text).collect();
        assert_eq!(words, expected, "{input:?}");
    }

    #[test]
    fn words_keep_inner_dots_hyphens_and_apostrophes() {
        check("Qazet.az reports.", &["Qazet.az", "reports"]);
        check("on 14.10.2022, in 2022-10-14T10:00", &["on", "14.10.2022", "in", "2022-10-14T10", "00"]);
        check("Al-Thani and Azerbaijan's - U.S. envoy", &["Al-Thani", "and", "Azerbaijan's", "U.S", "envoy"]);
        check("Ilham Aliyev.", &["Ilham", "Aliyev"]);
        check("Bakı — ölkə’nin", &["Bakı", "ölkə’nin"]);
        check("", &[]);
        check("... -- ''", &[]);
    }

    #[test]
    fn gaps_are_the_text_between_words() {
        let text = "July 13, 2023 end";
        let tokens = tokenize(text);
        assert_eq!(gap_after(text, &tokens, 0), " ");
        assert_eq!(gap_after(text, &tokens, 1), ", ");
        assert_eq!(gap_after(text, &tokens, 3), "");
        assert_eq!(gap_after(text, &tokens, 9), "");
    }
}
