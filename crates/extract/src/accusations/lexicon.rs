//! The accusation lexicons (`data/lexicons/*.tsv`) compiled into one automaton over all
//! their phrases, so a statement is scanned once, one table step per byte from each word,
//! for every cue, modifier and party word whatever the size of the lists.
//!
//! A phrase may sit in several lists ("attacks" is a cue, "militants" a party and a
//! category word); each pattern carries every tag its phrase was listed under.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::view::{word_end, Token, BYTE_CLASS, PUNCTUATION, SPACE, WORD};

const CUES_TSV: &str = include_str!("../../../../data/lexicons/cues.tsv");
const CATEGORIES_TSV: &str = include_str!("../../../../data/lexicons/categories.tsv");
const MODIFIERS_TSV: &str = include_str!("../../../../data/lexicons/modifiers.tsv");
const VOICES_TSV: &str = include_str!("../../../../data/lexicons/voices.tsv");
const PARTIES_TSV: &str = include_str!("../../../../data/lexicons/parties.tsv");
const ORGANS_TSV: &str = include_str!("../../../../data/lexicons/organs.tsv");
const INSTITUTIONS_TSV: &str = include_str!("../../../../data/lexicons/institutions.tsv");
const LEADERS_TSV: &str = include_str!("../../../../data/lexicons/leaders.tsv");

/// The categories of ACCUSATIONS.md, in the guideline's order; a set of them is a bit
/// mask over this list.
pub const CATEGORIES: [&str; 10] = [
    "terrorism",
    "aggression",
    "provocation",
    "vandalism",
    "human_rights",
    "violation",
    "deception",
    "interference",
    "crime",
    "other",
];

/// A set of categories as a bit mask over `CATEGORIES`.
pub type Categories = u16;

pub const TERRORISM: Categories = 1 << 0;
pub const AGGRESSION: Categories = 1 << 1;
pub const HUMAN_RIGHTS: Categories = 1 << 4;
pub const OTHER: Categories = 1 << 9;

/// How the accused of a cue is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Agent,
    Act,
    Target,
    Frame,
}

/// What a lexicon phrase is, per list it appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Cue(Role, Categories),
    Category(Categories),
    Negation,
    /// "no doubt", "organized crime": phrases that hold a cue or negation word but claim
    /// or deny nothing.
    Shadow,
    Modal,
    Condition,
    Appeal,
    Denial,
    Claim,
    Anaphor,
    Passive,
    Reporting,
    According,
    FirstPerson,
    Speaker,
    Party,
    Title,
    NonState,
    Anonymous,
    Location,
    /// A compass word between a preposition and a country ("in central Turkey"): the
    /// country stays a place.
    Region,
    /// People who suffer acts rather than commit them when a participle follows them
    /// ("civilians killed in the strike").
    People,
    /// Words, policies and media: "attacked the proposal" is criticism, not an armed attack.
    Discourse,
    /// Arresting, detaining, jailing: a wrong when dissent is its object or its reason
    /// ("arrested dozens of opposition activists").
    Detention,
    /// Who or what dissents: activists, journalists, protests.
    Dissent,
    /// Hiring, paying or ordering others: its subject instigates the act its infinitive
    /// names ("Tehran offered to pay them to plan the murder").
    Instigate,
    Haven,
    HavenGround,
    /// A phrase before a country that makes it the sponsor of the doers right before it
    /// ("militants backed by Iran").
    Sponsor,
    Perpetrate,
    /// Wrongs only a state commits within its borders ("corruption", "repression").
    StatePractice,
    Time,
    Pronoun,
    Dismissive,
    /// An institution or office holder of the country with this ISO code ("the State
    /// Department"), which names no country itself.
    Institution([u8; 2]),
}

impl Tag {
    /// The bit of this tag's kind (its variant, whatever its value) in `Hit::kinds`.
    pub const fn kind(&self) -> u64 {
        1 << match self {
            Tag::Cue(..) => 0,
            Tag::Category(_) => 1,
            Tag::Negation => 2,
            Tag::Shadow => 3,
            Tag::Modal => 4,
            Tag::Condition => 5,
            Tag::Appeal => 6,
            Tag::Denial => 7,
            Tag::Claim => 8,
            Tag::Anaphor => 9,
            Tag::Passive => 10,
            Tag::Reporting => 11,
            Tag::According => 12,
            Tag::FirstPerson => 13,
            Tag::Speaker => 14,
            Tag::Party => 15,
            Tag::Title => 16,
            Tag::NonState => 17,
            Tag::Anonymous => 18,
            Tag::Location => 19,
            Tag::Haven => 20,
            Tag::HavenGround => 21,
            Tag::Perpetrate => 22,
            Tag::Time => 23,
            Tag::Pronoun => 24,
            Tag::Dismissive => 25,
            Tag::Institution(_) => 26,
            Tag::StatePractice => 27,
            Tag::Sponsor => 28,
            Tag::Region => 29,
            Tag::People => 30,
            Tag::Discourse => 31,
            Tag::Detention => 32,
            Tag::Dissent => 33,
            Tag::Instigate => 34,
        }
    }

    /// Whether the tag carries a value, which `Hit::has` must compare too.
    fn has_value(&self) -> bool {
        matches!(self, Tag::Cue(..) | Tag::Category(_) | Tag::Institution(_))
    }
}

/// The kind bits of cues and institutions, whatever their values.
const CUE_KIND: u64 = Tag::Cue(Role::Agent, 0).kind();
const INSTITUTION_KIND: u64 = Tag::Institution([0, 0]).kind();

/// Why a lexicon file could not be compiled; the tests below keep the shipped files free
/// of these, so at run time they are build defects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError(pub String);

/// All lexicons, compiled.
pub struct Lexicon {
    /// The column of every byte in `transitions`: one per byte the phrases hold, ASCII
    /// capitals sharing their small letter's, and `NO_PHRASE_BYTE` for every other byte.
    classes: [u16; 256],
    /// `classes` for ASCII letters and digits, and 0 (the column no byte steps by) for
    /// every other byte: the word loop of `word_and_phrase` tells a word's end and steps
    /// the trie with one look-up per byte.
    word_classes: [u16; 256],
    /// The row two bytes lead to from the root, by their classes (the first's times the
    /// row width plus the second's), or 0: most words are looked up no further than two
    /// or three bytes, and one look-up here spares the first step.
    pairs: Box<[u32]>,
    /// The width of a row of `transitions`: its columns.
    width: usize,
    /// The phrases (lower case) as a trie, a row per state, the root's first. Column
    /// `PHRASE_END` holds the phrase ending at the state (its index in `tags` plus one,
    /// or 0); every other column holds, for its bytes, the offset of the row the next
    /// byte leads to, or 0 where no phrase goes on so (no byte leads back to the root).
    /// Offsets rather than state numbers, and the phrase in the row itself, spare a
    /// multiplication and a second table at each byte.
    transitions: Box<[u32]>,
    tags: Vec<Vec<Tag>>,
    /// For each entry of `tags`, the bits of its tags' kinds (`Tag::kind`).
    kinds: Vec<u64>,
    /// Organ phrase (lower case) → the class of organs it shares a referent with.
    organ_classes: WordMap<String>,
    /// A well-known leader's surname → their country (`leaders.tsv`).
    leaders: WordMap<String>,
    /// For each length (up to 63), a bit for the first byte (modulo 64) of every leader's
    /// surname of that length: most capitalised words are no surname, and are ruled out
    /// without hashing them.
    leader_shapes: [u64; 64],
}

/// The column of a trie row that holds the phrase ending there.
const PHRASE_END: usize = 0;
/// The column of the bytes no phrase holds: it leads nowhere.
const NO_PHRASE_BYTE: u16 = 1;

/// One FNV-1a step.
#[inline]
fn hash_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a for the maps keyed by words (organ classes, the people of a document): words
/// are short and come from the lexicons or the statement itself, and a keyed hash
/// (SipHash) would cost more than the look-up.
#[derive(Default)]
pub struct WordHasher(u64);

/// A map keyed by words, hashed with `WordHasher`. Keys taken from a statement (surnames)
/// could be chosen to collide, but a statement holds few of them and is read under a
/// time limit, so the worst case stays small.
pub type WordMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 { HASH_START } else { self.0 };
        self.0 = bytes.iter().fold(start, |hash, byte| hash_step(hash, *byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Calls `use_lower` with `word` in lower case: lowered on the stack where the word is
/// short and ASCII, as organ and title words are, else in a new string.
pub fn with_lowercase<R>(word: &str, use_lower: impl FnOnce(&str) -> R) -> R {
    let mut buffer = [0u8; 32];
    if let Some(slot) = buffer.get_mut(..word.len()).filter(|_| word.is_ascii()) {
        slot.copy_from_slice(word.as_bytes());
        slot.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(slot) {
            return use_lower(lower);
        }
    }
    use_lower(&word.to_lowercase())
}

/// One lexicon phrase found in the text: byte span, token span and its tags.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub start: usize,
    pub end: usize,
    /// Indices of its first and last token in the text's tokens.
    pub first: usize,
    pub last: usize,
    pub tags: &'a [Tag],
    /// The bits of the kinds of `tags` (`Tag::kind`): most questions about a hit's tags
    /// are answered "no" by one test.
    kinds: u64,
}

/// Tags that a rule or two ask about but that leave a word plain for the others: a
/// compass word, plain people, words and policies, detention and dissent.
const DESCRIPTIVE: u64 = Tag::Region.kind()
    | Tag::People.kind()
    | Tag::Discourse.kind()
    | Tag::Detention.kind()
    | Tag::Dissent.kind()
    | Tag::Instigate.kind();

impl<'a> Hit<'a> {
    /// Inlined, so that the kind of a constant tag folds into one bit test: the rules
    /// ask this of nearly every token, and as a call it cost more than its answer.
    #[inline]
    pub fn has(&self, tag: Tag) -> bool {
        self.kinds & tag.kind() != 0 && (!tag.has_value() || self.tags.contains(&tag))
    }

    /// Whether the hit has a tag of any of the kinds in `kinds` (bits of `Tag::kind`).
    pub fn has_any(&self, kinds: u64) -> bool {
        self.kinds & kinds != 0
    }

    /// Whether the hit only describes its words for a rule or two (`DESCRIPTIVE`), so
    /// that the other rules still read them as plain words.
    pub fn is_descriptive(&self) -> bool {
        self.kinds & !DESCRIPTIVE == 0
    }

    pub fn cue(&self) -> Option<(Role, Categories)> {
        if self.kinds & CUE_KIND == 0 {
            return None;
        }
        self.tags.iter().find_map(|tag| match tag {
            Tag::Cue(role, categories) => Some((*role, *categories)),
            _ => None,
        })
    }

    /// The country of an institution phrase ("State Department" → US), if it is one.
    pub fn institution(&self) -> Option<&'a str> {
        if self.kinds & INSTITUTION_KIND == 0 {
            return None;
        }
        self.tags.iter().find_map(|tag| match tag {
            Tag::Institution(code) => std::str::from_utf8(code).ok(),
            _ => None,
        })
    }

    pub fn categories(&self) -> Categories {
        self.tags.iter().fold(0, |mask, tag| match tag {
            Tag::Cue(_, categories) | Tag::Category(categories) => mask | categories,
            _ => mask,
        })
    }
}

impl Lexicon {
    /// The lexicons shipped in `data/lexicons/`.
    pub fn embedded() -> Result<Lexicon, LexiconError> {
        let mut builder = Builder::default();
        builder.cues(CUES_TSV)?;
        builder.categories(CATEGORIES_TSV)?;
        builder.lists("modifiers.tsv", MODIFIERS_TSV)?;
        builder.lists("voices.tsv", VOICES_TSV)?;
        builder.lists("parties.tsv", PARTIES_TSV)?;
        builder.organs(ORGANS_TSV)?;
        builder.institutions(INSTITUTIONS_TSV)?;
        builder.leaders(LEADERS_TSV)?;
        builder.build()
    }

    /// The class an organ phrase belongs to ("army" and "troops" are both "military"),
    /// so that a document's "Myanmar military" makes its later "the army" Myanmar's; a
    /// phrase of no class is its own.
    pub fn organ_class<'p>(&'p self, phrase: &'p str) -> &'p str {
        self.organ_classes.get(phrase).map_or(phrase, String::as_str)
    }

    /// The country of a well-known leader by surname ("Putin"), if listed.
    pub fn leader(&self, surname: &str) -> Option<&str> {
        let first = surname.as_bytes().first()?;
        if self.leader_shapes[surname.len().min(63)] & 1 << (first & 63) == 0 {
            return None;
        }
        self.leaders.get(surname).map(String::as_str)
    }

    /// Splits `text` into tokens, words (runs of letters and digits) and every other
    /// non-space character on its own, and finds every lexicon phrase in it at word
    /// boundaries, in order, the longest where phrases start at the same word, never
    /// overlapping. Case is ignored for ASCII letters. Both replace the contents of
    /// `tokens` and `hits`, whose memory is reused.
    ///
    /// A word's end is found and the trie stepped in the same loop over its bytes (see
    /// `word_and_phrase`); a phrase's last token is known once a token ends past it.
    pub fn tokenize_and_find<'a>(&'a self, text: &str, tokens: &mut Vec<Token>, hits: &mut Vec<Hit<'a>>) {
        let bytes = text.as_bytes();
        tokens.clear();
        tokens.reserve(text.len() / 4 + 1);
        hits.clear();
        hits.reserve(text.len() / 16);
        // The phrase found last, while the tokens it covers are still being added.
        let mut open: Option<Hit<'a>> = None;
        let mut index = 0;
        while index < bytes.len() {
            let start = index;
            let (is_word, width) = match BYTE_CLASS[usize::from(bytes[index])] {
                WORD => (true, 1),
                SPACE => {
                    index += 1;
                    continue;
                }
                PUNCTUATION => (false, 1),
                _ => {
                    let c = text[index..].chars().next().unwrap_or(' ');
                    if c.is_whitespace() {
                        index += c.len_utf8();
                        continue;
                    }
                    (c.is_alphanumeric(), c.len_utf8())
                }
            };
            // Phrases never overlap: no phrase starts inside another, so the words of an
            // open phrase are not looked up.
            let in_open = open.is_some_and(|hit| start < hit.end);
            let (end, mut found) = match (is_word, in_open) {
                (true, false) => self.word_and_phrase(text, start),
                (true, true) => (word_end(text, start), None),
                (false, _) => (start + width, None),
            };
            index = end;
            let token = Token { start, end, is_word };
            tokens.push(token);
            if let Some(mut hit) = open {
                if end <= hit.end {
                    continue;
                }
                hit.last = tokens.len() - 2;
                hits.push(hit);
                open = None;
                if is_word && in_open {
                    found = self.longest_at(text, token);
                }
            }
            if let Some((end, phrase)) = found {
                let (tags, kinds) = (&self.tags[phrase], self.kinds[phrase]);
                let first = tokens.len() - 1;
                open = Some(Hit { start, end, first, last: first, tags, kinds });
            }
        }
        if let Some(mut hit) = open {
            hit.last = tokens.len() - 1;
            hits.push(hit);
        }
    }

    /// One step of the trie from `row` over `byte`.
    #[inline(always)]
    fn step(&self, row: usize, byte: u8) -> usize {
        self.transitions[row + usize::from(self.classes[usize::from(byte)])] as usize
    }

    /// The end of the word starting at byte `start`, and the end and the index of the
    /// longest phrase starting there that ends at a word boundary, if any. Over ASCII
    /// letters and digits the word's end is sought and the trie stepped in one loop, each
    /// byte read once, until no phrase goes on; a word that goes on in other letters
    /// takes `longest_at`. Inlined: it runs for every word.
    #[inline(always)]
    fn word_and_phrase(&self, text: &str, start: usize) -> (usize, Option<(usize, usize)>) {
        let bytes = text.as_bytes();
        // Where no phrase starts with the word, only its end is wanted: found here for
        // ASCII letters and digits, and by `word_end` past them.
        let rest_of_word = |mut at: usize| {
            while bytes.get(at).is_some_and(|byte| BYTE_CLASS[usize::from(*byte)] == WORD) {
                at += 1;
            }
            if bytes.get(at).is_some_and(|byte| !byte.is_ascii()) {
                at = word_end(text, at);
            }
            (at, None)
        };
        let (mut row, mut at) = (0, start);
        if let Some(&[first, second]) = bytes.get(start..start + 2) {
            let second = usize::from(self.word_classes[usize::from(second)]);
            if second != PHRASE_END {
                row = self.pairs[usize::from(self.word_classes[usize::from(first)]) * self.width + second]
                    as usize;
                at += 2;
                if row == 0 {
                    return rest_of_word(at);
                }
            }
        }
        while let Some(&byte) = bytes.get(at) {
            let class = self.word_classes[usize::from(byte)];
            if usize::from(class) == PHRASE_END {
                break;
            }
            row = self.transitions[row + usize::from(class)] as usize;
            at += 1;
            if row == 0 {
                return rest_of_word(at);
            }
        }
        if bytes.get(at).is_some_and(|byte| !byte.is_ascii()) {
            let end = word_end(text, start);
            return (end, self.longest_at(text, Token { start, end, is_word: true }));
        }
        (at, self.phrase_from(text, row, at))
    }

    /// The end and the index of the longest phrase starting at word `token` that ends at
    /// a word boundary, if any. The trie is walked from the word as far as some phrase
    /// goes on; a phrase that ends inside a word is no match.
    fn longest_at(&self, text: &str, token: Token) -> Option<(usize, usize)> {
        // Up to the word's end a letter or digit follows every byte, so no phrase can
        // end there: only the trie is stepped.
        let mut row = 0;
        for &byte in &text.as_bytes()[token.start..token.end] {
            row = self.step(row, byte);
            if row == 0 {
                return None;
            }
        }
        self.phrase_from(text, row, token.end)
    }

    /// The longest phrase going on from trie row `row`, reached at the end of a word at
    /// byte `end`, that ends at a word boundary: its end and index.
    #[inline(always)]
    fn phrase_from(&self, text: &str, mut row: usize, end: usize) -> Option<(usize, usize)> {
        let bytes = text.as_bytes();
        let (mut at, mut found) = (end, None);
        let phrase = self.transitions[row + PHRASE_END];
        if phrase != 0 {
            found = Some((at, phrase as usize - 1));
        }
        while let Some(&byte) = bytes.get(at) {
            row = self.step(row, byte);
            if row == 0 {
                break;
            }
            at += 1;
            let phrase = self.transitions[row + PHRASE_END];
            if phrase != 0 && ends_word(text, at) {
                found = Some((at, phrase as usize - 1));
            }
        }
        found
    }
}

/// Whether no letter or digit follows byte `end` of `text`.
#[inline]
fn ends_word(text: &str, end: usize) -> bool {
    match text.as_bytes().get(end) {
        None => true,
        Some(byte) if byte.is_ascii() => !byte.is_ascii_alphanumeric(),
        Some(_) => !text[end..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    tags: Vec<Vec<Tag>>,
    index: HashMap<String, usize>,
    organ_classes: WordMap<String>,
    leaders: WordMap<String>,
}

impl Builder {
    fn add(&mut self, forms: &str, tag: Tag) {
        let forms = forms.split('|').map(str::trim).filter(|form| !form.is_empty());
        let typographic =
            forms.clone().filter(|form| form.contains('\'')).map(|form| form.replace('\'', "\u{2019}"));
        for form in forms.map(str::to_string).chain(typographic) {
            let key = form.to_lowercase();
            let index = *self.index.entry(key.clone()).or_insert_with(|| {
                self.patterns.push(key);
                self.tags.push(Vec::new());
                self.tags.len() - 1
            });
            if !self.tags[index].contains(&tag) {
                self.tags[index].push(tag);
            }
        }
    }

    fn cues(&mut self, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [forms, role, categories] = columns[..] else {
                return Err(error("cues.tsv", line, "expected 3 columns"));
            };
            let role = match role {
                "agent" => Role::Agent,
                "act" => Role::Act,
                "target" => Role::Target,
                "frame" => Role::Frame,
                _ => return Err(error("cues.tsv", line, "unknown role")),
            };
            let categories =
                parse_categories(categories).ok_or_else(|| error("cues.tsv", line, "category"))?;
            self.add(forms, Tag::Cue(role, categories));
        }
        Ok(())
    }

    fn categories(&mut self, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [forms, category] = columns[..] else {
                return Err(error("categories.tsv", line, "expected 2 columns"));
            };
            let category = parse_categories(category)
                .filter(|mask| *mask != 0)
                .ok_or_else(|| error("categories.tsv", line, "unknown category"))?;
            self.add(forms, Tag::Category(category));
        }
        Ok(())
    }

    fn lists(&mut self, file: &str, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [list, forms] = columns[..] else {
                return Err(error(file, line, "expected 2 columns"));
            };
            let tag = match list {
                "negation" => Tag::Negation,
                "shadow" => Tag::Shadow,
                "modal" => Tag::Modal,
                "condition" => Tag::Condition,
                "appeal" => Tag::Appeal,
                "denial" => Tag::Denial,
                "claim" => Tag::Claim,
                "anaphor" => Tag::Anaphor,
                "pronoun" => Tag::Pronoun,
                "dismissive" => Tag::Dismissive,
                "passive" => Tag::Passive,
                "perpetrate" => Tag::Perpetrate,
                "state_practice" => Tag::StatePractice,
                "reporting" => Tag::Reporting,
                "according" => Tag::According,
                "first_person" => Tag::FirstPerson,
                "speaker" => Tag::Speaker,
                "time" => Tag::Time,
                "party" => Tag::Party,
                "title" => Tag::Title,
                "non_state" => Tag::NonState,
                "anonymous" => Tag::Anonymous,
                "location" => Tag::Location,
                "region" => Tag::Region,
                "people" => Tag::People,
                "discourse" => Tag::Discourse,
                "detention" => Tag::Detention,
                "dissent" => Tag::Dissent,
                "instigate" => Tag::Instigate,
                "haven" => Tag::Haven,
                "haven_ground" => Tag::HavenGround,
                "sponsor" => Tag::Sponsor,
                _ => return Err(error(file, line, "unknown list")),
            };
            self.add(forms, tag);
        }
        Ok(())
    }

    fn organs(&mut self, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [class, forms] = columns[..] else {
                return Err(error("organs.tsv", line, "expected 2 columns"));
            };
            self.add(forms, Tag::Party);
            for form in forms.split('|') {
                self.organ_classes.insert(form.trim().to_lowercase(), class.to_string());
            }
        }
        Ok(())
    }

    fn institutions(&mut self, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [country, forms] = columns[..] else {
                return Err(error("institutions.tsv", line, "expected 2 columns"));
            };
            let code: [u8; 2] = match country.as_bytes() {
                [first, second] if first.is_ascii_uppercase() && second.is_ascii_uppercase() => {
                    [*first, *second]
                }
                _ => return Err(error("institutions.tsv", line, "country is no ISO alpha-2 code")),
            };
            self.add(forms, Tag::Institution(code));
        }
        Ok(())
    }

    fn leaders(&mut self, tsv: &str) -> Result<(), LexiconError> {
        for (line, columns) in rows(tsv) {
            let [country, surnames] = columns[..] else {
                return Err(error("leaders.tsv", line, "expected 2 columns"));
            };
            if country.len() != 2 || !country.bytes().all(|byte| byte.is_ascii_uppercase()) {
                return Err(error("leaders.tsv", line, "country is no ISO alpha-2 code"));
            }
            for surname in surnames.split('|').map(str::trim).filter(|surname| !surname.is_empty()) {
                if !surname.chars().next().is_some_and(char::is_uppercase) {
                    return Err(error("leaders.tsv", line, "a surname is not capitalised"));
                }
                self.leaders.insert(surname.to_string(), country.to_string());
            }
        }
        Ok(())
    }

    fn build(self) -> Result<Lexicon, LexiconError> {
        let mut classes = [NO_PHRASE_BYTE; 256];
        let mut width = NO_PHRASE_BYTE + 1;
        for byte in self.patterns.iter().flat_map(|pattern| pattern.bytes()) {
            if classes[usize::from(byte)] == NO_PHRASE_BYTE {
                classes[usize::from(byte)] = width;
                width += 1;
            }
        }
        for capital in b'A'..=b'Z' {
            classes[usize::from(capital)] = classes[usize::from(capital.to_ascii_lowercase())];
        }
        let width = usize::from(width);
        let mut transitions = vec![0u32; width];
        for (index, pattern) in self.patterns.iter().enumerate() {
            if word_end(pattern, 0) == 0 {
                return Err(LexiconError(format!("{pattern:?} does not start with a word")));
            }
            let mut row = 0;
            for byte in pattern.bytes() {
                let slot = row + usize::from(classes[usize::from(byte)]);
                if transitions[slot] == 0 {
                    transitions[slot] = transitions.len() as u32;
                    transitions.resize(transitions.len() + width, 0);
                }
                row = transitions[slot] as usize;
            }
            transitions[row + PHRASE_END] = index as u32 + 1;
        }
        let kinds = self.tags.iter().map(|tags| tags.iter().fold(0, |bits, tag| bits | tag.kind())).collect();
        let mut leader_shapes = [0; 64];
        let shapes =
            self.leaders.keys().filter_map(|surname| Some((surname.len(), *surname.as_bytes().first()?)));
        for (length, first) in shapes {
            leader_shapes[length.min(63)] |= 1 << (first & 63);
        }
        let pairs = (0..width * width)
            .map(|pair| match transitions[pair / width] as usize {
                0 => 0,
                row => transitions[row + pair % width],
            })
            .collect();
        let word_classes =
            std::array::from_fn(
                |byte| if BYTE_CLASS[byte] == WORD { classes[byte] } else { PHRASE_END as u16 },
            );
        Ok(Lexicon {
            classes,
            word_classes,
            pairs,
            width,
            transitions: transitions.into_boxed_slice(),
            tags: self.tags,
            kinds,
            organ_classes: self.organ_classes,
            leader_shapes,
            leaders: self.leaders,
        })
    }
}

fn error(file: &str, line: usize, reason: &str) -> LexiconError {
    LexiconError(format!("{file} line {line}: {reason}"))
}

/// The data rows of a TSV file with their line numbers: comments, blank lines and the
/// header skipped.
fn rows(tsv: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    tsv.lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|(index, line)| (index + 1, line.split('\t').collect()))
}

/// "-" is the empty set; otherwise comma-separated names from `CATEGORIES`.
fn parse_categories(value: &str) -> Option<Categories> {
    if value == "-" {
        return Some(0);
    }
    value.split(',').try_fold(0, |mask, name| {
        let index = CATEGORIES.iter().position(|known| *known == name.trim())?;
        Some(mask | 1 << index)
    })
}

/// The names of the categories in a mask, in the guideline's order.
pub fn category_names(mask: Categories) -> Vec<String> {
    CATEGORIES
        .iter()
        .enumerate()
        .filter(|(index, _)| mask & (1 << index) != 0)
        .map(|(_, name)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicons_compile() {
        assert!(Lexicon::embedded().is_ok());
    }

    #[test]
    fn every_data_row_is_well_formed() {
        let files = [
            CUES_TSV,
            CATEGORIES_TSV,
            MODIFIERS_TSV,
            VOICES_TSV,
            PARTIES_TSV,
            ORGANS_TSV,
            INSTITUTIONS_TSV,
            LEADERS_TSV,
        ];
        for tsv in files {
            for (line, columns) in rows(tsv) {
                for column in columns {
                    assert!(!column.is_empty() && column.trim() == column, "line {line}: {column:?}");
                }
            }
        }
    }

    #[test]
    fn phrases_match_whole_words_longest_first_and_case_blind() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|error| panic!("{error:?}"));
        let text = "ACCUSED the Taliban of acts of terrorism; shellfish are not shelling.";
        let (mut tokens, mut hits) = (Vec::new(), Vec::new());
        lexicon.tokenize_and_find(text, &mut tokens, &mut hits);
        let found: Vec<&str> = hits.iter().map(|hit| &text[hit.start..hit.end]).collect();
        assert_eq!(found, ["ACCUSED", "Taliban", "acts of terrorism", "are", "not", "shelling"]);
    }

    #[test]
    fn leaders_are_found_by_their_exact_surname() {
        let lexicon = Lexicon::embedded().unwrap_or_else(|error| panic!("{error:?}"));
        assert_eq!(lexicon.leader("Putin"), Some("RU"));
        assert_eq!(lexicon.leader("Erdoğan"), Some("TR"));
        assert_eq!(lexicon.leader("putin"), None);
        assert_eq!(lexicon.leader("Khan"), None);
    }

    #[test]
    fn category_masks_round_trip() {
        assert_eq!(
            category_names(parse_categories("terrorism,vandalism").unwrap_or(0)),
            ["terrorism", "vandalism"]
        );
        assert_eq!(category_names(TERRORISM | AGGRESSION | OTHER), ["terrorism", "aggression", "other"]);
        assert_eq!(parse_categories("piracy"), None);
    }
}
