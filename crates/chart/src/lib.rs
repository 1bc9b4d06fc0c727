//! Charts of country mentions and accusations over time, and their exports.
//!
//! One renderer serves the app, the CLI and every export: [`query`] turns a
//! [`ChartSpec`] (chart kind and [`Filters`]) into a [`Chart`] read from the store's
//! aggregate tables (or from the base tables when a filter needs them); [`export`]
//! draws it with plotters as PNG, SVG or PDF, or writes the drawn series as CSV, each
//! file carrying its [`Provenance`]. Drawing also returns the [`Geometry`] of the plot,
//! so the app can map a click to a bucket and a series without a second renderer.

mod bucket;
mod csv;
mod evidence;
mod export;
mod filters;
mod fonts;
mod palette;
mod query;
mod render;

pub use bucket::{Bucket, Period};
pub use evidence::{evidence, statement_filter, Evidence, EvidenceItem, Selection};
pub use export::{export, render_svg, Exported, Format, Provenance, RenderSize};
pub use filters::{parse_date_bound, DateBound, Filters};
pub use palette::country_colour;
pub use query::{
    query, AccusationGrouping, Body, Chart, ChartKind, ChartSpec, Label, Matrix, MentionMeasure, Ranking,
    RankingBar, Series, TimeSeries, TimeStyle, TEXT_MATCH,
};
pub use render::{Band, Geometry, Hit, Mark, Rect};

/// What can go wrong between the database and a chart file.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the text query {query:?} is not valid full-text syntax: {reason}")]
    InvalidQuery { query: String, reason: String },
    #[error("the date range is empty: {from} is after {to}")]
    EmptyRange { from: chrono::NaiveDate, to: chrono::NaiveDate },
    #[error("invalid {what} {value:?}: expected {expected}")]
    InvalidValue { what: &'static str, value: String, expected: &'static str },
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
    #[error("cannot convert the chart to PDF: {0}")]
    Pdf(String),
    #[error("the embedded font cannot be loaded")]
    Font,
}

pub type Result<T> = std::result::Result<T, ChartError>;

/// The version written into every exported file.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
