//! The statement library the app and the CLI browse: a filtered, searchable, sortable,
//! paged list of current statements; one statement with its text, metadata (each value
//! with where it came from), mentions, accusations, versions and corrections; and the
//! values the filters can offer.
//!
//! Filters mean here what they mean on the charts (`demarche_chart::statement_filter`),
//! so a list opened from a chart holds the statements that chart counted. Read-only:
//! writing is the ingest crate's job.

use demarche_chart::{statement_filter, ChartError, Filters, TEXT_MATCH};
use demarche_gazetteer::Gazetteer;
use demarche_store::{Correction, Store};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error(transparent)]
    Filter(#[from] ChartError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Store(#[from] demarche_store::StoreError),
}

pub type Result<T> = std::result::Result<T, LibraryError>;

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    #[default]
    Date,
    Title,
    Source,
    Speaker,
    Mentions,
    Accusations,
    Ingested,
}

impl SortColumn {
    /// The SQL expression sorted on; fixed text, never user input.
    fn sql(self) -> &'static str {
        match self {
            SortColumn::Date => "s.date",
            SortColumn::Title => "s.title COLLATE NOCASE",
            SortColumn::Source => "s.source COLLATE NOCASE",
            SortColumn::Speaker => "s.speaker COLLATE NOCASE",
            SortColumn::Mentions => "mentions",
            SortColumn::Accusations => "accusations",
            SortColumn::Ingested => "s.ingested_at",
        }
    }
}

/// Which page of which list. By default: every statement, newest first, 50 per page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub filters: Filters,
    #[serde(default)]
    pub sort: SortColumn,
    /// Newest, largest or last (Z to A) first.
    #[serde(default = "descending_by_default")]
    pub descending: bool,
    #[serde(default)]
    pub offset: usize,
    /// At most 500 rows per page; 0 takes 50.
    #[serde(default)]
    pub limit: usize,
}

fn descending_by_default() -> bool {
    true
}

impl Default for ListQuery {
    fn default() -> ListQuery {
        ListQuery {
            filters: Filters::default(),
            sort: SortColumn::Date,
            descending: descending_by_default(),
            offset: 0,
            limit: 0,
        }
    }
}

/// One statement in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub id: i64,
    pub date: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub speaker: Option<String>,
    pub speaker_country: Option<String>,
    pub mentions: i64,
    pub accusations: i64,
    pub file_gone: bool,
    pub path: String,
}

/// A page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<StatementRow>,
}

/// A text query matching more statements than this is joined to the statements through
/// the current-date index rather than by looking each match up by id. Looking a match up
/// reads its row past its text (to `superseded_at`), a few pages each: cheap for a few
/// thousand matches, seconds for the quarter of a million that a common word matches in
/// a million statements. Walking the index instead costs one probe of the matches per
/// current statement (the whole index to count, a few hundred entries for a newest-first
/// page), whatever the number of matches.
const LOOKED_UP_MATCHES: i64 = 5_000;

/// The current statements matching `query`, one page of them.
///
/// Written for a million statements: the total of an unfiltered list, and of a list
/// filtered by text alone, come from counts kept elsewhere (`daily_counts`, the
/// full-text index) whenever no statement has been superseded; a broad text query is
/// met through the current-date index (see `LOOKED_UP_MATCHES`).
pub fn list(conn: &Connection, query: &ListQuery) -> Result<Page> {
    list_looking_up(conn, query, LOOKED_UP_MATCHES)
}

/// `list`, looking text matches up by id up to `looked_up_matches` of them.
fn list_looking_up(conn: &Connection, query: &ListQuery, looked_up_matches: i64) -> Result<Page> {
    let (condition, params) = statement_filter(conn, &query.filters)?;
    let filters = query.filters.normalised();
    let matches = filters.query.as_deref().map(|text| text_matches(conn, text)).transpose()?;
    let broad = matches.is_some_and(|matches| matches > looked_up_matches);
    let condition =
        if broad { condition.replacen(TEXT_MATCH, &format!("+{TEXT_MATCH}"), 1) } else { condition };
    let condition = format!("s.superseded_at IS NULL AND {condition}");
    let only_text = Filters { query: None, ..filters.clone() } == Filters::default();
    let known_total = match (only_text, matches) {
        (true, None) => current_statements(conn)?.map(|(current, _)| current),
        // The full-text index holds every version: its count is the list's when all
        // versions are current.
        (true, Some(matches)) => {
            current_statements(conn)?.filter(|(_, all_current)| *all_current).map(|_| matches)
        }
        (false, _) => None,
    };
    let total = match known_total {
        Some(total) => total,
        None => conn
            .prepare_cached(&format!("SELECT count(*) FROM statements s WHERE {condition}"))?
            .query_row(rusqlite::params_from_iter(params.iter()), |row| row.get(0))?,
    };
    let limit = match query.limit {
        0 => 50,
        limit => limit.min(500),
    };
    let direction = if query.descending { "DESC" } else { "ASC" };
    // Missing values sort last whichever way the list runs. SQLite orders NULL first,
    // so newest-first by date (the default) needs no extra term and walks the date
    // index instead of sorting every statement.
    let sort = query.sort.sql();
    let order = if query.sort == SortColumn::Date && query.descending {
        format!("ORDER BY {sort} {direction}, s.id {direction}")
    } else {
        format!("ORDER BY {sort} IS NULL, {sort} {direction}, s.id {direction}")
    };
    let sql = format!(
        "SELECT s.id, s.date, s.title, s.source, s.speaker, s.speaker_country,
                (SELECT count(*) FROM mentions m WHERE m.statement_id = s.id) AS mentions,
                (SELECT count(*) FROM accusations a WHERE a.statement_id = s.id) AS accusations,
                s.file_gone, s.path
         FROM statements s WHERE {condition} {order} LIMIT ? OFFSET ?"
    );
    let mut params = params;
    params.push(Value::Integer(limit as i64));
    params.push(Value::Integer(query.offset as i64));
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(rusqlite::params_from_iter(params), |row| {
        Ok(StatementRow {
            id: row.get(0)?,
            date: row.get(1)?,
            title: row.get(2)?,
            source: row.get(3)?,
            speaker: row.get(4)?,
            speaker_country: row.get(5)?,
            mentions: row.get(6)?,
            accusations: row.get(7)?,
            file_gone: row.get(8)?,
            path: row.get(9)?,
        })
    })?;
    Ok(Page { total: total as usize, offset: query.offset, rows: rows.collect::<rusqlite::Result<_>>()? })
}

/// How many statements (every version) a full-text query matches: the index alone
/// answers, in milliseconds even for a quarter of a million matches.
fn text_matches(conn: &Connection, text: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?1")?
        .query_row([text], |row| row.get(0))?)
}

/// The number of current statements, and whether every stored version is current;
/// `None` when that cannot be told without counting rows.
///
/// The daily counts hold one `*` count per day of current dated statements, so the
/// current statements are their sum and the few without a date (an index range). Ids
/// are distinct and positive, so when the largest equals that number there is no
/// version beside the current ones. Counting the rows instead reads an index entry per
/// statement (tens of milliseconds at a million, more when cold).
fn current_statements(conn: &Connection) -> Result<Option<(i64, bool)>> {
    let (current, largest_id): (i64, i64) = conn
        .prepare_cached(
            "SELECT (SELECT coalesce(sum(count), 0) FROM daily_counts WHERE measure = 'statements' AND country = '*')
                  + (SELECT count(*) FROM statements WHERE superseded_at IS NULL AND date IS NULL),
                    (SELECT coalesce(max(id), 0) FROM statements)",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((largest_id == current).then_some((current, true)))
}

/// A metadata value and where it came from (`front_matter`, `file_name`, `correction`...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    pub value: Option<String>,
    pub source: Option<String>,
}

/// A country mention in a statement's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MentionSpan {
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub country: String,
    pub country_name: String,
    pub kind: String,
}

/// An accusation with its sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccusationSpan {
    pub start: i64,
    pub end: i64,
    pub sentence: String,
    pub accuser: String,
    pub accuser_name: String,
    pub accused: String,
    pub accused_name: String,
    pub cue: String,
    pub categories: Vec<String>,
}

/// Another stored version of the same statement (same path and item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub id: i64,
    pub ingested_at: String,
    pub current: bool,
}

/// Everything about one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementDetail {
    pub id: i64,
    pub path: String,
    pub item: i64,
    pub format: String,
    pub encoding: Option<String>,
    pub ingested_at: String,
    pub file_modified: Option<String>,
    pub file_gone: bool,
    pub current: bool,
    pub superseded_by: Option<i64>,
    pub fields: Vec<Field>,
    /// Offsets below count characters (Unicode scalar values) of this text.
    pub text: String,
    pub mentions: Vec<MentionSpan>,
    pub accusations: Vec<AccusationSpan>,
    pub versions: Vec<Version>,
    pub corrections: Vec<Correction>,
}

/// One statement by id, or `None` if there is no such statement.
pub fn statement(store: &Store, id: i64) -> Result<Option<StatementDetail>> {
    let conn = store.connection();
    let found = conn
        .query_row(
            "SELECT id, path, item, format, encoding, ingested_at, file_modified, file_gone,
                    superseded_at IS NULL, superseded_by,
                    (SELECT text FROM statement_texts WHERE statement_id = statements.id), sha256,
                    title, title_source, date, date_source, source, source_source, speaker, speaker_source,
                    speaker_country, speaker_country_source, url, url_source
             FROM statements WHERE id = ?1",
            [id],
            |row| {
                let field = |name: &'static str, index: usize| -> rusqlite::Result<Field> {
                    Ok(Field { name, value: row.get(index)?, source: row.get(index + 1)? })
                };
                let fields = vec![
                    field("title", 12)?,
                    field("date", 14)?,
                    field("source", 16)?,
                    field("speaker", 18)?,
                    field("speaker_country", 20)?,
                    field("url", 22)?,
                ];
                let detail = StatementDetail {
                    id: row.get(0)?,
                    path: row.get(1)?,
                    item: row.get(2)?,
                    format: row.get(3)?,
                    encoding: row.get(4)?,
                    ingested_at: row.get(5)?,
                    file_modified: row.get(6)?,
                    file_gone: row.get(7)?,
                    current: row.get(8)?,
                    superseded_by: row.get(9)?,
                    fields,
                    text: row.get(10)?,
                    mentions: Vec::new(),
                    accusations: Vec::new(),
                    versions: Vec::new(),
                    corrections: Vec::new(),
                };
                Ok((detail, row.get::<_, String>(11)?))
            },
        )
        .optional()?;
    let Some((mut detail, sha256)) = found else { return Ok(None) };
    detail.mentions = mentions(conn, id)?;
    detail.accusations = accusations(conn, id)?;
    detail.versions = versions(conn, &detail.path, detail.item)?;
    detail.corrections = store.corrections(&sha256)?;
    Ok(Some(detail))
}

/// A country's display name; the code itself when unknown (`XX`: not identified).
pub fn country_name(code: &str) -> String {
    match Gazetteer::embedded().country(code) {
        Some(country) => country.name.clone(),
        None if code == "XX" => "unidentified".to_string(),
        None => code.to_string(),
    }
}

fn mentions(conn: &Connection, id: i64) -> Result<Vec<MentionSpan>> {
    let mut query = conn.prepare_cached(
        "SELECT start, end, text, country, kind FROM mentions WHERE statement_id = ?1 ORDER BY start",
    )?;
    let rows = query.query_map([id], |row| {
        let country: String = row.get(3)?;
        Ok(MentionSpan {
            start: row.get(0)?,
            end: row.get(1)?,
            text: row.get(2)?,
            country_name: country_name(&country),
            country,
            kind: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn accusations(conn: &Connection, id: i64) -> Result<Vec<AccusationSpan>> {
    let mut query = conn.prepare_cached(
        "SELECT start, end, sentence, accuser, accused, cue,
                (SELECT group_concat(category, ',') FROM accusation_categories WHERE accusation_id = a.id)
         FROM accusations a WHERE statement_id = ?1 ORDER BY start, id",
    )?;
    let rows = query.query_map([id], |row| {
        let accuser: String = row.get(3)?;
        let accused: String = row.get(4)?;
        let categories: Option<String> = row.get(6)?;
        Ok(AccusationSpan {
            start: row.get(0)?,
            end: row.get(1)?,
            sentence: row.get(2)?,
            accuser_name: country_name(&accuser),
            accuser,
            accused_name: country_name(&accused),
            accused,
            cue: row.get(5)?,
            categories: categories
                .map_or_else(Vec::new, |list| list.split(',').map(str::to_string).collect()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn versions(conn: &Connection, path: &str, item: i64) -> Result<Vec<Version>> {
    let mut query = conn.prepare_cached(
        "SELECT id, ingested_at, superseded_at IS NULL FROM statements WHERE path = ?1 AND item = ?2 ORDER BY id",
    )?;
    let rows = query.query_map(rusqlite::params![path, item], |row| {
        Ok(Version { id: row.get(0)?, ingested_at: row.get(1)?, current: row.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A value a filter can take, with how many current statements (or accusations) have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// What the filters can offer, from the current statements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilterChoices {
    pub countries: Vec<Choice>,
    pub accusers: Vec<Choice>,
    pub accused: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub speakers: Vec<Choice>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// The filter choices. Countries, accusers and accused come from the monthly counts
/// (the same totals as the daily ones, from a tenth of the rows or fewer); the rest
/// from indexed columns.
pub fn filter_choices(conn: &Connection) -> Result<FilterChoices> {
    let countries = |measure: &str| -> Result<Vec<Choice>> {
        let mut query = conn.prepare_cached(
            "SELECT country, sum(count) FROM monthly_counts WHERE measure = ?1 AND country != '*'
             GROUP BY country ORDER BY 2 DESC, 1",
        )?;
        let rows = query.query_map([measure], |row| {
            let code: String = row.get(0)?;
            Ok(Choice { label: country_name(&code), value: code, count: row.get(1)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let texts = |sql: &str| -> Result<Vec<Choice>> {
        let mut query = conn.prepare_cached(sql)?;
        let rows = query.query_map([], |row| {
            let value: String = row.get(0)?;
            Ok(Choice { label: value.replace('_', " "), value, count: row.get(1)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let (first_date, last_date) = conn.query_row(
        "SELECT min(date), max(date) FROM statements WHERE superseded_at IS NULL AND date IS NOT NULL",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    Ok(FilterChoices {
        countries: countries("statements")?,
        accusers: countries("accuser")?,
        accused: countries("accused")?,
        categories: texts(
            "SELECT c.category, count(*) FROM accusation_categories c
             JOIN accusations a ON a.id = c.accusation_id
             JOIN statements s ON s.id = a.statement_id AND s.superseded_at IS NULL
             GROUP BY c.category ORDER BY 2 DESC, 1",
        )?,
        sources: texts(
            "SELECT source, count(*) FROM statements WHERE superseded_at IS NULL AND source IS NOT NULL
             GROUP BY source COLLATE NOCASE ORDER BY 2 DESC, 1 LIMIT 500",
        )?,
        speakers: texts(
            "SELECT speaker, count(*) FROM statements WHERE superseded_at IS NULL AND speaker IS NOT NULL
             GROUP BY speaker COLLATE NOCASE ORDER BY 2 DESC, 1 LIMIT 500",
        )?,
        first_date,
        last_date,
    })
}

#[cfg(test)]
mod tests;
