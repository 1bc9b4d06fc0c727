//! Country mentions: one multi-pattern pass over the text finds every gazetteer phrase
//! at word boundaries, the longest phrase wins where phrases overlap, and a few context
//! rules settle the ambiguous ones (Georgia the US state, Jordan the person, Paris,
//! Texas, "in French" the language).
//!
//! The word lists behind the rules are data (`data/mentions/context.tsv`), so they can be
//! reviewed and extended without touching this code.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use demarche_gazetteer::{Gazetteer, Kind};

use crate::sentences::char_count;
use crate::Mention;

const CONTEXT_TSV: &str = include_str!("../../../data/mentions/context.tsv");

/// How far around "Georgia" (in bytes) US-state context words are looked for.
const STATE_CONTEXT_WINDOW: usize = 160;

/// Words after "in French" that show no noun follows, so the demonym is the language.
const FUNCTION_WORDS: &[&str] = &[
    "and", "or", "by", "with", "as", "on", "at", "to", "from", "for", "but", "that", "when", "while", "so",
    "because", "if", "after", "before", "during", "about", "is", "was", "are", "were", "only", "too",
];

/// Prepositions after which an ambiguous name is the place, whatever else the document
/// says about a person of that name.
const PLACE_PREPOSITIONS: &[&str] = &["in", "to", "from", "into", "across", "throughout", "visit", "visited"];

/// What the context rules made of a match.
enum Resolved {
    Mention(String, Kind),
    /// A person's name that is also a country's or capital's name.
    Person,
    /// A town named like a country ("the city of Turkey", Texas), of unknown country.
    Town,
    NotMention,
}

/// What a pattern stands for.
#[derive(Debug, Clone)]
enum Target {
    Entry(Entry),
    NotMention,
}

/// A gazetteer entry as the finder needs it.
#[derive(Debug, Clone)]
struct Entry {
    code: String,
    kind: Kind,
    phrase: String,
    /// Whether `context.tsv` lists the phrase as a person's name too: decided once, not
    /// looked up for every match.
    person_name: bool,
}

/// The word lists of `context.tsv`.
#[derive(Debug, Default)]
struct ContextWords {
    us_state_context: HashSet<String>,
    us_state: Vec<String>,
    person_name: HashSet<String>,
    name_context: HashSet<String>,
    institution_word: HashSet<String>,
    language_before: HashSet<String>,
    language_after: HashSet<String>,
    person_title: HashSet<String>,
}

impl ContextWords {
    fn parse(tsv: &str) -> ContextWords {
        let mut words = ContextWords::default();
        let rows = tsv.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()).skip(1);
        for row in rows {
            let Some((list, word)) = row.split_once('\t') else { continue };
            let word = word.to_string();
            match list {
                "us_state_context" => drop(words.us_state_context.insert(word)),
                "us_state" => words.us_state.push(word),
                "person_name" => drop(words.person_name.insert(word)),
                "name_context" => drop(words.name_context.insert(word)),
                "institution_word" => drop(words.institution_word.insert(word)),
                "language_before" => drop(words.language_before.insert(word)),
                "language_after" => drop(words.language_after.insert(word)),
                "person_title" => drop(words.person_title.insert(word)),
                // An unknown list is a data error caught by the tests below.
                _ => {}
            }
        }
        words
    }
}

/// The compiled matcher: every phrase of the gazetteer and its variants in one automaton.
pub struct MentionFinder {
    automaton: AhoCorasick,
    /// Which bytes begin at least one pattern.
    first_bytes: [bool; 256],
    targets: Vec<Target>,
    context: ContextWords,
}

impl MentionFinder {
    /// The finder over the embedded gazetteer, built once per process.
    pub fn embedded() -> &'static MentionFinder {
        static FINDER: OnceLock<MentionFinder> = OnceLock::new();
        FINDER.get_or_init(|| MentionFinder::new(Gazetteer::embedded()))
    }

    pub fn new(gazetteer: &Gazetteer) -> MentionFinder {
        let mut patterns = Vec::new();
        let mut targets = Vec::new();
        let mut seen = HashSet::new();
        let context = ContextWords::parse(CONTEXT_TSV);
        let mut add = |pattern: String, target: Target| {
            if seen.insert(pattern.clone()) {
                patterns.push(pattern);
                targets.push(target);
            }
        };
        for entry in gazetteer.entries() {
            let target = Target::Entry(Entry {
                code: entry.code.clone(),
                kind: entry.kind,
                phrase: entry.phrase.clone(),
                person_name: context.person_name.contains(&entry.phrase),
            });
            for variant in variants(&entry.phrase, entry.kind) {
                add(variant, target.clone());
            }
        }
        for phrase in gazetteer.not_mentions() {
            for variant in variants(phrase, Kind::Name) {
                add(variant, Target::NotMention);
            }
        }
        let mut first_bytes = [false; 256];
        for pattern in &patterns {
            if let Some(&byte) = pattern.as_bytes().first() {
                first_bytes[usize::from(byte)] = true;
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            // Measured on the benchmark corpus: with ten thousand patterns the contiguous
            // NFA scans far faster than the DFA, whose tables miss the cache.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .expect("gazetteer patterns build an automaton");
        MentionFinder { automaton, first_bytes, targets, context }
    }

    /// Every country and organisation mention in `text`, in order, with character offsets.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let matches = self.matches(text);
        let mut kept = Vec::with_capacity(matches.len());
        for (start, end, pattern) in matches {
            if let Target::Entry(entry) = &self.targets[pattern] {
                kept.push((start, end, self.resolve_in_context(text, start, end, entry), &entry.phrase));
            }
        }
        // One sense per document: once an ambiguous name is seen as a person's name
        // ("Georgia Stevens") or a town's ("the city of Turkey"), its other bare uses in
        // the document are that person or town too; for a person, except after a
        // preposition of place ("in Georgia") when no possessive follows ("to Georgia's").
        let sense = |wanted: fn(&Resolved) -> bool| -> HashSet<&str> {
            kept.iter()
                .filter(|(_, _, resolved, _)| wanted(resolved))
                .map(|(_, _, _, phrase)| phrase.as_str())
                .collect()
        };
        let people = sense(|resolved| matches!(resolved, Resolved::Person));
        let towns = sense(|resolved| matches!(resolved, Resolved::Town));
        let mut mentions = Vec::with_capacity(kept.len());
        // In ASCII text, nearly all statements, characters are bytes and need no counting.
        let ascii = text.is_ascii();
        let mut chars_before = 0;
        let mut counted_until = 0;
        for (start, end, resolved, phrase) in kept {
            let Resolved::Mention(code, kind) = resolved else { continue };
            let person = !people.is_empty() && people.contains(phrase.as_str()) && {
                let after_place_preposition =
                    previous_word(text, start).is_some_and(|word| PLACE_PREPOSITIONS.contains(&word));
                let possessive = text[end..].starts_with("'s") || text[end..].starts_with("\u{2019}s");
                !after_place_preposition || possessive
            };
            if person || (!towns.is_empty() && towns.contains(phrase.as_str())) {
                continue;
            }
            chars_before += char_count(&text[counted_until..start], ascii);
            counted_until = start;
            let length = char_count(&text[start..end], ascii);
            mentions.push(Mention {
                start: chars_before,
                end: chars_before + length,
                text: text[start..end].to_string(),
                country: code,
                kind,
                sentence_start: 0,
                sentence_end: 0,
            });
        }
        mentions
    }

    /// The phrases of the text as (byte start, byte end, pattern): leftmost first, the
    /// longest at each start, whole words only, never overlapping.
    ///
    /// Phrases start words, and almost all start with a capital, so the automaton is
    /// only run, anchored, at word starts whose first byte begins some phrase; the rest
    /// of the text is skipped byte by byte, which is several times faster than feeding
    /// every byte through the automaton.
    fn matches(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        // Statements name a country every hundred bytes or so, some twice as often:
        // reserving for one every 64 bytes spares the vector's regrowth.
        let mut found = Vec::with_capacity(text.len() / 64 + 1);
        let mut index = 0;
        let mut after_word = false;
        while index < bytes.len() {
            if !after_word && self.first_bytes[usize::from(bytes[index])] {
                let anchored = Input::new(text).range(index..).anchored(Anchored::Yes);
                if let Some(candidate) = self.automaton.find(anchored) {
                    let longest =
                        self.longest_whole_word(text, index, candidate.end(), candidate.pattern().as_usize());
                    if let Some((end, pattern)) = longest {
                        found.push((index, end, pattern));
                        after_word = text[..end].chars().next_back().is_some_and(is_word_char);
                        index = end;
                        continue;
                    }
                }
            }
            let (is_word, width) = char_class(text, index);
            index += width;
            after_word = is_word;
            // The rest of a word cannot start a phrase: skip it in a tight loop, ASCII
            // letters and digits by one table look-up each.
            while after_word && index < bytes.len() {
                if ASCII_WORD_BYTES[usize::from(bytes[index])] {
                    index += 1;
                    continue;
                }
                let (is_word, width) = char_class(text, index);
                if !is_word {
                    break;
                }
                index += width;
            }
        }
        found
    }

    /// The longest phrase starting at `start` that is a whole word: the match itself, or
    /// a shorter one when the longest ends inside a word ("American Samoan").
    fn longest_whole_word(
        &self,
        text: &str,
        start: usize,
        end: usize,
        pattern: usize,
    ) -> Option<(usize, usize)> {
        let mut candidate = (end, pattern);
        loop {
            if at_word_boundaries(text, start, candidate.0) {
                return Some(candidate);
            }
            if candidate.0 <= start + 1 {
                return None;
            }
            let shorter = Input::new(text).range(start..candidate.0 - 1).anchored(Anchored::Yes);
            let found = self.automaton.find(shorter)?;
            candidate = (found.end(), found.pattern().as_usize());
        }
    }

    /// Applies the context rules to one match; `None` drops it.
    fn resolve_in_context(&self, text: &str, start: usize, end: usize, entry: &Entry) -> Resolved {
        let (code, kind, phrase) = (entry.code.as_str(), entry.kind, entry.phrase.as_str());
        let context = &self.context;
        let neighbours = || (previous_word(text, start), next_word(text, end));
        if kind == Kind::Demonym && {
            let (before, after) = neighbours();
            self.is_language(&text[end..], before, after)
        } {
            return Resolved::NotMention;
        }
        let is_place = matches!(kind, Kind::Name | Kind::Alias | Kind::Capital | Kind::City);
        if is_place && code != "US" && followed_by_us_state(&text[end..], &context.us_state) {
            return Resolved::Mention("US".to_string(), Kind::City);
        }
        if phrase == "Georgia" && self.near_us_state_words(text, start, end) {
            return Resolved::Mention("US".to_string(), Kind::Region);
        }
        if matches!(kind, Kind::Name | Kind::Alias) && names_a_town(&text[..start]) {
            return Resolved::Town;
        }
        if entry.person_name
            && text[start..end].chars().any(char::is_lowercase)
            && !in_title_case_line(text, start)
            && {
                let (before, after) = neighbours();
                self.is_person_name(before, after)
            }
        {
            return Resolved::Person;
        }
        Resolved::Mention(code.to_string(), kind)
    }

    /// "in French", "speaks Russian", "Russian-language", "Chinese speakers". `rest` is
    /// the text after the demonym.
    fn is_language(&self, rest: &str, before: Option<&str>, after: Option<&str>) -> bool {
        let context = &self.context;
        if rest.starts_with('-') && context.language_after.iter().any(|word| rest.starts_with(word.as_str()))
        {
            return true;
        }
        if after.is_some_and(|word| context.language_after.contains(word)) {
            return true;
        }
        if !before.is_some_and(|word| context.language_before.contains(word)) {
            return false;
        }
        // "in French" is the language only when no noun follows ("in French waters" is
        // the country): the demonym ends the clause, or a function word follows.
        match rest.trim_start_matches(' ').chars().next() {
            None => true,
            Some('-') => false,
            Some(c) if !c.is_alphanumeric() => true,
            Some(_) => after.is_some_and(|word| FUNCTION_WORDS.contains(&word)),
        }
    }

    /// Whether words that place "Georgia" in the United States stand near it.
    fn near_us_state_words(&self, text: &str, start: usize, end: usize) -> bool {
        let from = floor_char_boundary(text, start.saturating_sub(STATE_CONTEXT_WINDOW));
        let to = ceil_char_boundary(text, (end + STATE_CONTEXT_WINDOW).min(text.len()));
        let words = &self.context.us_state_context;
        text[from..to]
            .split(|c: char| !(is_word_char(c) || c == '.'))
            .any(|word| words.contains(word) || words.contains(word.trim_end_matches('.')))
    }

    /// "Michael Jordan", "Chad Smith": a first name or surname, not the country. The
    /// neighbouring words are directly adjacent (only spaces between), since
    /// `previous_word` and `next_word` skip nothing else.
    fn is_person_name(&self, before: Option<&str>, after: Option<&str>) -> bool {
        let context = &self.context;
        let names_person = |word: &str| is_capitalised(word) && word.chars().any(char::is_lowercase);
        // A word ending in a period ends a sentence unless it is a title ("Mr. Jordan").
        let first_name_before = before.is_some_and(|word| match word.strip_suffix('.') {
            Some(_) => context.person_title.contains(word),
            None => names_person(word) && !context.name_context.contains(word),
        });
        let surname_after =
            after.is_some_and(|word| names_person(word) && !context.institution_word.contains(word));
        first_name_before || surname_after
    }
}

/// The written variants of a phrase: as listed, with a typographic apostrophe, and in
/// capitals for headlines (long enough phrases only, so short capitals such as "US" keep
/// their own meaning).
fn variants(phrase: &str, kind: Kind) -> Vec<String> {
    let mut variants = vec![phrase.to_string()];
    // "U.S." is often written "U.S" before a hyphen or by mistake.
    if phrase.len() >= 4 && phrase.ends_with('.') && phrase.matches('.').count() >= 2 {
        variants.push(phrase.trim_end_matches('.').to_string());
    }
    if phrase.contains('\'') {
        variants.push(phrase.replace('\'', "\u{2019}"));
    }
    let upper = phrase.to_uppercase();
    if kind != Kind::Organisation && phrase.chars().count() >= 4 && upper != phrase {
        variants.push(upper);
    }
    variants
}

/// Whether the text just before a country's name makes it a town's: "the city of",
/// "the town of", "the village of".
fn names_a_town(head: &str) -> bool {
    let head = head.trim_end_matches(' ').as_bytes();
    ["city of", "town of", "village of", "township of"].iter().any(|phrase| {
        head.len() >= phrase.len()
            && head[head.len() - phrase.len()..].eq_ignore_ascii_case(phrase.as_bytes())
    })
}

/// Whether the line holding byte `start` is a headline in title case ("Jordan Says
/// Talks Will Resume"), where capitals say nothing about names.
fn in_title_case_line(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |index| index + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |index| start + index);
    let words: Vec<&str> =
        text[line_start..line_end].split_whitespace().filter(|word| word.chars().count() > 3).collect();
    let capitalised = words.iter().filter(|word| is_capitalised(word)).count();
    words.len() >= 4 && capitalised * 10 >= words.len() * 8
}

/// The ASCII bytes of words (`is_word_char`): letters, digits and '_'.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric() || byte as u8 == b'_';
        byte += 1;
    }
    table
};

/// Whether the character at byte `index` is a word character, and its width in bytes.
/// ASCII, nearly all of the text, is answered without decoding.
#[inline]
fn char_class(text: &str, index: usize) -> (bool, usize) {
    let byte = text.as_bytes()[index];
    if byte.is_ascii() {
        (byte.is_ascii_alphanumeric() || byte == b'_', 1)
    } else {
        let c = text[index..].chars().next().unwrap_or(' ');
        (is_word_char(c), c.len_utf8())
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `start..end` neither starts nor ends inside a word. A phrase ending in a
/// period ("U.S.") may be followed by anything.
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before_ok = !text[..start].chars().next_back().is_some_and(is_word_char);
    let phrase_ends_word = text[..end].chars().next_back().is_some_and(is_word_char);
    let after_ok = !phrase_ends_word || !text[end..].chars().next().is_some_and(is_word_char);
    before_ok && after_ok
}

/// The word just before byte `start`, skipping spaces (not punctuation).
fn previous_word(text: &str, start: usize) -> Option<&str> {
    let head = text[..start].trim_end_matches(' ');
    let word_start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_word_char(c) || c == '.' || c == '\''))
        .map_or(0, |(index, c)| index + c.len_utf8());
    let word = head[word_start..].trim_start_matches(['.', '\'']);
    (!word.is_empty()).then_some(word)
}

/// The word just after byte `end`, skipping spaces (not punctuation).
fn next_word(text: &str, end: usize) -> Option<&str> {
    let tail = text[end..].trim_start_matches(' ');
    let word_end = tail.find(|c: char| !is_word_char(c)).unwrap_or(tail.len());
    let word = &tail[..word_end];
    (!word.is_empty()).then_some(word)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether `rest`, the text after a place name, names a US state: "Paris, Texas",
/// "Lebanon, Pa.", "Moscow (Idaho)" are US places, not the country.
fn followed_by_us_state(rest: &str, states: &[String]) -> bool {
    let Some(after_separator) = rest.strip_prefix(", ").or_else(|| rest.strip_prefix(" (")) else {
        return false;
    };
    states.iter().any(|state| {
        after_separator
            .strip_prefix(state.as_str())
            .is_some_and(|tail| state.ends_with('.') || !tail.chars().next().is_some_and(is_word_char))
    })
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the mentions found in `text` as `"phrase=CODE/kind"` strings, in order.
    fn check(text: &str, expected: &[&str]) {
        let found: Vec<String> = MentionFinder::embedded()
            .find(text)
            .iter()
            .map(|m| format!("{}={}/{}", m.text, m.country, m.kind.as_str()))
            .collect();
        assert_eq!(found, expected, "in {text:?}");
    }

    #[test]
    fn names_aliases_and_demonyms() {
        check("Azerbaijan and Armenia met.", &["Azerbaijan=AZ/name", "Armenia=AM/name"]);
        check("the Azerbaijani-Armenian border", &["Azerbaijani=AZ/demonym", "Armenian=AM/demonym"]);
        check("Armenia's provocations", &["Armenia=AM/name"]);
        check("Armenia\u{2019}s provocations", &["Armenia=AM/name"]);
        check("The U.S. and the UK agreed.", &["U.S.=US/alias", "UK=GB/alias"]);
        check("the U.S to act", &["U.S=US/alias"]);
        check("TURKEY AND ARMENIA", &["TURKEY=TR/alias", "ARMENIA=AM/name"]);
    }

    #[test]
    fn case_matters_for_short_and_common_words() {
        check("let us go to the US", &["US=US/alias"]);
        check("a turkey on china plates", &[]);
        check("Turkey and China", &["Turkey=TR/alias", "China=CN/name"]);
    }

    #[test]
    fn longest_match_wins() {
        check("South Sudan and Sudan", &["South Sudan=SS/name", "Sudan=SD/name"]);
        check("Niger and Nigeria", &["Niger=NE/name", "Nigeria=NG/name"]);
        check("Dominica and the Dominican Republic", &["Dominica=DM/name", "Dominican Republic=DO/name"]);
        check(
            "Guinea, Guinea-Bissau, Equatorial Guinea, Papua New Guinea",
            &[
                "Guinea=GN/name",
                "Guinea-Bissau=GW/name",
                "Equatorial Guinea=GQ/name",
                "Papua New Guinea=PG/name",
            ],
        );
        check("Samoa and American Samoa", &["Samoa=WS/name", "American Samoa=AS/name"]);
        check("in New Mexico", &["New Mexico=US/region"]);
        check("French fries", &[]);
        check("the Indian Ocean", &[]);
    }

    #[test]
    fn a_shorter_phrase_wins_when_the_longest_ends_inside_a_word() {
        check("American Samoaish and Nigeriana", &["American=US/demonym"]);
    }

    #[test]
    fn words_must_be_whole() {
        check("Romanians and Omanis", &["Romanians=RO/demonym", "Omanis=OM/demonym"]);
        check("Chineseness", &[]);
    }

    #[test]
    fn georgia_near_us_state_words_is_the_us_state() {
        check("Georgia and Armenia signed.", &["Georgia=GE/name", "Armenia=AM/name"]);
        check("Voters in Atlanta, Georgia, went to the polls.", &["Atlanta=US/city", "Georgia=US/region"]);
        check("Gov. Brian Kemp of Georgia said", &["Georgia=US/region"]);
    }

    #[test]
    fn person_names_are_not_countries() {
        check("Michael Jordan scored.", &[]);
        check("Jordan Peterson spoke.", &[]);
        check(
            "Egypt and Jordan talked; Jordan's King Abdullah agreed.",
            &["Egypt=EG/name", "Jordan=JO/name", "Jordan=JO/name"],
        );
        check("Northern Israel was hit.", &["Israel=IL/name"]);
        check("the Israel Defense Forces", &["Israel=IL/name"]);
        check("Chad Smith and Chad", &["Chad=TD/name"]);
        check("Talks with Tehran. Jordan agreed.", &["Tehran=IR/capital", "Jordan=JO/name"]);
        check("On Sunday Israel said", &["Israel=IL/name"]);
        check("Mr. Jordan said", &[]);
        check(
            "Jordan Says Talks With Israel Will Resume Soon\nJordan said",
            &["Jordan=JO/name", "Israel=IL/name", "Jordan=JO/name"],
        );
    }

    #[test]
    fn a_town_named_like_a_country_stays_a_town_in_the_document() {
        check("The fair returns to Turkey on Friday, the city of Turkey said.", &[]);
        check("Turkey and Greece", &["Turkey=TR/alias", "Greece=GR/name"]);
    }

    #[test]
    fn a_name_seen_as_a_person_stays_a_person_in_the_document() {
        check(
            "Georgia Stevens skated. Georgia won; to Georgia's credit, she trained in Georgia.",
            &["Georgia=GE/name"],
        );
        check("Georgia and Armenia met.", &["Georgia=GE/name", "Armenia=AM/name"]);
    }

    #[test]
    fn us_places_named_after_countries() {
        check(
            "offices in Washington, New York and Chicago",
            &["Washington=US/capital", "New York=US/city", "Chicago=US/city"],
        );
        check("Lebanon, Pa., is small.", &["Lebanon=US/city"]);
        check("She lives in Lebanon.", &["Lebanon=LB/name"]);
    }

    #[test]
    fn languages_are_not_mentions() {
        check("He said in French that", &[]);
        check("a Russian-language paper", &[]);
        check("Chinese speakers", &[]);
        check("in French waters", &["French=FR/demonym"]);
        check("the speech, in Russian.", &[]);
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Élan — Türkiye and Azerbaijan";
        let mentions = MentionFinder::embedded().find(text);
        let chars: Vec<char> = text.chars().collect();
        for mention in &mentions {
            let span: String = chars[mention.start..mention.end].iter().collect();
            assert_eq!(span, mention.text);
        }
        assert_eq!(mentions.len(), 2);
    }

    #[test]
    fn context_lists_are_all_known() {
        let known = [
            "us_state_context",
            "us_state",
            "person_name",
            "name_context",
            "institution_word",
            "language_before",
            "language_after",
            "person_title",
        ];
        for row in CONTEXT_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).skip(1) {
            let (list, word) = row.split_once('\t').expect("two columns");
            assert!(known.contains(&list), "unknown list {list:?}");
            assert!(!word.is_empty() && word.trim() == word, "{row:?}");
        }
    }
}
