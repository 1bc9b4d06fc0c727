//! The country gazetteer: every ISO 3166-1 country and territory, and the names,
//! aliases and demonyms under which each one appears in text.
//!
//! The data lives in `data/gazetteer/` as reviewable TSV files and is compiled into
//! the binary, so the product works offline and every build resolves the same way.

mod resolve;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

const COUNTRIES_TSV: &str = include_str!("../../../data/gazetteer/countries.tsv");
const ORGANISATIONS_TSV: &str = include_str!("../../../data/gazetteer/organisations.tsv");
const ENTRIES_TSV: &str = include_str!("../../../data/gazetteer/entries.tsv");
const NOT_MENTIONS_TSV: &str = include_str!("../../../data/gazetteer/not_mentions.tsv");

/// What an entry names: the country itself, or something that stands for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Name,
    Alias,
    Demonym,
    Capital,
    Organ,
    City,
    Region,
    Organisation,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Alias => "alias",
            Kind::Demonym => "demonym",
            Kind::Capital => "capital",
            Kind::Organ => "organ",
            Kind::City => "city",
            Kind::Region => "region",
            Kind::Organisation => "organisation",
        }
    }

    fn parse(value: &str) -> Option<Kind> {
        Some(match value {
            "name" => Kind::Name,
            "alias" => Kind::Alias,
            "demonym" => Kind::Demonym,
            "capital" => Kind::Capital,
            "organ" => Kind::Organ,
            "city" => Kind::City,
            "region" => Kind::Region,
            "organisation" => Kind::Organisation,
            _ => return None,
        })
    }
}

/// A country or territory (ISO 3166-1 alpha-2 code) or an international organisation
/// (its acronym), with its display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub is_organisation: bool,
}

/// One phrase that, found in text, refers to a country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub code: String,
    pub kind: Kind,
    pub phrase: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GazetteerError {
    #[error("{file} line {line}: expected {expected} tab-separated columns")]
    Columns { file: &'static str, line: usize, expected: usize },
    #[error("{file} line {line}: unknown kind {kind:?}")]
    UnknownKind { file: &'static str, line: usize, kind: String },
    #[error("{file} line {line}: unknown code {code:?} for this kind (organisation entries need an organisation code, others a country code)")]
    UnknownCode { file: &'static str, line: usize, code: String },
    #[error("{file} line {line}: duplicate {what} {value:?}")]
    Duplicate { file: &'static str, line: usize, what: &'static str, value: String },
}

/// The loaded gazetteer: countries by code and entries by exact phrase.
#[derive(Debug)]
pub struct Gazetteer {
    countries: Vec<Country>,
    entries: Vec<Entry>,
    country_index: HashMap<String, usize>,
    phrase_index: HashMap<String, usize>,
    not_mentions: Vec<String>,
    name_index: OnceLock<resolve::NameIndex>,
}

impl Gazetteer {
    /// The gazetteer compiled from `data/gazetteer/`. Its validity is checked by the
    /// tests of this crate, so a failure here is a build defect, not a user error.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Gazetteer::parse(COUNTRIES_TSV, ORGANISATIONS_TSV, ENTRIES_TSV)
                .and_then(|gazetteer| gazetteer.with_not_mentions(NOT_MENTIONS_TSV))
                .unwrap_or_else(|error| panic!("embedded gazetteer is invalid: {error}"))
        })
    }

    /// Parses the three TSV files. Lines starting with `#` and the header are skipped.
    /// Entries of kind `organisation` must name an organisation, all others a country.
    pub fn parse(
        countries_tsv: &str,
        organisations_tsv: &str,
        entries_tsv: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut gazetteer = Gazetteer {
            countries: Vec::new(),
            entries: Vec::new(),
            country_index: HashMap::new(),
            phrase_index: HashMap::new(),
            not_mentions: Vec::new(),
            name_index: OnceLock::new(),
        };
        let named_files =
            [("countries.tsv", countries_tsv, false), ("organisations.tsv", organisations_tsv, true)];
        for (file, tsv, is_organisation) in named_files {
            for (line, columns) in data_rows(tsv) {
                let [code, name] = columns[..] else {
                    return Err(GazetteerError::Columns { file, line, expected: 2 });
                };
                if gazetteer.country_index.contains_key(code) {
                    let value = code.to_string();
                    return Err(GazetteerError::Duplicate { file, line, what: "code", value });
                }
                gazetteer.country_index.insert(code.to_string(), gazetteer.countries.len());
                let country = Country { code: code.to_string(), name: name.to_string(), is_organisation };
                gazetteer.countries.push(country);
                let kind = if is_organisation { Kind::Organisation } else { Kind::Name };
                gazetteer.add_entry(file, line, code, kind, name)?;
            }
        }
        for (line, columns) in data_rows(entries_tsv) {
            let [code, kind, phrase] = columns[..] else {
                return Err(GazetteerError::Columns { file: "entries.tsv", line, expected: 3 });
            };
            let kind = Kind::parse(kind).ok_or_else(|| GazetteerError::UnknownKind {
                file: "entries.tsv",
                line,
                kind: kind.to_string(),
            })?;
            let names_organisation = gazetteer.country(code).map(|country| country.is_organisation);
            if names_organisation != Some(kind == Kind::Organisation) {
                let code = code.to_string();
                return Err(GazetteerError::UnknownCode { file: "entries.tsv", line, code });
            }
            gazetteer.add_entry("entries.tsv", line, code, kind, phrase)?;
        }
        Ok(gazetteer)
    }

    /// Adds the phrases that must never be counted as mentions (`not_mentions.tsv`).
    pub fn with_not_mentions(mut self, not_mentions_tsv: &str) -> Result<Gazetteer, GazetteerError> {
        let file = "not_mentions.tsv";
        for (line, columns) in data_rows(not_mentions_tsv) {
            let [phrase, _reason] = columns[..] else {
                return Err(GazetteerError::Columns { file, line, expected: 2 });
            };
            if self.phrase_index.contains_key(phrase) || self.not_mentions.iter().any(|known| known == phrase)
            {
                let value = phrase.to_string();
                return Err(GazetteerError::Duplicate { file, line, what: "phrase", value });
            }
            self.not_mentions.push(phrase.to_string());
        }
        Ok(self)
    }

    /// The country code for a free-standing country name as found in spreadsheets and
    /// metadata ("Bahamas, The", "Br. Virgin Isds"); `None` for anything that is not a
    /// country, such as a city or a US state.
    pub fn resolve_name(&self, name: &str) -> Option<&str> {
        self.name_index.get_or_init(|| resolve::NameIndex::build(self)).resolve(name)
    }

    /// Phrases that look like mentions but must not be counted.
    pub fn not_mentions(&self) -> &[String] {
        &self.not_mentions
    }

    fn add_entry(
        &mut self,
        file: &'static str,
        line: usize,
        code: &str,
        kind: Kind,
        phrase: &str,
    ) -> Result<(), GazetteerError> {
        if self.phrase_index.contains_key(phrase) {
            let value = phrase.to_string();
            return Err(GazetteerError::Duplicate { file, line, what: "phrase", value });
        }
        self.phrase_index.insert(phrase.to_string(), self.entries.len());
        self.entries.push(Entry { code: code.to_string(), kind, phrase: phrase.to_string() });
        Ok(())
    }

    /// Countries and territories, then organisations.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_index.get(code).map(|&index| &self.countries[index])
    }

    /// The entry whose phrase is exactly `phrase` (case-sensitive, as written in text),
    /// also trying without a leading "the " ("the Russian Federation").
    pub fn lookup(&self, phrase: &str) -> Option<&Entry> {
        let phrase = phrase.trim();
        self.phrase_index
            .get(phrase)
            .or_else(|| {
                let rest = phrase.strip_prefix("the ").or_else(|| phrase.strip_prefix("The "))?;
                self.phrase_index.get(rest)
            })
            .map(|&index| &self.entries[index])
    }
}

/// Yields (1-based line number, columns) for every data line: not blank, not a comment,
/// not the header (the first non-comment line).
pub(crate) fn data_rows(tsv: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    tsv.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .skip(1)
        .map(|(index, line)| (index + 1, line.split('\t').collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_valid_and_complete() {
        let gazetteer =
            Gazetteer::parse(COUNTRIES_TSV, ORGANISATIONS_TSV, ENTRIES_TSV).expect("valid gazetteer");
        let countries: Vec<_> = gazetteer.countries().iter().filter(|c| !c.is_organisation).collect();
        assert_eq!(countries.len(), 249, "every ISO 3166-1 code once");
        assert!(countries
            .iter()
            .all(|country| country.code.len() == 2 && country.code.chars().all(|c| c.is_ascii_uppercase())));
        assert!(gazetteer.country("NATO").is_some_and(|nato| nato.is_organisation));
    }

    #[test]
    fn lookup_resolves_names_aliases_and_demonyms() {
        let gazetteer = Gazetteer::embedded();
        let check = |phrase: &str, expected: Option<(&str, Kind)>| {
            let found = gazetteer.lookup(phrase).map(|entry| (entry.code.as_str(), entry.kind));
            assert_eq!(found, expected, "{phrase}");
        };
        check("Azerbaijan", Some(("AZ", Kind::Name)));
        check("the United States", Some(("US", Kind::Name)));
        check("the Russian Federation", Some(("RU", Kind::Alias)));
        check("Azerbaijani", Some(("AZ", Kind::Demonym)));
        check("azerbaijan", None);
        check("Atlantis", None);
    }

    #[test]
    fn parse_reports_bad_rows_with_file_and_line() {
        let countries = "code\tname\nAZ\tAzerbaijan\n";
        let organisations = "code\tname\nUN\tUnited Nations\n";
        let parse =
            |entries: &str| Gazetteer::parse(countries, organisations, entries).unwrap_err().to_string();
        assert!(parse("code\tkind\tphrase\nXX\talias\tNowhere\n")
            .starts_with("entries.tsv line 2: unknown code \"XX\""));
        assert!(parse("code\tkind\tphrase\nUN\talias\tthe UN\n")
            .starts_with("entries.tsv line 2: unknown code \"UN\""));
        assert!(parse("code\tkind\tphrase\nAZ\torganisation\tBaku Club\n")
            .starts_with("entries.tsv line 2: unknown code"));
        assert_eq!(
            parse("code\tkind\tphrase\nAZ\tnickname\tAzeri land\n"),
            "entries.tsv line 2: unknown kind \"nickname\""
        );
        assert_eq!(
            parse("code\tkind\tphrase\nAZ\talias\tAzerbaijan\n"),
            "entries.tsv line 2: duplicate phrase \"Azerbaijan\""
        );
        let error = Gazetteer::parse("code\tname\nAZ\n", organisations, "").unwrap_err();
        assert_eq!(error.to_string(), "countries.tsv line 2: expected 2 tab-separated columns");
    }
}
