//! Corrections of a statement's date, speaker or speaker country, and the rewrite of a
//! stored statement's analysis that a correction calls for.
//!
//! A correction is keyed by the statement's content hash and remembers the value read
//! from the file, so it survives moves and re-ingest and can be undone. Re-analysing
//! the text is the ingest crate's job (the store never parses statements); the store
//! swaps the analysis and keeps the count tables in step in one transaction.

use demarche_extract::Analysis;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::{adjust_counts, insert_analysis, now, Batch, PendingCounts, Result, Store};

/// A statement field a user may correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectedField {
    Date,
    Speaker,
    SpeakerCountry,
}

impl CorrectedField {
    pub const ALL: [CorrectedField; 3] =
        [CorrectedField::Date, CorrectedField::Speaker, CorrectedField::SpeakerCountry];

    pub fn as_str(self) -> &'static str {
        match self {
            CorrectedField::Date => "date",
            CorrectedField::Speaker => "speaker",
            CorrectedField::SpeakerCountry => "speaker_country",
        }
    }

    fn parse(text: &str) -> Option<CorrectedField> {
        CorrectedField::ALL.into_iter().find(|field| field.as_str() == text)
    }

    /// The statements columns holding the value and where it came from. Fixed names,
    /// never user input, so they can be spliced into SQL.
    fn columns(self) -> (&'static str, &'static str) {
        match self {
            CorrectedField::Date => ("date", "date_source"),
            CorrectedField::Speaker => ("speaker", "speaker_source"),
            CorrectedField::SpeakerCountry => ("speaker_country", "speaker_country_source"),
        }
    }
}

/// One stored correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub field: CorrectedField,
    /// The corrected value; `None` clears the field.
    pub value: Option<String>,
    /// The value read from the file, and where it came from.
    pub original: Option<String>,
    pub original_source: Option<String>,
    pub corrected_at: String,
}

/// The correctable fields of a stored statement, with what the analysis needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectableStatement {
    pub id: i64,
    pub sha256: String,
    pub path: String,
    pub item: i64,
    pub text: String,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub speaker: Option<String>,
    pub speaker_source: Option<String>,
    pub speaker_country: Option<String>,
    pub speaker_country_source: Option<String>,
}

impl CorrectableStatement {
    /// The current value of `field` and where it came from.
    pub fn field(&self, field: CorrectedField) -> (Option<&str>, Option<&str>) {
        match field {
            CorrectedField::Date => (self.date.as_deref(), self.date_source.as_deref()),
            CorrectedField::Speaker => (self.speaker.as_deref(), self.speaker_source.as_deref()),
            CorrectedField::SpeakerCountry => {
                (self.speaker_country.as_deref(), self.speaker_country_source.as_deref())
            }
        }
    }
}

impl Store {
    /// The corrections stored for the statement with this content hash.
    pub fn corrections(&self, sha256: &str) -> Result<Vec<Correction>> {
        corrections(&self.conn, sha256)
    }

    /// A statement's correctable fields, by id.
    pub fn correctable(&self, id: i64) -> Result<Option<CorrectableStatement>> {
        correctable_where(&self.conn, "id = ?1", params![id])
    }

    /// The current statement at `path` and `item`, if any: the version a new one
    /// replaces, whose corrections carry over.
    pub fn current_correctable_at(&self, path: &str, item: usize) -> Result<Option<CorrectableStatement>> {
        current_correctable_at(&self.conn, path, item)
    }

    /// Records corrections for the content `sha256` (replacing earlier ones of the same
    /// fields), without touching any statement: used when a new version inherits them.
    pub fn save_corrections(&mut self, sha256: &str, corrections: &[Correction]) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        save(&tx, sha256, corrections)?;
        tx.commit()?;
        Ok(())
    }

    /// Applies corrections to statement `id`: stores them, sets the corrected fields
    /// (their source becomes `correction`; a correction back to the original value
    /// restores it and its source and is forgotten), and replaces the statement's
    /// mentions and accusations with `analysis`, which the caller computed from the
    /// corrected fields. The count tables follow, all in one transaction.
    pub fn apply_corrections(
        &mut self,
        id: i64,
        corrections: &[Correction],
        analysis: &Analysis,
    ) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sha256: String =
            tx.query_row("SELECT sha256 FROM statements WHERE id = ?1", [id], |row| row.get(0))?;
        let current =
            tx.query_row("SELECT superseded_at IS NULL FROM statements WHERE id = ?1", [id], |row| {
                row.get::<_, bool>(0)
            })?;
        let mut counts = PendingCounts::default();
        if current {
            adjust_counts(&tx, id, -1, &mut counts)?;
        }
        for correction in corrections {
            let (column, source_column) = correction.field.columns();
            let reverted = correction.value == correction.original;
            let source = if reverted { correction.original_source.as_deref() } else { Some("correction") };
            tx.execute(
                &format!("UPDATE statements SET {column} = ?2, {source_column} = ?3 WHERE id = ?1"),
                params![id, correction.value, source],
            )?;
        }
        save(&tx, &sha256, corrections)?;
        tx.execute("DELETE FROM mentions WHERE statement_id = ?1", [id])?;
        tx.execute("DELETE FROM accusations WHERE statement_id = ?1", [id])?;
        insert_analysis(&tx, id, analysis)?;
        if current {
            adjust_counts(&tx, id, 1, &mut counts)?;
        }
        counts.write(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

impl Batch<'_> {
    /// The corrections stored for this content hash, as `Store::corrections` reads them.
    pub fn corrections(&self, sha256: &str) -> Result<Vec<Correction>> {
        corrections(&self.tx, sha256)
    }

    /// The current statement at `path` and `item`, as `Store::current_correctable_at`
    /// finds it, this batch's own writes included.
    pub fn current_correctable_at(&self, path: &str, item: usize) -> Result<Option<CorrectableStatement>> {
        current_correctable_at(&self.tx, path, item)
    }

    /// Records corrections for the content `sha256`, as `Store::save_corrections` does.
    pub fn save_corrections(&mut self, sha256: &str, corrections: &[Correction]) -> Result<()> {
        save(&self.tx, sha256, corrections)
    }
}

fn corrections(conn: &Connection, sha256: &str) -> Result<Vec<Correction>> {
    let mut query = conn.prepare_cached(
        "SELECT field, value, original, original_source, corrected_at FROM corrections
         WHERE sha256 = ?1 ORDER BY field",
    )?;
    let rows = query.query_map([sha256], |row| {
        Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
    })?;
    let mut corrections = Vec::new();
    for row in rows {
        let (field, value, original, original_source, corrected_at) = row?;
        // The CHECK constraint admits only known fields.
        if let Some(field) = CorrectedField::parse(&field) {
            corrections.push(Correction { field, value, original, original_source, corrected_at });
        }
    }
    Ok(corrections)
}

fn current_correctable_at(
    conn: &Connection,
    path: &str,
    item: usize,
) -> Result<Option<CorrectableStatement>> {
    correctable_where(conn, "path = ?1 AND item = ?2 AND superseded_at IS NULL", params![path, item as i64])
}

fn correctable_where(
    conn: &Connection,
    condition: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<Option<CorrectableStatement>> {
    let sql = format!(
        "SELECT id, sha256, path, item, (SELECT text FROM statement_texts WHERE statement_id = id),
                date, date_source, speaker, speaker_source, speaker_country, speaker_country_source
         FROM statements WHERE {condition} ORDER BY id DESC LIMIT 1"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row(values, |row| {
            Ok(CorrectableStatement {
                id: row.get(0)?,
                sha256: row.get(1)?,
                path: row.get(2)?,
                item: row.get(3)?,
                text: row.get(4)?,
                date: row.get(5)?,
                date_source: row.get(6)?,
                speaker: row.get(7)?,
                speaker_source: row.get(8)?,
                speaker_country: row.get(9)?,
                speaker_country_source: row.get(10)?,
            })
        })
        .optional()?;
    Ok(found)
}

fn save(tx: &Connection, sha256: &str, corrections: &[Correction]) -> Result<()> {
    let at = now();
    for correction in corrections {
        if correction.value == correction.original {
            tx.execute(
                "DELETE FROM corrections WHERE sha256 = ?1 AND field = ?2",
                params![sha256, correction.field.as_str()],
            )?;
        } else {
            tx.execute(
                "INSERT INTO corrections (sha256, field, value, original, original_source, corrected_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (sha256, field) DO UPDATE SET value = excluded.value,
                     corrected_at = excluded.corrected_at",
                params![
                    sha256,
                    correction.field.as_str(),
                    correction.value,
                    correction.original,
                    correction.original_source,
                    at
                ],
            )?;
        }
    }
    Ok(())
}
