//! `demarche list`, `show`, `correct` and `evidence`: the statement library and the
//! drill-down, headless, with the same filters and answers as the app.

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Args, ValueEnum};
use demarche_chart::{evidence, parse_date_bound, DateBound, Period, Selection};
use demarche_library::{list, statement, ListQuery, SortColumn};
use demarche_store::CorrectedField;

use super::chart::{ChartChoice, FilterArgs};
use super::DatabaseArg;

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Date,
    Title,
    Source,
    Speaker,
    Mentions,
    Accusations,
    Ingested,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    filters: FilterArgs,
    #[arg(long, value_enum, default_value = "date")]
    sort: Sort,
    /// Oldest, smallest or A to Z first.
    #[arg(long)]
    ascending: bool,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Rows per page, at most 500.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object: {total, offset, rows}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArg,
}

pub fn run_list(args: ListArgs) -> Result<ExitCode> {
    let store = args.database.open()?;
    let sort = match args.sort {
        Sort::Date => SortColumn::Date,
        Sort::Title => SortColumn::Title,
        Sort::Source => SortColumn::Source,
        Sort::Speaker => SortColumn::Speaker,
        Sort::Mentions => SortColumn::Mentions,
        Sort::Accusations => SortColumn::Accusations,
        Sort::Ingested => SortColumn::Ingested,
    };
    let query = ListQuery {
        filters: args.filters.filters()?,
        sort,
        descending: !args.ascending,
        offset: args.offset,
        limit: args.limit.max(1),
    };
    let page = list(store.connection(), &query)?;
    if args.json {
        println!("{}", serde_json::to_string(&page)?);
        return Ok(ExitCode::SUCCESS);
    }
    for row in &page.rows {
        println!(
            "#{:<6} {:<10}  {:>3} mentions {:>3} accusations  {}{}",
            row.id,
            row.date.as_deref().unwrap_or("undated"),
            row.mentions,
            row.accusations,
            row.title.as_deref().unwrap_or(&row.path),
            row.source.as_deref().map(|source| format!(" ({source})")).unwrap_or_default(),
        );
    }
    let last = (page.offset + page.rows.len()).min(page.total);
    println!("{} statements ({}–{} shown)", page.total, (page.offset + 1).min(last), last);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct ShowArgs {
    id: i64,
    /// The whole statement as one JSON object (text, fields with sources, mentions,
    /// accusations, versions, corrections).
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArg,
}

pub fn run_show(args: ShowArgs) -> Result<ExitCode> {
    let store = args.database.open()?;
    let detail =
        statement(&store, args.id)?.with_context(|| format!("there is no statement #{}", args.id))?;
    if args.json {
        println!("{}", serde_json::to_string(&detail)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "statement #{} — {}{}",
        detail.id,
        detail.path,
        if detail.current { "" } else { " (earlier version)" }
    );
    for field in &detail.fields {
        let source = field.source.as_deref().map(|source| format!("  [from {source}]")).unwrap_or_default();
        println!("  {:<16} {}{source}", field.name, field.value.as_deref().unwrap_or("—"));
    }
    println!("mentions:");
    for mention in &detail.mentions {
        println!(
            "  {}..{}  {:<4} {:<14} {}",
            mention.start, mention.end, mention.country, mention.kind, mention.text
        );
    }
    println!("accusations:");
    for accusation in &detail.accusations {
        println!(
            "  {} → {} [{}] cue “{}”: {}",
            accusation.accuser,
            accusation.accused,
            accusation.categories.join(", "),
            accusation.cue,
            accusation.sentence
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct CorrectArgs {
    id: i64,
    /// The statement's date, YYYY-MM-DD.
    #[arg(long)]
    date: Option<String>,
    #[arg(long)]
    speaker: Option<String>,
    /// The speaker's country, as an ISO code; it names the accuser of the speaker's words.
    #[arg(long)]
    speaker_country: Option<String>,
    /// Clear these fields instead: date, speaker, speaker-country.
    #[arg(long, value_delimiter = ',', value_parser = ["date", "speaker", "speaker-country"])]
    clear: Vec<String>,
    #[command(flatten)]
    database: DatabaseArg,
}

pub fn run_correct(args: CorrectArgs) -> Result<ExitCode> {
    let mut changes = Vec::new();
    let fields = [
        (CorrectedField::Date, &args.date, "date"),
        (CorrectedField::Speaker, &args.speaker, "speaker"),
        (CorrectedField::SpeakerCountry, &args.speaker_country, "speaker-country"),
    ];
    for (field, value, name) in fields {
        if let Some(value) = value {
            changes.push((field, Some(value.clone())));
        } else if args.clear.iter().any(|cleared| cleared == name) {
            changes.push((field, None));
        }
    }
    anyhow::ensure!(
        !changes.is_empty(),
        "nothing to correct: give --date, --speaker, --speaker-country or --clear"
    );
    let mut store = args.database.open()?;
    demarche_ingest::correct_statement(&mut store, args.id, &changes)?;
    println!("corrected statement #{}; its accusations and the counts were updated", args.id);
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EvidenceArgs {
    #[command(flatten)]
    chart: ChartChoice,
    /// The bucket's first day (time charts).
    #[arg(long, value_name = "DATE", requires = "period_end")]
    period_start: Option<String>,
    /// The bucket's last day (time charts).
    #[arg(long, value_name = "DATE", requires = "period_start")]
    period_end: Option<String>,
    /// The series, bar or matrix column: a country code or a category.
    #[arg(long)]
    key: Option<String>,
    /// The matrix row: the accuser.
    #[arg(long = "row")]
    row: Option<String>,
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub fn run_evidence(args: EvidenceArgs) -> Result<ExitCode> {
    let spec = args.chart.spec()?;
    let period = match (&args.period_start, &args.period_end) {
        (Some(start), Some(end)) => Some(Period {
            start: parse_date_bound(start, DateBound::Start)?,
            end: parse_date_bound(end, DateBound::End)?,
        }),
        _ => None,
    };
    let selection =
        Selection { period, key: args.key.clone(), others: Vec::new(), accuser: args.row.clone() };
    let store = args.chart.database.open()?;
    let found = evidence(store.connection(), &spec, &selection, args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string(&found)?);
        return Ok(ExitCode::SUCCESS);
    }
    for item in &found.items {
        let who = match &item.accuser {
            Some(accuser) => format!("{accuser} → {}", item.country),
            None => item.country.clone(),
        };
        println!(
            "#{} {} {who}: {}",
            item.statement_id,
            item.date.as_deref().unwrap_or("undated"),
            item.sentence
        );
    }
    println!("{} rows ({} shown)", found.total, found.items.len());
    Ok(ExitCode::SUCCESS)
}
