//! From a chart specification to the series it draws.
//!
//! Counts come from the aggregate tables the store keeps in step with the current
//! statements when the filters allow it (date range, countries, accusers and accused
//! only), and from the base tables (`statements`, `mentions`, `accusations`,
//! `accusation_categories`, `statements_fts`) when a filter needs them: correct first,
//! fast where possible. Of the aggregates, the coarsest whose grain fits is read: the
//! whole months of a range from `monthly_counts` (or `monthly_pair_counts` for the
//! matrix) when the counts are totals or go into month, quarter or year buckets, and
//! only the days before and after those months, or every day for day and week buckets,
//! from `daily_counts` (`pair_counts`). Sums of integers, so both give the same numbers.
//! Every value reaches SQLite as a parameter; lists travel as one JSON array read with
//! `json_each`.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::types::{Type, Value, ValueRef};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::bucket::{Bucket, Period};
use crate::filters::{country_name, format_day, is_organisation, Filters};
use crate::{ChartError, Result};

/// What to chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub filters: Filters,
    /// The time bucket of mention and accusation charts; `None` picks one from the range.
    pub bucket: Option<Bucket>,
    /// How many series (or bars, or matrix rows and columns) to show when the countries
    /// are not chosen; `None` takes the chart kind's default.
    pub top: Option<usize>,
    /// Mention charts leave out organisations (UN, EU, NATO...) unless this is set or
    /// they are chosen by name.
    pub include_organisations: bool,
    /// Replaces the generated title.
    pub title: Option<String>,
}

impl ChartSpec {
    pub fn new(kind: ChartKind, filters: Filters) -> ChartSpec {
        ChartSpec { kind, filters, bucket: None, top: None, include_organisations: false, title: None }
    }
}

/// The four kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Country mentions over time, a line per country.
    Mentions(MentionMeasure),
    /// Accusations over time, stacked bars by accused country or by category.
    Accusations(AccusationGrouping),
    /// Countries ranked over the whole range.
    Ranking(Ranking),
    /// A heatmap of who accuses whom.
    Matrix,
}

/// What a mentions chart counts per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionMeasure {
    /// Mentions of the country.
    Count,
    /// Statements mentioning the country.
    Statements,
    /// Percentage of the bucket's statements that mention the country.
    Share,
}

/// How an accusations chart splits its bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccusationGrouping {
    Accused,
    Category,
}

/// What a ranking ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ranking {
    Mentioned,
    Accused,
    Accusing,
}

fn invalid(what: &'static str, value: &str, expected: &'static str) -> ChartError {
    ChartError::InvalidValue { what, value: value.to_string(), expected }
}

impl FromStr for MentionMeasure {
    type Err = ChartError;

    fn from_str(value: &str) -> Result<MentionMeasure> {
        match value {
            "count" => Ok(MentionMeasure::Count),
            "statements" => Ok(MentionMeasure::Statements),
            "share" => Ok(MentionMeasure::Share),
            _ => Err(invalid("measure", value, "count, statements or share")),
        }
    }
}

impl FromStr for AccusationGrouping {
    type Err = ChartError;

    fn from_str(value: &str) -> Result<AccusationGrouping> {
        match value {
            "country" | "accused" => Ok(AccusationGrouping::Accused),
            "category" => Ok(AccusationGrouping::Category),
            _ => Err(invalid("grouping", value, "country or category")),
        }
    }
}

impl FromStr for Ranking {
    type Err = ChartError;

    fn from_str(value: &str) -> Result<Ranking> {
        match value {
            "mentioned" => Ok(Ranking::Mentioned),
            "accused" => Ok(Ranking::Accused),
            "accusing" => Ok(Ranking::Accusing),
            _ => Err(invalid("ranking", value, "mentioned, accused or accusing")),
        }
    }
}

/// A chart ready to draw: its words and its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// The filters in words, written under the chart.
    pub caption: String,
    /// The filters the numbers were counted with (normalised).
    pub filters: Filters,
    /// The days covered; `None` when no dated statement matches and no dates were given.
    pub range: Option<Period>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Time(TimeSeries),
    Ranking(Vec<RankingBar>),
    Matrix(Matrix),
}

/// Series over time, one value per period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    pub bucket: Bucket,
    pub periods: Vec<Period>,
    pub series: Vec<Series>,
    pub style: TimeStyle,
    /// Values are percentages.
    pub percent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeStyle {
    Lines,
    StackedBars,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// A country code or a category name; `*` for "all other countries".
    pub key: String,
    pub label: String,
    /// Drawn in neutral grey: the rest, or accusations without a category.
    pub neutral: bool,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingBar {
    pub key: String,
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub key: String,
    pub label: String,
}

/// Accusation counts: `counts[accuser][accused]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    pub accusers: Vec<Label>,
    pub accused: Vec<Label>,
    pub counts: Vec<Vec<f64>>,
}

impl Chart {
    /// Nothing to draw: the renderer shows "no data for these filters" instead.
    pub fn is_empty(&self) -> bool {
        let all_zero = |mut values: std::slice::Iter<f64>| values.all(|value| *value == 0.0);
        match &self.body {
            Body::Time(time) => time.series.iter().all(|series| all_zero(series.values.iter())),
            Body::Ranking(bars) => bars.iter().all(|bar| bar.value == 0.0),
            Body::Matrix(matrix) => matrix.counts.iter().all(|row| all_zero(row.iter())),
        }
    }
}

/// The condition a text query puts on the statement `s`, with the query as its one
/// parameter. The statement list rewrites it (see `demarche_library::list`), so it is
/// written once, here.
pub const TEXT_MATCH: &str = "s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)";

/// Reads the chart `spec` asks for from the database.
pub fn query(conn: &Connection, spec: &ChartSpec) -> Result<Chart> {
    let filters = spec.filters.normalised();
    if let (Some(from), Some(to)) = (filters.from, filters.to) {
        if from > to {
            return Err(ChartError::EmptyRange { from, to });
        }
    }
    if let Some(text) = &filters.query {
        check_text_query(conn, text)?;
    }
    match spec.kind {
        ChartKind::Mentions(measure) => mentions_chart(conn, spec, filters.clone(), measure),
        ChartKind::Accusations(grouping) => accusations_chart(conn, spec, filters.clone(), grouping),
        ChartKind::Ranking(ranking) => ranking_chart(conn, spec, filters.clone(), ranking),
        ChartKind::Matrix => matrix_chart(conn, spec, filters.clone()),
    }
}

/// FTS5 rejects a malformed query only when it runs; trying it alone first lets the
/// user hear that their query is at fault rather than get a database error.
pub(crate) fn check_text_query(conn: &Connection, text: &str) -> Result<()> {
    let mut statement =
        conn.prepare_cached("SELECT 1 FROM statements_fts WHERE statements_fts MATCH ?1 LIMIT 1")?;
    match statement.query_row([text], |_| Ok(())) {
        Ok(()) | Err(rusqlite::Error::QueryReturnedNoRows) => Ok(()),
        Err(error) => Err(ChartError::InvalidQuery { query: text.to_string(), reason: error.to_string() }),
    }
}

/// The default number of series, bars or matrix rows per chart kind.
fn default_top(kind: ChartKind) -> usize {
    match kind {
        ChartKind::Mentions(_) | ChartKind::Accusations(_) => 8,
        ChartKind::Ranking(_) => 15,
        ChartKind::Matrix => 12,
    }
}

/// What is counted, each with the table that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// Mentions of a country.
    Mentions,
    /// Statements mentioning a country.
    MentioningStatements,
    /// All statements (key `*`).
    Statements,
    /// Accusations against a country.
    Accused,
    /// Accusations by a country.
    Accuser,
    /// Accusations of a category (key `''` when uncategorised).
    Category,
}

impl Measure {
    fn counts_mentions(self) -> bool {
        matches!(self, Measure::Mentions | Measure::MentioningStatements | Measure::Statements)
    }
}

/// A count for a key, on a day or (when `day` is `None`) over the whole range.
struct Count {
    day: Option<NaiveDate>,
    key: String,
    value: f64,
}

impl Count {
    /// The same count, as part of a total over the whole range.
    fn total(&self) -> Count {
        Count { day: None, key: self.key.clone(), value: self.value }
    }
}

/// How finely counts are needed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    /// One total per key over the whole range.
    Total,
    /// Per day: day and week buckets.
    Day,
    /// Per month at the finest: month, quarter and year buckets, which start on a
    /// month's first day, so a whole month's count may be dated on its first day.
    Month,
}

impl Grain {
    fn of(bucket: Bucket) -> Grain {
        match bucket {
            Bucket::Day | Bucket::Week => Grain::Day,
            Bucket::Month | Bucket::Quarter | Bucket::Year => Grain::Month,
        }
    }
}

/// A stretch of days read from one grain of aggregates: whole months from the monthly
/// tables (`from` and `to` are then months' first days), or single days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    months: bool,
    from: NaiveDate,
    to: NaiveDate,
}

/// Splits `from..=to` into the whole months inside it (read by month) and the days
/// before and after them (read by day), or all days when no whole month fits.
fn spans(from: NaiveDate, to: NaiveDate, months: bool) -> Vec<Span> {
    let days = |from: NaiveDate, to: NaiveDate| Span { months: false, from, to };
    let first_of_month = |day: NaiveDate| day.with_day(1).unwrap_or(day);
    let whole = (|| {
        let first =
            if from.day() == 1 { from } else { first_of_month(from).checked_add_months(Months::new(1))? };
        // The first day after the last whole month: `to` ends its month when the next
        // day starts one.
        let after = first_of_month(to.checked_add_days(Days::new(1))?);
        (first < after).then_some((first, after))
    })();
    match whole.filter(|_| months) {
        Some((first, after)) => {
            let mut spans = Vec::new();
            if from < first {
                spans.push(days(from, first.pred_opt().unwrap_or(first)));
            }
            let last_month = after.checked_sub_months(Months::new(1)).unwrap_or(after);
            spans.push(Span { months: true, from: first, to: last_month });
            if after <= to {
                spans.push(days(after, to));
            }
            spans
        }
        None => vec![days(from, to)],
    }
}

/// Counts under one set of filters and one resolved date range.
pub(crate) struct Counter<'a> {
    pub(crate) conn: &'a Connection,
    pub(crate) filters: &'a Filters,
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
}

/// Conditions joined by AND, with their parameters in order.
#[derive(Default)]
pub(crate) struct Conditions {
    pub(crate) clauses: Vec<String>,
    pub(crate) params: Vec<Value>,
}

impl Conditions {
    pub(crate) fn add(&mut self, clause: impl Into<String>) {
        self.clauses.push(clause.into());
    }

    pub(crate) fn bind(&mut self, clause: impl Into<String>, value: impl Into<Value>) {
        self.clauses.push(clause.into());
        self.params.push(value.into());
    }

    fn extend(&mut self, clause: String, nested: Conditions) {
        self.clauses.push(clause);
        self.params.extend(nested.params);
    }

    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// A list parameter: a JSON array for `json_each`.
pub(crate) fn json_list(list: &[String]) -> Value {
    Value::Text(serde_json::Value::from(list.to_vec()).to_string())
}

pub(crate) const IN_LIST: &str = "IN (SELECT value FROM json_each(?))";

impl Counter<'_> {
    /// The spans of aggregates a count at `grain` reads; the range is resolved by then.
    fn spans(&self, grain: Grain) -> Vec<Span> {
        match (self.from, self.to) {
            (Some(from), Some(to)) => spans(from, to, grain != Grain::Day),
            // Never reached: counts are read only once the chart's range is known.
            _ => Vec::new(),
        }
    }

    /// Whether the pair tables can answer the matrix under these filters: they hold
    /// accuser, accused and day, so a filter on statements or categories needs the
    /// base tables.
    fn uses_pair_aggregates(&self) -> bool {
        !self.filters.restricts_statements() && self.filters.categories.is_empty()
    }

    /// Whether the country aggregates can answer `measure` under these filters.
    fn uses_aggregates(&self, measure: Measure) -> bool {
        let filters = self.filters;
        if filters.restricts_statements() || !filters.categories.is_empty() {
            return false;
        }
        match measure {
            Measure::Mentions | Measure::MentioningStatements | Measure::Statements => {
                filters.accusers.is_empty() && filters.accused.is_empty()
            }
            Measure::Accused => filters.accusers.is_empty(),
            Measure::Accuser => filters.accused.is_empty(),
            Measure::Category => false,
        }
    }

    pub(crate) fn statement_conditions(&self, conditions: &mut Conditions) {
        let filters = self.filters;
        conditions.add("s.superseded_at IS NULL");
        conditions.add("s.date IS NOT NULL");
        if let Some(from) = self.from {
            conditions.bind("s.date >= ?", from.to_string());
        }
        if let Some(to) = self.to {
            conditions.bind("s.date <= ?", to.to_string());
        }
        if let Some(source) = &filters.source {
            conditions.bind("s.source = ? COLLATE NOCASE", source.clone());
        }
        if let Some(speaker) = &filters.speaker {
            conditions.bind("s.speaker = ? COLLATE NOCASE", speaker.clone());
        }
        if let Some(query) = &filters.query {
            conditions.bind(TEXT_MATCH, query.clone());
        }
    }

    /// Conditions on the accusation `a`.
    pub(crate) fn accusation_conditions(&self) -> Conditions {
        let filters = self.filters;
        let mut conditions = Conditions::default();
        if !filters.accusers.is_empty() {
            conditions.bind(format!("a.accuser {IN_LIST}"), json_list(&filters.accusers));
        }
        if !filters.accused.is_empty() {
            conditions.bind(format!("a.accused {IN_LIST}"), json_list(&filters.accused));
        }
        if !filters.categories.is_empty() {
            conditions.bind(
                format!(
                    "EXISTS (SELECT 1 FROM accusation_categories ac WHERE ac.accusation_id = a.id AND ac.category {IN_LIST})"
                ),
                json_list(&filters.categories),
            );
        }
        conditions
    }

    /// The statement-level conditions, including "holds a matching accusation" when an
    /// accusation filter is set.
    pub(crate) fn statement_and_accusation_conditions(&self, conditions: &mut Conditions) {
        self.statement_conditions(conditions);
        if self.filters.restricts_accusations() {
            let nested = self.accusation_conditions();
            let clause = format!(
                "EXISTS (SELECT 1 FROM accusations a WHERE a.statement_id = s.id AND {})",
                nested.clauses.join(" AND ")
            );
            conditions.extend(clause, nested);
        }
    }

    /// Counts of `measure` per key (restricted to `keys` when given), per day (or per
    /// whole month, dated on its first day, when `grain` allows) or in total.
    fn count(&self, measure: Measure, keys: Option<&[String]>, grain: Grain) -> Result<Vec<Count>> {
        if self.uses_aggregates(measure) {
            self.count_aggregates(measure, keys, grain)
        } else {
            self.count_base(measure, keys, grain != Grain::Total)
        }
    }

    fn count_aggregates(
        &self,
        measure: Measure,
        keys: Option<&[String]>,
        grain: Grain,
    ) -> Result<Vec<Count>> {
        let (name, dimension): (&str, &[String]) = match measure {
            Measure::Mentions => ("mentions", &[]),
            Measure::MentioningStatements | Measure::Statements => ("statements", &[]),
            Measure::Accused => ("accused", &self.filters.accused),
            Measure::Accuser => ("accuser", &self.filters.accusers),
            Measure::Category => return self.count_base(measure, keys, grain != Grain::Total),
        };
        let mut counts = Vec::new();
        for span in self.spans(grain) {
            let (table, period) =
                if span.months { ("monthly_counts", "month") } else { ("daily_counts", "day") };
            let mut conditions = Conditions::default();
            conditions.bind("measure = ?", name.to_string());
            conditions.add(if measure == Measure::Statements { "country = '*'" } else { "country != '*'" });
            conditions.bind(format!("{period} >= ?"), span.from.to_string());
            conditions.bind(format!("{period} <= ?"), span.to.to_string());
            if let Some(keys) = keys {
                conditions.bind(format!("country {IN_LIST}"), json_list(keys));
            }
            if !dimension.is_empty() {
                conditions.bind(format!("country {IN_LIST}"), json_list(dimension));
            }
            let sql = if grain == Grain::Total {
                format!("SELECT NULL, country, sum(count) FROM {table}{} GROUP BY country", conditions.sql())
            } else {
                format!("SELECT {period}, country, count FROM {table}{}", conditions.sql())
            };
            counts.extend(self.run(&sql, conditions.params)?);
        }
        Ok(counts)
    }

    /// Accusations per (accuser, accused) over the range, from the pair tables, under
    /// the filters (`self.filters`, or `only` in their place when given).
    fn pairs_aggregated(&self, only: Option<&Filters>) -> Result<Vec<(String, String, f64)>> {
        let filters = only.unwrap_or(self.filters);
        let mut totals: HashMap<(String, String), f64> = HashMap::new();
        for span in self.spans(Grain::Total) {
            let (table, period) =
                if span.months { ("monthly_pair_counts", "month") } else { ("pair_counts", "day") };
            let mut conditions = Conditions::default();
            conditions.bind(format!("{period} >= ?"), span.from.to_string());
            conditions.bind(format!("{period} <= ?"), span.to.to_string());
            if !filters.accusers.is_empty() {
                conditions.bind(format!("accuser {IN_LIST}"), json_list(&filters.accusers));
            }
            if !filters.accused.is_empty() {
                conditions.bind(format!("accused {IN_LIST}"), json_list(&filters.accused));
            }
            if !filters.countries.is_empty() {
                let list = json_list(&filters.countries);
                conditions.clauses.push(format!("(accuser {IN_LIST} OR accused {IN_LIST})"));
                conditions.params.extend([list.clone(), list]);
            }
            let sql = format!(
                "SELECT accuser, accused, sum(count) FROM {table}{} GROUP BY accuser, accused",
                conditions.sql()
            );
            let mut statement = self.conn.prepare_cached(&sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(conditions.params), |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, f64>(2)?))
            })?;
            for row in rows {
                let (accuser, accused, count) = row?;
                *totals.entry((accuser, accused)).or_default() += count;
            }
        }
        let mut pairs: Vec<(String, String, f64)> =
            totals.into_iter().map(|((accuser, accused), count)| (accuser, accused, count)).collect();
        pairs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        Ok(pairs)
    }

    fn count_base(&self, measure: Measure, keys: Option<&[String]>, by_day: bool) -> Result<Vec<Count>> {
        const MENTIONS: &str = "mentions m JOIN statements s ON s.id = m.statement_id";
        const ACCUSATIONS: &str = "accusations a JOIN statements s ON s.id = a.statement_id";
        let (tables, key, value) = match measure {
            Measure::Mentions => (MENTIONS.to_string(), "m.country", "count(*)"),
            Measure::MentioningStatements => (MENTIONS.to_string(), "m.country", "count(DISTINCT s.id)"),
            Measure::Statements => ("statements s".to_string(), "'*'", "count(*)"),
            Measure::Accused => (ACCUSATIONS.to_string(), "a.accused", "count(*)"),
            Measure::Accuser => (ACCUSATIONS.to_string(), "a.accuser", "count(*)"),
            Measure::Category => (
                format!("{ACCUSATIONS} LEFT JOIN accusation_categories c ON c.accusation_id = a.id"),
                "coalesce(c.category, '')",
                "count(*)",
            ),
        };
        let mut conditions = Conditions::default();
        if measure.counts_mentions() {
            self.statement_and_accusation_conditions(&mut conditions);
        } else {
            self.statement_conditions(&mut conditions);
            let nested = self.accusation_conditions();
            conditions.clauses.extend(nested.clauses);
            conditions.params.extend(nested.params);
            if measure == Measure::Category && !self.filters.categories.is_empty() {
                conditions.bind(format!("c.category {IN_LIST}"), json_list(&self.filters.categories));
            }
        }
        if let Some(keys) = keys {
            conditions.bind(format!("{key} {IN_LIST}"), json_list(keys));
        }
        let mut groups = Vec::new();
        if by_day {
            groups.push("s.date");
        }
        if measure != Measure::Statements {
            groups.push(key);
        }
        let day = if by_day { "s.date" } else { "NULL" };
        if value == "count(*)" {
            let sql = format!("SELECT {day}, {key} FROM {tables}{}", conditions.sql());
            return self.run_counting_rows(&sql, conditions.params);
        }
        let group_by =
            if groups.is_empty() { String::new() } else { format!(" GROUP BY {}", groups.join(", ")) };
        let sql = format!("SELECT {day}, {key}, {value} FROM {tables}{}{group_by}", conditions.sql());
        self.run(&sql, conditions.params)
    }

    /// Counts the rows of `sql` (day or NULL, key) per day and key. SQLite groups by
    /// sorting every row first, which for a text filter matching a quarter of a million
    /// statements is 8.5 million mentions sorted (11 s of a query that reads them in
    /// 1.5 s); a map of the groups takes one pass. The rows of one statement share its day, so
    /// a day is parsed once per run of rows that share it.
    fn run_counting_rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Count>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        let mut groups: HashMap<Option<NaiveDate>, HashMap<String, f64>> = HashMap::new();
        let mut last: Option<(String, NaiveDate)> = None;
        while let Some(row) = rows.next()? {
            let day = match text_or_null(row.get_ref(0)?, 0)? {
                None => None,
                Some(text) => match &last {
                    Some((seen, day)) if seen == text => Some(*day),
                    _ => {
                        let day = parse_day(text)?;
                        last = Some((text.to_string(), day));
                        Some(day)
                    }
                },
            };
            let Some(key) = text_or_null(row.get_ref(1)?, 1)? else { continue };
            let keys = groups.entry(day).or_default();
            match keys.get_mut(key) {
                Some(count) => *count += 1.0,
                None => {
                    keys.insert(key.to_string(), 1.0);
                }
            }
        }
        Ok(groups
            .into_iter()
            .flat_map(|(day, keys)| keys.into_iter().map(move |(key, value)| Count { day, key, value }))
            .collect())
    }

    fn run(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Count>> {
        let mut statement = self.conn.prepare_cached(sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(params), |row| {
            let day = match row.get::<_, Option<String>>(0)? {
                Some(text) => Some(parse_day(&text)?),
                None => None,
            };
            Ok(Count { day, key: row.get(1)?, value: row.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The first and last day of the statements this chart can count.
    fn extent(&self, measure: Measure) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let mut conditions = Conditions::default();
        let sql = if self.uses_aggregates(measure) {
            conditions.add("country = '*'");
            conditions.add("measure = 'statements'");
            if let Some(from) = self.from {
                conditions.bind("day >= ?", from.to_string());
            }
            if let Some(to) = self.to {
                conditions.bind("day <= ?", to.to_string());
            }
            format!("SELECT min(day), max(day) FROM daily_counts{}", conditions.sql())
        } else {
            self.statement_and_accusation_conditions(&mut conditions);
            format!("SELECT min(s.date), max(s.date) FROM statements s{}", conditions.sql())
        };
        let mut statement = self.conn.prepare_cached(&sql)?;
        let (first, last) = statement.query_row(rusqlite::params_from_iter(conditions.params), |row| {
            Ok((row.get::<_, Option<String>>(0)?, row.get::<_, Option<String>>(1)?))
        })?;
        match (first, last) {
            (Some(first), Some(last)) => Ok(Some((parse_day(&first)?, parse_day(&last)?))),
            _ => Ok(None),
        }
    }

    /// The range a chart covers: the dates given, completed from the data.
    fn resolve_range(&mut self, measure: Measure) -> Result<Option<Period>> {
        let (from, to) = match (self.from, self.to) {
            (Some(from), Some(to)) => (from, to),
            (given_from, given_to) => match (self.extent(measure)?, given_from.or(given_to)) {
                (Some((first, last)), _) => (given_from.unwrap_or(first), given_to.unwrap_or(last)),
                (None, Some(given)) => (given, given),
                (None, None) => return Ok(None),
            },
        };
        // A start after the last statement still draws one (empty) bucket.
        let to = to.max(from);
        self.from = Some(from);
        self.to = Some(to);
        Ok(Some(Period { start: from, end: to }))
    }
}

/// A text column's value without copying it, or `None` for NULL.
fn text_or_null(value: ValueRef<'_>, index: usize) -> rusqlite::Result<Option<&str>> {
    value
        .as_str_or_null()
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(error)))
}

fn parse_day(text: &str) -> rusqlite::Result<NaiveDate> {
    text.parse::<NaiveDate>()
        .map_err(|error| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(error)))
}

/// Totals per key, largest first (ties by key, so the order is stable).
fn ranked(counts: Vec<Count>) -> Vec<(String, f64)> {
    let mut totals: HashMap<String, f64> = HashMap::new();
    for count in counts {
        *totals.entry(count.key).or_default() += count.value;
    }
    let mut totals: Vec<(String, f64)> = totals.into_iter().filter(|(_, value)| *value != 0.0).collect();
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    totals
}

/// Sums day counts into the periods, per key.
fn bucketed(counts: &[Count], periods: &[Period]) -> HashMap<String, Vec<f64>> {
    let mut values: HashMap<String, Vec<f64>> = HashMap::new();
    for count in counts {
        let Some(day) = count.day else { continue };
        // The counts were read within the range, so every day falls in a period.
        let index = periods.partition_point(|period| period.start <= day).saturating_sub(1);
        values.entry(count.key.clone()).or_insert_with(|| vec![0.0; periods.len()])[index] += count.value;
    }
    values
}

fn range_words(range: Option<Period>) -> String {
    match range {
        Some(period) => format!("{} to {}", format_day(period.start), format_day(period.end)),
        None => "no dated statements".to_string(),
    }
}

fn caption(range: Option<Period>, filters: &Filters, notes: &[String]) -> String {
    let mut parts = vec![format!("Dates: {}", range_words(range))];
    parts.extend(filters.describe());
    parts.extend(notes.iter().cloned());
    parts.join(" · ")
}

fn title_case(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn category_label(key: &str) -> String {
    if key.is_empty() {
        "uncategorised".to_string()
    } else {
        key.replace('_', " ")
    }
}

fn mentions_chart(
    conn: &Connection,
    spec: &ChartSpec,
    filters: Filters,
    measure: MentionMeasure,
) -> Result<Chart> {
    let mut counter = Counter { conn, filters: &filters, from: filters.from, to: filters.to };
    let counted = match measure {
        MentionMeasure::Count => Measure::Mentions,
        MentionMeasure::Statements | MentionMeasure::Share => Measure::MentioningStatements,
    };
    let range = counter.resolve_range(counted)?;
    let bucket =
        spec.bucket.unwrap_or_else(|| range.map_or(Bucket::Month, |r| Bucket::automatic(r.start, r.end)));
    let periods = range.map_or_else(Vec::new, |r| bucket.periods(r.start, r.end));
    let top = spec.top.unwrap_or(default_top(spec.kind));
    let mut notes = Vec::new();
    // Under a text, speaker or source filter the counts come from the base tables, where
    // each reading goes through every matching statement's mentions: the top countries
    // and their series are then both taken from one reading of every country's days.
    let every_day = if filters.countries.is_empty() && range.is_some() && !counter.uses_aggregates(counted) {
        Some(counter.count(counted, None, Grain::Day)?)
    } else {
        None
    };
    let keys: Vec<String> = if !filters.countries.is_empty() {
        filters.countries.clone()
    } else if range.is_none() {
        Vec::new()
    } else {
        notes.push(format!("top {top} countries"));
        if !spec.include_organisations {
            notes.push("organisations left out".to_string());
        }
        let totals = match &every_day {
            Some(counts) => ranked(counts.iter().map(Count::total).collect()),
            None => ranked(counter.count(counted, None, Grain::Total)?),
        };
        totals
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| spec.include_organisations || !is_organisation(key))
            .take(top)
            .collect()
    };
    let mut values = match (&every_day, keys.is_empty()) {
        (_, true) => HashMap::new(),
        (Some(counts), false) => bucketed(counts, &periods),
        (None, false) => bucketed(&counter.count(counted, Some(&keys), Grain::of(bucket))?, &periods),
    };
    if measure == MentionMeasure::Share && !keys.is_empty() {
        let totals = bucketed(&counter.count(Measure::Statements, None, Grain::of(bucket))?, &periods);
        let totals = totals.get("*").cloned().unwrap_or_else(|| vec![0.0; periods.len()]);
        for series in values.values_mut() {
            for (value, total) in series.iter_mut().zip(&totals) {
                *value = if *total > 0.0 { 100.0 * *value / total } else { 0.0 };
            }
        }
    }
    let series = keys
        .iter()
        .map(|key| Series {
            key: key.clone(),
            label: country_name(key),
            neutral: false,
            values: values.remove(key).unwrap_or_else(|| vec![0.0; periods.len()]),
        })
        .collect();
    let (what, y_label) = match measure {
        MentionMeasure::Count => ("Country mentions", "Mentions"),
        MentionMeasure::Statements => ("Statements mentioning each country", "Statements"),
        MentionMeasure::Share => ("Share of statements mentioning each country", "% of statements"),
    };
    Ok(Chart {
        title: spec.title.clone().unwrap_or_else(|| format!("{what}, {}", bucket.adverb())),
        x_label: x_label(bucket),
        y_label: y_label.to_string(),
        caption: caption(range, &filters, &notes),
        filters: filters.clone(),
        range,
        body: Body::Time(TimeSeries {
            bucket,
            periods,
            series,
            style: TimeStyle::Lines,
            percent: measure == MentionMeasure::Share,
        }),
    })
}

fn x_label(bucket: Bucket) -> String {
    match bucket {
        Bucket::Week => "Week (Monday to Sunday)".to_string(),
        other => title_case(other.as_str()),
    }
}

fn accusations_chart(
    conn: &Connection,
    spec: &ChartSpec,
    filters: Filters,
    grouping: AccusationGrouping,
) -> Result<Chart> {
    // On an accusations chart the charted countries are the accused.
    let mut counted_filters = filters.clone();
    if !filters.countries.is_empty() {
        counted_filters.accused = if filters.accused.is_empty() {
            filters.countries.clone()
        } else {
            filters.accused.iter().filter(|code| filters.countries.contains(code)).cloned().collect()
        };
        if counted_filters.accused.is_empty() {
            // Disjoint lists leave nothing; a code that cannot occur says so to SQL.
            counted_filters.accused.push(String::new());
        }
    }
    let mut counter = Counter { conn, filters: &counted_filters, from: filters.from, to: filters.to };
    let measure = match grouping {
        AccusationGrouping::Accused => Measure::Accused,
        AccusationGrouping::Category => Measure::Category,
    };
    let range = counter.resolve_range(measure)?;
    let bucket =
        spec.bucket.unwrap_or_else(|| range.map_or(Bucket::Month, |r| Bucket::automatic(r.start, r.end)));
    let periods = range.map_or_else(Vec::new, |r| bucket.periods(r.start, r.end));
    let top = spec.top.unwrap_or(default_top(spec.kind));
    let counts = if range.is_some() { counter.count(measure, None, Grain::of(bucket))? } else { Vec::new() };
    let ranked = ranked(counts.iter().map(Count::total).collect());
    let mut values = bucketed(&counts, &periods);
    let mut series: Vec<Series> = Vec::new();
    let mut rest = vec![0.0; periods.len()];
    let mut rest_keys = 0;
    for (index, (key, _)) in ranked.iter().enumerate() {
        let key_values = values.remove(key).unwrap_or_else(|| vec![0.0; periods.len()]);
        if index < top {
            let (label, neutral) = match grouping {
                AccusationGrouping::Accused => (country_name(key), false),
                AccusationGrouping::Category => (category_label(key), key.is_empty()),
            };
            series.push(Series { key: key.clone(), label, neutral, values: key_values });
        } else {
            rest_keys += 1;
            for (sum, value) in rest.iter_mut().zip(key_values) {
                *sum += value;
            }
        }
    }
    let mut notes = Vec::new();
    if rest_keys > 0 {
        let what = match grouping {
            AccusationGrouping::Accused => "countries",
            AccusationGrouping::Category => "categories",
        };
        series.push(Series {
            key: "*".into(),
            label: format!("{rest_keys} other {what}"),
            neutral: true,
            values: rest,
        });
        notes.push(format!("top {top} {what}, the rest summed"));
    }
    if grouping == AccusationGrouping::Category {
        notes.push("an accusation of two categories counts in both".to_string());
    }
    let by = match grouping {
        AccusationGrouping::Accused => "by accused country",
        AccusationGrouping::Category => "by category",
    };
    Ok(Chart {
        title: spec.title.clone().unwrap_or_else(|| format!("Accusations {}, {by}", bucket.adverb())),
        x_label: x_label(bucket),
        y_label: "Accusations".to_string(),
        caption: caption(range, &filters, &notes),
        filters,
        range,
        body: Body::Time(TimeSeries {
            bucket,
            periods,
            series,
            style: TimeStyle::StackedBars,
            percent: false,
        }),
    })
}

fn ranking_chart(conn: &Connection, spec: &ChartSpec, filters: Filters, ranking: Ranking) -> Result<Chart> {
    let mut counter = Counter { conn, filters: &filters, from: filters.from, to: filters.to };
    let measure = match ranking {
        Ranking::Mentioned => Measure::Mentions,
        Ranking::Accused => Measure::Accused,
        Ranking::Accusing => Measure::Accuser,
    };
    let range = counter.resolve_range(measure)?;
    let top = spec.top.unwrap_or(default_top(spec.kind));
    let chosen = (!filters.countries.is_empty()).then_some(filters.countries.as_slice());
    let leave_out_organisations =
        ranking == Ranking::Mentioned && chosen.is_none() && !spec.include_organisations;
    let counts = if range.is_some() { counter.count(measure, chosen, Grain::Total)? } else { Vec::new() };
    let bars: Vec<RankingBar> = ranked(counts)
        .into_iter()
        .filter(|(key, _)| !(leave_out_organisations && is_organisation(key)))
        .take(top)
        .map(|(key, value)| RankingBar { label: country_name(&key), key, value })
        .collect();
    let mut notes = vec![format!("top {top}")];
    if leave_out_organisations {
        notes.push("organisations left out".to_string());
    }
    let (title, x_label) = match ranking {
        Ranking::Mentioned => ("Most mentioned countries", "Mentions"),
        Ranking::Accused => ("Most accused countries", "Accusations received"),
        Ranking::Accusing => ("Countries making the most accusations", "Accusations made"),
    };
    Ok(Chart {
        title: spec.title.clone().unwrap_or_else(|| title.to_string()),
        x_label: x_label.to_string(),
        y_label: "Country".to_string(),
        caption: caption(range, &filters, &notes),
        filters,
        range,
        body: Body::Ranking(bars),
    })
}

fn matrix_chart(conn: &Connection, spec: &ChartSpec, filters: Filters) -> Result<Chart> {
    let mut counter = Counter { conn, filters: &filters, from: filters.from, to: filters.to };
    let range = counter.resolve_range(Measure::Accused)?;
    let top = spec.top.unwrap_or(default_top(spec.kind));
    let mut pairs: Vec<(String, String, f64)> = Vec::new();
    let side = |counts: Vec<Count>| -> Vec<Label> {
        ranked(counts)
            .into_iter()
            .take(top)
            .map(|(key, _)| Label { label: country_name(&key), key })
            .collect()
    };
    // Unfiltered, each side's totals are the accuser and accused counts of the country
    // tables, so only the cells of the top accusers and accused are read from the pair
    // tables (a few hundred rows instead of every pair of every month).
    let unfiltered =
        filters.countries.is_empty() && filters.accusers.is_empty() && filters.accused.is_empty();
    let mut sides = None;
    if range.is_some() && counter.uses_pair_aggregates() && unfiltered {
        let accusers = side(counter.count(Measure::Accuser, None, Grain::Total)?);
        let accused = side(counter.count(Measure::Accused, None, Grain::Total)?);
        let keys = |labels: &[Label]| labels.iter().map(|label| label.key.clone()).collect();
        let cells = Filters { accusers: keys(&accusers), accused: keys(&accused), ..filters.clone() };
        if !(cells.accusers.is_empty() || cells.accused.is_empty()) {
            pairs = counter.pairs_aggregated(Some(&cells))?;
        }
        sides = Some((accusers, accused));
    } else if range.is_some() && counter.uses_pair_aggregates() {
        pairs = counter.pairs_aggregated(None)?;
    } else if range.is_some() {
        let mut conditions = Conditions::default();
        counter.statement_conditions(&mut conditions);
        let nested = counter.accusation_conditions();
        conditions.clauses.extend(nested.clauses);
        conditions.params.extend(nested.params);
        if !filters.countries.is_empty() {
            let list = json_list(&filters.countries);
            conditions.clauses.push(format!("(a.accuser {IN_LIST} OR a.accused {IN_LIST})"));
            conditions.params.extend([list.clone(), list]);
        }
        let sql = format!(
            "SELECT a.accuser, a.accused, count(*) FROM accusations a JOIN statements s ON s.id = a.statement_id{}
             GROUP BY a.accuser, a.accused",
            conditions.sql()
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(conditions.params), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        pairs = rows.collect::<rusqlite::Result<_>>()?;
    }
    let (accusers, accused) = sides.unwrap_or_else(|| {
        let totals = |pick: fn(&(String, String, f64)) -> &String| -> Vec<Count> {
            pairs.iter().map(|pair| Count { day: None, key: pick(pair).clone(), value: pair.2 }).collect()
        };
        (side(totals(|pair| &pair.0)), side(totals(|pair| &pair.1)))
    });
    let mut counts = vec![vec![0.0; accused.len()]; accusers.len()];
    for (accuser, target, count) in &pairs {
        let row = accusers.iter().position(|label| &label.key == accuser);
        let column = accused.iter().position(|label| &label.key == target);
        if let (Some(row), Some(column)) = (row, column) {
            counts[row][column] = *count;
        }
    }
    let notes = vec![format!("top {top} accusers and accused")];
    Ok(Chart {
        title: spec.title.clone().unwrap_or_else(|| "Who accuses whom".to_string()),
        x_label: "Accused".to_string(),
        y_label: "Accuser".to_string(),
        caption: caption(range, &filters, &notes),
        filters,
        range,
        body: Body::Matrix(Matrix { accusers, accused, counts }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_splits_into_its_whole_months_and_the_days_around_them() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let check = |from: &str, to: &str, months: bool, expect: &[(bool, &str, &str)]| {
            let expect: Vec<Span> = expect
                .iter()
                .map(|(months, from, to)| Span { months: *months, from: day(from), to: day(to) })
                .collect();
            assert_eq!(spans(day(from), day(to), months), expect, "{from}..{to}");
        };
        check("2024-01-01", "2024-12-31", true, &[(true, "2024-01-01", "2024-12-01")]);
        check(
            "2023-11-20",
            "2024-03-10",
            true,
            &[
                (false, "2023-11-20", "2023-11-30"),
                (true, "2023-12-01", "2024-02-01"),
                (false, "2024-03-01", "2024-03-10"),
            ],
        );
        check("2024-02-01", "2024-02-29", true, &[(true, "2024-02-01", "2024-02-01")]);
        check("2024-02-01", "2024-02-28", true, &[(false, "2024-02-01", "2024-02-28")]);
        check("2024-01-05", "2024-01-25", true, &[(false, "2024-01-05", "2024-01-25")]);
        check(
            "2024-01-31",
            "2024-03-01",
            true,
            &[
                (false, "2024-01-31", "2024-01-31"),
                (true, "2024-02-01", "2024-02-01"),
                (false, "2024-03-01", "2024-03-01"),
            ],
        );
        check("2024-01-01", "2024-12-31", false, &[(false, "2024-01-01", "2024-12-31")]);
    }
}
