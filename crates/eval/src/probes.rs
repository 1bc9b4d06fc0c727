//! Probe sets: single sentences written by the project, each with the speaker's
//! country (if the sentence is the speaker's own words) and the (accuser, accused) pairs
//! the guideline asks for. They are small and ours, so they live in the repository
//! (`data/probes/`); a new set is written before the detector is run on it, which makes
//! its first score a measure on unseen text.
//!
//! File format: one sentence per line, three tab-separated columns: the speaker's country
//! or `-`; the expected pairs as `ACCUSER>ACCUSED`, comma-separated, or `-` for none; the
//! sentence. Lines that are empty or start with `#` are comments.
//!
//! Scored as the gold sets are: a predicted record matches an expected pair of the same
//! sentence with the same accused; accuser accuracy is over the matches.

use std::fmt;
use std::path::Path;

use demarche_extract::{analyze, Context};

use crate::{EvalError, Score};

/// One probe sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Probe {
    speaker: Option<String>,
    expected: Vec<(String, String)>,
    sentence: String,
}

/// A sentence the detector got wrong, for the report.
#[derive(Debug, Clone)]
pub struct ProbeError {
    pub expected: String,
    pub predicted: String,
    pub sentence: String,
}

#[derive(Debug, Clone, Default)]
pub struct ProbesReport {
    pub sentences: usize,
    pub detection: Score,
    pub accuser_correct: usize,
    pub errors: Vec<ProbeError>,
}

impl ProbesReport {
    pub fn accuser_accuracy(&self) -> f64 {
        crate::ratio(self.accuser_correct, self.detection.true_positives)
    }
}

impl fmt::Display for ProbesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "probes, {} sentences", self.sentences)?;
        writeln!(f, "(sentence, accused)  {}", self.detection)?;
        writeln!(f, "accuser accuracy     {:.3}", self.accuser_accuracy())?;
        if !self.errors.is_empty() {
            writeln!(f, "sentences with a miss, a false alarm or a wrong accuser:")?;
        }
        for error in &self.errors {
            writeln!(
                f,
                "    expected {:<14} found {:<20} {}",
                error.expected, error.predicted, error.sentence
            )?;
        }
        Ok(())
    }
}

/// Runs the detector over every probe of the file at `path`.
pub fn evaluate_probes(path: &Path) -> Result<ProbesReport, EvalError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| EvalError::Read { path: path.display().to_string(), source })?;
    let mut report = ProbesReport::default();
    for (index, line) in text.lines().enumerate() {
        let Some(probe) = parse_line(line).map_err(|reason| EvalError::Record {
            path: path.display().to_string(),
            line: index + 1,
            reason,
        })?
        else {
            continue;
        };
        report.sentences += 1;
        let predicted: Vec<(String, String)> =
            analyze(&probe.sentence, Context { speaker_country: probe.speaker.as_deref() })
                .accusations
                .into_iter()
                .map(|accusation| (accusation.accuser, accusation.accused))
                .collect();
        score_probe(&probe, &predicted, &mut report);
    }
    Ok(report)
}

/// Scores one sentence's predictions against its expected pairs.
fn score_probe(probe: &Probe, predicted: &[(String, String)], report: &mut ProbesReport) {
    let mut matched = vec![false; predicted.len()];
    let mut wrong = false;
    for (accuser, accused) in &probe.expected {
        let found = (0..predicted.len()).find(|index| !matched[*index] && predicted[*index].1 == *accused);
        match found {
            Some(index) => {
                matched[index] = true;
                report.detection.true_positives += 1;
                if predicted[index].0 == *accuser {
                    report.accuser_correct += 1;
                } else {
                    wrong = true;
                }
            }
            None => {
                report.detection.false_negatives += 1;
                wrong = true;
            }
        }
    }
    let false_alarms = matched.iter().filter(|matched| !**matched).count();
    report.detection.false_positives += false_alarms;
    if wrong || false_alarms > 0 {
        report.errors.push(ProbeError {
            expected: pairs_text(&probe.expected),
            predicted: pairs_text(predicted),
            sentence: probe.sentence.clone(),
        });
    }
}

fn pairs_text(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "-".to_string();
    }
    pairs.iter().map(|(accuser, accused)| format!("{accuser}>{accused}")).collect::<Vec<_>>().join(",")
}

/// Parses one line of a probe file: `None` for a comment or an empty line.
fn parse_line(line: &str) -> Result<Option<Probe>, String> {
    if line.trim().is_empty() || line.starts_with('#') {
        return Ok(None);
    }
    let [speaker, expected, sentence] = line.splitn(3, '\t').collect::<Vec<_>>()[..] else {
        return Err("expected three tab-separated columns: speaker, pairs, sentence".to_string());
    };
    let speaker = (speaker != "-").then(|| speaker.to_string());
    let expected = if expected == "-" {
        Vec::new()
    } else {
        expected
            .split(',')
            .map(|pair| match pair.split_once('>') {
                Some((accuser, accused)) if !accuser.is_empty() && !accused.is_empty() => {
                    Ok((accuser.to_string(), accused.to_string()))
                }
                _ => Err(format!("{pair:?} is not ACCUSER>ACCUSED")),
            })
            .collect::<Result<_, _>>()?
    };
    Ok(Some(Probe { speaker, expected, sentence: sentence.to_string() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        parse_line(&format!("-\t{text}\tx")).unwrap().unwrap().expected
    }

    #[test]
    fn lines_parse_into_speaker_pairs_and_sentence() {
        let probe = parse_line("PE\tPE>BO,XX>CL\tBolivia lied.").unwrap().unwrap();
        assert_eq!(probe.speaker.as_deref(), Some("PE"));
        assert_eq!(probe.expected, pairs("PE>BO,XX>CL"));
        assert_eq!(probe.sentence, "Bolivia lied.");
        assert_eq!(parse_line("# a comment"), Ok(None));
        assert_eq!(parse_line(""), Ok(None));
        assert!(parse_line("PE\tBO\tBolivia lied.").is_err());
        assert!(parse_line("PE\tBolivia lied.").is_err());
    }

    #[test]
    fn a_match_needs_the_accused_and_the_accuser_is_scored_apart() {
        let probe = parse_line("-\tPE>BO,PE>CL\tx").unwrap().unwrap();
        let mut report = ProbesReport::default();
        let predicted = vec![("XX".to_string(), "BO".to_string()), ("PE".to_string(), "AR".to_string())];
        score_probe(&probe, &predicted, &mut report);
        assert_eq!(report.detection, Score { true_positives: 1, false_positives: 1, false_negatives: 1 });
        assert_eq!(report.accuser_correct, 0);
        assert_eq!(report.errors.len(), 1);
    }

    #[test]
    fn the_shipped_probe_files_parse() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/probes");
        let mut files = 0;
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            let report = evaluate_probes(&path).unwrap();
            assert!(report.sentences >= 30, "{} holds {} sentences", path.display(), report.sentences);
            files += 1;
        }
        assert!(files >= 3);
    }
}
