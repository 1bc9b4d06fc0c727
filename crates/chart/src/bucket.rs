//! Time buckets (day, ISO week, month, quarter, year), the periods a range splits
//! into, and calendar-aligned date ticks at a readable interval for any range.

use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ChartError;

/// How time series are bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    /// ISO week, Monday to Sunday.
    Week,
    Month,
    Quarter,
    Year,
}

/// One bucket of a time series: its first and last day, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Bucket {
    /// The bucket that gives a readable number of points (roughly 10 to 60) for a range.
    pub fn automatic(from: NaiveDate, to: NaiveDate) -> Bucket {
        match (to - from).num_days() + 1 {
            ..=62 => Bucket::Day,
            63..=366 => Bucket::Week,
            367..=2200 => Bucket::Month,
            2201..=7400 => Bucket::Quarter,
            _ => Bucket::Year,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::Quarter => "quarter",
            Bucket::Year => "year",
        }
    }

    /// The phrase used in titles: "per week", "per month"...
    pub(crate) fn adverb(self) -> &'static str {
        match self {
            Bucket::Day => "per day",
            Bucket::Week => "per week",
            Bucket::Month => "per month",
            Bucket::Quarter => "per quarter",
            Bucket::Year => "per year",
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn start_of(self, day: NaiveDate) -> NaiveDate {
        let first_of_month = |month: u32| NaiveDate::from_ymd_opt(day.year(), month, 1).unwrap_or(day);
        match self {
            Bucket::Day => day,
            Bucket::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Bucket::Month => first_of_month(day.month()),
            Bucket::Quarter => first_of_month(day.month0() / 3 * 3 + 1),
            Bucket::Year => first_of_month(1),
        }
    }

    /// The first day of the bucket after the one starting at `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        // Dates near the end of chrono's range saturate instead of panicking; such a
        // range is refused long before, when filters are read.
        let added = match self {
            Bucket::Day => start.checked_add_days(Days::new(1)),
            Bucket::Week => start.checked_add_days(Days::new(7)),
            Bucket::Month => start.checked_add_months(Months::new(1)),
            Bucket::Quarter => start.checked_add_months(Months::new(3)),
            Bucket::Year => start.checked_add_months(Months::new(12)),
        };
        added.unwrap_or(NaiveDate::MAX)
    }

    /// A short unambiguous name of the bucket starting at `start`: `2024-03-04`,
    /// `2024-W10`, `2024-03`, `2024-Q1`, `2024`.
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Bucket::Day => start.format("%Y-%m-%d").to_string(),
            Bucket::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Bucket::Month => start.format("%Y-%m").to_string(),
            Bucket::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            Bucket::Year => start.year().to_string(),
        }
    }

    /// The buckets covering `from..=to`, the first and last clipped to the range so that
    /// counts and boundaries say exactly which days they hold.
    pub fn periods(self, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
        let mut periods = Vec::new();
        let mut start = self.start_of(from);
        while start <= to {
            let next = self.next(start);
            let end = next.pred_opt().unwrap_or(next).min(to);
            periods.push(Period { start: start.max(from), end });
            if next == NaiveDate::MAX {
                break;
            }
            start = next;
        }
        periods
    }
}

impl FromStr for Bucket {
    type Err = ChartError;

    fn from_str(value: &str) -> Result<Bucket, ChartError> {
        match value.to_ascii_lowercase().as_str() {
            "day" => Ok(Bucket::Day),
            "week" => Ok(Bucket::Week),
            "month" => Ok(Bucket::Month),
            "quarter" => Ok(Bucket::Quarter),
            "year" => Ok(Bucket::Year),
            _ => Err(ChartError::InvalidValue {
                what: "bucket",
                value: value.to_string(),
                expected: "day, week, month, quarter or year",
            }),
        }
    }
}

/// The calendar unit of a tick interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// A tick interval: every `count` units, aligned to the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TickStep {
    unit: Unit,
    count: u32,
}

/// Tick intervals from fine to coarse; the renderer takes the finest whose labels fit.
const STEPS: [TickStep; 15] = [
    TickStep { unit: Unit::Day, count: 1 },
    TickStep { unit: Unit::Day, count: 2 },
    TickStep { unit: Unit::Week, count: 1 },
    TickStep { unit: Unit::Week, count: 2 },
    TickStep { unit: Unit::Month, count: 1 },
    TickStep { unit: Unit::Month, count: 3 },
    TickStep { unit: Unit::Month, count: 6 },
    TickStep { unit: Unit::Year, count: 1 },
    TickStep { unit: Unit::Year, count: 2 },
    TickStep { unit: Unit::Year, count: 5 },
    TickStep { unit: Unit::Year, count: 10 },
    TickStep { unit: Unit::Year, count: 20 },
    TickStep { unit: Unit::Year, count: 50 },
    TickStep { unit: Unit::Year, count: 100 },
    TickStep { unit: Unit::Year, count: 500 },
];

/// One date tick: where it falls and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tick {
    pub date: NaiveDate,
    pub label: String,
    /// The label names the whole bucket starting here, so it sits under its middle.
    pub names_bucket: bool,
}

impl TickStep {
    /// The tick intervals worth trying for a bucket: never finer than the bucket, so
    /// every tick falls on a bucket boundary.
    pub(crate) fn candidates(bucket: Bucket) -> impl Iterator<Item = TickStep> {
        let finest = match bucket {
            Bucket::Day => 0,
            Bucket::Week => 2,
            Bucket::Month => 4,
            Bucket::Quarter => 5,
            Bucket::Year => 7,
        };
        STEPS.into_iter().skip(finest)
    }

    fn is_aligned(self, date: NaiveDate) -> bool {
        match self.unit {
            Unit::Day => date.num_days_from_ce() % self.count as i32 == 0,
            Unit::Week => {
                date.weekday().num_days_from_monday() == 0
                    && (date.num_days_from_ce() / 7) % self.count as i32 == 0
            }
            Unit::Month => date.day() == 1 && date.month0() % self.count == 0,
            Unit::Year => date.ordinal() == 1 && date.year().rem_euclid(self.count as i32) == 0,
        }
    }

    /// The aligned dates in `from..=to`, labelled; the labels carry the year when the
    /// range spans more than one.
    pub(crate) fn ticks(self, bucket: Bucket, from: NaiveDate, to: NaiveDate) -> Vec<Tick> {
        let walk = match self.unit {
            Unit::Day | Unit::Week => Bucket::Day,
            Unit::Month => Bucket::Month,
            Unit::Year => Bucket::Year,
        };
        let several_years = from.year() != to.year();
        let names_bucket = self.steps_like(bucket);
        let label = |date: NaiveDate| match self.unit {
            Unit::Day | Unit::Week if several_years => date.format("%-d %b %Y").to_string(),
            Unit::Day | Unit::Week => date.format("%-d %b").to_string(),
            Unit::Month if bucket == Bucket::Quarter => format!("Q{} {}", date.month0() / 3 + 1, date.year()),
            Unit::Month => date.format("%b %Y").to_string(),
            Unit::Year => date.year().to_string(),
        };
        let mut ticks = Vec::new();
        // A first bucket cut short by the range start still gets its name.
        if names_bucket && !self.is_aligned(from) {
            ticks.push(Tick { date: from, label: label(bucket.start_of(from)), names_bucket });
        }
        let mut date = walk.start_of(from);
        while date <= to {
            if date >= from && self.is_aligned(date) {
                ticks.push(Tick { date, label: label(date), names_bucket });
            }
            let next = walk.next(date);
            if next == NaiveDate::MAX {
                break;
            }
            date = next;
        }
        ticks
    }

    /// Whether one tick interval is exactly one bucket.
    fn steps_like(self, bucket: Bucket) -> bool {
        matches!(
            (self.unit, self.count, bucket),
            (Unit::Day, 1, Bucket::Day)
                | (Unit::Week, 1, Bucket::Week)
                | (Unit::Month, 1, Bucket::Month)
                | (Unit::Month, 3, Bucket::Quarter)
                | (Unit::Year, 1, Bucket::Year)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn buckets_start_on_calendar_boundaries() {
        let check = |bucket: Bucket, date: &str, start: &str, label: &str| {
            assert_eq!(bucket.start_of(day(date)), day(start), "{bucket:?} {date}");
            assert_eq!(bucket.label(day(start)), label);
        };
        check(Bucket::Day, "2024-03-05", "2024-03-05", "2024-03-05");
        check(Bucket::Week, "2024-03-06", "2024-03-04", "2024-W10");
        check(Bucket::Week, "2021-01-02", "2020-12-28", "2020-W53");
        check(Bucket::Month, "2024-02-29", "2024-02-01", "2024-02");
        check(Bucket::Quarter, "2024-08-15", "2024-07-01", "2024-Q3");
        check(Bucket::Year, "2024-12-31", "2024-01-01", "2024");
    }

    #[test]
    fn periods_cover_the_range_exactly() {
        let periods = Bucket::Month.periods(day("2024-01-15"), day("2024-03-10"));
        assert_eq!(
            periods,
            vec![
                Period { start: day("2024-01-15"), end: day("2024-01-31") },
                Period { start: day("2024-02-01"), end: day("2024-02-29") },
                Period { start: day("2024-03-01"), end: day("2024-03-10") },
            ]
        );
        assert_eq!(Bucket::Day.periods(day("2024-01-01"), day("2024-01-03")).len(), 3);
    }

    #[test]
    fn automatic_bucket_follows_the_range() {
        let check = |from: &str, to: &str, expect: Bucket| {
            assert_eq!(Bucket::automatic(day(from), day(to)), expect, "{from}..{to}");
        };
        check("2024-01-01", "2024-01-03", Bucket::Day);
        check("2024-01-01", "2024-06-30", Bucket::Week);
        check("2023-01-01", "2024-12-31", Bucket::Month);
        check("2000-01-01", "2014-12-31", Bucket::Quarter);
        check("1995-01-01", "2024-12-31", Bucket::Year);
    }

    #[test]
    fn ticks_align_to_the_calendar() {
        let labels = |step: TickStep, bucket, from, to| -> Vec<String> {
            step.ticks(bucket, day(from), day(to)).into_iter().map(|tick| tick.label).collect()
        };
        let quarterly = TickStep { unit: Unit::Month, count: 3 };
        assert_eq!(
            labels(quarterly, Bucket::Month, "2023-02-01", "2023-12-31"),
            ["Apr 2023", "Jul 2023", "Oct 2023"]
        );
        let monthly = TickStep { unit: Unit::Month, count: 1 };
        assert_eq!(
            labels(monthly, Bucket::Month, "2024-01-03", "2024-03-20"),
            ["Jan 2024", "Feb 2024", "Mar 2024"]
        );
        let weekly = TickStep { unit: Unit::Week, count: 1 };
        assert_eq!(
            labels(weekly, Bucket::Week, "2024-03-01", "2024-03-20"),
            ["26 Feb", "4 Mar", "11 Mar", "18 Mar"]
        );
        let decades = TickStep { unit: Unit::Year, count: 10 };
        assert_eq!(labels(decades, Bucket::Year, "1995-01-01", "2024-12-31"), ["2000", "2010", "2020"]);
        assert!(TickStep::candidates(Bucket::Quarter).all(|step| step.unit != Unit::Day));
    }
}
