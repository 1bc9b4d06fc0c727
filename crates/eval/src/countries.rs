//! `demarche eval countries`: the mention finder against a gold set of country mentions.
//!
//! Two gold formats are understood, told apart by their fields:
//! - news toponyms (`fcode` per mention, GeoNames feature codes): *mention F1* over
//!   country-level toponyms (`PCL*`, `TERR`) against predicted names, aliases and
//!   demonyms, and *document F1* over the set of countries per document (every gold
//!   toponym with a country; every prediction except organisations);
//! - statements (`kind` per mention, labelled by `COUNTRY_MENTIONS.md`): *strict F1*
//!   (names, aliases, demonyms), *broad F1* (with capitals and organs), and the *count
//!   error*: Σ |predicted − gold| / Σ gold over every (document, country) pair, counting
//!   broad mentions — the error a mentions chart would show.
//!
//! A predicted mention matches a gold one when their character spans overlap and their
//! countries agree; each gold mention is matched at most once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use demarche_extract::{analyze, Context, Mention, MentionKind};
use serde::Deserialize;

use crate::{read_jsonl, CountComparison, EvalError, Score};

#[derive(Debug, Deserialize)]
struct GoldDocument {
    #[serde(deserialize_with = "id_as_string")]
    id: String,
    text: String,
    mentions: Vec<GoldMention>,
}

#[derive(Debug, Clone, Deserialize)]
struct GoldMention {
    start: usize,
    end: usize,
    text: String,
    country: Option<String>,
    fcode: Option<String>,
    kind: Option<String>,
}

fn id_as_string<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(match value {
        serde_json::Value::String(id) => id,
        other => other.to_string(),
    })
}

/// A span with its country, from either side.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    document: usize,
    start: usize,
    end: usize,
    text: String,
    country: String,
}

/// What the evaluation found, ready to print.
#[derive(Debug, Clone)]
pub enum CountriesReport {
    News { documents: usize, mention: Score, document: Score, errors: Errors },
    Statements { documents: usize, strict: Score, broad: Score, count_error: f64, errors: Errors },
}

/// The most frequent misses and false alarms, by phrase and country.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    missed: BTreeMap<(String, String), usize>,
    false_alarms: BTreeMap<(String, String), usize>,
    counts: CountComparison,
}

/// Runs the mention finder over every document of the gold file at `path`.
pub fn evaluate_countries(path: &Path) -> Result<CountriesReport, EvalError> {
    let documents: Vec<GoldDocument> = read_jsonl(path)?;
    let predictions: Vec<Vec<Mention>> =
        documents.iter().map(|document| analyze(&document.text, Context::default()).mentions).collect();
    let is_news = documents.iter().flat_map(|d| &d.mentions).any(|mention| mention.fcode.is_some());
    Ok(if is_news { news(&documents, &predictions) } else { statements(&documents, &predictions) })
}

fn gold_spans(documents: &[GoldDocument], keep: impl Fn(&GoldMention) -> bool) -> Vec<Span> {
    let mut spans = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        for mention in document.mentions.iter().filter(|mention| keep(mention)) {
            spans.push(Span {
                document: index,
                start: mention.start,
                end: mention.end,
                text: mention.text.clone(),
                country: mention.country.clone().unwrap_or_default(),
            });
        }
    }
    spans
}

fn predicted_spans(predictions: &[Vec<Mention>], kinds: &[MentionKind]) -> Vec<Span> {
    let mut spans = Vec::new();
    for (index, mentions) in predictions.iter().enumerate() {
        for mention in mentions.iter().filter(|mention| kinds.contains(&mention.kind)) {
            spans.push(Span {
                document: index,
                start: mention.start,
                end: mention.end,
                text: mention.text.clone(),
                country: mention.country.clone(),
            });
        }
    }
    spans
}

/// One-to-one matching of overlapping spans with equal countries; records the misses
/// and false alarms into `errors`.
fn match_spans(gold: &[Span], predicted: &[Span], errors: &mut Errors) -> Score {
    let mut used = vec![false; predicted.len()];
    let mut score = Score::default();
    for span in gold {
        let found = predicted.iter().enumerate().position(|(index, candidate)| {
            !used[index]
                && candidate.document == span.document
                && candidate.start < span.end
                && span.start < candidate.end
                && candidate.country == span.country
        });
        match found {
            Some(index) => {
                used[index] = true;
                score.true_positives += 1;
            }
            None => {
                score.false_negatives += 1;
                *errors.missed.entry((span.text.clone(), span.country.clone())).or_default() += 1;
            }
        }
    }
    for (span, _) in predicted.iter().zip(&used).filter(|(_, used)| !**used) {
        score.false_positives += 1;
        *errors.false_alarms.entry((span.text.clone(), span.country.clone())).or_default() += 1;
    }
    score
}

const STRICT: &[MentionKind] = &[MentionKind::Name, MentionKind::Alias, MentionKind::Demonym];
const BROAD: &[MentionKind] =
    &[MentionKind::Name, MentionKind::Alias, MentionKind::Demonym, MentionKind::Capital, MentionKind::Organ];

fn news(documents: &[GoldDocument], predictions: &[Vec<Mention>]) -> CountriesReport {
    let mut errors = Errors::default();
    let country_level = |mention: &GoldMention| {
        mention.country.is_some()
            && mention
                .fcode
                .as_deref()
                .is_some_and(|code| code.starts_with("PCL") || code.starts_with("TERR"))
    };
    let mention = match_spans(
        &gold_spans(documents, country_level),
        &predicted_spans(predictions, STRICT),
        &mut errors,
    );
    let mut document = Score::default();
    for (gold, predicted) in documents.iter().zip(predictions) {
        let gold: BTreeSet<&str> =
            gold.mentions.iter().filter_map(|mention| mention.country.as_deref()).collect();
        let predicted: BTreeSet<&str> = predicted
            .iter()
            .filter(|mention| mention.kind != MentionKind::Organisation)
            .map(|mention| mention.country.as_str())
            .collect();
        document.add(Score {
            true_positives: gold.intersection(&predicted).count(),
            false_positives: predicted.difference(&gold).count(),
            false_negatives: gold.difference(&predicted).count(),
        });
    }
    CountriesReport::News { documents: documents.len(), mention, document, errors }
}

fn statements(documents: &[GoldDocument], predictions: &[Vec<Mention>]) -> CountriesReport {
    let kind_in = |kinds: &'static [MentionKind]| {
        move |mention: &GoldMention| kinds.iter().any(|kind| Some(kind.as_str()) == mention.kind.as_deref())
    };
    let mut errors = Errors::default();
    let strict = match_spans(
        &gold_spans(documents, kind_in(STRICT)),
        &predicted_spans(predictions, STRICT),
        &mut Errors::default(),
    );
    let broad_gold = gold_spans(documents, kind_in(BROAD));
    let broad_predicted = predicted_spans(predictions, BROAD);
    let broad = match_spans(&broad_gold, &broad_predicted, &mut errors);

    for span in &broad_gold {
        errors.counts.add_gold(&documents[span.document].id, &span.country);
    }
    for span in &broad_predicted {
        errors.counts.add_predicted(&documents[span.document].id, &span.country);
    }
    let count_error = errors.counts.error();
    CountriesReport::Statements { documents: documents.len(), strict, broad, count_error, errors }
}

/// How many of the worst errors of each sort are printed.
const WORST: usize = 15;

impl std::fmt::Display for CountriesReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let errors = match self {
            CountriesReport::News { documents, mention, document, errors } => {
                writeln!(f, "news toponyms, {documents} documents")?;
                writeln!(f, "mention F1   {mention}")?;
                writeln!(f, "document F1  {document}")?;
                errors
            }
            CountriesReport::Statements { documents, strict, broad, count_error, errors } => {
                writeln!(f, "statements, {documents} documents")?;
                writeln!(f, "strict F1    {strict}")?;
                writeln!(f, "broad F1     {broad}")?;
                writeln!(f, "count error  {count_error:.3}")?;
                errors
            }
        };
        let worst = |counts: &BTreeMap<(String, String), usize>| {
            let mut rows: Vec<_> = counts.iter().collect();
            rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let mut out = String::new();
            for ((text, country), count) in rows.into_iter().take(WORST) {
                let _ = writeln!(out, "  {count:>3}  {text:?} {country}");
            }
            out
        };
        writeln!(f, "missed (gold not found), worst {WORST}:")?;
        write!(f, "{}", worst(&errors.missed))?;
        writeln!(f, "false alarms (found, not gold), worst {WORST}:")?;
        write!(f, "{}", worst(&errors.false_alarms))?;
        errors.counts.write_worst(f, "country", WORST)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(document: usize, start: usize, end: usize, country: &str) -> Span {
        Span { document, start, end, text: format!("{start}-{end}"), country: country.to_string() }
    }

    #[test]
    fn spans_match_when_they_overlap_with_the_same_country_and_only_once() {
        let gold = [span(0, 0, 7, "AM"), span(0, 10, 17, "AZ"), span(1, 0, 5, "FR")];
        let predicted =
            [span(0, 0, 7, "AM"), span(0, 12, 20, "AZ"), span(0, 13, 15, "AZ"), span(1, 0, 5, "US")];
        let mut errors = Errors::default();
        let score = match_spans(&gold, &predicted, &mut errors);
        assert_eq!(score, Score { true_positives: 2, false_positives: 2, false_negatives: 1 });
        assert_eq!(errors.missed.get(&("0-5".to_string(), "FR".to_string())), Some(&1));
    }
}
