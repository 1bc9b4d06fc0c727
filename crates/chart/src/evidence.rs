//! Drill-down: the sentences behind a number on a chart.
//!
//! A click on a bucket, bar or matrix cell selects a period and a key; the evidence is
//! read under the same filters and conditions that counted it (the `Counter` of
//! `query`), so the list holds exactly the rows behind the number: one per mention for
//! mention charts, one per accusation for accusation charts and the matrix.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::bucket::Period;
use crate::query::{check_text_query, json_list, Conditions, Counter, IN_LIST};
use crate::{AccusationGrouping, ChartKind, ChartSpec, Ranking, Result};

/// What was clicked: a period (none for rankings and the matrix, which cover the whole
/// range) and a key (a country code or a category; `*` for the summed rest).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub period: Option<Period>,
    /// The series, bar or matrix column clicked; `None` means every key.
    pub key: Option<String>,
    /// With key `*`: the keys drawn on their own, which the rest excludes.
    #[serde(default)]
    pub others: Vec<String>,
    /// The matrix row clicked: the accuser.
    pub accuser: Option<String>,
}

/// The rows behind a selection, newest first, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub total: usize,
    pub items: Vec<EvidenceItem>,
}

/// One counted mention or accusation, with its statement and sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceItem {
    pub statement_id: i64,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub speaker: Option<String>,
    /// Character offsets of the sentence in the statement's text.
    pub sentence_start: i64,
    pub sentence_end: i64,
    pub sentence: String,
    /// The country mentioned (mention charts) or accused (accusation charts).
    pub country: String,
    /// For accusations: who accuses, the cue and the categories.
    pub accuser: Option<String>,
    pub cue: Option<String>,
    pub categories: Vec<String>,
}

/// Whether the chart counts mentions or accusations, and which accusation column or
/// category its key names.
enum Counted {
    Mentions,
    Accusations { key_column: &'static str },
    Categories,
}

/// Reads up to `limit` rows behind `selection` on the chart `spec`.
pub fn evidence(
    conn: &Connection,
    spec: &ChartSpec,
    selection: &Selection,
    limit: usize,
) -> Result<Evidence> {
    let filters = spec.filters.normalised();
    if let Some(text) = &filters.query {
        check_text_query(conn, text)?;
    }
    let (from, to) = match selection.period {
        Some(period) => (
            Some(filters.from.map_or(period.start, |from| from.max(period.start))),
            Some(filters.to.map_or(period.end, |to| to.min(period.end))),
        ),
        None => (filters.from, filters.to),
    };
    let counter = Counter { conn, filters: &filters, from, to };
    let counted = match spec.kind {
        ChartKind::Mentions(_) | ChartKind::Ranking(Ranking::Mentioned) => Counted::Mentions,
        ChartKind::Accusations(AccusationGrouping::Accused) | ChartKind::Ranking(Ranking::Accused) => {
            Counted::Accusations { key_column: "a.accused" }
        }
        ChartKind::Ranking(Ranking::Accusing) => Counted::Accusations { key_column: "a.accuser" },
        ChartKind::Matrix => Counted::Accusations { key_column: "a.accused" },
        ChartKind::Accusations(AccusationGrouping::Category) => Counted::Categories,
    };

    let mut conditions = Conditions::default();
    let (select, tables) = match counted {
        Counted::Mentions => {
            counter.statement_and_accusation_conditions(&mut conditions);
            key_conditions(&mut conditions, "m.country", selection, &filters.countries);
            (
                "m.sentence_start, m.sentence_end,
                 (SELECT substr(text, m.sentence_start + 1, m.sentence_end - m.sentence_start)
                  FROM statement_texts WHERE statement_id = s.id),
                 m.country, NULL, NULL, NULL",
                "mentions m JOIN statements s ON s.id = m.statement_id",
            )
        }
        Counted::Accusations { .. } | Counted::Categories => {
            counter.statement_conditions(&mut conditions);
            let nested = counter.accusation_conditions();
            conditions.clauses.extend(nested.clauses);
            conditions.params.extend(nested.params);
            match counted {
                Counted::Accusations { key_column } => {
                    key_conditions(&mut conditions, key_column, selection, &filters.countries);
                }
                _ => category_conditions(&mut conditions, selection),
            }
            if let Some(accuser) = &selection.accuser {
                conditions.bind("a.accuser = ?", accuser.clone());
            }
            (
                "a.start, a.end, a.sentence, a.accused, a.accuser, a.cue,
                 (SELECT group_concat(category, ',') FROM accusation_categories WHERE accusation_id = a.id)",
                "accusations a JOIN statements s ON s.id = a.statement_id",
            )
        }
    };
    let where_sql = conditions.sql();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM {tables}{where_sql}"))?
        .query_row(rusqlite::params_from_iter(conditions.params.iter()), |row| row.get(0))?;
    let mut params = conditions.params;
    params.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
    let sql = format!(
        "SELECT s.id, s.date, s.title, s.source, s.speaker, {select} FROM {tables}{where_sql}
         ORDER BY s.date DESC, s.id DESC, 6 LIMIT ?"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(rusqlite::params_from_iter(params), |row| {
        let categories: Option<String> = row.get(11)?;
        Ok(EvidenceItem {
            statement_id: row.get(0)?,
            date: row.get(1)?,
            title: row.get(2)?,
            source: row.get(3)?,
            speaker: row.get(4)?,
            sentence_start: row.get(5)?,
            sentence_end: row.get(6)?,
            sentence: row.get(7)?,
            country: row.get(8)?,
            accuser: row.get(9)?,
            cue: row.get(10)?,
            categories: categories
                .map_or_else(Vec::new, |list| list.split(',').map(str::to_string).collect()),
        })
    })?;
    let items = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Evidence { total: total as usize, items })
}

/// Restricts the key column to the selected key, to the rest (`*`: none of the keys
/// drawn on their own), or, with no key, to the chosen countries if any.
fn key_conditions(conditions: &mut Conditions, column: &str, selection: &Selection, countries: &[String]) {
    match selection.key.as_deref() {
        Some("*") => {
            conditions.bind(format!("{column} NOT {IN_LIST}"), json_list(&selection.others));
            if !countries.is_empty() {
                conditions.bind(format!("{column} {IN_LIST}"), json_list(countries));
            }
        }
        Some(key) => conditions.bind(format!("{column} = ?"), key.to_string()),
        None if !countries.is_empty() => conditions.bind(format!("{column} {IN_LIST}"), json_list(countries)),
        None => {}
    }
}

/// The same for a category: `''` is "uncategorised", `*` the categories not drawn.
fn category_conditions(conditions: &mut Conditions, selection: &Selection) {
    const CATEGORIES: &str = "SELECT category FROM accusation_categories WHERE accusation_id = a.id";
    match selection.key.as_deref() {
        Some("") => conditions.add(format!("NOT EXISTS ({CATEGORIES})")),
        Some("*") => conditions
            .bind(format!("EXISTS ({CATEGORIES} AND category NOT {IN_LIST})"), json_list(&selection.others)),
        Some(key) => conditions.bind(format!("EXISTS ({CATEGORIES} AND category = ?)"), key.to_string()),
        None => {}
    }
}

/// The SQL condition (over `statements s`) and its parameters for the current
/// statements the filters admit, as the charts count them: date range, source,
/// speaker, text query, accusation filters, and "mentions one of the countries" when
/// countries are chosen. Undated statements pass when no date bound is set, so the
/// statement list shows them too. Used by the statement list, so it and the charts
/// never disagree about what a filter means.
pub fn statement_filter(conn: &Connection, filters: &crate::Filters) -> Result<(String, Vec<Value>)> {
    let filters = filters.normalised();
    if let Some(text) = &filters.query {
        check_text_query(conn, text)?;
    }
    let counter = Counter { conn, filters: &filters, from: filters.from, to: filters.to };
    let mut conditions = Conditions::default();
    counter.statement_and_accusation_conditions(&mut conditions);
    if filters.from.is_none() && filters.to.is_none() {
        conditions.clauses.retain(|clause| clause != "s.date IS NOT NULL");
    }
    if !filters.countries.is_empty() {
        conditions.bind(
            format!("EXISTS (SELECT 1 FROM mentions m WHERE m.statement_id = s.id AND m.country {IN_LIST})"),
            json_list(&filters.countries),
        );
    }
    let clause =
        if conditions.clauses.is_empty() { "1".to_string() } else { conditions.clauses.join(" AND ") };
    Ok((clause, conditions.params))
}
