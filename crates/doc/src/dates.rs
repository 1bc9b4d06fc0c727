//! Finds dates: in stated values (front matter, JSON, HTML tags), in file names, and in
//! statement text.
//!
//! Text forms recognised: "October 14, 2022", "Oct. 14, 2022", "October 14th 2022",
//! "14 October 2022", "14 Oct. 2022", "14.10.2022" (day.month.year) and "2022-10-14";
//! without a year, "October 14" and "14 October". Month names must be capitalised (or
//! all capitals) so "may 5" is not a date, years must lie in 1900..=2100, and a day that
//! does not exist in its month (February 30) is skipped rather than guessed at.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};

use crate::tokens::{gap_after, tokenize, Token};

const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// How far back a date without a year may be put: far enough for a February 29 to find
/// a leap year, no further.
const YEARS_BACK: i32 = 8;

/// The first dates in a text: the first full one, and the first one without a year.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct TextDates {
    pub full: Option<NaiveDate>,
    /// Month and day of the first date written without a year.
    pub without_year: Option<(u32, u32)>,
}

/// The date a stated value means: an ISO date, an RFC 3339 or ISO date-time (the date as
/// written, in its own offset), or a full date in one of the text forms.
pub(crate) fn parse_value(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return in_range(date);
    }
    if let Ok(moment) = DateTime::parse_from_rfc3339(value) {
        return in_range(moment.date_naive());
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(moment) = NaiveDateTime::parse_from_str(value, format) {
            return in_range(moment.date());
        }
    }
    scan(value).full
}

/// An ISO date in a file name: `2022-10-14`, `2022_10_14`, `2022.10.14` or `20221014`,
/// not part of a longer number.
pub(crate) fn from_file_name(file_name: &str) -> Option<NaiveDate> {
    let bytes = file_name.as_bytes();
    let digit_at = |index: usize| bytes.get(index).is_some_and(u8::is_ascii_digit);
    for start in 0..bytes.len() {
        if !digit_at(start) || (start > 0 && digit_at(start - 1)) {
            continue;
        }
        let number = |from: usize, len: usize| -> Option<u32> {
            let digits = file_name.get(from..from + len)?;
            digits.bytes().all(|b| b.is_ascii_digit()).then(|| digits.parse().ok())?
        };
        let separated = bytes.get(start + 4).filter(|&&b| matches!(b, b'-' | b'_' | b'.'));
        let (year, month, day, end) = match separated {
            Some(&separator) if bytes.get(start + 7) == Some(&separator) => {
                (number(start, 4), number(start + 5, 2), number(start + 8, 2), start + 10)
            }
            _ => (number(start, 4), number(start + 4, 2), number(start + 6, 2), start + 8),
        };
        if digit_at(end) {
            continue;
        }
        if let (Some(year), Some(month), Some(day)) = (year, month, day) {
            if let Some(date) = date(year as i32, month, day) {
                return Some(date);
            }
        }
    }
    None
}

/// The first full date and the first date without a year in `text`.
pub(crate) fn scan(text: &str) -> TextDates {
    let tokens = tokenize(text);
    let mut found = TextDates::default();
    for index in 0..tokens.len() {
        match date_at(text, &tokens, index).map(|(found, _)| found) {
            Some(Found::Full(date)) => {
                found.full = Some(date);
                break;
            }
            Some(Found::WithoutYear(month, day)) if found.without_year.is_none() => {
                found.without_year = Some((month, day));
            }
            _ => {}
        }
    }
    found
}

/// The date a day and month without a year most likely meant: the latest one that is not
/// after `modified` (a statement is not filed before it is made).
pub(crate) fn resolve_without_year(month: u32, day: u32, modified: NaiveDate) -> Option<NaiveDate> {
    (0..=YEARS_BACK)
        .filter_map(|back| NaiveDate::from_ymd_opt(modified.year() - back, month, day))
        .find(|&candidate| candidate <= modified)
}

/// How many words the date starting at word `index` takes, if one starts there, so
/// datelines ("Baku, July 13, AZERTAC") can be recognised around it.
pub(crate) fn date_length(text: &str, tokens: &[Token], index: usize) -> Option<usize> {
    date_at(text, tokens, index).map(|(_, length)| length)
}

enum Found {
    Full(NaiveDate),
    WithoutYear(u32, u32),
}

/// The date starting at word `index`, if one does, and how many words it takes.
fn date_at(text: &str, tokens: &[Token], index: usize) -> Option<(Found, usize)> {
    let token = tokens.get(index)?.text;
    if let Some(date) = numeric_date(token) {
        return Some((Found::Full(date), 1));
    }
    let word = |offset: usize| tokens.get(index + offset).map(|token| token.text);
    let gap = |offset: usize| gap_after(text, tokens, index + offset);
    if let Some((month, abbreviated)) = month(token) {
        // "October 14[, 2022]", "Oct. 14[, 2022]"
        let day = word(1).filter(|_| spaced(gap(0), abbreviated, false)).and_then(day)?;
        let year = word(2).filter(|_| spaced(gap(1), false, true));
        return finish(year, month, day);
    }
    let day = day(token)?;
    // "14 October[ 2022]", "14 Oct. 2022"
    let (month, abbreviated) = word(1).filter(|_| spaced(gap(0), false, false)).and_then(month)?;
    let year = word(2).filter(|_| spaced(gap(1), abbreviated, false));
    finish(year, month, day)
}

/// A full date or a date without a year from a day, a month and the word that may be
/// the year. A year-shaped word out of range, or a day the month does not have, makes
/// no date at all.
fn finish(year: Option<&str>, month: u32, day: u32) -> Option<(Found, usize)> {
    match year.filter(|word| word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())) {
        Some(year) => {
            let year: i32 = year.parse().ok()?;
            date(year, month, day).map(|date| (Found::Full(date), 3))
        }
        // 2000 is a leap year, so February 29 counts as a day that exists.
        None => NaiveDate::from_ymd_opt(2000, month, day).map(|_| (Found::WithoutYear(month, day), 2)),
    }
}

/// "14.10.2022" and "2022-10-14" (also the date part of "2022-10-14T10").
fn numeric_date(token: &str) -> Option<NaiveDate> {
    let dotted: Vec<&str> = token.split('.').collect();
    if let [day, month, year] = dotted[..] {
        if (1..=2).contains(&day.len()) && (1..=2).contains(&month.len()) && year.len() == 4 {
            return date(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
        }
        return None;
    }
    let iso = token.get(..10)?;
    let rest = &token[10..];
    if !(rest.is_empty() || rest.starts_with('T') && rest[1..].bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let parts: Vec<&str> = iso.split('-').collect();
    match parts[..] {
        [year, month, day] if year.len() == 4 && month.len() == 2 && day.len() == 2 => {
            date(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
        }
        _ => None,
    }
}

/// A valid date with its year in range.
fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).and_then(in_range)
}

fn in_range(date: NaiveDate) -> Option<NaiveDate> {
    YEARS.contains(&date.year()).then_some(date)
}

/// English month names, in order.
pub(crate) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month a word names, and whether it is abbreviated. Capitalised ("October") or all
/// capitals ("OCTOBER"); lower case is too often an ordinary word ("may").
fn month(word: &str) -> Option<(u32, bool)> {
    let mut chars = word.chars();
    let first = chars.next()?;
    let rest: String = chars.as_str().to_string();
    if !first.is_uppercase()
        || !(rest.chars().all(char::is_lowercase) || rest.chars().all(char::is_uppercase))
    {
        return None;
    }
    let word = format!("{first}{}", rest.to_lowercase());
    if let Some(index) = MONTHS.iter().position(|&name| name == word) {
        return Some((index as u32 + 1, false));
    }
    if word == "Sept" {
        return Some((9, true));
    }
    let index = MONTHS.iter().position(|&name| word.len() == 3 && name.starts_with(&word))?;
    Some((index as u32 + 1, true))
}

/// A day of the month: one or two digits, optionally with an ordinal suffix ("14th").
fn day(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !(1..=2).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|day| (1..=31).contains(day))
}

/// Whether a gap between the parts of a date is spacing on one line, optionally after
/// the full stop of an abbreviated month ("Oct. 14") or a comma before the year
/// ("July 13, 2023").
fn spaced(gap: &str, after_dot: bool, after_comma: bool) -> bool {
    let gap = if after_dot { gap.strip_prefix('.').unwrap_or(gap) } else { gap };
    let gap = if after_comma { gap.strip_prefix(',').unwrap_or(gap) } else { gap };
    crate::tokens::is_inline_space(gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    fn check(text: &str, full: Option<NaiveDate>, without_year: Option<(u32, u32)>) {
        assert_eq!(scan(text), TextDates { full, without_year }, "{text:?}");
    }

    #[test]
    fn full_dates_in_text() {
        let date = Some(ymd(2022, 10, 14));
        check("It was said on October 14, 2022 in Astana.", date, None);
        check("Astana, Oct. 14, 2022.", date, None);
        check("Astana, Oct 14 2022.", date, None);
        check("on October 14th, 2022", date, None);
        check("on 14 October 2022", date, None);
        check("on 14 Oct. 2022", date, None);
        check("on 14th October 2022", date, None);
        check("dated 14.10.2022, signed", date, None);
        check("dated 2022-10-14.", date, None);
        check("at 2022-10-14T09:30 UTC", date, None);
        check("OCTOBER 14, 2022", date, None);
        check("Friday, 14 October 2022", date, None);
        check("Baku, July 13, 2023, AZERTAC", Some(ymd(2023, 7, 13)), None);
    }

    #[test]
    fn the_first_full_date_wins_over_earlier_dates_without_year() {
        check(
            "On July 13 we said it; see 1 August 2023 and 2 August 2023.",
            Some(ymd(2023, 8, 1)),
            Some((7, 13)),
        );
        check("14.10.2022 and October 15, 2022", Some(ymd(2022, 10, 14)), None);
    }

    #[test]
    fn dates_without_year() {
        check("Baku, July 13, AZERTAC", None, Some((7, 13)));
        check("in Astana on October 14.", None, Some((10, 14)));
        check("on 14 October, he said", None, Some((10, 14)));
        check("on October 14, 150 people", None, Some((10, 14)));
        check("on February 29 it was", None, Some((2, 29)));
    }

    #[test]
    fn invalid_dates_are_skipped() {
        check("February 30, 2022 then March 1, 2022", Some(ymd(2022, 3, 1)), None);
        check("on 31.02.2022 or 31 April 2022", None, None);
        check("on February 30 and April 31", None, None);
        check("2022-13-01 2022-02-30", None, None);
    }

    #[test]
    fn false_positives_are_not_dates() {
        check("on 14.10 and in 2022", None, None);
        check("we may 5 times", None, None);
        check("in May 2022", None, None);
        check("October 1850 and October 14, 1850 and 14.10.2150", None, None);
        check("version 1.14.10.2022 and 12022-10-14", None, None);
        check("room 14 Octopus", None, None);
        check("October\n14, 2022", None, None);
        check("page 33 October", None, None);
    }

    #[test]
    fn date_lengths() {
        let check = |text: &str, expected: Option<usize>| {
            assert_eq!(date_length(text, &tokenize(text), 0), expected, "{text:?}");
        };
        check("July 13, 2023, AZERTAC", Some(3));
        check("July 13, AZERTAC", Some(2));
        check("13 July AZERTAC", Some(2));
        check("13.07.2023 AZERTAC", Some(1));
        check("Baku", None);
        check("", None);
    }

    #[test]
    fn stated_values() {
        let date = Some(ymd(2022, 10, 14));
        for value in [
            "2022-10-14",
            " 2022-10-14 ",
            "2022-10-14T10:00:00Z",
            "2022-10-14T23:30:00-05:00",
            "2022-10-14T10:00:00.123+04:00",
            "2022-10-14T10:00:00",
            "2022-10-14 10:00",
            "October 14, 2022",
            "14 October 2022",
            "14.10.2022",
        ] {
            assert_eq!(parse_value(value), date, "{value:?}");
        }
        for value in ["", "soon", "2022-02-30", "October 14", "1850-01-01"] {
            assert_eq!(parse_value(value), None, "{value:?}");
        }
    }

    #[test]
    fn file_names() {
        let check =
            |name: &str, expected: Option<NaiveDate>| assert_eq!(from_file_name(name), expected, "{name}");
        let date = Some(ymd(2022, 10, 14));
        check("2022-10-14_aliyev-cis-astana.txt", date);
        check("speech 2022_10_14.md", date);
        check("speech-2022.10.14.pdf", date);
        check("20221014-speech.docx", date);
        check("mfa_statement_20221014.html", date);
        check("2022-02-30_bad.txt", None);
        check("120221014.txt", None);
        check("2022-10-145.txt", None);
        check("speech-2022.txt", None);
        check("1850-10-14.txt", None);
        check("v2-2022-10-14.txt", date);
        check("2022-10_14.txt", None);
    }

    #[test]
    fn year_for_dates_without_one() {
        let check = |month, day, modified: NaiveDate, expected: Option<NaiveDate>| {
            assert_eq!(resolve_without_year(month, day, modified), expected, "{month}-{day} {modified}");
        };
        check(10, 14, ymd(2022, 11, 2), Some(ymd(2022, 10, 14)));
        check(10, 14, ymd(2022, 10, 14), Some(ymd(2022, 10, 14)));
        check(12, 30, ymd(2023, 1, 3), Some(ymd(2022, 12, 30)));
        check(2, 29, ymd(2023, 6, 1), Some(ymd(2020, 2, 29)));
        check(2, 29, ymd(2024, 3, 1), Some(ymd(2024, 2, 29)));
    }
}
