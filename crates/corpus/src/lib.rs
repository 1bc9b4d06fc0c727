//! A synthetic corpus of official statements for benchmarks: realistic English
//! statements (press releases, spokesperson remarks, news items) built from the
//! gazetteer and sentence templates, with dates spread over ten years, speakers,
//! outlets, country mentions and accusations at realistic rates.
//!
//! Statement `i` of seed `s` is a pure function of `(s, i)`: any prefix or any slice of
//! a corpus can be generated alone, in any order, on any number of threads, and always
//! comes out byte for byte the same. The people and outlets are invented (first and
//! last names drawn from fixed lists), so no real person is ever quoted.

mod templates;

use chrono::{Datelike, Days, NaiveDate};
use demarche_gazetteer::{Gazetteer, Kind};

use templates::{
    ACCUSATIONS, APPEALS, FILLERS, FIRST_NAMES, LAST_NAMES, NEUTRAL, ORGANISATIONS, OUTLETS, ROLES, TITLES,
    TOPICS, WEEKDAYS,
};

/// The file formats a generated statement comes in, with their share of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with `---` front matter (60 %).
    Markdown,
    /// Plain text with front matter (10 %).
    Text,
    /// One JSON statement object (20 %).
    Json,
    /// An HTML page with `<meta>` tags (10 %).
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Json => "json",
            Format::Html => "html",
        }
    }
}

/// One generated statement file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// A path relative to the corpus folder: `YEAR/DATE_INDEX.EXT`, so no folder holds
    /// more than about a tenth of the corpus.
    pub relative_path: String,
    pub format: Format,
    /// The file's bytes, ready to be written.
    pub bytes: Vec<u8>,
    pub date: NaiveDate,
    /// Whether the statement was built to carry accusations (about a third are).
    pub accusatory: bool,
}

impl Statement {
    /// The file name alone (the reader takes the format and a date from it).
    pub fn file_name(&self) -> &str {
        self.relative_path.rsplit('/').next().unwrap_or(&self.relative_path)
    }
}

/// The first and the last day a statement may carry: ten years.
const FIRST_DAY: (i32, u32, u32) = (2015, 1, 1);
const DAYS: u64 = 3653;

/// Countries named more often than others, as in real news: the rest follow in
/// gazetteer order with a steeply falling share.
const PROMINENT: &[&str] = &[
    "US", "RU", "CN", "UA", "FR", "GB", "DE", "TR", "IR", "IL", "AZ", "AM", "IN", "JP", "PS", "SY", "KP",
    "KR", "SA", "PL", "GE", "BY", "AF", "IQ", "PK", "EG", "QA", "VE", "BR", "CA", "IT", "ES", "KZ", "RS",
    "TW", "LB",
];

/// The words a template may use for one country.
#[derive(Debug, Clone)]
struct CountryWords {
    code: String,
    name: String,
    demonym: String,
    capital: String,
}

/// The corpus of one seed.
pub struct Corpus {
    seed: u64,
    countries: Vec<CountryWords>,
}

impl Corpus {
    pub fn new(seed: u64) -> Corpus {
        Corpus { seed, countries: country_words(Gazetteer::embedded()) }
    }

    /// Statement number `index` of this corpus.
    pub fn statement(&self, index: u64) -> Statement {
        let mut random = Random::new(self.seed, index);
        let date = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a valid day")
            + Days::new(random.below(DAYS as usize) as u64);
        let home = self.country(&mut random);
        let mut focus = vec![self.country(&mut random)];
        for _ in 0..random.below(3) {
            focus.push(self.country(&mut random));
        }
        focus.retain(|country| country.code != home.code);
        if focus.is_empty() {
            focus.push(
                &self.countries[(self.countries.iter().position(|c| c.code == home.code).unwrap_or(0) + 1)
                    % self.countries.len()],
            );
        }
        let speaker = speaker_name(&home.code, random.below(4));
        let role = ROLES[random.below(ROLES.len())];
        let outlet = OUTLETS[random.below(OUTLETS.len())];
        let accusatory = random.below(100) < 35;
        let scene = Scene { home, focus: &focus, speaker: &speaker, role, corpus: self };
        let title = scene.fill(TITLES[random.below(TITLES.len())], &mut random);
        let target = 3000 + random.below(3000);
        let paragraphs = scene.paragraphs(target.saturating_sub(400), accusatory, &mut random);
        let format = match random.below(10) {
            0..=5 => Format::Markdown,
            6 => Format::Text,
            7 | 8 => Format::Json,
            _ => Format::Html,
        };
        let slug = date.format("%Y/%m/%d").to_string();
        let url = format!("https://{}/statements/{slug}/{index}", outlet_host(outlet));
        let meta = Meta {
            date,
            title: &title,
            source: outlet,
            speaker: &speaker,
            speaker_country: &home.code,
            url: &url,
        };
        let bytes = match format {
            Format::Markdown | Format::Text => front_matter_file(&meta, &paragraphs),
            Format::Json => json_file(&meta, &paragraphs),
            Format::Html => html_file(&meta, &paragraphs),
        };
        let relative_path = format!("{}/{}_{index:07}.{}", date.year(), date, format.extension());
        Statement { relative_path, format, bytes, date, accusatory }
    }

    /// A country drawn with a steeply skewed distribution: a few countries make most of
    /// the news. Cubing a uniform draw puts a third of the draws in the first 1 %.
    fn country(&self, random: &mut Random) -> &CountryWords {
        let uniform = random.unit();
        let index = (uniform * uniform * uniform * self.countries.len() as f64) as usize;
        &self.countries[index.min(self.countries.len() - 1)]
    }
}

/// Each country's display name with a demonym and a capital from the gazetteer, the
/// prominent countries first.
fn country_words(gazetteer: &Gazetteer) -> Vec<CountryWords> {
    let first_of = |code: &str, kind: Kind| -> Option<String> {
        let mut phrases: Vec<&str> = gazetteer
            .entries()
            .iter()
            .filter(|entry| entry.code == code && entry.kind == kind)
            .map(|entry| entry.phrase.as_str())
            // Adjectives and ASCII spellings read best in running English.
            .filter(|phrase| phrase.is_ascii() && !(kind == Kind::Demonym && phrase.ends_with('s')))
            .collect();
        phrases.sort_by_key(|phrase| phrase.len());
        phrases.first().map(|phrase| phrase.to_string())
    };
    let mut words: Vec<CountryWords> = gazetteer
        .countries()
        .iter()
        .filter(|country| !country.is_organisation)
        .filter_map(|country| {
            Some(CountryWords {
                code: country.code.clone(),
                name: country.name.clone(),
                demonym: first_of(&country.code, Kind::Demonym)?,
                capital: first_of(&country.code, Kind::Capital)?,
            })
        })
        .collect();
    words.sort_by_key(|words| {
        PROMINENT.iter().position(|code| *code == words.code).unwrap_or(PROMINENT.len())
    });
    words
}

/// An invented person of a country: the same code and number always give the same name.
fn speaker_name(code: &str, number: usize) -> String {
    let hash =
        code.bytes().fold(number as u64 + 7, |hash, byte| hash.wrapping_mul(31).wrapping_add(byte as u64));
    let first = FIRST_NAMES[(hash % FIRST_NAMES.len() as u64) as usize];
    let last = LAST_NAMES[((hash / 7) % LAST_NAMES.len() as u64) as usize];
    format!("{first} {last}")
}

fn outlet_host(outlet: &str) -> String {
    let words: String =
        outlet.chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ').collect::<String>().to_lowercase();
    format!("{}.example", words.split_whitespace().collect::<Vec<_>>().join("-"))
}

/// The people and places one statement is about.
struct Scene<'a> {
    home: &'a CountryWords,
    focus: &'a [&'a CountryWords],
    speaker: &'a str,
    role: &'a str,
    corpus: &'a Corpus,
}

impl Scene<'_> {
    /// Paragraphs of two to five sentences until the text reaches `target` bytes.
    /// Accusatory statements make an accusation in about one sentence in six, others
    /// rarely; appeals and denials, which name a country without accusing it, come in
    /// between; two thirds of the sentences name no country, which gives some 30 mentions
    /// per statement (7 per kilobyte; the sample statement of `data/samples` has 13).
    fn paragraphs(&self, target: usize, accusatory: bool, random: &mut Random) -> Vec<String> {
        let accusation_rate = if accusatory { 16 } else { 1 };
        let mut paragraphs = Vec::new();
        let mut length = 0;
        while length < target {
            let sentences = 2 + random.below(4);
            let mut paragraph = String::new();
            for _ in 0..sentences {
                let roll = random.below(100);
                let list = if roll < accusation_rate {
                    ACCUSATIONS
                } else if roll < accusation_rate + 6 {
                    APPEALS
                } else if roll < accusation_rate + 74 {
                    FILLERS
                } else {
                    NEUTRAL
                };
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(&self.fill(list[random.below(list.len())], random));
            }
            length += paragraph.len() + 2;
            paragraphs.push(paragraph);
        }
        paragraphs
    }

    /// A template with its slots filled: `{A}` the speaker's country, `{B}` a country in
    /// focus, `{C}` any country; `dem` and `cap` suffixes for the demonym and capital;
    /// `{speaker}`, `{role}`, `{org}`, `{topic}`, `{weekday}`, `{number}`.
    fn fill(&self, template: &str, random: &mut Random) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        let focus = self.focus[random.below(self.focus.len())];
        let other = self.corpus.country(random);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("templates close their slots");
            let slot = &rest[open + 1..close];
            let (who, word) = slot.split_at(1.min(slot.len()));
            let country = match who {
                "A" => Some(self.home),
                "B" => Some(focus),
                "C" => Some(other),
                _ => None,
            };
            match (country, word) {
                (Some(country), "") => out.push_str(&country.name),
                (Some(country), "dem") => out.push_str(&country.demonym),
                (Some(country), "cap") => out.push_str(&country.capital),
                _ => match slot {
                    "speaker" => out.push_str(self.speaker),
                    "role" => out.push_str(self.role),
                    "org" => out.push_str(ORGANISATIONS[random.below(ORGANISATIONS.len())]),
                    "topic" => out.push_str(TOPICS[random.below(TOPICS.len())]),
                    "weekday" => out.push_str(WEEKDAYS[random.below(WEEKDAYS.len())]),
                    "number" => out.push_str(&(2 + random.below(40)).to_string()),
                    _ => panic!("unknown template slot {{{slot}}}"),
                },
            }
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// What a statement file states about itself.
struct Meta<'a> {
    date: NaiveDate,
    title: &'a str,
    source: &'a str,
    speaker: &'a str,
    speaker_country: &'a str,
    url: &'a str,
}

fn front_matter_file(meta: &Meta, paragraphs: &[String]) -> Vec<u8> {
    let mut text = format!(
        "---\ndate: {}\ntitle: \"{}\"\nsource: {}\nspeaker: {}\nspeaker_country: {}\nurl: {}\n---\n\n",
        meta.date, meta.title, meta.source, meta.speaker, meta.speaker_country, meta.url
    );
    text.push_str(&paragraphs.join("\n\n"));
    text.push('\n');
    text.into_bytes()
}

fn json_file(meta: &Meta, paragraphs: &[String]) -> Vec<u8> {
    let object = serde_json::json!({
        "title": meta.title,
        "date": meta.date.to_string(),
        "source": meta.source,
        "speaker": meta.speaker,
        "speaker_country": meta.speaker_country,
        "url": meta.url,
        "text": paragraphs.join("\n\n"),
    });
    let mut bytes = serde_json::to_vec_pretty(&object).expect("a JSON value serialises");
    bytes.push(b'\n');
    bytes
}

fn html_file(meta: &Meta, paragraphs: &[String]) -> Vec<u8> {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <meta property=\"article:published_time\" content=\"{date}T10:00:00Z\">\n\
         <meta property=\"og:site_name\" content=\"{source}\">\n<meta name=\"author\" content=\"{speaker}\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n</head>\n<body>\n<nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav>\n\
         <article>\n<h1>{title}</h1>\n",
        title = escape(meta.title),
        date = meta.date,
        source = escape(meta.source),
        speaker = escape(meta.speaker),
        url = escape(meta.url),
    );
    for paragraph in paragraphs {
        html.push_str("<p>");
        html.push_str(&escape(paragraph));
        html.push_str("</p>\n");
    }
    html.push_str("</article>\n</body>\n</html>\n");
    html.into_bytes()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// SplitMix64, seeded from the corpus seed and the statement number: small, fast and
/// good enough to vary text; the standard library has no seeded generator.
struct Random(u64);

impl Random {
    fn new(seed: u64, index: u64) -> Random {
        let mut random = Random(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        random.next();
        random
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests;
