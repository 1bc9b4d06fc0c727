//! Extraction: from a statement's text to the country mentions and accusations it
//! holds, each with character offsets into that text.
//!
//! Extraction is pure and deterministic: text in, analysis out, no IO, no clock, no
//! randomness, so the same text always yields the same analysis and every stored count
//! can be reproduced from its sentence.

pub mod accusations;
mod mentions;
pub mod sentences;

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
    /// Character offsets of the sentence the mention stands in: its evidence.
    pub sentence_start: usize,
    pub sentence_end: usize,
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

/// Analyses one statement text: its sentences, country mentions and accusations. The
/// context's speaker country is the accuser of the speaker's own words.
pub fn analyze(text: &str, context: Context) -> Analysis {
    let sentences = sentences::split(text);
    let mut mentions = MentionFinder::embedded().find(text);
    assign_sentences(&mut mentions, &sentences);
    let accusations = accusations::detect(text, &sentences, &mentions, context);
    Analysis { mentions, accusations }
}

/// Gives each mention the span of the sentence it starts in. Both lists are in text
/// order, so one forward pass suffices.
fn assign_sentences(mentions: &mut [Mention], sentences: &[sentences::Sentence]) {
    let mut current = 0;
    for mention in mentions {
        while current + 1 < sentences.len() && sentences[current].end <= mention.start {
            current += 1;
        }
        if let Some(sentence) = sentences.get(current) {
            mention.sentence_start = sentence.start;
            mention.sentence_end = sentence.end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_carry_their_sentence() {
        let text = "Armenia attacked. Later, France and Azerbaijan met.";
        let analysis = analyze(text, Context::default());
        let chars: Vec<char> = text.chars().collect();
        let sentences: Vec<(String, String)> = analysis
            .mentions
            .iter()
            .map(|m| (m.text.clone(), chars[m.sentence_start..m.sentence_end].iter().collect()))
            .collect();
        assert_eq!(
            sentences,
            [
                ("Armenia".to_string(), "Armenia attacked.".to_string()),
                ("France".to_string(), "Later, France and Azerbaijan met.".to_string()),
                ("Azerbaijan".to_string(), "Later, France and Azerbaijan met.".to_string()),
            ]
        );
    }
}
