//! Who speaks in each sentence: the default accuser of its accusations.
//!
//! In order of precedence: a party the sentence itself attributes its words to ("…,"
//! Erdogan said; according to the ministry), the party a running quotation is
//! attributed to (the quote may close sentences later with "…," the head of state
//! said), the statement's speaker for first-person words ("we", "I"), and for the
//! rest of the text the speaker when the statement quotes no one (a press release in its
//! own voice), else `XX` (an outlet's own narration).

use crate::sentences::Sentence;

use super::lexicon::Tag;
use super::view::{Party, Referent, View};

/// The accuser code for each sentence, by the rules above.
pub fn voices<'v>(
    text: &str,
    sentences: &[Sentence],
    views: &'v [Option<View>],
    speaker: Option<&'v str>,
) -> Vec<&'v str> {
    let speaker = speaker.unwrap_or("XX");
    let quotes_anyone = has_quote(text);
    let narration = if quotes_anyone { "XX" } else { speaker };

    // "He said", "they wrote": the last reporter or the first party a sentence before
    // named, whichever came last: in "… members of the U.S. Senate led a group. '…,'
    // they wrote", "they" are the senators, not the reporter of a quotation before.
    let mut last_reporter: Option<(usize, &str)> = None;
    let mut last_actor: Option<(usize, &str)> = None;
    let reporters: Vec<Option<&str>> = views
        .iter()
        .enumerate()
        .map(|(index, view)| {
            let view = view.as_ref()?;
            let earlier = match (last_reporter, last_actor) {
                (Some(reporter), Some(actor)) => {
                    Some(if actor.0 > reporter.0 { actor.1 } else { reporter.1 })
                }
                (reporter, actor) => reporter.or(actor).map(|(_, code)| code),
            };
            let found = reporter(text, view, speaker, earlier);
            if let Some(found) = found {
                last_reporter = Some((index, found));
            }
            let actor = view.parties.iter().find(|party| !party.is_place);
            if let Some(Referent::Country(code)) = actor.map(|party| &party.referent) {
                last_actor = Some((index, *code));
            }
            found
        })
        .collect();

    let quotes = quote_states(text, sentences);
    let mut voices = Vec::with_capacity(sentences.len());
    let mut run_start = 0;
    for (index, state) in quotes.iter().enumerate() {
        if !state.starts_inside {
            run_start = index;
        }
        let voice = if let Some(reporter) = reporters[index] {
            reporter
        } else if state.starts_inside || state.opens {
            // A quotation right after another in the same paragraph continues its
            // speaker's words.
            let previous_quote = run_start.checked_sub(1).filter(|before| {
                let gap = &text[sentences[*before].byte_end..sentences[run_start].byte_start];
                quotes[*before].opens && !gap.contains('\n')
            });
            let continued =
                previous_quote.and_then(|before| voices.get(before).copied().filter(|voice| *voice != "XX"));
            run_reporter(text, sentences, &quotes, &reporters, run_start, index).or(continued).unwrap_or("XX")
        } else if views[index]
            .as_ref()
            .is_some_and(|view| view.parties.iter().any(|party| party.referent == Referent::FirstPerson))
        {
            speaker
        } else {
            narration
        };
        voices.push(voice);
    }
    voices
}

/// Whether a sentence starts inside a quotation and whether it opens one.
#[derive(Debug, Clone, Copy, Default)]
struct QuoteState {
    starts_inside: bool,
    opens: bool,
    ends_inside: bool,
}

/// Follows quotation marks through the text. A quotation runs on into the next
/// paragraph only when that paragraph holds a quotation mark (its closing one, or the
/// opening mark that continues a quotation over paragraphs), so one stray mark cannot
/// misattribute the rest of a document.
fn quote_states(text: &str, sentences: &[Sentence]) -> Vec<QuoteState> {
    let mut inside = false;
    let mut previous_end = 0;
    // Quotation marks are '"' and E2 80 9C/9D in UTF-8: only those bytes are looked at,
    // found by `memchr2` (a vector of bytes at a time) in one pass over the text, whose
    // marks each sentence then takes in turn; most sentences hold none.
    let mut marks = memchr::memchr2_iter(b'"', 0xE2, text.as_bytes()).peekable();
    sentences
        .iter()
        .map(|sentence| {
            let body = &text[sentence.byte_start..sentence.byte_end];
            let mut reopens = false;
            if inside && text[previous_end..sentence.byte_start].contains('\n') {
                let paragraph = text[sentence.byte_start..].split('\n').next().unwrap_or("");
                inside = has_quote(paragraph);
                reopens = inside && body.starts_with(QUOTES);
            }
            previous_end = sentence.byte_end;
            let starts_inside = inside;
            let mut opens = false;
            // Marks between sentences are in none.
            while marks.next_if(|at| *at < sentence.byte_start).is_some() {}
            let bytes = body.as_bytes();
            while let Some(at) = marks.next_if(|at| *at < sentence.byte_end) {
                let offset = at - sentence.byte_start;
                match (bytes[offset], bytes.get(offset + 1), bytes.get(offset + 2)) {
                    (0xE2, Some(0x80), Some(0x9C)) => {
                        inside = true;
                        opens = true;
                    }
                    (0xE2, Some(0x80), Some(0x9D)) => inside = false,
                    // The opening mark of a continued paragraph does not close the quote.
                    (b'"', _, _) if reopens && offset == 0 => {}
                    (b'"', _, _) => {
                        inside = !inside;
                        opens |= inside;
                    }
                    _ => {}
                }
            }
            QuoteState { starts_inside, opens, ends_inside: inside }
        })
        .collect()
}

const QUOTES: [char; 3] = ['"', '\u{201C}', '\u{201D}'];

/// Whether the text quotes anyone: a quotation of `QUOTATION_WORDS` words or more, one
/// that ends in punctuation of its own ("“It was a plot,” Ali said"), or one left open.
/// Scare quotes ("the so-called “Bucha massacre”") quote no one, so a statement that
/// uses them still speaks in its speaker's voice. Only the quotation marks are read, as
/// this runs over whole statements.
fn has_quote(text: &str) -> bool {
    let mut opened: Option<usize> = None;
    for (at, c) in quotation_marks(text) {
        let closes = matches!(c, '"' | '\u{201D}') && opened.is_some();
        if closes {
            let quoted = &text[opened.take().unwrap_or(at)..at];
            let uttered = quoted.trim_end().ends_with([',', '.', '!', '?']);
            if uttered || quoted.split_whitespace().count() >= QUOTATION_WORDS {
                return true;
            }
        } else if matches!(c, '"' | '\u{201C}' | '\u{201D}') {
            opened = Some(at + c.len_utf8());
        }
    }
    opened.is_some()
}

/// Words a quotation needs to quote someone rather than set off a phrase.
const QUOTATION_WORDS: usize = 5;

/// The quotation marks of `text` (`QUOTES`) with their byte offsets, in order: only the
/// bytes that can start one ('"' and E2, the first of E2 80 9C/9D) are looked at, found
/// by `memchr2` in one pass, rather than the text being searched once for each mark.
fn quotation_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'"', 0xE2, bytes).filter_map(move |at| {
        match (bytes[at], bytes.get(at + 1..at + 3)) {
            (b'"', _) => Some((at, '"')),
            (_, Some([0x80, 0x9C])) => Some((at, '\u{201C}')),
            (_, Some([0x80, 0x9D])) => Some((at, '\u{201D}')),
            _ => None,
        }
    })
}

/// The reporter of the quotation that sentence `index` is part of: named where the
/// quotation closes, where it opens, or in a sentence before it that ends with a colon.
fn run_reporter<'v>(
    text: &str,
    sentences: &[Sentence],
    quotes: &[QuoteState],
    reporters: &[Option<&'v str>],
    run_start: usize,
    index: usize,
) -> Option<&'v str> {
    let mut closing = index;
    while quotes[closing].ends_inside && closing + 1 < quotes.len() && quotes[closing + 1].starts_inside {
        closing += 1;
    }
    reporters[closing].or(reporters[run_start]).or_else(|| {
        let before = run_start.checked_sub(1)?;
        let sentence = &sentences[before];
        text[sentence.byte_start..sentence.byte_end].ends_with(':').then(|| reporters[before])?
    })
}

/// The party a sentence attributes its words to: next to a reporting verb ("Erdogan
/// said", "said the ministry", "according to prosecutors").
fn reporter<'v>(text: &str, view: &'v View, speaker: &'v str, earlier: Option<&'v str>) -> Option<&'v str> {
    let mut quotation = Quotation::default();
    for (first, last, hit) in view.hits {
        let according = hit.has(Tag::According);
        if !(according || hit.has(Tag::Reporting)) || quotation.inside_before(text, view, *first) {
            continue;
        }
        if hit.has(Tag::Claim) && claim_noun(text, view, *first) {
            continue;
        }
        // "Peru's Foreign Minister said": a title right before the verb is no name; the
        // country before it speaks.
        let title_first = first.checked_sub(1).and_then(|index| {
            view.hit_at(index).filter(|(_, title_last, title)| *title_last == index && title.has(Tag::Title))
        });
        let anchor = title_first.map_or(*first, |(title_first, _, _)| *title_first);
        let name_before = title_first.is_none()
            && first.checked_sub(1).is_some_and(|index| {
                let word = view.word(text, index);
                view.party_at(index).is_none()
                    && !view.has_tag_at(index, Tag::Time)
                    && word.chars().next().is_some_and(char::is_uppercase)
                    && word.chars().any(char::is_lowercase)
            });
        if name_before && !according {
            // An unknown name right before the verb ("Kirkwood said") is a reporter all
            // the same: the words are not the narrator's. Joined to a known party ("Bugti
            // and Chaudhry reiterated"), the two speak together, for that party's side.
            let partner = first
                .checked_sub(3)
                .filter(|and| view.word(text, and + 1).eq_ignore_ascii_case("and"))
                .and_then(|partner| view.party_at(partner))
                .and_then(|party| match &party.referent {
                    Referent::Country(code) if *code != "XX" && !party.is_place => Some(*code),
                    _ => None,
                });
            return Some(partner.unwrap_or("XX"));
        }
        // "his mission criticized it, saying …": a participle after a comma reports for
        // the subject of the clause it closes, the first party of the sentence.
        let participle = !according
            && view.word(text, *first).ends_with("ing")
            && first.checked_sub(1).is_some_and(|index| view.word(text, index) == ",");
        if participle {
            let subject = view.parties.iter().find(|party| party.last < *first && !party.is_place);
            match subject.map(|party| &party.referent) {
                Some(Referent::Country(code)) if *code != "XX" => return Some(*code),
                Some(Referent::FirstPerson | Referent::Speaker) => return Some(speaker),
                _ => continue,
            }
        }
        // The reporter stands between the closing quotation mark and the verb.
        let quoted_between =
            |party: &Party| (party.last + 1..*first).any(|index| view.word(text, index).starts_with(QUOTES));
        let before = if according {
            None
        } else {
            let nearest =
                view.parties.iter().rev().position(|party| party.last < anchor && anchor - party.last <= 4);
            nearest
                .map(|from_end| {
                    // "the U.S. Mission to the United Nations said": the place ends the
                    // body of the organ that speaks.
                    let position = view.parties.len() - 1 - from_end;
                    let party = &view.parties[position];
                    let head = position.checked_sub(1).map(|before| &view.parties[before]).filter(|head| {
                        party.is_place && !head.is_place && party.first - head.last <= 3 && head.is_organ
                    });
                    head.unwrap_or(party)
                })
                .filter(|party| !quoted_between(party))
        };
        // "…," said the ministry: a party after the verb is its subject only when the
        // verb follows the quotation; in "said Kabul was failing" it is the said one's.
        let inverted = according || first.checked_sub(1).is_some_and(|index| !view.tokens[index].is_word);
        let after = || {
            view.parties
                .iter()
                .find(|party| party.first > *last && party.first - last <= 3)
                .filter(|_| inverted)
        };
        // "Russia's ambassador to the UN said": the body an envoy is sent to is not the
        // one who speaks; the country before the title is.
        let before = before.map(|party| envoy_country(text, view, party).unwrap_or(party));
        let Some(party) = before.or_else(after) else { continue };
        return Some(match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) => *code,
            // "I would say", "we believe": the words are whoever speaks the sentence,
            // the statement's speaker or the one a running quotation is attributed to,
            // which the caller decides.
            Referent::FirstPerson => continue,
            Referent::Speaker => speaker,
            Referent::Pronoun => earlier.unwrap_or("XX"),
            Referent::Unknown => "XX",
        });
    }
    None
}

/// If `party` is an organisation an envoy is sent to ("ambassador to the UN", "envoy at
/// the OSCE"), the party that names the envoy's country before the title.
fn envoy_country<'v>(text: &str, view: &'v View, party: &Party) -> Option<&'v Party<'v>> {
    if party.referent != Referent::Country("XX") {
        return None;
    }
    let mut before = party.first.checked_sub(1)?;
    if view.word(text, before).eq_ignore_ascii_case("the") {
        before = before.checked_sub(1)?;
    }
    if !["to", "at"].iter().any(|word| view.word(text, before).eq_ignore_ascii_case(word)) {
        return None;
    }
    let (title_first, _, _) = view
        .hit_at(before.checked_sub(1)?)
        .filter(|(_, title_last, title)| *title_last + 1 == before && title.has(Tag::Title))?;
    view.parties.iter().rev().find(|candidate| {
        candidate.last < *title_first
            && title_first - candidate.last <= 3
            && !candidate.is_place
            && matches!(candidate.referent, Referent::Country(code) | Referent::Adjective(code) if code != "XX")
    })
}

/// Whether "claims" at token `index` is a noun ("Bolivia's groundless claims", "the
/// claims"): a possessive, a determiner or a dismissive word stands before it, so it
/// reports no speech.
fn claim_noun(text: &str, view: &View, index: usize) -> bool {
    let Some(before) = index.checked_sub(1) else { return false };
    let word = view.word(text, before);
    let possessive = word == "s"
        && before.checked_sub(1).is_some_and(|mark| matches!(view.word(text, mark), "'" | "\u{2019}"));
    possessive
        || view.has_tag_at(before, Tag::Dismissive)
        || ["the", "these", "those", "such", "its", "their", "his", "her", "our", "your", "new", "false"]
            .iter()
            .any(|determiner| word.eq_ignore_ascii_case(determiner))
}

/// The quotation marks of a sentence's tokens, followed from its start: its reporting
/// words are looked at in order, so each token is read once for all of them.
#[derive(Default)]
struct Quotation {
    inside: bool,
    /// The tokens read so far.
    read: usize,
}

impl Quotation {
    /// Whether token `index` stands inside a quotation that opens earlier in the
    /// sentence: its reporting words ("“Intelligence reports have confirmed …,” the
    /// ministry said") are the quoted party's, no attribution.
    fn inside_before(&mut self, text: &str, view: &View, index: usize) -> bool {
        if index < self.read {
            *self = Quotation::default();
        }
        for token in &view.tokens[self.read..index] {
            if token.is_word {
                continue;
            }
            match &text[token.start..token.end] {
                "\u{201C}" => self.inside = true,
                "\u{201D}" => self.inside = false,
                // A straight mark opens after a space (or at the start) and closes after a word.
                "\"" => {
                    self.inside = token.start == 0 || text.as_bytes()[token.start - 1].is_ascii_whitespace()
                }
                _ => {}
            }
        }
        self.read = index;
        self.inside
    }
}
