//! The optional front matter at the very top of a `.txt` or `.md` file:
//!
//! ```text
//! ---
//! date: 2022-10-14
//! title: "Statement on the embassy attack"
//! speaker: Ilham Aliyev
//! speaker_country: AZ
//! ---
//! ```
//!
//! Keys are `date`, `title`, `source`, `speaker`, `speaker_country` and `url` (any
//! case); values may be quoted; unknown keys and `#` comment lines are ignored. The block
//! is taken off the text together with one blank line after it, and its values win over
//! everything inferred. A block that is never closed, or has a line that is not
//! `key: value`, is not front matter: the text is kept whole, because it is more likely
//! a statement that happens to start with a rule than a broken header.

use crate::meta::state;
use crate::{MetaSource, Metadata};

/// The front matter's values and the text after it; no values and the whole text when
/// there is no front matter.
pub(crate) fn split(text: &str) -> (Metadata, &str) {
    let mut meta = Metadata::default();
    let Some(body) = text.strip_prefix("---\n").or_else(|| fence_line(text)) else {
        return (meta, text);
    };
    let mut fields = Vec::new();
    let mut offset = 0;
    loop {
        let rest = &body[offset..];
        let Some(line_end) =
            rest.find('\n').map(|index| index + 1).or((!rest.is_empty()).then_some(rest.len()))
        else {
            // The text ended before a closing `---`.
            return (Metadata::default(), text);
        };
        let line = rest[..line_end].trim_end();
        offset += line_end;
        if line == "---" {
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        match field(line) {
            Some(field) => fields.push(field),
            None => return (Metadata::default(), text),
        }
    }
    for (key, value) in fields {
        state(&mut meta, &key, value, MetaSource::FrontMatter);
    }
    let rest = &body[offset..];
    let rest = match rest.find('\n') {
        Some(index) if rest[..index].trim().is_empty() => &rest[index + 1..],
        _ => rest,
    };
    (meta, rest)
}

/// The text after an opening `---` line that has trailing spaces.
fn fence_line(text: &str) -> Option<&str> {
    let (first, rest) = text.split_once('\n')?;
    (first.trim_end() == "---").then_some(rest)
}

/// A `key: value` line as a lower-case key and an unquoted value.
fn field(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let is_key = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !is_key {
        return None;
    }
    Some((key.to_ascii_lowercase(), unquote(value.trim())))
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|rest| rest.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::Sourced;

    fn stated(value: &str) -> Option<Sourced<String>> {
        Some(Sourced::new(value.to_string(), MetaSource::FrontMatter))
    }

    fn check(input: &str, expected_meta: Metadata, expected_text: &str) {
        let (meta, text) = split(input);
        assert_eq!(meta, expected_meta, "{input:?}");
        assert_eq!(text, expected_text, "{input:?}");
    }

    #[test]
    fn front_matter_present() {
        check(
            "---\ndate: 2022-10-14\ntitle: \"On the: embassy\"\nsource: 'Qazet.az'\nspeaker: Ilham Aliyev\nspeaker_country: Azerbaijan\nurl: https://example.org/a?b=c\n---\n\nText starts here.\n",
            Metadata {
                title: stated("On the: embassy"),
                date: Some(Sourced::new(NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"), MetaSource::FrontMatter)),
                source: stated("Qazet.az"),
                speaker: stated("Ilham Aliyev"),
                speaker_country: stated("AZ"),
                url: stated("https://example.org/a?b=c"),
            },
            "Text starts here.\n",
        );
    }

    #[test]
    fn front_matter_details() {
        let titled = || Metadata { title: stated("T"), ..Metadata::default() };
        // Unknown keys, comments, blank lines, key case and trailing spaces on the fences.
        check("--- \nTitle: T\nlayout: post\n# note\n\n---  \nBody", titled(), "Body");
        // Only one blank line after the block is taken off.
        check("---\ntitle: T\n---\n\n\nBody", titled(), "\nBody");
        // A block that is the whole file leaves no text.
        check("---\ntitle: T\n---", titled(), "");
        check("---\ntitle: T\n---\n", titled(), "");
        // Values that cannot be used are ignored: a bad date, an unknown country, empty.
        check(
            "---\ndate: someday\nspeaker_country: Atlantis\nsource: \"\"\n---\nBody",
            Metadata::default(),
            "Body",
        );
        check(
            "---\nspeaker_country: cn\n---\nBody",
            Metadata { speaker_country: stated("CN"), ..Metadata::default() },
            "Body",
        );
    }

    #[test]
    fn no_front_matter() {
        check(
            "Text without a header.\n---\ntitle: no\n---\n",
            Metadata::default(),
            "Text without a header.\n---\ntitle: no\n---\n",
        );
        check("", Metadata::default(), "");
        // Unclosed: kept as text.
        check("---\ntitle: T\nBody goes on\n", Metadata::default(), "---\ntitle: T\nBody goes on\n");
        check("---\ntitle: T", Metadata::default(), "---\ntitle: T");
        // A rule followed by prose is not front matter.
        check(
            "---\nThe minister said: no.\n---\n",
            Metadata::default(),
            "---\nThe minister said: no.\n---\n",
        );
        check("----\ntitle: T\n----\nBody", Metadata::default(), "----\ntitle: T\n----\nBody");
    }
}
