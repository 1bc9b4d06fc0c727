//! Corrections: a user's fix of a statement's date, speaker or speaker country. Applied
//! to the stored statement at once (re-analysed, since the speaker's country names the
//! accuser of the speaker's own words) and re-applied whenever the same content, or a
//! new version of it at the same path, is ingested again.

use chrono::NaiveDate;
use demarche_doc::{MetaSource, ReadStatement, Sourced};
use demarche_extract::{analyze, Analysis, Context};
use demarche_gazetteer::Gazetteer;
use demarche_store::{Batch, CorrectedField, Correction, Store, StoreError};

/// Why a correction was refused.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("there is no statement #{0}")]
    NoSuchStatement(i64),
    #[error("{value:?} is not a date; write it as YYYY-MM-DD")]
    InvalidDate { value: String },
    #[error("{value:?} is not a country code Démarche knows (use ISO codes such as FR or AM)")]
    UnknownCountry { value: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Sets the given fields of statement `id` (`None` clears a field), re-analyses it and
/// stores the result with its corrections in one transaction.
pub fn correct_statement(
    store: &mut Store,
    id: i64,
    changes: &[(CorrectedField, Option<String>)],
) -> Result<(), CorrectionError> {
    let statement = store.correctable(id)?.ok_or(CorrectionError::NoSuchStatement(id))?;
    let earlier = store.corrections(&statement.sha256)?;
    let mut corrections = Vec::new();
    let mut speaker_country = statement.speaker_country.clone();
    for (field, value) in changes {
        let value = normalise(*field, value.as_deref())?;
        // The original is what the file said: kept from the first correction of a field.
        let (original, original_source) = match earlier.iter().find(|c| c.field == *field) {
            Some(first) => (first.original.clone(), first.original_source.clone()),
            None => {
                let (value, source) = statement.field(*field);
                (value.map(str::to_string), source.map(str::to_string))
            }
        };
        if *field == CorrectedField::SpeakerCountry {
            speaker_country = value.clone();
        }
        corrections.push(Correction {
            field: *field,
            value,
            original,
            original_source,
            corrected_at: String::new(),
        });
    }
    let analysis = analyze(&statement.text, Context { speaker_country: speaker_country.as_deref() });
    store.apply_corrections(id, &corrections, &analysis)?;
    Ok(())
}

/// Checks and tidies a corrected value: dates as `YYYY-MM-DD`, countries as known
/// upper-case codes, blank text as "no value".
fn normalise(field: CorrectedField, value: Option<&str>) -> Result<Option<String>, CorrectionError> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else { return Ok(None) };
    match field {
        CorrectedField::Date => value
            .parse::<NaiveDate>()
            .map(|date| Some(date.to_string()))
            .map_err(|_| CorrectionError::InvalidDate { value: value.to_string() }),
        CorrectedField::SpeakerCountry => {
            let code = value.to_ascii_uppercase();
            match Gazetteer::embedded().country(&code) {
                Some(_) => Ok(Some(code)),
                None => Err(CorrectionError::UnknownCountry { value: value.to_string() }),
            }
        }
        CorrectedField::Speaker => Ok(Some(value.to_string())),
    }
}

/// The corrections a statement about to be stored inherits: those of its own content
/// (it was stored before and corrected), else those of the version it replaces at the
/// same path and item.
pub(crate) fn inherited(
    batch: &Batch,
    sha256: &str,
    path: &str,
    item: usize,
) -> Result<Vec<Correction>, StoreError> {
    let own = batch.corrections(sha256)?;
    if !own.is_empty() {
        return Ok(own);
    }
    match batch.current_correctable_at(path, item)? {
        Some(previous) if previous.sha256 != sha256 => batch.corrections(&previous.sha256),
        _ => Ok(Vec::new()),
    }
}

/// Applies inherited corrections to a freshly read statement: returns the corrected
/// statement, its analysis (redone if the speaker's country changed) and the
/// corrections re-based on what this file says, to be stored under its content hash.
pub(crate) fn reapply(
    read: &ReadStatement,
    analysis: &Analysis,
    corrections: &[Correction],
) -> (ReadStatement, Analysis, Vec<Correction>) {
    let mut corrected = read.clone();
    let mut rebased = Vec::new();
    for correction in corrections {
        let meta = &mut corrected.meta;
        let (original, original_source) = match correction.field {
            CorrectedField::Date => {
                let original = meta.date.as_ref().map(|d| (d.value.to_string(), d.source.as_str()));
                meta.date = correction
                    .value
                    .as_deref()
                    .and_then(|value| value.parse().ok())
                    .map(|date| Sourced::new(date, MetaSource::Correction));
                split(original)
            }
            CorrectedField::Speaker => {
                let original = meta.speaker.as_ref().map(|s| (s.value.clone(), s.source.as_str()));
                meta.speaker =
                    correction.value.clone().map(|value| Sourced::new(value, MetaSource::Correction));
                split(original)
            }
            CorrectedField::SpeakerCountry => {
                let original = meta.speaker_country.as_ref().map(|s| (s.value.clone(), s.source.as_str()));
                meta.speaker_country =
                    correction.value.clone().map(|value| Sourced::new(value, MetaSource::Correction));
                split(original)
            }
        };
        rebased.push(Correction { original, original_source, ..correction.clone() });
    }
    let country_changed = read.meta.speaker_country.as_ref().map(|c| &c.value)
        != corrected.meta.speaker_country.as_ref().map(|c| &c.value);
    let analysis = if country_changed {
        let speaker_country = corrected.meta.speaker_country.as_ref().map(|c| c.value.as_str());
        analyze(&corrected.text, Context { speaker_country })
    } else {
        analysis.clone()
    };
    (corrected, analysis, rebased)
}

fn split(original: Option<(String, &'static str)>) -> (Option<String>, Option<String>) {
    match original {
        Some((value, source)) => (Some(value), Some(source.to_string())),
        None => (None, None),
    }
}
