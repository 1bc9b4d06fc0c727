//! Resolving a free-standing country name ("Bahamas, The", "Iran (Islamic Republic of)",
//! "Br. Virgin Isds", a mis-encoded "CÃ´te d'Ivoire") to its country, as found in
//! spreadsheets, database exports and metadata fields.
//!
//! Unlike the mention finder, which reads running text case-sensitively, this works on a
//! whole string: it repairs mojibake, folds case and diacritics, expands abbreviations,
//! reorders inverted names, and as a last resort accepts one unambiguous close spelling.
//! Names of cities, regions and other non-countries resolve to nothing.

use std::collections::HashMap;

use crate::{data_rows, Gazetteer, Kind};

const NAME_VARIANTS_TSV: &str = include_str!("../../../data/gazetteer/name_variants.tsv");

/// Abbreviations of database-style country names, expanded word by word.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("is", "islands"),
    ("isds", "islands"),
    ("isl", "islands"),
    ("rep", "republic"),
    ("dem", "democratic"),
    ("st", "saint"),
    ("ste", "sainte"),
    ("terr", "territory"),
    ("br", "british"),
    ("n", "northern"),
    ("neth", "netherlands"),
    ("antil", "antilles"),
    ("occ", "occupied"),
    ("fed", "federated"),
    ("fs", "federated states of"),
    ("utd", "united"),
];

/// Qualifiers in parentheses that say the name is a subdivision, not a country.
const SUBDIVISION_WORDS: &[&str] = &["state", "province", "county", "city", "region", "district"];

/// Normalised names (kinds name and alias) to country codes, and the normalised phrases
/// that must resolve to nothing (cities, regions, capitals, not-mentions).
#[derive(Debug, Default)]
pub(crate) struct NameIndex {
    countries: HashMap<String, String>,
    non_countries: HashMap<String, ()>,
    /// Resolver-only names (`name_variants.tsv`), checked before anything else.
    variants: HashMap<String, String>,
}

impl NameIndex {
    pub(crate) fn build(gazetteer: &Gazetteer) -> NameIndex {
        let mut index = NameIndex::default();
        for entry in gazetteer.entries() {
            let key = normalise(&entry.phrase);
            match entry.kind {
                Kind::Name | Kind::Alias => {
                    index.countries.entry(key).or_insert_with(|| entry.code.clone());
                }
                Kind::Demonym => {}
                _ => drop(index.non_countries.insert(key, ())),
            }
        }
        for phrase in gazetteer.not_mentions() {
            index.non_countries.insert(normalise(phrase), ());
        }
        // A name that is both (a country name that is also some city's name) is a country.
        index.non_countries.retain(|key, _| !index.countries.contains_key(key));
        for (_, columns) in data_rows(NAME_VARIANTS_TSV) {
            if let [code, variant] = columns[..] {
                index.variants.insert(normalise(variant), code.to_string());
            }
        }
        index
    }

    /// The country code for a free-standing name.
    pub(crate) fn resolve(&self, name: &str) -> Option<&str> {
        let repaired = repair_mojibake(name);
        let (base, qualifier) = split_qualifier(&repaired);
        if let Some(qualifier) = &qualifier {
            // "Holy See (Vatican City State)": the qualifier may be part of the name.
            let whole = normalise(&format!("{base} {qualifier}"));
            if let Some(code) = self.variants.get(&whole).or_else(|| self.countries.get(&whole)) {
                return Some(code);
            }
            if names_subdivision(qualifier) {
                return None;
            }
        }
        let mut candidates = vec![base.clone()];
        // "Bahamas, The", "Iran, Islamic Republic of": the part after the comma first.
        if let Some((head, tail)) = base.split_once(',') {
            candidates.push(format!("{tail} {head}"));
            candidates.push(head.to_string());
        }
        // "Tanzania: Zanzibar": the country before the colon.
        if let Some((head, _)) = base.split_once(':') {
            candidates.push(head.to_string());
        }
        let keys: Vec<String> = candidates.iter().map(|candidate| normalise(candidate)).collect();
        for key in &keys {
            if let Some(code) = self.variants.get(key) {
                return Some(code);
            }
            if self.non_countries.contains_key(key) {
                return None;
            }
            if let Some(code) = self.countries.get(key) {
                return Some(code);
            }
        }
        keys.iter().find_map(|key| self.closest(key))
    }

    /// The one country name within a small edit distance of `key`, if exactly one is
    /// nearest: catches misspellings ("Mexiko", "Gabun") without guessing between two.
    fn closest(&self, key: &str) -> Option<&str> {
        let length = key.chars().count();
        let allowed = match length {
            0..=4 => return None,
            5..=9 => 1,
            _ => 2,
        };
        let mut best: Option<(usize, &str)> = None;
        let mut tied = false;
        for (name, code) in &self.countries {
            if name.chars().count().abs_diff(length) > allowed {
                continue;
            }
            let distance = edit_distance(key, name);
            if distance > allowed {
                continue;
            }
            match best {
                Some((best_distance, best_code)) if distance == best_distance && best_code != code => {
                    tied = true
                }
                Some((best_distance, _)) if distance >= best_distance => {}
                _ => {
                    best = Some((distance, code));
                    tied = false;
                }
            }
        }
        best.filter(|_| !tied).map(|(_, code)| code)
    }
}

/// Undoes UTF-8 text decoded as Latin-1/Windows-1252 ("CÃ´te" → "Côte"), repeatedly, as
/// long as the text still looks mis-decoded and re-decoding is valid.
fn repair_mojibake(name: &str) -> String {
    let mut text = name.to_string();
    for _ in 0..3 {
        if !text.contains(['Ã', 'Â']) {
            break;
        }
        let bytes: Option<Vec<u8>> = text.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
        match bytes.and_then(|bytes| String::from_utf8(bytes).ok()) {
            Some(repaired) => text = repaired,
            None => break,
        }
    }
    text
}

/// Splits "Name (qualifier)" into its parts; the name is also cleared of quotes.
fn split_qualifier(name: &str) -> (String, Option<String>) {
    let name = name.trim().trim_matches('"');
    match (name.find('('), name.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            let base = format!("{} {}", &name[..open], &name[close + 1..]);
            (base.trim().to_string(), Some(name[open + 1..close].trim().to_string()))
        }
        _ => (name.to_string(), None),
    }
}

/// "(US state)" marks a subdivision; "(Plurinational State of)" is the rest of a formal
/// name, recognisable by its final "of".
fn names_subdivision(qualifier: &str) -> bool {
    let qualifier = normalise(qualifier);
    !qualifier.ends_with(" of") && qualifier.split(' ').any(|word| SUBDIVISION_WORDS.contains(&word))
}

/// Lower case, no diacritics, "&" as "and", abbreviations expanded, punctuation and a
/// leading "the" dropped, single spaces.
pub(crate) fn normalise(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '&' | '/' | '+' => folded.push_str(" and "),
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '´' => {}
            c if c.is_alphanumeric() => folded.extend(fold_diacritic(c).to_lowercase()),
            _ => folded.push(' '),
        }
    }
    let mut words: Vec<&str> = Vec::new();
    for word in folded.split_whitespace() {
        match ABBREVIATIONS.iter().find(|(short, _)| *short == word) {
            Some((_, long)) => words.extend(long.split(' ')),
            None => words.push(word),
        }
    }
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    words.join(" ")
}

/// The base letter of a Latin letter with a diacritic; other characters unchanged.
fn fold_diacritic(c: char) -> char {
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäåāăą", 'a'),
        ("ÀÁÂÃÄÅĀĂĄ", 'A'),
        ("çćĉċč", 'c'),
        ("ÇĆĈĊČ", 'C'),
        ("ďđ", 'd'),
        ("èéêëēĕėęě", 'e'),
        ("ÈÉÊËĒĔĖĘĚ", 'E'),
        ("ìíîïĩīĭįı", 'i'),
        ("ÌÍÎÏĨĪĬĮİ", 'I'),
        ("ñńņňŉ", 'n'),
        ("ÑŃŅŇ", 'N'),
        ("òóôõöøōŏő", 'o'),
        ("ÒÓÔÕÖØŌŎŐ", 'O'),
        ("śŝşšș", 's'),
        ("ŚŜŞŠȘ", 'S'),
        ("ţťțŧ", 't'),
        ("ùúûüũūŭůűų", 'u'),
        ("ÙÚÛÜŨŪŬŮŰŲ", 'U'),
        ("ýÿŷ", 'y'),
        ("ÝŸŶ", 'Y'),
        ("źżž", 'z'),
        ("ŹŻŽ", 'Z'),
    ];
    FOLDS.iter().find(|(letters, _)| letters.contains(c)).map_or(c, |(_, base)| *base)
}

/// Damerau–Levenshtein distance (optimal string alignment) over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_variants_name_known_countries_only() {
        let gazetteer = Gazetteer::embedded();
        for (line, columns) in data_rows(NAME_VARIANTS_TSV) {
            let [code, variant] = columns[..] else { panic!("name_variants.tsv line {line}: two columns") };
            let country = gazetteer.country(code);
            assert!(country.is_some_and(|c| !c.is_organisation), "line {line}: unknown country {code}");
            assert!(
                gazetteer
                    .lookup(variant)
                    .is_none_or(|entry| entry.kind != Kind::Name && entry.kind != Kind::Alias),
                "line {line}: {variant:?} is already a name or alias"
            );
        }
    }

    #[test]
    fn normalisation() {
        let check = |input: &str, expected: &str| assert_eq!(normalise(input), expected, "{input:?}");
        check("Antigua & Barbuda", "antigua and barbuda");
        check("Åland Is.", "aland islands");
        check("The Gambia", "gambia");
        check("Côte d'Ivoire", "cote divoire");
        check("St. Pierre and Miquelon", "saint pierre and miquelon");
    }

    #[test]
    fn mojibake_is_repaired() {
        assert_eq!(repair_mojibake("CÃ´te"), "Côte");
        assert_eq!(repair_mojibake("CÃ\u{83}Â´te"), "Côte");
        assert_eq!(repair_mojibake("Ãland"), "Ãland", "left alone when re-decoding fails");
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("mexiko", "mexico"), 1);
        assert_eq!(edit_distance("caribian", "caribbean"), 2);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn resolution() {
        let gazetteer = Gazetteer::embedded();
        let check = |name: &str, expected: Option<&str>| {
            assert_eq!(gazetteer.resolve_name(name), expected, "{name:?}")
        };
        check("azerbaijan", Some("AZ"));
        check("\"Bahamas, The\"", Some("BS"));
        check("Bolivia (Plurinational State of)", Some("BO"));
        check("Mexiko", Some("MX"));
        check("Georgia (US state)", None);
        check("Belgium and Luxembourg", None);
        check("Atlantis", None);
    }
}
