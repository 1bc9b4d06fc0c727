//! Sentence segmentation with character offsets, for statements and news: it survives
//! abbreviations (U.S., Mr., Gen., Jan.), initials, decimals, quotes, dashes, bullet
//! lists, datelines and headlines without a final period, and hard-wrapped lines.
//!
//! Every sentence is a span of the original text, so evidence shown to the user is the
//! text exactly as stored.

/// Abbreviations after which a period never ends a sentence: titles and words that are
/// always followed by a name or number.
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Cmdr", "Adm", "Rep",
    "Sen", "Gov", "Pres", "Rev", "Hon", "Amb", "No", "Nos", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "Fig", "Art", "Vol", "pp", "Mt", "Ft", "Jr", "Sr", "approx",
    "cf", "eg", "ie", "Inc", "Ltd", "Corp", "Co", "Bros", "Dept", "Univ", "Assn", "Gov't",
];

/// The longest of `TITLES`, in bytes.
const LONGEST_TITLE: usize = {
    let mut longest = 0;
    let mut index = 0;
    while index < TITLES.len() {
        if TITLES[index].len() > longest {
            longest = TITLES[index].len();
        }
        index += 1;
    }
    longest
};

/// For each length up to `LONGEST_TITLE`, a bit for the first byte (modulo 64) of every
/// title of that length.
const TITLE_SHAPES: [u64; LONGEST_TITLE + 1] = {
    let mut shapes = [0; LONGEST_TITLE + 1];
    let mut index = 0;
    while index < TITLES.len() {
        let title = TITLES[index].as_bytes();
        shapes[title.len()] |= 1 << (title[0] & 63);
        index += 1;
    }
    shapes
};

/// Whether `word` is one of `TITLES`. Most words before a period are longer than any
/// title, or share no title's length and first letter, and are ruled out without
/// comparing them with sixty titles.
fn is_title(word: &str) -> bool {
    let Some(first) = word.as_bytes().first() else { return false };
    word.len() <= LONGEST_TITLE && TITLE_SHAPES[word.len()] & 1 << (first & 63) != 0 && TITLES.contains(&word)
}

/// Words that, capitalised after an ambiguous abbreviation such as "U.S.", show that a
/// new sentence has begun.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "We",
    "They",
    "I",
    "In",
    "On",
    "At",
    "But",
    "And",
    "However",
    "Meanwhile",
    "According",
    "A",
    "An",
    "His",
    "Her",
    "Their",
    "Our",
    "There",
    "Yet",
    "So",
    "Still",
    "Earlier",
    "Later",
    "After",
    "Before",
    "When",
    "While",
    "As",
    "If",
    "Since",
    "Both",
    "Some",
    "Many",
    "No",
    "Not",
    "What",
    "Why",
    "How",
    "Who",
    "Officials",
    "Police",
];

/// A line at least this long that does not end a sentence is taken as hard-wrapped:
/// its line break is a space, not a boundary.
const WRAPPED_LINE: usize = 60;

/// One sentence: character offsets into the text, end exclusive, whitespace trimmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Byte offsets of the same span, for slicing.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// Splits `text` into sentences, in order, covering every non-blank part of it.
pub fn split(text: &str) -> Vec<Sentence> {
    // Sentences run to about a hundred bytes; reserving for that spares regrowth.
    let mut boundaries = Vec::with_capacity(text.len() / 64 + 2);
    let mut line_start = 0;
    let bytes = text.as_bytes();
    // Only line breaks and terminal punctuation can end a sentence: the scan looks at
    // their bytes alone ('…' is E2 80 A6 in UTF-8; E2 never starts another candidate),
    // found in order by merging two `memchr` searches (a vector of bytes at a time), one
    // for terminal punctuation and one for line breaks and E2.
    let mut terminals = memchr::memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    let mut breaks = memchr::memchr2_iter(b'\n', 0xE2, bytes).peekable();
    loop {
        let index = match (terminals.peek(), breaks.peek()) {
            (Some(&terminal), Some(&other)) if other < terminal => breaks.next(),
            (Some(_), _) => terminals.next(),
            (None, _) => breaks.next(),
        };
        let Some(index) = index else { break };
        let c = match bytes[index] {
            b'\n' => {
                if line_break_ends_sentence(&text[line_start..index], &text[index + 1..]) {
                    boundaries.push(index + 1);
                }
                line_start = index + 1;
                continue;
            }
            0xE2 if bytes[index..].starts_with("…".as_bytes()) => '…',
            0xE2 => continue,
            other => char::from(other),
        };
        let after = index + c.len_utf8();
        if let Some(end) = terminal_punctuation_ends_sentence(text, index, c, after) {
            boundaries.push(end);
        }
    }
    boundaries.push(text.len());
    boundaries.sort_unstable();
    boundaries.dedup();
    let boundaries = cut_overlong(text, boundaries);

    let ascii = text.is_ascii();
    let mut sentences = Vec::with_capacity(boundaries.len());
    let mut start = 0;
    let mut chars_before = 0;
    let mut counted_until = 0;
    for end in boundaries {
        if end <= start {
            continue;
        }
        let piece = &text[start..end];
        let trimmed_start = start + (piece.len() - piece.trim_start().len());
        let trimmed_end = start + piece.trim_end().len();
        if trimmed_start < trimmed_end {
            chars_before += char_count(&text[counted_until..trimmed_start], ascii);
            counted_until = trimmed_start;
            let length = char_count(&text[trimmed_start..trimmed_end], ascii);
            sentences.push(Sentence {
                start: chars_before,
                end: chars_before + length,
                byte_start: trimmed_start,
                byte_end: trimmed_end,
            });
        }
        start = end;
    }
    sentences
}

/// The number of characters of `piece`: its length when the whole text is ASCII.
pub(crate) fn char_count(piece: &str, ascii: bool) -> usize {
    if ascii {
        piece.len()
    } else {
        piece.chars().count()
    }
}

/// The longest sentence, in bytes. Real sentences stay far below it; text without
/// sentence punctuation (a table dump, a 10 MB single line) is cut into pieces of at
/// most this size, so the work done per sentence stays bounded.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// Adds boundaries inside spans longer than [`MAX_SENTENCE_BYTES`], after the last
/// whitespace before the limit (or at the limit, on a character boundary, if there is
/// no whitespace).
fn cut_overlong(text: &str, boundaries: Vec<usize>) -> Vec<usize> {
    let mut cut = Vec::with_capacity(boundaries.len());
    let mut start = 0;
    for end in boundaries {
        while end - start > MAX_SENTENCE_BYTES {
            let mut limit = start + MAX_SENTENCE_BYTES;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let piece = &text[start..limit];
            let at = match piece.rfind(char::is_whitespace) {
                Some(space) if space > 0 => {
                    start + space + piece[space..].chars().next().map_or(1, char::len_utf8)
                }
                _ => limit,
            };
            cut.push(at);
            start = at;
        }
        cut.push(end);
        start = end;
    }
    cut
}

/// Whether the line break after `line` ends a sentence, given the text after it.
fn line_break_ends_sentence(line: &str, rest: &str) -> bool {
    let line = line.trim();
    let next = rest.trim_start_matches([' ', '\t']);
    if line.is_empty() || next.starts_with('\n') || next.is_empty() {
        return true;
    }
    if starts_list_item(next) {
        return true;
    }
    let ends_clause = line.ends_with(['.', '!', '?', ':', '"', '\u{201D}', '…', ')']);
    if ends_clause {
        return true;
    }
    // A short line without final punctuation is a headline, a dateline or a list item;
    // a long one was wrapped by the writer's editor and continues on the next line.
    let starts_lower = next.chars().next().is_some_and(char::is_lowercase);
    line.chars().count() < WRAPPED_LINE && !starts_lower && !line.ends_with([',', ';', '-', '–'])
}

fn starts_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–' | '—' | '·') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

/// If the punctuation `c` at byte `index` ends a sentence, the byte offset where the
/// sentence ends (after closing quotes and brackets).
fn terminal_punctuation_ends_sentence(text: &str, index: usize, c: char, after: usize) -> Option<usize> {
    let rest = &text[after..];
    // Closing quotes and brackets belong to the sentence they close.
    let closing = rest.len() - rest.trim_start_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']']).len();
    let end = after + closing;
    let following = &text[end..];
    let next_word_start = following.trim_start_matches([' ', '\t']);
    if following.len() == next_word_start.len() && !following.is_empty() && !following.starts_with('\n') {
        // No space after: a decimal (3.5), a domain (Qazet.az), an abbreviation (U.S.).
        return None;
    }
    let next = next_word_start.chars().next();
    match next {
        None | Some('\n') => return Some(end),
        Some(n) if n.is_lowercase() => return None,
        Some(n) if !(n.is_uppercase() || n.is_ascii_digit() || "\"'\u{201C}\u{2018}([-–—•".contains(n)) => {
            return None
        }
        _ => {}
    }
    if c != '.' {
        return Some(end);
    }
    let word = word_before(text, index);
    if is_title(word) {
        return None;
    }
    // "1. Talks resume": the number of a list item.
    let is_number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit());
    let before_word = &text[..index - word.len()];
    let line_so_far = before_word.trim_end_matches([' ', '\t']);
    if is_number && (line_so_far.is_empty() || line_so_far.ends_with('\n')) {
        return None;
    }
    // "John F. Kennedy": a single capital letter after a name is an initial; after a
    // lower-case word it is a name of its own ("posted on X. Militants attacked").
    if word.chars().count() == 1
        && word.chars().all(char::is_uppercase)
        && !ends_dotted(before_word)
        && !follows_lower_case_word(before_word)
    {
        return None;
    }
    // "U.S.", "U.N.": a dotted abbreviation ends a sentence only when a typical
    // sentence opener follows.
    if ends_dotted(before_word) {
        let next_word: String = next_word_start.chars().take_while(|c| c.is_alphanumeric()).collect();
        return SENTENCE_STARTERS.contains(&next_word.as_str()).then_some(end);
    }
    Some(end)
}

/// The word just before the period at byte `index` (letters and apostrophes).
fn word_before(text: &str, index: usize) -> &str {
    let head = &text[..index];
    // ASCII letters, digits and apostrophes, the common case, are passed a byte at a
    // time; the characters before a non-ASCII byte are walked as characters.
    let bytes = head.as_bytes();
    let mut ascii_start = bytes.len();
    while ascii_start > 0
        && (bytes[ascii_start - 1].is_ascii_alphanumeric() || bytes[ascii_start - 1] == b'\'')
    {
        ascii_start -= 1;
    }
    if ascii_start == 0 || bytes[ascii_start - 1].is_ascii() {
        return &head[ascii_start..];
    }
    let start = head[..ascii_start]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '\''))
        .map_or(0, |(position, c)| position + c.len_utf8());
    &head[start..]
}

/// Whether `head` ends with a lower-case word and a space.
fn follows_lower_case_word(head: &str) -> bool {
    let trimmed = head.trim_end_matches([' ', '\t']);
    trimmed.len() < head.len()
        && word_before(trimmed, trimmed.len()).chars().next().is_some_and(char::is_lowercase)
}

/// Whether the text before the word before a period ends with a dotted letter, so the
/// word is itself dotted ("U.S", "a.m").
fn ends_dotted(before_word: &str) -> bool {
    before_word.ends_with('.')
        && before_word[..before_word.len() - 1].chars().next_back().is_some_and(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let sentences = split(text);
        let found: Vec<&str> = sentences.iter().map(|s| &text[s.byte_start..s.byte_end]).collect();
        assert_eq!(found, expected, "in {text:?}");
        let chars: Vec<char> = text.chars().collect();
        for sentence in &sentences {
            let by_chars: String = chars[sentence.start..sentence.end].iter().collect();
            assert_eq!(by_chars, &text[sentence.byte_start..sentence.byte_end]);
        }
    }

    #[test]
    fn plain_sentences() {
        check(
            "Armenia attacked. Azerbaijan replied! Why? Nobody knows.",
            &["Armenia attacked.", "Azerbaijan replied!", "Why?", "Nobody knows."],
        );
    }

    #[test]
    fn abbreviations_titles_and_initials() {
        check(
            "Mr. Smith met Dr. Jones on Jan. 5 at No. 10 Downing St. in London.",
            &["Mr. Smith met Dr. Jones on Jan. 5 at No. 10 Downing St. in London."],
        );
        check("John F. Kennedy spoke. Gen. Lee listened.", &["John F. Kennedy spoke.", "Gen. Lee listened."]);
        check("He posted on X. Rebels attacked.", &["He posted on X.", "Rebels attacked."]);
        check(
            "The U.S. Navy and the U.N. Security Council met.",
            &["The U.S. Navy and the U.N. Security Council met."],
        );
        check(
            "Sanctions were imposed by the U.S. The ministry objected.",
            &["Sanctions were imposed by the U.S.", "The ministry objected."],
        );
    }

    #[test]
    fn decimals_and_domains() {
        check(
            "Growth was 3.5 percent, Qazet.az reports. Prices rose.",
            &["Growth was 3.5 percent, Qazet.az reports.", "Prices rose."],
        );
    }

    #[test]
    fn quotes_close_their_sentence() {
        check("\"We will respond.\" The minister left.", &["\"We will respond.\"", "The minister left."]);
        check(
            "He said: \u{201C}They lied.\u{201D} Then he left.",
            &["He said: \u{201C}They lied.\u{201D}", "Then he left."],
        );
    }

    #[test]
    fn headlines_datelines_and_lists() {
        check(
            "Aliyev accuses Armenia\nBaku, July 13, AZERTAC\nThe President said so.",
            &["Aliyev accuses Armenia", "Baku, July 13, AZERTAC", "The President said so."],
        );
        check(
            "Demands:\n- stop the shelling\n- free the prisoners\n1. Talks resume",
            &["Demands:", "- stop the shelling", "- free the prisoners", "1. Talks resume"],
        );
    }

    #[test]
    fn hard_wrapped_lines_continue_and_dashes_do_not_split() {
        check(
            "The ministry said that the shelling of the villages near the border was carried\nout by Armenian forces - a clear violation.",
            &["The ministry said that the shelling of the villages near the border was carried\nout by Armenian forces - a clear violation."],
        );
    }

    #[test]
    fn offsets_count_characters() {
        check("Türkiye said «no». Élysée agreed.", &["Türkiye said «no».", "Élysée agreed."]);
    }

    #[test]
    fn text_without_sentence_ends_is_cut_at_spaces_into_bounded_pieces() {
        let line = "word ".repeat(1000);
        let pieces = split(&line);
        assert_eq!(pieces.len(), 3);
        assert!(pieces.iter().all(|piece| piece.byte_end - piece.byte_start <= MAX_SENTENCE_BYTES));
        assert_eq!(pieces[0].byte_end, 1999, "cut after the last space before the limit");
        let glued = "é".repeat(1500);
        let pieces = split(&glued);
        assert_eq!(pieces.iter().map(|piece| piece.end - piece.start).collect::<Vec<_>>(), [1000, 500]);
        check(&format!("{glued}."), &[&glued[..2000], &format!("{}.", &glued[2000..])]);
    }
}
