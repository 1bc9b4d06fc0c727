//! Extraction: from a statement's text to the country mentions and accusations it
//! holds, each with character offsets into that text.
//!
//! Extraction is pure and deterministic: text in, analysis out, no IO, no clock, no
//! randomness, so the same text always yields the same analysis and every stored count
//! can be reproduced from its sentence.

mod mentions;

use serde::Serialize;

pub use mentions::MentionFinder;

pub use demarche_gazetteer::Kind as MentionKind;

/// A phrase in the text that refers to a country (or an international organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// Character (Unicode scalar) offset of the first character.
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
    pub text: String,
    /// ISO 3166-1 alpha-2 code, or the organisation's code for kind `organisation`.
    pub country: String,
    pub kind: MentionKind,
}

/// One accusation: in the sentence at `start..end`, `accuser` accuses `accused` of
/// wrongdoing of the given categories, signalled by `cue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accusation {
    /// Character offset of the sentence's first character.
    pub start: usize,
    /// Character offset one past the sentence's last character.
    pub end: usize,
    pub sentence: String,
    /// ISO code of the accusing party, `XX` when unknown.
    pub accuser: String,
    /// ISO code of the accused party.
    pub accused: String,
    pub categories: Vec<String>,
    pub cue: String,
}

/// Everything extracted from one statement text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Analysis {
    pub mentions: Vec<Mention>,
    pub accusations: Vec<Accusation>,
}

/// Context about the statement that the accusation detector needs to name the accuser
/// of first-person speech.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    pub speaker_country: Option<&'a str>,
}

/// Analyses one statement text: its country mentions. Accusations are empty until the
/// accusation detector lands.
pub fn analyze(text: &str, _context: Context) -> Analysis {
    Analysis { mentions: MentionFinder::embedded().find(text), accusations: Vec::new() }
}
