//! Colours: a colour-blind-safe qualitative palette with a stable colour per country
//! (derived from its code, so a country looks the same in every chart and export), and
//! a sequential scale for the accusation matrix.

use plotters::style::RGBColor;

/// Paul Tol's "muted" scheme: nine colours distinguishable under the common forms of
/// colour blindness.
const QUALITATIVE: [RGBColor; 9] = [
    RGBColor(0x33, 0x22, 0x88),
    RGBColor(0x88, 0xCC, 0xEE),
    RGBColor(0x44, 0xAA, 0x99),
    RGBColor(0x11, 0x77, 0x33),
    RGBColor(0x99, 0x99, 0x33),
    RGBColor(0xDD, 0xCC, 0x77),
    RGBColor(0xCC, 0x66, 0x77),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0xAA, 0x44, 0x99),
];

/// The colour of the "other countries" and "uncategorised" series: neutral, so it
/// never reads as a country.
pub(crate) const NEUTRAL: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// Paul Tol's YlOrBr sequential scheme, light to dark, for counts in the matrix.
const SEQUENTIAL: [RGBColor; 9] = [
    RGBColor(0xFF, 0xFF, 0xE5),
    RGBColor(0xFF, 0xF7, 0xBC),
    RGBColor(0xFE, 0xE3, 0x91),
    RGBColor(0xFE, 0xC4, 0x4F),
    RGBColor(0xFB, 0x9A, 0x29),
    RGBColor(0xEC, 0x70, 0x14),
    RGBColor(0xCC, 0x4C, 0x02),
    RGBColor(0x99, 0x34, 0x04),
    RGBColor(0x66, 0x25, 0x06),
];

/// How a series is drawn: its colour, and a variant that tells apart two series of one
/// chart whose keys happen to share a colour (dashed lines, darker bars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SeriesStyle {
    pub colour: RGBColor,
    pub variant: u8,
}

/// The stable palette colour of a key: a hash of the key picks the slot, so it does not
/// depend on which other series a chart holds. FNV-1a alone spreads two-letter codes
/// poorly over nine slots; the SplitMix64 finaliser mixes its bits first.
fn base_colour(key: &str) -> RGBColor {
    let mut hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^= hash >> 31;
    QUALITATIVE[(hash % QUALITATIVE.len() as u64) as usize]
}

/// The colour of a country (or category) in every chart, as `#rrggbb`, for the app's
/// lists and legends.
pub fn country_colour(code: &str) -> String {
    hex(base_colour(code))
}

pub(crate) fn hex(colour: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", colour.0, colour.1, colour.2)
}

/// Styles for the series of one chart, in order; `neutral` keys get the neutral grey.
pub(crate) fn styles<'a>(keys: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<SeriesStyle> {
    let mut styles: Vec<SeriesStyle> = Vec::new();
    for (key, neutral) in keys {
        let colour = if neutral { NEUTRAL } else { base_colour(key) };
        let variant = styles.iter().filter(|style| style.colour == colour).count() as u8;
        styles.push(SeriesStyle { colour, variant });
    }
    styles
}

/// A darker shade for bars whose colour another series of the chart already uses.
pub(crate) fn shade(colour: RGBColor, variant: u8) -> RGBColor {
    let factor = 1.0 - 0.3 * f64::from(variant.min(2));
    let darken = |channel: u8| (f64::from(channel) * factor).round() as u8;
    RGBColor(darken(colour.0), darken(colour.1), darken(colour.2))
}

/// The matrix colour of `value` on a scale from 0 to `max` (both inclusive).
pub(crate) fn sequential(value: f64, max: f64) -> RGBColor {
    let position = if max > 0.0 { (value / max).clamp(0.0, 1.0) } else { 0.0 };
    let scaled = position * (SEQUENTIAL.len() - 1) as f64;
    let low = scaled.floor() as usize;
    let high = (low + 1).min(SEQUENTIAL.len() - 1);
    let weight = scaled - low as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * weight).round() as u8;
    let (a, b) = (SEQUENTIAL[low], SEQUENTIAL[high]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text on `colour` should be white rather than black, by relative luminance.
pub(crate) fn is_dark(colour: RGBColor) -> bool {
    let luminance =
        0.2126 * f64::from(colour.0) + 0.7152 * f64::from(colour.1) + 0.0722 * f64::from(colour.2);
    luminance < 128.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_keeps_its_colour_whatever_the_chart() {
        let alone = styles([("AM", false)]);
        let with_others = styles([("RU", false), ("TR", false), ("AM", false)]);
        assert_eq!(alone[0].colour, with_others[2].colour);
        assert_eq!(country_colour("AM"), hex(alone[0].colour));
    }

    #[test]
    fn colliding_colours_get_distinct_variants() {
        let keys: Vec<String> = (0..20).map(|i| format!("K{i}")).collect();
        let styles = styles(keys.iter().map(|key| (key.as_str(), false)));
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert!(a != b || a.variant > 2, "two series drawn alike: {a:?}");
            }
        }
    }

    #[test]
    fn sequential_scale_runs_light_to_dark() {
        assert_eq!(sequential(0.0, 10.0), SEQUENTIAL[0]);
        assert_eq!(sequential(10.0, 10.0), SEQUENTIAL[8]);
        assert!(is_dark(sequential(10.0, 10.0)));
        assert!(!is_dark(sequential(1.0, 10.0)));
    }
}
