//! The filters every chart shares, how they read from the command line, and how they
//! are written as the caption under a chart.

use chrono::{Datelike, NaiveDate};
use demarche_gazetteer::Gazetteer;
use serde::{Deserialize, Serialize};

use crate::ChartError;

/// Which statements, countries and accusations a chart counts. Empty lists and `None`
/// mean "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filters {
    /// First day counted (inclusive).
    pub from: Option<NaiveDate>,
    /// Last day counted (inclusive).
    pub to: Option<NaiveDate>,
    /// The countries charted: the lines of a mentions chart, the accused of an
    /// accusations chart, the bars of a ranking, either side of the matrix.
    pub countries: Vec<String>,
    /// Only accusations made by these countries; on mention charts, only statements
    /// holding such an accusation.
    pub accusers: Vec<String>,
    /// Only accusations against these countries (same reading on mention charts).
    pub accused: Vec<String>,
    /// Only accusations of these categories (same reading on mention charts).
    pub categories: Vec<String>,
    /// Only statements from this source (exact, case-insensitive).
    pub source: Option<String>,
    /// Only statements by this speaker (exact, case-insensitive).
    pub speaker: Option<String>,
    /// Only statements matching this full-text (FTS5) query over title and text.
    pub query: Option<String>,
}

impl Filters {
    /// Country codes are compared upper-case; blank entries are dropped.
    pub fn normalised(&self) -> Filters {
        let codes = |list: &[String]| -> Vec<String> {
            list.iter().map(|code| code.trim().to_ascii_uppercase()).filter(|code| !code.is_empty()).collect()
        };
        let text = |value: &Option<String>| {
            value.as_ref().map(|value| value.trim().to_string()).filter(|value| !value.is_empty())
        };
        Filters {
            from: self.from,
            to: self.to,
            countries: codes(&self.countries),
            accusers: codes(&self.accusers),
            accused: codes(&self.accused),
            categories: self
                .categories
                .iter()
                .map(|category| category.trim().to_lowercase())
                .filter(|category| !category.is_empty())
                .collect(),
            source: text(&self.source),
            speaker: text(&self.speaker),
            query: text(&self.query),
        }
    }

    /// Whether a filter restricts accusations (and so, on mention charts, statements).
    pub(crate) fn restricts_accusations(&self) -> bool {
        !(self.accusers.is_empty() && self.accused.is_empty() && self.categories.is_empty())
    }

    /// Whether a filter needs the statements table itself.
    pub(crate) fn restricts_statements(&self) -> bool {
        self.source.is_some() || self.speaker.is_some() || self.query.is_some()
    }

    /// The filters in words, one part per filter set, for the caption and provenance.
    pub(crate) fn describe(&self) -> Vec<String> {
        let mut parts = Vec::new();
        let names =
            |codes: &[String]| codes.iter().map(|code| country_name(code)).collect::<Vec<_>>().join(", ");
        if !self.countries.is_empty() {
            parts.push(format!("countries: {}", names(&self.countries)));
        }
        if !self.accusers.is_empty() {
            parts.push(format!("accusers: {}", names(&self.accusers)));
        }
        if !self.accused.is_empty() {
            parts.push(format!("accused: {}", names(&self.accused)));
        }
        if !self.categories.is_empty() {
            parts.push(format!("categories: {}", self.categories.join(", ")));
        }
        if let Some(source) = &self.source {
            parts.push(format!("source: “{source}”"));
        }
        if let Some(speaker) = &self.speaker {
            parts.push(format!("speaker: “{speaker}”"));
        }
        if let Some(query) = &self.query {
            parts.push(format!("text matches: “{query}”"));
        }
        parts
    }
}

/// The display name of a country code; the code itself when the gazetteer does not know it.
pub(crate) fn country_name(code: &str) -> String {
    Gazetteer::embedded().country(code).map_or_else(|| code.to_string(), |country| country.name.clone())
}

/// Whether a code names an organisation (UN, EU, NATO...) rather than a country.
pub(crate) fn is_organisation(code: &str) -> bool {
    Gazetteer::embedded().country(code).is_some_and(|country| country.is_organisation)
}

/// A date in a caption: `3 Mar 2024`.
pub(crate) fn format_day(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// Which end of a range a partial date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    Start,
    End,
}

/// Reads `YYYY-MM-DD`, `YYYY-MM` or `YYYY` as the first or last day it covers, so
/// `--from 2023 --to 2024-06` means 1 January 2023 to 30 June 2024.
pub fn parse_date_bound(value: &str, bound: DateBound) -> Result<NaiveDate, ChartError> {
    let invalid = || ChartError::InvalidValue {
        what: "date",
        value: value.to_string(),
        expected: "YYYY-MM-DD, YYYY-MM or YYYY between the years 1000 and 9999",
    };
    let parts: Vec<&str> = value.trim().split('-').collect();
    let number = |text: &str| text.parse::<u32>().map_err(|_| invalid());
    let year = number(parts[0])? as i32;
    if !(1000..=9999).contains(&year) || parts[0].len() != 4 {
        return Err(invalid());
    }
    let date = match (parts.len(), bound) {
        (1, DateBound::Start) => NaiveDate::from_ymd_opt(year, 1, 1),
        (1, DateBound::End) => NaiveDate::from_ymd_opt(year, 12, 31),
        (2, DateBound::Start) => NaiveDate::from_ymd_opt(year, number(parts[1])?, 1),
        (2, DateBound::End) => {
            let first = NaiveDate::from_ymd_opt(year, number(parts[1])?, 1).ok_or_else(invalid)?;
            first.checked_add_months(chrono::Months::new(1)).and_then(|next| next.pred_opt())
        }
        (3, _) => NaiveDate::from_ymd_opt(year, number(parts[1])?, number(parts[2])?),
        _ => None,
    };
    date.filter(|date| (1000..=9999).contains(&date.year())).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_read_as_whole_periods() {
        let check = |value: &str, bound: DateBound, expect: Option<&str>| {
            let got = parse_date_bound(value, bound).ok();
            assert_eq!(got, expect.map(|date| date.parse().unwrap()), "{value} {bound:?}");
        };
        check("2024-03-05", DateBound::Start, Some("2024-03-05"));
        check("2024", DateBound::Start, Some("2024-01-01"));
        check("2024", DateBound::End, Some("2024-12-31"));
        check("2024-02", DateBound::End, Some("2024-02-29"));
        check("2024-02", DateBound::Start, Some("2024-02-01"));
        check("2024-02-30", DateBound::Start, None);
        check("24-02-01", DateBound::Start, None);
        check("yesterday", DateBound::Start, None);
        check("", DateBound::Start, None);
    }

    #[test]
    fn codes_are_normalised_and_described_by_name() {
        let filters = Filters {
            countries: vec![" am".into(), "".into(), "AZ".into()],
            query: Some("  ".into()),
            ..Filters::default()
        }
        .normalised();
        assert_eq!(filters.countries, ["AM", "AZ"]);
        assert_eq!(filters.query, None);
        assert_eq!(filters.describe(), ["countries: Armenia, Azerbaijan"]);
    }
}
