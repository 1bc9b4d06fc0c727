//! Accuracy measured against gold sets: precision, recall and F1 of the extractors on
//! annotated documents, with the worst errors listed so they can be fixed as classes.
//!
//! The gold files are read where they are (`../shared/eval/`); nothing here embeds them.
//! The project's own probe sentences (`data/probes/`) are scored the same way.

mod accusations;
mod countries;
mod probes;

pub use accusations::{evaluate_accusations, AccusationsReport};
pub use countries::{evaluate_countries, CountriesReport};
pub use probes::{evaluate_probes, ProbesReport};

/// Counts of true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: Score) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

impl std::fmt::Display for Score {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_positives,
            self.false_positives,
            self.false_negatives
        )
    }
}

/// An empty denominator scores 1: nothing to find and nothing found is perfect.
fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// Gold against predicted counts per (document, country): the error a chart built from
/// the predictions would show.
#[derive(Debug, Clone, Default)]
pub struct CountComparison {
    counts: std::collections::BTreeMap<(String, String), (usize, usize)>,
}

impl CountComparison {
    pub fn add_gold(&mut self, document: &str, country: &str) {
        self.counts.entry((document.to_string(), country.to_string())).or_default().0 += 1;
    }

    pub fn add_predicted(&mut self, document: &str, country: &str) {
        self.counts.entry((document.to_string(), country.to_string())).or_default().1 += 1;
    }

    /// Σ |predicted − gold| / Σ gold; 0 when there is no gold.
    pub fn error(&self) -> f64 {
        let gold: usize = self.counts.values().map(|(gold, _)| gold).sum();
        let difference: usize = self.counts.values().map(|(gold, predicted)| gold.abs_diff(*predicted)).sum();
        if gold == 0 {
            0.0
        } else {
            difference as f64 / gold as f64
        }
    }

    /// Writes the `limit` largest differences, largest first, under a heading naming
    /// what is counted.
    pub fn write_worst(&self, f: &mut std::fmt::Formatter<'_>, what: &str, limit: usize) -> std::fmt::Result {
        let mut differences: Vec<_> =
            self.counts.iter().filter(|(_, (gold, predicted))| gold != predicted).collect();
        if differences.is_empty() {
            return Ok(());
        }
        differences
            .sort_by_key(|(key, (gold, predicted))| (std::cmp::Reverse(gold.abs_diff(*predicted)), *key));
        writeln!(f, "count differences (document, {what}: gold → predicted), worst {limit}:")?;
        for ((document, country), (gold, predicted)) in differences.into_iter().take(limit) {
            writeln!(f, "  {document} {country}: {gold} → {predicted}")?;
        }
        Ok(())
    }
}

/// Reads a JSON Lines gold file: one record per non-blank line, errors naming the line.
fn read_jsonl<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<Vec<T>, EvalError> {
    let label = path.display().to_string();
    let content =
        std::fs::read_to_string(path).map_err(|source| EvalError::Read { path: label.clone(), source })?;
    content
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|error| EvalError::Record {
                path: label.clone(),
                line: index + 1,
                reason: error.to_string(),
            })
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} line {line}: {reason}")]
    Record { path: String, line: usize, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_error_sums_absolute_differences_over_gold() {
        let mut counts = CountComparison::default();
        for (document, country) in [("a", "AM"), ("a", "AM"), ("a", "AZ"), ("b", "FR")] {
            counts.add_gold(document, country);
        }
        for (document, country) in [("a", "AM"), ("a", "AZ"), ("a", "US"), ("b", "FR")] {
            counts.add_predicted(document, country);
        }
        assert_eq!(counts.error(), 0.5);
        assert_eq!(CountComparison::default().error(), 0.0);
    }

    #[test]
    fn f1_from_counts() {
        let score = Score { true_positives: 8, false_positives: 2, false_negatives: 8 };
        assert_eq!(score.precision(), 0.8);
        assert_eq!(score.recall(), 0.5);
        assert!((score.f1() - 0.615_384).abs() < 1e-5);
        assert_eq!(Score::default().f1(), 1.0);
    }
}
