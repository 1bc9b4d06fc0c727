//! Completes a statement's metadata: values the file states win; the rest is inferred
//! from the file name, the text and the modification time.
//!
//! Inference prefers precision to recall: an outlet, a speaker or a speaker's country is
//! only taken from a few explicit phrasings ("Qazet.az reports", "(Reuters) -",
//! "President Ilham Aliyev", "the President of Azerbaijan"), never guessed from a bare
//! capitalised word. Countries are resolved with the gazetteer, not a list kept here.

use chrono::NaiveDate;
use demarche_gazetteer::{Gazetteer, Kind};

use crate::dates;
use crate::tokens::{gap_after, is_capitalised, is_inline_space, tokenize, Token};
use crate::{Extracted, FileInput, Format, MetaSource, Metadata, Sourced};

/// Titles made from the first line are cut to about this many characters.
const TITLE_CHARS: usize = 200;

/// Inference reads at most this much of the text. The phrases it looks for sit near the
/// top of a statement, and scanning a huge document's every word would cost memory
/// and time for nothing.
const INFERENCE_BYTES: usize = 1024 * 1024;

/// Record a value a file states (front matter, JSON field) under its key. Empty values,
/// dates that cannot be read and countries the gazetteer does not know are ignored so
/// that inference can still fill them in; unknown keys are ignored.
pub(crate) fn state(meta: &mut Metadata, key: &str, value: &str, source: MetaSource) {
    let value = value.trim();
    if value.is_empty() {
        return;
    }
    let text = Some(Sourced::new(value.to_string(), source));
    match key {
        "title" => meta.title = text,
        "source" => meta.source = text,
        "speaker" => meta.speaker = text,
        "url" => meta.url = text,
        "date" => {
            if let Some(date) = dates::parse_value(value) {
                meta.date = Some(Sourced::new(date, source));
            }
        }
        "speaker_country" => {
            if let Some(code) = country_code(value) {
                meta.speaker_country = Some(Sourced::new(code, source));
            }
        }
        _ => {}
    }
}

/// The ISO code for a stated country: a code the gazetteer knows ("AZ", "az"), or a
/// country's name, alias or demonym ("Azerbaijan", "the United States", "Chinese").
fn country_code(value: &str) -> Option<String> {
    let gazetteer = Gazetteer::embedded();
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        let code = value.to_ascii_uppercase();
        if gazetteer.country(&code).is_some() {
            return Some(code);
        }
    }
    country_in_phrase(value)
}

/// The country a phrase names, if the gazetteer knows it as a country's name, alias or
/// demonym (not a capital or city, which would be a guess about the speaker).
fn country_in_phrase(phrase: &str) -> Option<String> {
    let entry = Gazetteer::embedded().lookup(phrase)?;
    matches!(entry.kind, Kind::Name | Kind::Alias | Kind::Demonym).then(|| entry.code.clone())
}

/// The full metadata of one statement: stated values first, then inference.
pub(crate) fn complete(extracted: &Extracted, format: Format, input: &FileInput) -> Metadata {
    let stated = extracted.stated.clone();
    let text = head(&extracted.text, INFERENCE_BYTES);
    let inferred = |value: Option<String>| value.map(|value| Sourced::new(value, MetaSource::Text));
    Metadata {
        title: stated.title.or_else(|| first_line_title(text, format == Format::Markdown)),
        date: stated.date.or_else(|| infer_date(text, input)),
        source: stated.source.or_else(|| inferred(find_source(text))),
        speaker: stated.speaker.or_else(|| inferred(find_speaker(text))).or_else(|| {
            let author = extracted.author.as_deref()?.trim();
            (!author.is_empty()).then(|| Sourced::new(author.to_string(), MetaSource::DocumentProperties))
        }),
        speaker_country: stated.speaker_country.or_else(|| inferred(find_speaker_country(text))),
        url: stated.url,
    }
}

/// The start of `text`, at most `bytes` long, cut at a character boundary.
fn head(text: &str, bytes: usize) -> &str {
    if text.len() <= bytes {
        return text;
    }
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The first non-empty line, trimmed and cut at a word boundary near 200 characters
/// (marked with "…"). In Markdown a leading `#` heading's marks are dropped, so
/// "# Statement" gives the title "Statement"; the text itself keeps them.
fn first_line_title(text: &str, markdown: bool) -> Option<Sourced<String>> {
    let line = text.lines().map(|line| heading_text(line.trim(), markdown)).find(|line| !line.is_empty())?;
    let title = match line.char_indices().nth(TITLE_CHARS) {
        None => line.to_string(),
        Some((cut, _)) => {
            // Cut at the last space before the limit, unless that would leave too little.
            let head = &line[..cut];
            let head = match head.rfind(char::is_whitespace) {
                Some(space) if space >= cut / 2 => &head[..space],
                _ => head,
            };
            format!("{}…", head.trim_end())
        }
    };
    Some(Sourced::new(title, MetaSource::FirstLine))
}

/// A Markdown heading line's text without its `#` marks; other lines as they are.
fn heading_text(line: &str, markdown: bool) -> &str {
    let hashes = line.len() - line.trim_start_matches('#').len();
    let rest = &line[hashes..];
    if markdown && (1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with([' ', '\t'])) {
        rest.trim().trim_end_matches('#').trim_end()
    } else {
        line
    }
}

/// The date when the file does not state one: an ISO date in the file name, the first
/// full date in the text, a date without a year in the text (its year from the
/// modification time), and last the modification date itself.
fn infer_date(text: &str, input: &FileInput) -> Option<Sourced<NaiveDate>> {
    if let Some(date) = dates::from_file_name(input.file_name) {
        return Some(Sourced::new(date, MetaSource::FileName));
    }
    let found = dates::scan(text);
    if let Some(date) = found.full {
        return Some(Sourced::new(date, MetaSource::Text));
    }
    let modified = input.modified?.date();
    if let Some((month, day)) = found.without_year {
        if let Some(date) = dates::resolve_without_year(month, day, modified) {
            return Some(Sourced::new(date, MetaSource::TextWithoutYear));
        }
    }
    Some(Sourced::new(modified, MetaSource::FileModified))
}

// ---------------------------------------------------------------------------------------
// Outlets

/// Agencies whose names are ordinary capitalised words, so their shape alone does not
/// mark them as outlets. Names with dots (Qazet.az) or several capitals (TASS, AzerTAc)
/// are recognised by shape and need not be listed.
const AGENCIES: &[&str] = &[
    "Reuters",
    "Xinhua",
    "Interfax",
    "Trend",
    "Bloomberg",
    "Anadolu",
    "Sputnik",
    "Yonhap",
    "Kyodo",
    "Bernama",
    "Armenpress",
    "Ukrinform",
    "Kazinform",
    "Tasnim",
    "Report",
];

/// The outlet that published or relayed the statement, from the first of these phrasings
/// in the text: "Qazet.az reports/reported", "reports Qazet.az", "according to TASS",
/// "(Reuters) -" or "(AzerTAc)" ending a line, "– Reuters" ending a line, a dateline
/// ("Baku, July 13, AZERTAC"), or a "Source: …" line.
fn find_source(text: &str) -> Option<String> {
    let tokens = tokenize(text);
    let by_words = (0..tokens.len()).find_map(|index| source_at(text, &tokens, index));
    let by_line = source_line(text);
    match (by_words, by_line) {
        (Some(words), Some(line)) => Some(if line.0 < words.0 { line.1 } else { words.1 }),
        (words, line) => words.or(line).map(|(_, name)| name),
    }
}

/// An outlet named by the phrasing around word `index`, with where the phrasing starts.
fn source_at(text: &str, tokens: &[Token], index: usize) -> Option<(usize, String)> {
    let token = tokens[index];
    let word = |offset: usize| tokens.get(index + offset).map(|token| token.text);
    let gap = |offset: usize| gap_after(text, tokens, index + offset);
    let found = |name: &str| Some((token.start, name.to_string()));
    // "Qazet.az reports", "TASS reported"
    if is_outlet(token.text) && matches!(word(1), Some("reports" | "reported")) && is_inline_space(gap(0)) {
        return found(token.text);
    }
    // "…, reports Qazet.az"
    if matches!(token.text, "reports" | "reported") && is_inline_space(gap(0)) {
        if let Some(name) = word(1).filter(|name| is_outlet(name)) {
            return found(name);
        }
    }
    // "according to TASS"
    if matches!(token.text, "according" | "According")
        && word(1) == Some("to")
        && is_inline_space(gap(0))
        && is_inline_space(gap(1))
    {
        if let Some(name) = word(2).filter(|name| is_outlet(name) && !starts_name(text, tokens, index + 2)) {
            return found(name);
        }
    }
    // "(Reuters) -", "(AzerTAc)" at the end of a line
    let before = &text[..token.start];
    if before.ends_with('(') && is_outlet(token.text) {
        if let Some(after) = text[token.end..].strip_prefix(')') {
            if after.trim_start_matches([' ', '\t']).starts_with(['-', '–', '—']) || ends_line(after) {
                return found(token.text);
            }
        }
    }
    // "… – Reuters" at the end of a line
    if is_outlet(token.text) && dash_before(gap_before(text, tokens, index)) && ends_line(gap(0)) {
        return found(token.text);
    }
    // "Baku, July 13, AZERTAC", "Baku, 13 July 2023 – Trend"
    if at_line_start(text, token.start) {
        if let Some(name) = dateline_outlet(text, tokens, index) {
            return found(name);
        }
    }
    None
}

/// The outlet after a dateline starting at word `index`: a place of up to three
/// capitalised words, a comma, a date, then a comma or dash and the outlet.
fn dateline_outlet<'a>(text: &str, tokens: &[Token<'a>], index: usize) -> Option<&'a str> {
    let mut place_end = index;
    loop {
        if !is_capitalised(tokens.get(place_end)?.text) {
            return None;
        }
        let gap = gap_after(text, tokens, place_end);
        if gap.trim() == "," && !gap.contains('\n') {
            break;
        }
        if place_end - index == 2 || !is_inline_space(gap) {
            return None;
        }
        place_end += 1;
    }
    let date_start = place_end + 1;
    let date_end = date_start + dates::date_length(text, tokens, date_start)? - 1;
    let separator = gap_after(text, tokens, date_end);
    if !(separator.trim() == "," || is_dash(separator)) || separator.contains('\n') {
        return None;
    }
    let outlet = tokens.get(date_end + 1)?.text;
    let all_capitals = outlet.chars().count() >= 3 && outlet.chars().all(|c| c.is_uppercase());
    (is_outlet(outlet) || all_capitals).then_some(outlet)
}

/// A "Source: …" line: the rest of the line, or the host of a URL there.
fn source_line(text: &str) -> Option<(usize, String)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        let Some(rest) = trimmed.strip_prefix("Source:").or_else(|| trimmed.strip_prefix("SOURCE:")) else {
            continue;
        };
        let rest = rest.trim().trim_end_matches('.');
        let name = match rest.split_once("://") {
            Some((_, address)) => {
                let host = address.split(['/', '?', '#']).next().unwrap_or(address);
                host.strip_prefix("www.").unwrap_or(host)
            }
            None => rest,
        };
        if !name.is_empty() && name.chars().count() <= 100 {
            return Some((start, name.to_string()));
        }
    }
    None
}

/// Whether a word looks like an outlet's name: a domain (Qazet.az, news.az), a name in
/// capitals or with several of them (TASS, APA, AzerTAc), or a known agency (Reuters).
/// Country names and codes ("US", "UK") are not outlets.
fn is_outlet(word: &str) -> bool {
    if AGENCIES.contains(&word) {
        return true;
    }
    if let Some((name, domain)) = word.rsplit_once('.') {
        let name_ok = name.split('.').all(|part| !part.is_empty() && part.chars().all(char::is_alphanumeric));
        let domain_ok = (2..=6).contains(&domain.len()) && domain.chars().all(|c| c.is_ascii_lowercase());
        return name_ok && domain_ok && name.chars().any(char::is_alphabetic) && name.chars().count() >= 2;
    }
    // All capitals (TASS) or at least three (AzerTAc): two alone are common in surnames
    // (McDonald, DeSantis).
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    let letters = word.chars().count();
    let shaped = capitals >= 3 || (letters >= 2 && capitals == letters);
    is_capitalised(word)
        && shaped
        && word.chars().all(char::is_alphabetic)
        && country_in_phrase(word).is_none()
}

/// Whether word `index` starts a two-word capitalised name ("Ilham Aliyev"), which makes
/// "according to …" a person, not an outlet.
fn starts_name(text: &str, tokens: &[Token], index: usize) -> bool {
    is_inline_space(gap_after(text, tokens, index))
        && tokens.get(index + 1).is_some_and(|next| is_capitalised(next.text))
}

fn gap_before<'a>(text: &'a str, tokens: &[Token], index: usize) -> &'a str {
    match index.checked_sub(1) {
        Some(previous) => gap_after(text, tokens, previous),
        None => &text[..tokens[index].start],
    }
}

/// A dash between spaces, on one line: " - ", " – ", " — ".
fn is_dash(gap: &str) -> bool {
    !gap.contains('\n') && matches!(gap.trim(), "-" | "–" | "—") && gap.starts_with([' ', '\t'])
}

/// Whether a gap ends with a dash and a space on the word's own line, after a sentence
/// or at the start of the line (". – Reuters", "\n- Trend").
fn dash_before(gap: &str) -> bool {
    let line_part = gap.rsplit('\n').next().unwrap_or(gap);
    let line_part = line_part.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
    matches!(line_part.trim_end(), "-" | "–" | "—") && line_part.ends_with([' ', '\t'])
}

/// Whether the gap after a word ends its line (allowing a full stop).
fn ends_line(gap: &str) -> bool {
    let gap = gap.strip_prefix('.').unwrap_or(gap);
    gap.trim_start_matches([' ', '\t']).is_empty() || gap.trim_start_matches([' ', '\t']).starts_with('\n')
}

/// Whether only blanks stand between the line's start and `position`. It looks back
/// over the blanks only, never the whole line, so a 10 MB single line stays linear.
fn at_line_start(text: &str, position: usize) -> bool {
    let before = text[..position].trim_end_matches(|c: char| c.is_whitespace() && c != '\n');
    before.is_empty() || before.ends_with('\n')
}

// ---------------------------------------------------------------------------------------
// Speakers and their countries

/// Titles that introduce a speaker's name ("President Ilham Aliyev").
const SPEAKER_TITLES: &[&[&str]] = &[
    &["Minister", "of", "Foreign", "Affairs"],
    &["Secretary", "of", "State"],
    &["Prime", "Minister"],
    &["Foreign", "Minister"],
    &["Press", "Secretary"],
    &["President"],
    &["Chancellor"],
    &["King"],
    &["Emir"],
    &["Sheikh"],
    &["Ambassador"],
    &["spokesperson"],
    &["spokesman"],
    &["spokeswoman"],
    &["Spokesperson"],
    &["Spokesman"],
    &["Spokeswoman"],
];

/// Offices and bodies whose country is the speaker's country: heads of state and
/// government, ministers and ministries, spokespeople ("the President of Azerbaijan",
/// "Chinese Foreign Ministry").
const COUNTRY_TITLES: &[&[&str]] = &[
    &["Ministry", "of", "Foreign", "Affairs"],
    &["Foreign", "Ministry"],
    &["Ministry"],
    &["Minister"],
    &["Government"],
];

/// Lower-case words that may stand inside a name ("Tamim bin Hamad Al Thani").
const NAME_PARTICLES: &[&str] =
    &["bin", "ibn", "bint", "al", "el", "de", "da", "di", "du", "van", "von", "der", "del", "la", "le"];

/// Capitalised words that follow a title without being a name (month names too, see
/// `dates::MONTHS`).
const NOT_NAMES: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "The",
    "And",
    "Of",
    "President",
    "Minister",
    "Ministry",
    "Secretary",
    "Foreign",
    "Prime",
];

/// The most words a name after a title may have.
const NAME_WORDS: usize = 6;

/// The first person named after a title: "President Ilham Aliyev" gives "Ilham Aliyev",
/// "Foreign Ministry spokesperson Mao Ning" gives "Mao Ning". A title followed by fewer
/// than two capitalised names ("President Aliyev", "the President of France") names no
/// one, since a single word is too often not a name.
fn find_speaker(text: &str) -> Option<String> {
    let tokens = tokenize(text);
    (0..tokens.len()).find_map(|index| {
        let length = title_at(text, &tokens, index, SPEAKER_TITLES)?;
        name_at(text, &tokens, index + length)
    })
}

/// The number of words of the title starting at word `index`, if one does.
fn title_at(text: &str, tokens: &[Token], index: usize, titles: &[&[&str]]) -> Option<usize> {
    titles
        .iter()
        .find(|title| {
            title.iter().enumerate().all(|(offset, word)| {
                tokens.get(index + offset).is_some_and(|token| token.text == *word)
                    && (offset + 1 == title.len() || is_inline_space(gap_after(text, tokens, index + offset)))
            })
        })
        .map(|title| title.len())
}

/// The name (two or more capitalised words, possibly with particles) right after the
/// title that ends before word `index`.
fn name_at(text: &str, tokens: &[Token], index: usize) -> Option<String> {
    if !is_inline_space(gap_after(text, tokens, index.checked_sub(1)?)) {
        return None;
    }
    let mut words: Vec<&str> = Vec::new();
    let mut capitalised = 0;
    let mut position = index;
    while let Some(token) = tokens.get(position) {
        let word = strip_possessive(token.text);
        let is_name = is_capitalised(word)
            && !NOT_NAMES.contains(&word)
            && !crate::dates::MONTHS.contains(&word)
            && word.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'));
        let is_particle = NAME_PARTICLES.contains(&word)
            && !words.is_empty()
            && tokens.get(position + 1).is_some_and(|next| is_capitalised(next.text));
        if !(is_name || is_particle) || words.len() == NAME_WORDS {
            break;
        }
        words.push(word);
        capitalised += usize::from(is_name);
        // A name ends at punctuation, a line break, or a possessive ("Aliyev's").
        if word.len() != token.text.len() || !is_inline_space(gap_after(text, tokens, position)) {
            break;
        }
        position += 1;
    }
    while words.last().is_some_and(|word| NAME_PARTICLES.contains(word)) {
        words.pop();
    }
    (capitalised >= 2).then(|| words.join(" "))
}

fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word)
}

/// The country of the first head of state or government, minister, ministry or
/// spokesperson the text ties to a country: "the President of Azerbaijan", "President
/// of the Republic of Azerbaijan", "Azerbaijani President Ilham Aliyev", "Chinese
/// Foreign Ministry spokesperson", "the Foreign Ministry of Russia".
fn find_speaker_country(text: &str) -> Option<String> {
    let tokens = tokenize(text);
    (0..tokens.len()).find_map(|index| {
        let length = title_at(text, &tokens, index, COUNTRY_TITLES)
            .or_else(|| title_at(text, &tokens, index, SPEAKER_TITLES))?;
        country_before(text, &tokens, index).or_else(|| country_after(text, &tokens, index + length))
    })
}

/// The country named by up to three capitalised words right before the title at word
/// `index` ("Azerbaijani", "South Korean", "Azerbaijan's", "U.S.").
fn country_before(text: &str, tokens: &[Token], index: usize) -> Option<String> {
    (1..=3.min(index)).rev().find_map(|count| {
        let first = index - count;
        let words = &tokens[first..index];
        let joined_by_spaces = (first..index)
            .all(|position| is_inline_space(gap_after(text, tokens, position)) || position + 1 == index);
        if !joined_by_spaces || !words.iter().all(|token| is_capitalised(token.text)) {
            return None;
        }
        let last_gap = gap_after(text, tokens, index - 1);
        if !(is_inline_space(last_gap) || last_gap.starts_with('.') && is_inline_space(&last_gap[1..])) {
            return None;
        }
        let mut phrase = words.iter().map(|token| token.text).collect::<Vec<_>>().join(" ");
        if let Some(stripped) = strip_possessive_phrase(&phrase) {
            phrase = stripped;
        } else if last_gap.starts_with('.') {
            // Abbreviations like "U.S." keep their final full stop in the gazetteer.
            phrase.push('.');
        }
        country_in_phrase(&phrase)
    })
}

fn strip_possessive_phrase(phrase: &str) -> Option<String> {
    let stripped = strip_possessive(phrase);
    (stripped.len() != phrase.len()).then(|| stripped.to_string())
}

/// The country in "of <country>" right after a title ending before word `index`,
/// possibly after a department ("Ministry of Foreign Affairs of Azerbaijan"):
/// "of Azerbaijan", "of the Republic of Azerbaijan", "of the United States".
fn country_after(text: &str, tokens: &[Token], index: usize) -> Option<String> {
    if tokens.get(index)?.text != "of" || !is_inline_space(gap_after(text, tokens, index - 1)) {
        return None;
    }
    // The capitalised words and connectors after "of", on one line.
    let mut phrase: Vec<&str> = Vec::new();
    let mut position = index + 1;
    while let Some(token) = tokens.get(position) {
        let connector = matches!(token.text, "the" | "of" | "and");
        if !(connector || is_capitalised(token.text))
            || phrase.len() == 8
            || !is_inline_space(gap_after(text, tokens, position - 1))
        {
            break;
        }
        phrase.push(token.text);
        position += 1;
    }
    // Try the phrase from its start and after each inner "of", longest first, so
    // "the Republic of Azerbaijan" wins over "Azerbaijan" and "Foreign Affairs of
    // Azerbaijan" still finds "Azerbaijan".
    let starts = std::iter::once(0)
        .chain(phrase.iter().enumerate().filter(|(_, word)| **word == "of").map(|(at, _)| at + 1));
    for start in starts {
        for end in (start + 1..=phrase.len()).rev() {
            if !is_capitalised(phrase[end - 1]) {
                continue;
            }
            if let Some(code) = country_in_phrase(&phrase[start..end].join(" ")) {
                return Some(code);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;

    fn check_source(text: &str, expected: Option<&str>) {
        assert_eq!(find_source(text).as_deref(), expected, "{text:?}");
    }

    fn check_speaker(text: &str, expected: Option<&str>) {
        assert_eq!(find_speaker(text).as_deref(), expected, "{text:?}");
    }

    fn check_country(text: &str, expected: Option<&str>) {
        assert_eq!(find_speaker_country(text).as_deref(), expected, "{text:?}");
    }

    #[test]
    fn sources() {
        check_source("Qazet.az reports that the minister spoke.", Some("Qazet.az"));
        check_source("News.az reported on Monday that talks ended.", Some("News.az"));
        check_source("The talks ended, reports news.az.", Some("news.az"));
        check_source("The talks ended, reported APA.", Some("APA"));
        check_source("The minister spoke, according to TASS.", Some("TASS"));
        check_source("According to Xinhua, the talks ended.", Some("Xinhua"));
        check_source("LONDON (Reuters) - The minister spoke.", Some("Reuters"));
        check_source("Baku, 14 October (AzerTAc)\nThe minister spoke.", Some("AzerTAc"));
        check_source("The minister spoke on Friday.\n– Interfax", Some("Interfax"));
        check_source("The minister spoke on Friday. - Trend\nMore text.", Some("Trend"));
        check_source("Baku, July 13, AZERTAC\nThe minister spoke.", Some("AZERTAC"));
        check_source("Baku, July 13, 2023, AZERTAC. The minister spoke.", Some("AZERTAC"));
        check_source("New York, 13 July 2023 – Reuters. The minister spoke.", Some("Reuters"));
        check_source(
            "The minister spoke.\nSource: Ministry of Foreign Affairs",
            Some("Ministry of Foreign Affairs"),
        );
        check_source("Text.\nSource: https://www.example.org/statements/1", Some("example.org"));
        // The first phrasing in the text wins.
        check_source("Trend reports that TASS reported it.", Some("Trend"));
        check_source("Source: Qazet.az\nTrend reports it.", Some("Qazet.az"));
    }

    #[test]
    fn not_sources() {
        check_source("He reported that the talks ended.", None);
        check_source("Police reported two arrests.", None);
        check_source("Armenia reported the incident.", None);
        check_source("the Commonwealth of Independent States (CIS) in Astana", None);
        check_source("A crowd gathered (Photo)\nMore text (Updated) - later", None);
        check_source("McDonald reported it; DeSantis reports too.", None);
        check_source("The US reported it (UK)", None);
        check_source("according to President Ilham Aliyev, talks ended", None);
        check_source("according to the minister", None);
        check_source("the latest act of aggression - the shooting of a car", None);
        check_source("the head of state said - Aliyev", None);
        check_source("Baku, July 13, President Ilham Aliyev said", None);
        check_source("The e.g. reports were wrong; U.S. reports too.", None);
        check_source("Open source: not a line start", None);
        check_source("", None);
    }

    #[test]
    fn speakers() {
        check_speaker("Qazet.az reports that President Ilham Aliyev said this.", Some("Ilham Aliyev"));
        check_speaker("Foreign Ministry spokesperson Mao Ning told reporters.", Some("Mao Ning"));
        check_speaker("Prime Minister Nikol Pashinyan said", Some("Nikol Pashinyan"));
        check_speaker("Foreign Minister Jeyhun Bayramov's remarks", Some("Jeyhun Bayramov"));
        check_speaker("Minister of Foreign Affairs Jeyhun Bayramov said", Some("Jeyhun Bayramov"));
        check_speaker("Secretary of State John Example said", Some("John Example"));
        check_speaker("Kremlin Press Secretary Dmitry Peskov said", Some("Dmitry Peskov"));
        check_speaker("Emir Tamim bin Hamad Al Thani received", Some("Tamim bin Hamad Al Thani"));
        check_speaker("King Charles III spoke", Some("Charles III"));
        check_speaker("Chancellor Olaf Scholz. Then President Emmanuel Macron", Some("Olaf Scholz"));
        check_speaker("Ambassador Anna Example-Smith said", Some("Anna Example-Smith"));
        check_speaker("said spokesman Ivan Petrov, adding", Some("Ivan Petrov"));
    }

    #[test]
    fn not_speakers() {
        check_speaker("The President of Azerbaijan called on France.", None);
        check_speaker("President Aliyev said.", None);
        check_speaker("the President said that", None);
        check_speaker("the spokesperson for the Foreign Ministry", None);
        check_speaker("President\nIlham Aliyev", None);
        check_speaker("President Ilham. Aliyev spoke", None);
        check_speaker("president Ilham Aliyev", None);
        check_speaker("Ilham Aliyev said this", None);
        check_speaker("President Monday October", None);
    }

    #[test]
    fn speaker_countries() {
        check_country("The President of Azerbaijan called on the US.", Some("AZ"));
        check_country("the President of the Republic of Azerbaijan said", Some("AZ"));
        check_country("Azerbaijani President Ilham Aliyev said", Some("AZ"));
        check_country("Chinese Foreign Ministry spokesperson Mao Ning said", Some("CN"));
        check_country("a statement by the Foreign Ministry of Russia", Some("RU"));
        check_country("the Ministry of Foreign Affairs of the Russian Federation", Some("RU"));
        check_country("the Minister of Foreign Affairs of Azerbaijan", Some("AZ"));
        check_country("South Korean President Yoon Example", Some("KR"));
        check_country("Azerbaijan's President said", Some("AZ"));
        check_country("U.S. Secretary of State John Example", Some("US"));
        check_country("the President of the United States", Some("US"));
        check_country("the Government of France and the President of Russia", Some("FR"));
    }

    #[test]
    fn not_speaker_countries() {
        check_country("the embassy of Azerbaijan in Paris", None);
        check_country("Armenia also committed provocations", None);
        check_country("the ministers of several countries", None);
        check_country("the President of the Commission", None);
        check_country("Azerbaijani embassy staff", None);
        check_country("President Ilham Aliyev said", None);
        check_country("the President of Atlantis", None);
    }

    #[test]
    fn stated_countries() {
        let check = |value: &str, expected: Option<&str>| {
            assert_eq!(country_code(value).as_deref(), expected, "{value}")
        };
        check("AZ", Some("AZ"));
        check("az", Some("AZ"));
        check("Azerbaijan", Some("AZ"));
        check("the United States", Some("US"));
        check("Chinese", Some("CN"));
        check("UK", Some("GB"));
        check("XX", None);
        check("Atlantis", None);
    }

    #[test]
    fn first_line_titles() {
        let check = |text: &str, markdown: bool, expected: Option<&str>| {
            let title = first_line_title(text, markdown);
            assert_eq!(title.as_ref().map(|title| title.value.as_str()), expected, "{text:?}");
            assert!(title.map_or(true, |title| title.source == MetaSource::FirstLine));
        };
        check("\n\n  The title line  \nBody", false, Some("The title line"));
        check("# Heading #\nBody", true, Some("Heading"));
        check("# Heading\nBody", false, Some("# Heading"));
        check("#hashtag\nBody", true, Some("#hashtag"));
        check("#\n## \nBody", true, Some("Body"));
        check("   \n\t\n", false, None);
        let long = "word ".repeat(60);
        let title = first_line_title(&long, false).map(|title| title.value).unwrap_or_default();
        assert!(title.ends_with("word…") && title.chars().count() <= TITLE_CHARS + 1, "{title}");
        let unbroken = "x".repeat(300);
        let title = first_line_title(&unbroken, false).map(|title| title.value).unwrap_or_default();
        assert_eq!(title.chars().count(), TITLE_CHARS + 1);
    }

    #[test]
    fn inference_reads_the_head_of_the_text() {
        assert_eq!(head("abc", 10), "abc");
        assert_eq!(head("ab", 2), "ab");
        assert_eq!(head("aé", 2), "a");
        assert_eq!(head("aéb", 3), "aé");
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("test time")
    }

    #[test]
    fn date_rules_in_order() {
        let check =
            |file_name: &str, text: &str, modified: Option<&str>, expected: Option<(&str, MetaSource)>| {
                let input = FileInput { file_name, bytes: b"", modified: modified.map(at) };
                let date = infer_date(text, &input).map(|date| (date.value.to_string(), date.source));
                assert_eq!(
                    date,
                    expected.map(|(value, source)| (value.to_string(), source)),
                    "{file_name} {text:?}"
                );
            };
        let modified = Some("2023-01-03 10:00");
        check("2022-10-14_x.txt", "On 1 May 2020.", modified, Some(("2022-10-14", MetaSource::FileName)));
        check(
            "x.txt",
            "Sent on July 2, then on 1 May 2020.",
            modified,
            Some(("2020-05-01", MetaSource::Text)),
        );
        check(
            "x.txt",
            "Baku, December 30, AZERTAC",
            modified,
            Some(("2022-12-30", MetaSource::TextWithoutYear)),
        );
        check(
            "x.txt",
            "Baku, January 2, AZERTAC",
            modified,
            Some(("2023-01-02", MetaSource::TextWithoutYear)),
        );
        check(
            "x.txt",
            "Baku, January 3, AZERTAC",
            modified,
            Some(("2023-01-03", MetaSource::TextWithoutYear)),
        );
        check(
            "x.txt",
            "Baku, January 4, AZERTAC",
            modified,
            Some(("2022-01-04", MetaSource::TextWithoutYear)),
        );
        check("x.txt", "Baku, July 13, AZERTAC", None, None);
        check("x.txt", "No date here.", modified, Some(("2023-01-03", MetaSource::FileModified)));
        check("x.txt", "No date here.", None, None);
    }
}
