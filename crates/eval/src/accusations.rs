//! `demarche eval accusations`: the accusation detector against a gold set labelled by
//! `ACCUSATIONS.md`.
//!
//! Each document's text goes through the same pipeline as a dropped file: its metadata
//! (the speaker's country above all) is inferred by `demarche_doc::read` from a `.txt`
//! file of that text, then `demarche_extract::analyze` runs with it. Gold sentences are
//! located in the text by exact substring search.
//!
//! Scores:
//! - *detection*: precision, recall and F1 over (sentence, accused) pairs; a prediction
//!   matches a gold record when its sentence span overlaps the gold sentence and the
//!   accused is the same, each used at most once;
//! - *accuser accuracy* and *category accuracy* (any overlap) on matched pairs;
//! - *count error*: Σ |predicted − gold| / Σ gold over (document, accused) pairs, the
//!   error an accusation-frequency chart would show.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use demarche_doc::FileInput;
use demarche_extract::{analyze, Accusation, Context};
use serde::Deserialize;

use crate::{read_jsonl, CountComparison, EvalError, Score};

#[derive(Debug, Deserialize)]
struct GoldDocument {
    id: String,
    text: String,
    accusations: Vec<GoldAccusation>,
}

#[derive(Debug, Deserialize)]
struct GoldAccusation {
    sentence: String,
    accuser: String,
    accused: String,
    category: Vec<String>,
}

/// What the evaluation found, ready to print.
#[derive(Debug, Clone, Default)]
pub struct AccusationsReport {
    pub documents: usize,
    pub detection: Score,
    /// Matched pairs whose accuser agrees, of all matched pairs.
    pub accuser_correct: usize,
    /// Matched pairs whose categories overlap.
    pub category_correct: usize,
    pub count_error: f64,
    /// Gold sentences not found in their document's text (a gold-file defect).
    pub unlocated: usize,
    /// Misses by accused country, with one sentence as an example.
    missed_by_accused: BTreeMap<String, (usize, String)>,
    /// False alarms by cue (lowercased) and by accused, with one example each.
    false_alarms_by_cue: BTreeMap<String, (usize, String)>,
    false_alarms_by_accused: BTreeMap<String, (usize, String)>,
    /// Wrong accusers on matched pairs: "gold → predicted".
    accuser_errors: BTreeMap<String, (usize, String)>,
    /// (document id, accused, gold count, predicted count) where they differ.
    counts: CountComparison,
}

impl AccusationsReport {
    pub fn accuser_accuracy(&self) -> f64 {
        ratio(self.accuser_correct, self.detection.true_positives)
    }

    pub fn category_accuracy(&self) -> f64 {
        ratio(self.category_correct, self.detection.true_positives)
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// A gold record placed in its text.
struct Placed<'a> {
    start: usize,
    end: usize,
    gold: &'a GoldAccusation,
}

/// Runs the detector over every document of the gold file at `path`.
pub fn evaluate_accusations(path: &Path) -> Result<AccusationsReport, EvalError> {
    let mut report = AccusationsReport::default();
    for document in read_jsonl::<GoldDocument>(path)? {
        report.documents += 1;
        let speaker_country = speaker_country(&document);
        let predicted =
            analyze(&document.text, Context { speaker_country: speaker_country.as_deref() }).accusations;
        let mut placed = Vec::new();
        for gold in &document.accusations {
            report.counts.add_gold(&document.id, &gold.accused);
            match locate(&document.text, &gold.sentence) {
                Some((start, end)) => placed.push(Placed { start, end, gold }),
                None => {
                    report.unlocated += 1;
                    report.detection.false_negatives += 1;
                    note(&mut report.missed_by_accused, &gold.accused, &gold.sentence);
                }
            }
        }
        for accusation in &predicted {
            report.counts.add_predicted(&document.id, &accusation.accused);
        }
        score_document(&placed, &predicted, &mut report);
    }
    report.count_error = report.counts.error();
    Ok(report)
}

/// The speaker's country as the product infers it for a file holding this text.
fn speaker_country(document: &GoldDocument) -> Option<String> {
    let file_name = format!("{}.txt", document.id);
    let input = FileInput { file_name: &file_name, bytes: document.text.as_bytes(), modified: None };
    let statements = demarche_doc::read(&input).ok()?;
    statements.into_iter().next()?.meta.speaker_country.map(|country| country.value)
}

/// Character offsets of the first occurrence of `sentence` in `text`.
fn locate(text: &str, sentence: &str) -> Option<(usize, usize)> {
    let byte = text.find(sentence)?;
    let start = text[..byte].chars().count();
    Some((start, start + sentence.chars().count()))
}

fn note(groups: &mut BTreeMap<String, (usize, String)>, key: &str, example: &str) {
    let entry = groups.entry(key.to_string()).or_insert_with(|| (0, example.to_string()));
    entry.0 += 1;
}

fn score_document(gold: &[Placed], predicted: &[Accusation], report: &mut AccusationsReport) {
    let mut used = vec![false; predicted.len()];
    for placed in gold {
        let found = predicted.iter().enumerate().position(|(index, candidate)| {
            !used[index]
                && candidate.start < placed.end
                && placed.start < candidate.end
                && candidate.accused == placed.gold.accused
        });
        let Some(index) = found else {
            report.detection.false_negatives += 1;
            note(&mut report.missed_by_accused, &placed.gold.accused, &placed.gold.sentence);
            continue;
        };
        used[index] = true;
        report.detection.true_positives += 1;
        let candidate = &predicted[index];
        if candidate.accuser == placed.gold.accuser {
            report.accuser_correct += 1;
        } else {
            let key = format!("{} → {}", placed.gold.accuser, candidate.accuser);
            note(&mut report.accuser_errors, &key, &candidate.sentence);
        }
        if candidate.categories.iter().any(|category| placed.gold.category.contains(category)) {
            report.category_correct += 1;
        }
    }
    for (candidate, _) in predicted.iter().zip(&used).filter(|(_, used)| !**used) {
        report.detection.false_positives += 1;
        note(&mut report.false_alarms_by_cue, &candidate.cue.to_lowercase(), &candidate.sentence);
        note(&mut report.false_alarms_by_accused, &candidate.accused, &candidate.sentence);
    }
}

/// How many of the worst groups of each sort are printed.
const WORST: usize = 12;
/// Examples are cut to this many characters.
const EXAMPLE_CHARS: usize = 110;

fn worst(groups: &BTreeMap<String, (usize, String)>) -> String {
    let mut rows: Vec<_> = groups.iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let mut out = String::new();
    for (key, (count, example)) in rows.into_iter().take(WORST) {
        let example: String = example.chars().take(EXAMPLE_CHARS).collect();
        let _ = writeln!(out, "  {count:>3}  {key:<14} e.g. {example:?}");
    }
    out
}

impl std::fmt::Display for AccusationsReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "accusations, {} documents", self.documents)?;
        writeln!(f, "(sentence, accused)  {}", self.detection)?;
        writeln!(f, "accuser accuracy     {:.3}", self.accuser_accuracy())?;
        writeln!(f, "category accuracy    {:.3}", self.category_accuracy())?;
        writeln!(f, "count error          {:.3}", self.count_error)?;
        if self.unlocated > 0 {
            writeln!(f, "gold sentences not found in their text: {}", self.unlocated)?;
        }
        writeln!(f, "missed (gold not found) by accused, worst {WORST}:")?;
        write!(f, "{}", worst(&self.missed_by_accused))?;
        writeln!(f, "false alarms by cue, worst {WORST}:")?;
        write!(f, "{}", worst(&self.false_alarms_by_cue))?;
        writeln!(f, "false alarms by accused, worst {WORST}:")?;
        write!(f, "{}", worst(&self.false_alarms_by_accused))?;
        writeln!(f, "wrong accusers (gold → predicted), worst {WORST}:")?;
        write!(f, "{}", worst(&self.accuser_errors))?;
        self.counts.write_worst(f, "accused", WORST)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accusation(start: usize, end: usize, accused: &str, accuser: &str) -> Accusation {
        Accusation {
            start,
            end,
            sentence: String::new(),
            accuser: accuser.to_string(),
            accused: accused.to_string(),
            categories: vec!["aggression".to_string()],
            cue: "attacked".to_string(),
        }
    }

    fn gold(accused: &str, accuser: &str) -> GoldAccusation {
        GoldAccusation {
            sentence: String::new(),
            accuser: accuser.to_string(),
            accused: accused.to_string(),
            category: vec!["aggression".to_string()],
        }
    }

    #[test]
    fn pairs_match_on_overlap_and_accused_once_each() {
        let (first, second) = (gold("AM", "AZ"), gold("AM", "AZ"));
        let placed =
            [Placed { start: 0, end: 10, gold: &first }, Placed { start: 11, end: 20, gold: &second }];
        let predicted =
            [accusation(0, 10, "AM", "XX"), accusation(0, 10, "AM", "AZ"), accusation(11, 20, "FR", "AZ")];
        let mut report = AccusationsReport::default();
        score_document(&placed, &predicted, &mut report);
        assert_eq!(report.detection, Score { true_positives: 1, false_positives: 2, false_negatives: 1 });
        assert_eq!(report.accuser_correct, 0);
        assert_eq!(report.category_correct, 1);
    }

    #[test]
    fn sentences_are_located_by_characters() {
        assert_eq!(locate("Élan. Armenia attacked.", "Armenia attacked."), Some((6, 23)));
        assert_eq!(locate("text", "missing"), None);
    }
}
