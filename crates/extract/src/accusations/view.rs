//! One sentence as the detector sees it: word and punctuation tokens, the lexicon hits
//! and country mentions laid over them, and the parties they form ("the Armenian side",
//! "Russian Foreign Minister Sergey Lavrov", "the Taliban", "we").
//!
//! Parties are built once per sentence; the role rules then only look up tokens and
//! parties by position, so detection stays linear in the length of the text.

use crate::MentionKind;

use super::lexicon::{with_lowercase, Hit, Lexicon, Tag, WordMap};

/// A word (letters and digits) or a single punctuation character, by byte offsets into
/// the whole text.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub is_word: bool,
}

/// A country mention with byte offsets, as the detector needs it.
#[derive(Debug, Clone)]
pub struct PlacedMention<'a> {
    pub start: usize,
    pub end: usize,
    pub country: &'a str,
    pub kind: MentionKind,
}

/// What a party refers to. Codes are borrowed from the mentions, the lexicon or the
/// constants here, never allocated: a statement names hundreds of parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Referent<'a> {
    /// A country (ISO code), the EU, or `XX` for a non-state party.
    Country(&'a str),
    /// A country adjective not followed by an organ ("Russian aggression"): a party only
    /// right before the act it qualifies.
    Adjective(&'a str),
    /// "we", "our": the statement's speaker, or the quoted party.
    FirstPerson,
    /// "the head of state": the statement's speaker.
    Speaker,
    /// "it", "they", "he": a party named earlier.
    Pronoun,
    /// A group or person that cannot be tied to a country ("a crowd", "the government"
    /// with no country named with it in the document, an unknown name).
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Party<'a> {
    /// Token range, inclusive.
    pub first: usize,
    pub last: usize,
    pub referent: Referent<'a>,
    /// Named as a place, a target or a partner ("in Paris", "against Armenia").
    pub is_place: bool,
    /// A state organ of the country ("the Armenian side", "the government of Iran").
    pub is_organ: bool,
}

/// Tokens of a sentence with their lexicon hits.
pub struct View<'a> {
    pub tokens: &'a [Token],
    /// Lexicon hits with their token range (inclusive): the sentence's part of one
    /// array for the whole statement (see `sentence_hits`).
    pub hits: &'a [(usize, usize, Hit<'a>)],
    /// For each token, the index of the hit covering it in `hits`, or `NO_HIT`: the
    /// sentence's part of one array for the whole statement (see `mark_hits`).
    hit_of: &'a [u32],
    pub parties: Vec<Party<'a>>,
}

pub const NO_HIT: u32 = u32::MAX;

/// Organ words that, unqualified, stand for the speaker's own state.
const GOVERNING_ORGANS: &[&str] = &["government", "authorities", "administration"];

/// Tokens a title's body may take before the comma that sets off the name ("for
/// Pakistan's Ministry of Foreign Affairs, Shafqat Ali Khan").
const TITLE_BODY_TOKENS: usize = 11;

/// Conjunctions and clause openers, which no country's organ phrase spans.
const PHRASE_BREAKS: &[&str] =
    &["after", "before", "since", "when", "while", "as", "and", "or", "but", "then", "that", "which", "who"];

/// Numbers and quantities, which open a noun phrase of their own.
const NUMBER_WORDS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "dozens",
    "hundreds",
    "thousands",
    "several",
    "some",
    "many",
];

/// Nouns that, as "the country's" before a title, stand for the country or region the
/// document named last.
const PLACE_NOUNS: &[&str] =
    &["country", "nation", "republic", "kingdom", "region", "province", "state", "entity"];

/// The country of the last mention (no organisation) that ends before byte `before`.
fn last_named_country<'a>(mentions: &[PlacedMention<'a>], before: usize) -> Option<&'a str> {
    mentions
        .iter()
        .rev()
        .find(|mention| {
            mention.end <= before && mention.kind != MentionKind::Organisation && mention.country != "XX"
        })
        .map(|mention| mention.country)
}

/// Tokens a country's name may stand before its title ("British Deputy U.N.
/// Ambassador": the organisation's dotted name takes four).
const TITLE_QUALIFIER_TOKENS: usize = 7;

/// What the document has established so far about who is who.
pub struct People<'l> {
    /// Surname → country, from "Russian Foreign Minister Sergey Lavrov".
    pub surnames: WordMap<&'l str>,
    /// Organ class → country, from "the Myanmar military": "the army" later is MM.
    organs: WordMap<&'l str>,
    /// Title (its last word, lower case) → the country of whoever last held it in the
    /// document: after "a State Department spokesperson", "the spokesperson" is US.
    titles: WordMap<&'l str>,
    /// The statement's speaker's country, if known: then "the spokesperson" is theirs,
    /// and so is an organ ("the government") the document ties to no other country.
    speaker: Option<&'l str>,
    /// The country the document named last, for "the country's president".
    last_country: Option<&'l str>,
    lexicon: &'l Lexicon,
}

impl<'l> People<'l> {
    pub fn new(lexicon: &'l Lexicon, speaker: Option<&'l str>) -> People<'l> {
        People {
            surnames: WordMap::default(),
            organs: WordMap::default(),
            titles: WordMap::default(),
            speaker,
            last_country: None,
            lexicon,
        }
    }

    /// Notes the countries a sentence named, in order, for "the country's president" in
    /// the sentences after it.
    pub fn note_mentions(&mut self, mentions: &[PlacedMention<'l>]) {
        if let Some(code) = last_named_country(mentions, usize::MAX) {
            self.last_country = Some(code);
        }
    }

    fn bind_title(&mut self, title: &str, code: &'l str) {
        let last_word = title.rsplit(' ').next().unwrap_or(title).to_lowercase();
        self.titles.insert(last_word, code);
    }

    /// The country a speaker phrase ("the spokesperson") refers to when the statement
    /// has no known speaker and the document tied that title to a country.
    fn speaker_phrase(&self, phrase: &str) -> Option<&'l str> {
        if self.speaker.is_some() || self.titles.is_empty() {
            return None;
        }
        let last_word = phrase.rsplit(' ').next().unwrap_or(phrase);
        with_lowercase(last_word, |last_word| self.titles.get(last_word).copied())
    }

    /// The country of whoever last held the title an organ word names: after "federal
    /// prosecutor Jacob Gutwillig", "prosecutors" are US.
    fn title_holder(&self, organ: &str) -> Option<&'l str> {
        if self.titles.is_empty() {
            return None;
        }
        with_lowercase(organ, |lower| self.titles.get(lower.strip_suffix('s').unwrap_or(lower)).copied())
    }

    /// The country an unqualified organ word stands for: the one the document tied it
    /// to, else, for the organs that govern ("the government", "the authorities"), the
    /// speaker's own (in a ministry's statement, or a news item datelined in the
    /// country). Other organs ("prosecutors", "the regime") are as often another
    /// country's, so they stay unknown.
    fn home_organ(&self, organ: &str) -> Option<&'l str> {
        let governs = || GOVERNING_ORGANS.iter().any(|word| organ.eq_ignore_ascii_case(word));
        self.organ(organ).or_else(|| self.title_holder(organ)).or_else(|| self.speaker.filter(|_| governs()))
    }

    fn bind_organ(&mut self, organ: &str, code: &'l str) {
        with_lowercase(organ, |organ| {
            // An organ class bound before keeps its key: only the country changes.
            let class = self.lexicon.organ_class(organ);
            match self.organs.get_mut(class) {
                Some(bound) => *bound = code,
                None => drop(self.organs.insert(class.to_string(), code)),
            }
        });
    }

    fn organ(&self, organ: &str) -> Option<&'l str> {
        if self.organs.is_empty() {
            return None;
        }
        with_lowercase(organ, |lower| self.organs.get(self.lexicon.organ_class(lower)).copied())
    }
}

impl<'a> View<'a> {
    /// Builds the view of the sentence made of `tokens`, with its `hits` (as
    /// `sentence_hits` gives them) and `hit_of`, the sentence's part of the statement's
    /// token → hit array (as `mark_hits` fills it). `mentions` are those inside the
    /// sentence, in order; `covered` is scratch space, reused from sentence to sentence.
    /// Registers the people and organs the sentence ties to countries in `people`.
    pub fn build(
        text: &str,
        tokens: &'a [Token],
        hits: &'a [(usize, usize, Hit<'a>)],
        hit_of: &'a [u32],
        mentions: &[PlacedMention<'a>],
        people: &mut People<'a>,
        covered: &mut Vec<bool>,
    ) -> View<'a> {
        let mut view = View { tokens, hits, hit_of, parties: Vec::new() };
        view.find_parties(text, mentions, people, covered);
        view
    }

    pub fn word(&self, text: &'a str, index: usize) -> &'a str {
        self.tokens.get(index).map_or("", |token| &text[token.start..token.end])
    }

    fn is_word(&self, text: &str, index: usize, word: &str) -> bool {
        self.tokens.get(index).is_some_and(|token| token.is_word)
            && self.word(text, index).eq_ignore_ascii_case(word)
    }

    /// The hit covering token `index`, if any, but for one that only describes its words
    /// (`Hit::is_descriptive`): the rules read those as plain words.
    pub fn hit_at(&self, index: usize) -> Option<&(usize, usize, Hit<'a>)> {
        self.any_hit_at(index).filter(|(_, _, hit)| !hit.is_descriptive())
    }

    fn any_hit_at(&self, index: usize) -> Option<&(usize, usize, Hit<'a>)> {
        let position = *self.hit_of.get(index)?;
        self.hits.get(position as usize)
    }

    pub fn has_tag_at(&self, index: usize, tag: Tag) -> bool {
        self.any_hit_at(index).is_some_and(|(_, _, hit)| hit.has(tag))
    }

    /// The party covering token `index`, if any.
    pub fn party_at(&self, index: usize) -> Option<&Party<'a>> {
        self.parties.iter().find(|party| party.first <= index && index <= party.last)
    }

    fn find_parties(
        &mut self,
        text: &str,
        mentions: &[PlacedMention<'a>],
        people: &mut People<'a>,
        covered: &mut Vec<bool>,
    ) {
        // A party comes from a mention or a hit, but for the few names found beside
        // titles: room for all of them spares the vector's regrowth.
        let mut parties = Vec::with_capacity(mentions.len() + self.hits.len());
        covered.clear();
        covered.resize(self.tokens.len(), false);
        for mention in mentions {
            let Some((first, last)) = token_range(self.tokens, mention.start, mention.end) else { continue };
            let code = match mention.kind {
                // "the leaders of Puntland": a place's organ is its country's.
                MentionKind::City | MentionKind::Region => {
                    let organ = self
                        .organ_before_of(text, first)
                        .or_else(|| self.governing_organ_in(text, first, people.lexicon));
                    let Some((organ_first, organ)) = organ else { continue };
                    people.bind_organ(&organ, mention.country);
                    covered[organ_first..=last].iter_mut().for_each(|c| *c = true);
                    parties.push(Party {
                        first: organ_first,
                        last,
                        referent: Referent::Country(mention.country),
                        is_place: false,
                        is_organ: true,
                    });
                    continue;
                }
                MentionKind::Organisation if mention.country == "EU" => "EU",
                MentionKind::Organisation => "XX",
                _ => mention.country,
            };
            let mut party =
                Party { first, last, referent: Referent::Country(code), is_place: false, is_organ: false };
            if let Some(organ_last) = self.organ_after(text, last) {
                // "the Armenian special services": the organ is the country's.
                people.bind_organ(&self.hit_text(text, organ_last), code);
                party.last = organ_last;
                party.is_organ = true;
            } else if mention.kind == MentionKind::Demonym {
                party.referent = Referent::Adjective(code);
            } else if let Some((organ_first, organ)) = self.organ_before_of(text, first).or_else(|| {
                (mention.kind == MentionKind::Capital)
                    .then(|| self.governing_organ_in(text, first, people.lexicon))
                    .flatten()
            }) {
                // "the President of France", "the government of Iran", "the government in
                // Islamabad".
                people.bind_organ(&organ, code);
                party.first = organ_first;
                party.is_organ = true;
            }
            covered[party.first..=party.last].iter_mut().for_each(|c| *c = true);
            parties.push(party);
        }
        // "the State Department", "the IRGC": institutions that stand for their country.
        for (first, last, hit) in self.hits {
            let Some(code) = hit.institution() else { continue };
            if covered[*first..=*last].iter().any(|c| *c) {
                continue;
            }
            // "Pakistan's foreign office": a country named right before the office's name
            // owns it, whatever country the name alone stands for.
            let owner = parties.iter_mut().find(|party| {
                !party.is_place
                    && party.last < *first
                    && (party.last + 1..*first)
                        .all(|index| matches!(self.word(text, index), "'" | "\u{2019}" | "s"))
            });
            if let Some(owner) = owner {
                if let Referent::Country(owner_code) | Referent::Adjective(owner_code) = owner.referent {
                    owner.referent = Referent::Country(owner_code);
                    owner.last = *last;
                    owner.is_organ = true;
                    covered[*first..=*last].iter_mut().for_each(|c| *c = true);
                    continue;
                }
            }
            parties.push(Party {
                first: *first,
                last: *last,
                referent: Referent::Country(code),
                is_place: false,
                is_organ: true,
            });
            covered[*first..=*last].iter_mut().for_each(|c| *c = true);
        }
        self.find_people(text, mentions, &mut parties, covered, people);
        people.note_mentions(mentions);
        for (first, last, hit) in self.hits {
            if covered[*first..=*last].iter().any(|c| *c) {
                continue;
            }
            let word = &text[hit.start..hit.end];
            let referent = if hit.has(Tag::NonState) {
                if self.is_word(text, first.wrapping_sub(1), "-") {
                    // "anti-Pakistan militants" are not a party of their own here.
                    continue;
                }
                Referent::Country("XX")
            } else if hit.has(Tag::Anonymous) {
                Referent::Unknown
            } else if hit.has(Tag::Speaker) {
                people.speaker_phrase(word).map_or(Referent::Speaker, Referent::Country)
            } else if hit.has(Tag::FirstPerson) {
                // "US" in capitals is the country, found as a mention; "us" is the speaker.
                if word.chars().all(char::is_uppercase) && word.len() > 1 {
                    continue;
                }
                Referent::FirstPerson
            } else if hit.has(Tag::Party) {
                // "the army", "security forces": not another party's ("Hamas's forces",
                // "rebel troops"), so the country the document tied the organ to.
                let before = first.wrapping_sub(1);
                let qualified = self.tokens.get(before).is_some_and(|token| token.is_word)
                    && !self.is_word(text, before, "the")
                    && !self.has_tag_at(before, Tag::Reporting)
                    && !self.has_tag_at(before, Tag::According)
                    && !self.has_tag_at(before, Tag::Location)
                    && !self.is_word(text, before, "by")
                    && !self.is_word(text, before, "that")
                    || matches!(self.word(text, before), "'" | "\u{2019}");
                // "the Trump administration", "Zelensky's regime": the organ of a person
                // tied to a country.
                let possessor_last = (self.is_word(text, before, "s")
                    && matches!(self.word(text, before.wrapping_sub(1)), "'" | "\u{2019}"))
                .then(|| before.wrapping_sub(2));
                let owner = || {
                    parties.iter().find_map(|party| match &party.referent {
                        Referent::Country(code)
                            if (party.last == before || Some(party.last) == possessor_last)
                                && *code != "XX"
                                && !party.is_organ =>
                        {
                            Some(*code)
                        }
                        _ => None,
                    })
                };
                let bound = if qualified { owner() } else { people.home_organ(word) };
                bound.map_or(Referent::Unknown, Referent::Country)
            } else if hit.has(Tag::Pronoun) {
                Referent::Pronoun
            } else {
                continue;
            };
            let is_organ = hit.has(Tag::Party) && matches!(referent, Referent::Country(_));
            parties.push(Party { first: *first, last: *last, referent, is_place: false, is_organ });
        }
        parties.sort_by_key(|party| party.first);
        self.resolve_possessed_organs(text, &mut parties);
        self.mark_places(text, &mut parties);
        self.parties = parties;
    }

    /// People named with a country: "Turkish President Recep Tayyip Erdogan" and
    /// "Steven Pifer, a former U.S. ambassador", and later mentions of their surnames.
    fn find_people(
        &self,
        text: &str,
        mentions: &[PlacedMention<'a>],
        parties: &mut Vec<Party<'a>>,
        covered: &mut [bool],
        people: &mut People<'a>,
    ) {
        for (first, last, hit) in self.hits {
            // "the spokesperson" is a title too where it names someone ("the spokesperson
            // for Pakistan's Ministry, Shafqat Ali Khan").
            if !(hit.has(Tag::Title) || hit.has(Tag::Speaker)) {
                continue;
            }
            // "Republican Representative", "federal prosecutor": the title names its country.
            let own = hit.institution();
            let country = own.or_else(|| {
                parties.iter().rev().find_map(|party| match &party.referent {
                    // "Russian Foreign Minister", "Pakistan's permanent representative", not
                    // "… Russian aggression,” Republican Representative".
                    Referent::Country(code) | Referent::Adjective(code)
                        if party.last < *first
                            && first - party.last <= TITLE_QUALIFIER_TOKENS
                            && *code != "XX"
                            && (party.last + 1..*first).all(|index| {
                                self.tokens[index].is_word
                                    || matches!(self.word(text, index), "'" | "\u{2019}" | "-" | ".")
                            }) =>
                    {
                        Some(*code)
                    }
                    _ => None,
                })
            });
            // "Balochistan Chief Minister": a place's office is its country's.
            let country = country.or_else(|| {
                let title_start = self.tokens.get(*first)?.start;
                let place = mentions.iter().rev().find(|mention| mention.end <= title_start)?;
                let (_, place_last) = token_range(self.tokens, place.start, place.end)?;
                // "Ontario's provincial leader": a possessive and one plain word may stand between.
                let mut between = place_last + 1;
                if matches!(self.word(text, between), "'" | "\u{2019}")
                    && self.is_word(text, between + 1, "s")
                {
                    between += 2;
                }
                if between < *first
                    && self.hit_at(between).is_none()
                    && !self.is_capitalised_word(text, between)
                {
                    between += 1;
                }
                let adjacent =
                    between == *first && matches!(place.kind, MentionKind::City | MentionKind::Region);
                adjacent.then_some(place.country)
            });
            // "foreign ministry spokesperson": the ministry the document named before.
            let country = country.or_else(|| {
                let lower = first.saturating_sub(2);
                (lower..*first).rev().find_map(|index| {
                    let (organ_first, organ_last, organ) = self.hit_at(index)?;
                    let unqualified = *organ_first == 0
                        || !self.tokens[organ_first - 1].is_word
                        || !self.is_capitalised_word(text, organ_first - 1);
                    (*organ_last == index && organ.has(Tag::Party) && unqualified)
                        .then(|| people.organ(&text[organ.start..organ.end]))
                        .flatten()
                })
            });
            // "the leader of the Republika Srpska entity": the region's organ party starts
            // at the title.
            let country = country.or_else(|| {
                parties.iter().find_map(|party| match &party.referent {
                    Referent::Country(code) if party.first == *first && party.is_organ && *code != "XX" => {
                        Some(*code)
                    }
                    _ => None,
                })
            });
            let country = country.or_else(|| {
                // "the spokesperson for Pakistan's Ministry", "the President of France".
                let after_of = ["of", "for"]
                    .iter()
                    .any(|word| self.is_word(text, last + 1, word))
                    .then(|| self.country_at(parties, last + 2));
                after_of.flatten()
            });
            // "the country's president", "the autonomous republic's president": the
            // country or region named last.
            let country = country.or_else(|| {
                self.place_noun_before(text, *first)?;
                let title_start = self.tokens.get(*first)?.start;
                last_named_country(mentions, title_start).or(people.last_country)
            });
            let Some(country) = country else { continue };
            people.bind_title(&text[hit.start..hit.end], country);
            // The name right after the title ("... Minister Sergey Lavrov"), or set off by
            // a comma ("the republic's president, Milorad Dodik", "representative to the
            // United Nations, Munir Akram").
            let named = self.name_after(text, *last + 1, covered).or_else(|| {
                let comma = self.comma_after_title(text, *last)?;
                // "…, Ambassador Shafqat Ali Khan,": a second title before the name.
                let from = match self.hit_at(comma + 1) {
                    Some((_, title_last, title)) if title.has(Tag::Title) => title_last + 1,
                    _ => comma + 1,
                };
                self.name_after(text, from, covered)
                    .filter(|(_, name_last)| matches!(self.word(text, name_last + 1), "," | "" | "."))
            });
            // An office held: "Berisha was involved in corrupt acts during his term as
            // prime minister of Albania", "Ortiz, who served as Peru's president".
            let named = named.or_else(|| self.name_before_office(text, *first, covered));
            if let Some((name_first, name_last)) = named {
                people.surnames.insert(self.word(text, name_last).to_string(), country);
                parties.push(Party {
                    first: name_first,
                    last: name_last,
                    referent: Referent::Country(country),
                    is_place: false,
                    is_organ: false,
                });
                covered[name_first..=name_last].iter_mut().for_each(|c| *c = true);
            }
            // An apposition: "Steven Pifer, a former U.S. ambassador".
            if let Some((name_first, name_last)) = self.name_before_apposition(text, *first, covered) {
                people.surnames.insert(self.word(text, name_last).to_string(), country);
                parties.push(Party {
                    first: name_first,
                    last: name_last,
                    referent: Referent::Country(country),
                    is_place: false,
                    is_organ: false,
                });
                covered[name_first..=name_last].iter_mut().for_each(|c| *c = true);
            }
        }
        for (index, token) in self.tokens.iter().enumerate() {
            // Surnames are capitalised: the look-up is spared for every other word.
            let capitalised =
                text.as_bytes()[token.start].is_ascii_uppercase() || !text.as_bytes()[token.start].is_ascii();
            if !token.is_word || covered[index] || !capitalised {
                continue;
            }
            let word = &text[token.start..token.end];
            // The document's own ties first, then the well-known leaders.
            let code = people.surnames.get(word).copied().or_else(|| people.lexicon.leader(word));
            if let Some(code) = code {
                parties.push(Party {
                    first: index,
                    last: index,
                    referent: Referent::Country(code),
                    is_place: false,
                    is_organ: false,
                });
                covered[index] = true;
            }
        }
    }

    /// If the title at token `title` follows a place noun in the possessive ("the
    /// country's president", "the autonomous republic's president"), the token of "the".
    fn place_noun_before(&self, text: &str, title: usize) -> Option<usize> {
        let s = title.checked_sub(1)?;
        if !(self.is_word(text, s, "s") && matches!(self.word(text, s.checked_sub(1)?), "'" | "\u{2019}")) {
            return None;
        }
        let noun = s.checked_sub(2)?;
        if !PLACE_NOUNS.iter().any(|place| self.is_word(text, noun, place)) {
            return None;
        }
        let article = noun.checked_sub(1)?;
        if self.is_word(text, article, "the") {
            return Some(article);
        }
        // One adjective may stand between: "the autonomous republic's".
        let article = article.checked_sub(1)?;
        let adjective_plain = self.tokens[noun - 1].is_word && self.hit_at(noun - 1).is_none();
        (adjective_plain && self.is_word(text, article, "the")).then_some(article)
    }

    /// "his U.N. mission", "their government": an organ after a possessive pronoun is
    /// the organ of the country the sentence named before it as a party.
    fn resolve_possessed_organs(&self, text: &str, parties: &mut [Party<'a>]) {
        for index in 0..parties.len() {
            let party = &parties[index];
            let unresolved = match &party.referent {
                Referent::Country(code) => *code == "XX" && party.is_organ,
                Referent::Unknown => true,
                _ => false,
            };
            let possessed = party.first > 0
                && ["his", "her", "its", "their"]
                    .iter()
                    .any(|word| self.is_word(text, party.first - 1, word));
            if !unresolved || !possessed {
                continue;
            }
            let owner = parties[..index].iter().rev().find_map(|earlier| match &earlier.referent {
                Referent::Country(code) if *code != "XX" && !earlier.is_place => Some(*code),
                _ => None,
            });
            if let Some(code) = owner {
                parties[index].referent = Referent::Country(code);
                parties[index].is_organ = true;
            }
        }
    }

    fn country_at(&self, parties: &[Party<'a>], index: usize) -> Option<&'a str> {
        parties.iter().find_map(|party| match &party.referent {
            Referent::Country(code) | Referent::Adjective(code)
                if (party.first == index || party.first == index + 1) && *code != "XX" =>
            {
                Some(*code)
            }
            _ => None,
        })
    }

    /// The comma closing a title: right after it, or after the body it serves ("to the
    /// United Nations", "of the Senate Committee"), at most six tokens on.
    fn comma_after_title(&self, text: &str, title_last: usize) -> Option<usize> {
        let next = title_last + 1;
        if self.word(text, next) == "," {
            return Some(next);
        }
        if !["to", "at", "for", "of"].iter().any(|word| self.is_word(text, next, word)) {
            return None;
        }
        (next + 1..next + TITLE_BODY_TOKENS)
            .take_while(|index| *index < self.tokens.len())
            .find(|index| !self.tokens[*index].is_word && self.word(text, *index) == ",")
    }

    /// Up to four capitalised words from token `from` that are not already a party.
    fn name_after(&self, text: &str, from: usize, covered: &[bool]) -> Option<(usize, usize)> {
        let names = covered
            .iter()
            .enumerate()
            .skip(from)
            .take(4)
            .take_while(|(index, covered)| {
                !**covered && self.is_capitalised_word(text, *index) && self.hit_at(*index).is_none()
            })
            .count();
        (names > 0).then(|| (from, from + names - 1))
    }

    /// The last unknown name before "as <title>" (over "former" or a country's name) in
    /// the sentence, when the title follows "as": whoever held the office is the one the
    /// sentence named last.
    fn name_before_office(&self, text: &str, title: usize, covered: &[bool]) -> Option<(usize, usize)> {
        let as_word =
            (title.saturating_sub(4)..title).rev().find(|index| self.is_word(text, *index, "as"))?;
        let qualifiers_only = (as_word + 1..title).all(|index| {
            covered[index]
                || self.is_word(text, index, "former")
                || matches!(self.word(text, index), "'" | "\u{2019}" | "s")
        });
        if !qualifiers_only {
            return None;
        }
        let last = (0..as_word).rev().find(|index| {
            !covered[*index]
                && self.is_capitalised_word(text, *index)
                && self.hit_at(*index).is_none()
                && *index > 0
        })?;
        Some((last, last))
    }

    /// Two to four capitalised words ending just before ", (a|the) ... <title>", with
    /// only words between the comma and the title.
    fn name_before_apposition(&self, text: &str, title: usize, covered: &[bool]) -> Option<(usize, usize)> {
        let lower = title.saturating_sub(8);
        // Dots, hyphens and apostrophes belong to words such as "U.S." and "Secretary-General".
        let comma = (lower..title).rev().find(|index| {
            !self.tokens[*index].is_word && !matches!(self.word(text, *index), "." | "-" | "'" | "\u{2019}")
        })?;
        if self.word(text, comma) != "," {
            return None;
        }
        let last = comma.checked_sub(1)?;
        let mut first = last;
        while first > 0
            && last - first < 3
            && self.is_capitalised_word(text, first - 1)
            && !covered[first - 1]
            && self.hit_at(first - 1).is_none()
        {
            first -= 1;
        }
        let all_names = (first..=last).all(|index| self.is_capitalised_word(text, index) && !covered[index]);
        (all_names && last > first).then_some((first, last))
    }

    pub fn is_capitalised_word(&self, text: &str, index: usize) -> bool {
        let word = self.word(text, index);
        self.tokens.get(index).is_some_and(|token| token.is_word)
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().any(char::is_lowercase)
    }

    /// The last token of an organ word ("side", "special services") standing within two
    /// words after token `last`, with nothing but words between.
    fn organ_after(&self, text: &str, last: usize) -> Option<usize> {
        let mut index = last + 1;
        // The possessive of "Pakistan's military" belongs to the name.
        if matches!(self.word(text, index), "'" | "\u{2019}") {
            index += 1;
            if self.is_word(text, index, "s") {
                index += 1;
            }
        }
        for _ in 0..3 {
            let token = self.tokens.get(index)?;
            if !token.is_word {
                return None;
            }
            if let Some((first, hit_last, hit)) = self.hit_at(index) {
                if *first == index && hit.has(Tag::Party) {
                    // "Sudan's army-backed government": the body the hyphened participle
                    // qualifies is the organ.
                    let hyphened =
                        self.word(text, hit_last + 1) == "-" && self.word(text, hit_last + 2).ends_with("ed");
                    let backed = hyphened
                        .then(|| self.hit_at(hit_last + 3))
                        .flatten()
                        .filter(|(next_first, _, next)| *next_first == hit_last + 3 && next.has(Tag::Party));
                    if let Some((_, body_last, _)) = backed {
                        return Some(*body_last);
                    }
                    // "the Chinese coast guard vessel", "Syrian government forces": party
                    // words in a row name one body.
                    let mut organ_last = *hit_last;
                    while let Some((_, next_last, _)) = self
                        .hit_at(organ_last + 1)
                        .filter(|(next_first, _, next)| *next_first == organ_last + 1 && next.has(Tag::Party))
                    {
                        organ_last = *next_last;
                    }
                    return Some(organ_last);
                }
                // "Chile said Bolivian troops": a verb between ends the name's phrase.
                let verb = hit.has(Tag::Reporting)
                    || hit.has(Tag::Passive)
                    || hit.has(Tag::Denial)
                    || hit.has(Tag::Appeal);
                if hit.cue().is_some() || hit.has(Tag::Title) || verb {
                    return None;
                }
            }
            // "Peru expelled two diplomats", "a protest with China after Chinese ships": a
            // past form, a number, a preposition or a conjunction between starts another
            // phrase.
            let word = self.word(text, index);
            if word.ends_with("ed")
                || self.has_tag_at(index, Tag::Location)
                || PHRASE_BREAKS.iter().any(|joiner| word.eq_ignore_ascii_case(joiner))
                || word.as_bytes()[0].is_ascii_digit()
                || NUMBER_WORDS.iter().any(|number| word.eq_ignore_ascii_case(number))
            {
                return None;
            }
            index += 1;
        }
        None
    }

    /// Whether token `first` follows "<organ or title> of".
    fn follows_organ_of(&self, text: &str, first: usize) -> bool {
        self.organ_before_of(text, first).is_some()
    }

    /// The first token and the text of the organ or title before "of (the)" at token
    /// `first`.
    fn organ_before_of<'t>(&self, text: &'t str, first: usize) -> Option<(usize, &'t str)> {
        let mut of = first.checked_sub(1)?;
        if self.is_word(text, of, "the") {
            of = of.checked_sub(1)?;
        }
        if !self.is_word(text, of, "of") {
            return None;
        }
        let (organ_first, _, hit) = self.hit_at(of.checked_sub(1)?)?;
        let is_organ = hit.has(Tag::Party) || hit.has(Tag::Title) || hit.has(Tag::Speaker);
        is_organ.then(|| (*organ_first, &text[hit.start..hit.end]))
    }

    /// "the government in Islamabad", "a trial in New York": a governing or judicial
    /// organ (`organs.tsv`, classes government and judicial) before "in" and a city is
    /// seated there, so it is that city's country's. Other organs in a place ("troops in
    /// Donetsk") are only there.
    fn governing_organ_in<'t>(
        &self,
        text: &'t str,
        first: usize,
        lexicon: &Lexicon,
    ) -> Option<(usize, &'t str)> {
        let in_word = first.checked_sub(1)?;
        if !self.is_word(text, in_word, "in") {
            return None;
        }
        let (organ_first, organ_last, hit) = self.hit_at(in_word.checked_sub(1)?)?;
        let organ = &text[hit.start..hit.end];
        let seated =
            with_lowercase(organ, |organ| matches!(lexicon.organ_class(organ), "government" | "judicial"));
        let governs = *organ_last == in_word - 1 && hit.has(Tag::Party) && seated;
        governs.then_some((*organ_first, organ))
    }

    fn hit_text<'t>(&self, text: &'t str, last: usize) -> &'t str {
        self.hit_at(last).map_or("", |(_, _, hit)| &text[hit.start..hit.end])
    }

    /// Marks parties named as places, targets or partners: after a location word
    /// ("in", "against"), or after "of" that does not follow an organ ("the embassy of
    /// Azerbaijan"); parties listed after one ("in Lebanon and the United States") share
    /// its mark.
    fn mark_places(&self, text: &str, parties: &mut [Party]) {
        for index in 0..parties.len() {
            let mut before = parties[index].first;
            if self.is_word(text, before.wrapping_sub(1), "the") {
                before -= 1;
            }
            // "in central Turkey": a compass word between the preposition and the country.
            if self.has_tag_at(before.wrapping_sub(1), Tag::Region) {
                before -= 1;
            }
            let previous = before.wrapping_sub(1);
            let is_place = self.has_tag_at(previous, Tag::Location)
                || self.is_word(text, previous, "of") && !self.follows_organ_of(text, parties[index].first);
            let listed_after = index > 0 && {
                let earlier = &parties[index - 1];
                earlier.last < before
                    && (earlier.last + 1..before)
                        .all(|between| matches!(self.word(text, between), "," | "and" | "or" | "by"))
            };
            // "over Israel's crackdown": the preposition governs the possessed act.
            let possessive = matches!(self.word(text, parties[index].last + 1), "'" | "\u{2019}");
            // "against Russian aggression": the preposition governs the act the adjective
            // qualifies, as it does the possessed act of "over Israel's crackdown".
            let adjective = matches!(parties[index].referent, Referent::Adjective(_));
            parties[index].is_place = !possessive
                && !adjective
                && if listed_after { parties[index - 1].is_place } else { is_place };
        }
    }
}

/// Appends to `kept` the hits of a sentence that no country mention overlaps (a
/// country's name wins over a lexicon word inside it: "States" is no verb in "the United
/// States"), with token ranges counted from the sentence's first token, `first_token`.
/// `hits` and `mentions` are the sentence's, in text order, so one forward walk over the
/// mentions suffices. The sentences of a statement share `kept`, one vector rather than
/// one each.
pub fn sentence_hits<'a>(
    hits: &[Hit<'a>],
    mentions: &[PlacedMention],
    first_token: usize,
    kept: &mut Vec<(usize, usize, Hit<'a>)>,
) {
    let mut mention = 0;
    for hit in hits {
        // Mentions ending before this hit end before every later hit too.
        while mentions.get(mention).is_some_and(|before| before.end <= hit.start) {
            mention += 1;
        }
        let overlaps = mentions[mention..]
            .iter()
            .take_while(|candidate| candidate.start < hit.end)
            .any(|candidate| hit.start < candidate.end);
        if !overlaps {
            kept.push((hit.first - first_token, hit.last - first_token, *hit));
        }
    }
}

/// Writes into `hit_of`, a sentence's part of the statement's token → hit array, the
/// index in `hits` of the hit covering each token.
pub fn mark_hits(hit_of: &mut [u32], hits: &[(usize, usize, Hit)]) {
    for (position, (first, last, _)) in hits.iter().enumerate() {
        hit_of[*first..=*last].iter_mut().for_each(|slot| *slot = position as u32);
    }
}

/// The classes of `BYTE_CLASS`, by which `Lexicon::tokenize_and_find` splits a text.
pub const PUNCTUATION: u8 = 0;
pub const SPACE: u8 = 1;
pub const WORD: u8 = 2;
const NON_ASCII: u8 = 3;

/// The class of every byte: ASCII letters and digits, ASCII white space (as
/// `char::is_whitespace` has it), other ASCII, and bytes of non-ASCII characters. One
/// table look-up per byte is the tokeniser's whole cost on ASCII text.
pub const BYTE_CLASS: [u8; 256] = {
    let mut table = [NON_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = match byte as u8 {
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => WORD,
            0x09..=0x0D | 0x20 => SPACE,
            _ => PUNCTUATION,
        };
        byte += 1;
    }
    table
};

/// The byte offset just past the word (letters and digits) starting at `start`.
#[inline]
pub fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut index = start;
    loop {
        // ASCII letters and digits, the common case, a byte at a time.
        while let Some(&byte) = bytes.get(index) {
            if BYTE_CLASS[usize::from(byte)] != WORD {
                break;
            }
            index += 1;
        }
        if index >= bytes.len() || bytes[index].is_ascii() {
            return index;
        }
        match text[index..].chars().next() {
            Some(c) if c.is_alphanumeric() => index += c.len_utf8(),
            _ => return index,
        }
    }
}

/// The tokens covering bytes `start..end`, inclusive, if any.
fn token_range(tokens: &[Token], start: usize, end: usize) -> Option<(usize, usize)> {
    let first = tokens.partition_point(|token| token.end <= start);
    let after = tokens.partition_point(|token| token.start < end);
    (first < after).then(|| (first, after - 1))
}

#[cfg(test)]
mod tests {
    use super::super::lexicon::Lexicon;

    fn check(text: &str, expected: &[&str]) {
        let lexicon = Lexicon::embedded().unwrap_or_else(|error| panic!("{error:?}"));
        let (mut tokens, mut hits) = (Vec::new(), Vec::new());
        lexicon.tokenize_and_find(text, &mut tokens, &mut hits);
        let found: Vec<&str> = tokens.iter().map(|token| &text[token.start..token.end]).collect();
        assert_eq!(found, expected, "in {text:?}");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_and_punctuation_stands_alone() {
        check("Baku's 2 shells—hit.", &["Baku", "'", "s", "2", "shells", "—", "hit", "."]);
        check("  Türkiye\tand\u{00A0}Côte d’Ivoire ", &["Türkiye", "and", "Côte", "d", "’", "Ivoire"]);
        check("“Quote”", &["“", "Quote", "”"]);
        check("", &[]);
    }
}
