//! `demarche chart`: draws a chart of the database into a PNG, SVG, PDF or CSV file,
//! with the same filters (and option names) as everywhere else.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::{Args, ValueEnum};
use demarche_chart::{
    export, parse_date_bound, query, Body, Bucket, ChartKind, ChartSpec, DateBound, Filters, Format,
    Provenance, RenderSize,
};

use super::DatabaseArg;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Country mentions over time, a line per country.
    Mentions,
    /// Accusations over time, stacked by accused country or by category.
    Accusations,
    /// Most mentioned, most accused or most accusing countries.
    Ranking,
    /// Who accuses whom.
    Matrix,
}

/// The filters every command reading the database shares, with the same names.
#[derive(Args)]
pub struct FilterArgs {
    /// First day: YYYY-MM-DD, YYYY-MM or YYYY [default: the first dated statement].
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day: YYYY-MM-DD, YYYY-MM or YYYY (the whole month or year) [default: the last].
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Countries, as ISO codes: AM,AZ (charts: the countries drawn; lists: statements mentioning one).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    countries: Vec<String>,
    /// Only accusations of these categories.
    #[arg(long, value_name = "CATEGORY", value_delimiter = ',')]
    category: Vec<String>,
    /// Only accusations made by these countries.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    accuser: Vec<String>,
    /// Only accusations against these countries.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    accused: Vec<String>,
    /// Only statements from this source (exact, case-insensitive).
    #[arg(long)]
    source: Option<String>,
    /// Only statements by this speaker (exact, case-insensitive).
    #[arg(long)]
    speaker: Option<String>,
    /// Only statements matching this full-text query (SQLite FTS5 syntax).
    #[arg(long)]
    query: Option<String>,
}

impl FilterArgs {
    pub fn filters(&self) -> Result<Filters> {
        let date = |value: &Option<String>, bound| {
            value.as_deref().map(|value| parse_date_bound(value, bound)).transpose()
        };
        Ok(Filters {
            from: date(&self.from, DateBound::Start)?,
            to: date(&self.to, DateBound::End)?,
            countries: self.countries.clone(),
            accusers: self.accuser.clone(),
            accused: self.accused.clone(),
            categories: self.category.clone(),
            source: self.source.clone(),
            speaker: self.speaker.clone(),
            query: self.query.clone(),
        })
    }
}

/// Which chart, under which filters: shared by `chart` and `evidence`.
#[derive(Args)]
pub struct ChartChoice {
    #[arg(value_enum)]
    kind: Kind,
    #[command(flatten)]
    filters: FilterArgs,
    /// Time bucket of mention and accusation charts.
    #[arg(long, default_value = "auto", value_parser = ["auto", "day", "week", "month", "quarter", "year"])]
    bucket: String,
    /// How many countries (series, bars, matrix rows) to show when none are chosen.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Mentions: count mentions, count statements, or the share of statements (percent).
    #[arg(long, value_parser = ["count", "statements", "share"])]
    measure: Option<String>,
    /// Accusations: stack by accused country or by category.
    #[arg(long, value_parser = ["country", "category"])]
    by: Option<String>,
    /// Ranking: the most mentioned, accused or accusing countries.
    #[arg(long, value_parser = ["mentioned", "accused", "accusing"])]
    ranking: Option<String>,
    /// Keep organisations (UN, EU, NATO...) in mention charts.
    #[arg(long)]
    organisations: bool,
    /// Replace the generated title.
    #[arg(long)]
    title: Option<String>,
    #[command(flatten)]
    pub database: DatabaseArg,
}

#[derive(Args)]
pub struct ChartArgs {
    #[command(flatten)]
    chart: ChartChoice,
    /// The file to write; its extension picks the format: .png, .svg, .pdf or .csv.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Width in pixels (points for PDF).
    #[arg(long, default_value_t = 1200)]
    width: u32,
    /// Height in pixels (points for PDF).
    #[arg(long, default_value_t = 700)]
    height: u32,
    /// PNG only: pixels per point, 1 to 4 (2 or 3 for print).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
}

impl ChartChoice {
    fn kind(&self) -> Result<ChartKind> {
        let misplaced = [
            ("--measure", self.measure.is_some(), Kind::Mentions),
            ("--by", self.by.is_some(), Kind::Accusations),
            ("--ranking", self.ranking.is_some(), Kind::Ranking),
        ];
        for (option, given, belongs) in misplaced {
            if given && self.kind != belongs {
                bail!(
                    "{option} applies only to `demarche chart {}`",
                    belongs.to_possible_value().map_or_else(String::new, |v| v.get_name().to_string())
                );
            }
        }
        Ok(match self.kind {
            Kind::Mentions => ChartKind::Mentions(self.measure.as_deref().unwrap_or("count").parse()?),
            Kind::Accusations => ChartKind::Accusations(self.by.as_deref().unwrap_or("country").parse()?),
            Kind::Ranking => ChartKind::Ranking(self.ranking.as_deref().unwrap_or("mentioned").parse()?),
            Kind::Matrix => ChartKind::Matrix,
        })
    }

    pub fn spec(&self) -> Result<ChartSpec> {
        let mut spec = ChartSpec::new(self.kind()?, self.filters.filters()?);
        spec.bucket = if self.bucket == "auto" { None } else { Some(self.bucket.parse::<Bucket>()?) };
        spec.top = self.top;
        spec.include_organisations = self.organisations;
        spec.title = self.title.clone();
        Ok(spec)
    }
}

pub fn run(args: ChartArgs) -> Result<ExitCode> {
    let format = Format::from_path(&args.out)?;
    let spec = args.chart.spec()?;
    let size = RenderSize { width: args.width, height: args.height, scale: args.scale };
    let store = args.chart.database.open()?;
    let chart = query(store.connection(), &spec)?;
    let provenance = Provenance::collect(store.connection(), &chart)?;
    let exported = export(&chart, &provenance, format, size)?;
    std::fs::write(&args.out, &exported.bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let drawn = match &chart.body {
        _ if chart.is_empty() => "no data for these filters".to_string(),
        Body::Time(time) => format!("{} series × {} buckets", time.series.len(), time.periods.len()),
        Body::Ranking(bars) => format!("{} bars", bars.len()),
        Body::Matrix(matrix) => format!("{} × {} cells", matrix.accusers.len(), matrix.accused.len()),
    };
    let pixels = match (format, exported.geometry) {
        (Format::Png, Some(geometry)) => format!(", {}×{} px", geometry.width, geometry.height),
        _ => String::new(),
    };
    println!("wrote {}: {} ({drawn}{pixels})", args.out.display(), chart.title);
    Ok(ExitCode::SUCCESS)
}
