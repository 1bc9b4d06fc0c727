//! The accusation detector: per sentence, cues of wrongdoing (`data/lexicons/cues.tsv`),
//! the party in the accused role, the party making the accusation, and categories; per
//! document, the references that tie a sentence to parties named before it.
//!
//! Every rule is deterministic and explainable from the sentence: a record names the cue
//! that triggered it, and the accused is found by position (subject of an active cue,
//! agent after "by", possessor or adjective before a noun, object of "accuse"), never by
//! statistics. The lexicons are scanned in one Aho-Corasick pass over the whole text and
//! each sentence is tokenised at most once, so detection is linear in the text.

mod lexicon;
mod roles;
mod view;
mod voice;

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;

use crate::sentences::Sentence;
use crate::{Accusation, Context, Mention};

use lexicon::{category_names, Hit, Lexicon, Tag};
use view::{People, PlacedMention, Token, View};

/// The kinds of tag that make a sentence worth a view: cues, and the words that name
/// who speaks or who is who (reporting verbs, titles, parties, denials, claims,
/// institutions). The values of cues and institutions do not matter here.
const VIEW_KINDS: u64 = Tag::Cue(lexicon::Role::Agent, 0).kind()
    | Tag::Reporting.kind()
    | Tag::According.kind()
    | Tag::Title.kind()
    | Tag::Party.kind()
    | Tag::Speaker.kind()
    | Tag::Denial.kind()
    | Tag::Claim.kind()
    | Tag::Institution([0, 0]).kind();

/// The compiled lexicons, once per process. `None` only if the shipped lexicon files are
/// malformed, which the lexicon tests rule out; detection then finds nothing rather
/// than failing the statement.
fn lexicon() -> Option<&'static Lexicon> {
    static LEXICON: OnceLock<Option<Lexicon>> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::embedded().ok()).as_ref()
}

/// Finds the accusations in `text`, given its sentences and country mentions (both in
/// text order, with character offsets, as `sentences::split` and `MentionFinder::find`
/// give them). `analyze` is the usual entry point; this one lets a caller that already
/// has the mentions (or a benchmark) run the detector alone.
pub fn detect(text: &str, sentences: &[Sentence], mentions: &[Mention], context: Context) -> Vec<Accusation> {
    let Some(lexicon) = lexicon() else { return Vec::new() };
    let mut buffers = BUFFERS.take();
    let accusations = detect_with(text, sentences, mentions, context, lexicon, &mut buffers);
    if buffers.tokens.capacity() <= KEPT_TOKENS {
        BUFFERS.set(buffers);
    }
    accusations
}

/// A statement's tokens and lexicon hits, the hits its sentences keep and its token →
/// hit array, kept on each thread from one statement to the next: these buffers run to
/// kilobytes, and glibc's malloc serves such sizes from its large bins, consolidating
/// every small chunk freed since, once per buffer and statement.
#[derive(Default)]
struct Buffers {
    tokens: Vec<Token>,
    hits: Vec<Hit<'static>>,
    kept_hits: Vec<(usize, usize, Hit<'static>)>,
    hit_of: Vec<u32>,
}

thread_local! {
    static BUFFERS: Cell<Buffers> = Cell::default();
}

/// The most tokens whose buffers a thread keeps (about 1.5 MB of tokens): the buffers of
/// a larger statement are freed, so one outsized statement does not hold its memory.
const KEPT_TOKENS: usize = 1 << 16;

fn detect_with(
    text: &str,
    sentences: &[Sentence],
    mentions: &[Mention],
    context: Context,
    lexicon: &'static Lexicon,
    buffers: &mut Buffers,
) -> Vec<Accusation> {
    let Buffers { tokens, hits, kept_hits, hit_of } = buffers;
    lexicon.tokenize_and_find(text, tokens, hits);
    let (tokens, hits) = (&tokens[..], &hits[..]);
    let placed = place_mentions(text, mentions);

    // Pass one, in text order: the hits of each sentence where a lexicon word that
    // matters stands, and the token → hit array they share.
    hit_of.clear();
    hit_of.resize(tokens.len(), view::NO_HIT);
    kept_hits.clear();
    // Each sentence's plan, if it holds hits that matter, and its mentions, which tell
    // the document's people which country it named last.
    let mut plans: Vec<(Option<Plan>, &[PlacedMention])> = Vec::with_capacity(sentences.len());
    let (mut hit_cursor, mut mention_cursor, mut token_cursor) = (0, 0, 0);
    for sentence in sentences {
        let (_, sentence_hits) = take_within(hits, &mut hit_cursor, sentence, |hit| (hit.start, hit.end));
        let (_, sentence_mentions) =
            take_within(&placed, &mut mention_cursor, sentence, |m| (m.start, m.end));
        let (first_token, sentence_tokens) =
            take_within(tokens, &mut token_cursor, sentence, |token| (token.start, token.end));
        let matters = sentence_hits.iter().any(|hit| hit.has_any(VIEW_KINDS));
        let plan = matters.then(|| {
            let from = kept_hits.len();
            view::sentence_hits(sentence_hits, sentence_mentions, first_token, kept_hits);
            let tokens = first_token..first_token + sentence_tokens.len();
            view::mark_hits(&mut hit_of[tokens.clone()], &kept_hits[from..]);
            Plan { tokens, hits: from..kept_hits.len(), mentions: sentence_mentions }
        });
        plans.push((plan, sentence_mentions));
    }

    // Still in text order: each sentence's view, and the people and organs the document
    // ties to countries.
    let mut people = People::new(lexicon, context.speaker_country);
    let mut covered = Vec::new();
    let views: Vec<Option<View>> = plans
        .into_iter()
        .map(|(plan, mentions)| {
            let Some(plan) = plan else {
                people.note_mentions(mentions);
                return None;
            };
            let (tokens, hit_of) = (&tokens[plan.tokens.clone()], &hit_of[plan.tokens]);
            let hits = &kept_hits[plan.hits];
            Some(View::build(text, tokens, hits, hit_of, plan.mentions, &mut people, &mut covered))
        })
        .collect();

    // Pass two: who speaks in each sentence.
    let voices = voice::voices(text, sentences, &views, context.speaker_country);

    // Pass three, in text order: the accusations, with the discourse memory that lets a
    // sentence point back to the party accused or named just before.
    let mut memory = roles::Memory::default();
    let mut accusations = Vec::new();
    for (index, (sentence, view)) in sentences.iter().zip(&views).enumerate() {
        let Some(view) = view else { continue };
        let sentence_text = &text[sentence.byte_start..sentence.byte_end];
        let found = roles::accusations_in(text, sentence_text, view, voices[index], &mut memory, index);
        for record in found {
            accusations.push(Accusation {
                start: sentence.start,
                end: sentence.end,
                sentence: sentence_text.to_string(),
                accuser: record.accuser.to_string(),
                accused: record.accused.to_string(),
                categories: category_names(record.categories),
                cue: record.cue.to_string(),
            });
        }
    }
    accusations
}

/// What a sentence's view is built from: its tokens (indices into the statement's), its
/// hits (indices into the statement's kept hits) and its mentions.
struct Plan<'m> {
    tokens: Range<usize>,
    hits: Range<usize>,
    mentions: &'m [PlacedMention<'m>],
}

/// The mentions with byte offsets: one forward walk converts the character offsets, as
/// mentions are in text order.
fn place_mentions<'a>(text: &str, mentions: &'a [Mention]) -> Vec<PlacedMention<'a>> {
    if text.is_ascii() {
        // Characters are bytes.
        let place = |mention: &'a Mention| PlacedMention {
            start: mention.start,
            end: mention.end,
            country: &mention.country,
            kind: mention.kind,
        };
        return mentions.iter().map(place).collect();
    }
    // Counting the bytes that start a character (all but continuation bytes) finds the
    // same offsets as walking `char_indices`, without decoding; eight ASCII bytes, eight
    // characters, are passed at once.
    let bytes = text.as_bytes();
    let (mut byte, mut char_offset_at) = (0, 0);
    let mut byte_of = |char_offset: usize| {
        while char_offset_at + 8 <= char_offset {
            let Some(eight) = bytes.get(byte..byte + 8) else { break };
            if !eight.is_ascii() {
                break;
            }
            byte += 8;
            char_offset_at += 8;
        }
        while char_offset_at < char_offset && byte < bytes.len() {
            byte += 1;
            while bytes.get(byte).is_some_and(|next| next & 0xC0 == 0x80) {
                byte += 1;
            }
            char_offset_at += 1;
        }
        byte
    };
    mentions
        .iter()
        .map(|mention| {
            let start = byte_of(mention.start);
            let end = byte_of(mention.end);
            PlacedMention { start, end, country: &mention.country, kind: mention.kind }
        })
        .collect()
}

/// The items of `items` (in text order) inside `sentence` and the index of the first,
/// advancing `cursor` past them.
fn take_within<'s, T>(
    items: &'s [T],
    cursor: &mut usize,
    sentence: &Sentence,
    span: impl Fn(&T) -> (usize, usize),
) -> (usize, &'s [T]) {
    while *cursor < items.len() && span(&items[*cursor]).0 < sentence.byte_start {
        *cursor += 1;
    }
    let first = *cursor;
    while *cursor < items.len() && span(&items[*cursor]).1 <= sentence.byte_end {
        *cursor += 1;
    }
    (first, &items[first..*cursor])
}
