//! CSV of exactly what a chart draws: one row per bucket and series (time charts), per
//! bar (ranking) or per cell (matrix), after `#` comment lines with the provenance.

use crate::export::Provenance;
use crate::query::{Body, Chart};

/// A field, quoted when it holds a separator, a quote or a line break, and defused
/// when a spreadsheet would read it as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_string() };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Counts as integers, shares with up to four decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.4}");
        text.trim_end_matches('0').to_string()
    }
}

pub(crate) fn write(chart: &Chart, provenance: &Provenance) -> String {
    let mut out = String::from("# Démarche chart export\n");
    for (name, value) in provenance.fields() {
        out.push_str(&format!("# {name}: {}\n", value.replace(['\n', '\r'], " ")));
    }
    if chart.is_empty() {
        out.push_str("# No data for these filters.\n");
    }
    let mut row = |fields: &[String]| {
        out.push_str(&fields.join(","));
        out.push('\n');
    };
    match &chart.body {
        Body::Time(time) => {
            let unit = if time.percent { "percent" } else { "count" };
            row(&["bucket", "bucket_start", "bucket_end", "series", "series_label", unit].map(String::from));
            for (index, period) in time.periods.iter().enumerate() {
                for series in &time.series {
                    row(&[
                        time.bucket.label(period.start),
                        period.start.to_string(),
                        period.end.to_string(),
                        field(&series.key),
                        field(&series.label),
                        number(series.values[index]),
                    ]);
                }
            }
        }
        Body::Ranking(bars) => {
            row(&["rank", "country", "country_name", "count"].map(String::from));
            for (index, bar) in bars.iter().enumerate() {
                row(&[(index + 1).to_string(), field(&bar.key), field(&bar.label), number(bar.value)]);
            }
        }
        Body::Matrix(matrix) => {
            row(&["accuser", "accuser_name", "accused", "accused_name", "accusations"].map(String::from));
            for (accuser, counts) in matrix.accusers.iter().zip(&matrix.counts) {
                for (accused, count) in matrix.accused.iter().zip(counts) {
                    row(&[
                        field(&accuser.key),
                        field(&accuser.label),
                        field(&accused.key),
                        field(&accused.label),
                        number(*count),
                    ]);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        let check = |input: &str, expect: &str| assert_eq!(field(input), expect, "{input}");
        check("Armenia", "Armenia");
        check("Korea, Republic of", "\"Korea, Republic of\"");
        check("say \"no\"", "\"say \"\"no\"\"\"");
        check("=cmd()", "'=cmd()");
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(100.0 / 3.0), "33.3333");
    }
}
